/**
 * Paper 003 in the browser on WebGPU (SwiftShader): a tiny SigFormer (§4.2: d 2, m 2, 1 head, 1 block;
 * 3 epochs of one batch of 256 paths of 8 steps, early stopping with patience 2) trading both assets of a
 * correlated GBM market (a hedge set of 2, fig. 3), beside the Black-Scholes delta and a tiny MLP, opened by
 * link: its settings on the form, its loss curve, its training dynamics (appendix 8.4: the mean holding of
 * each asset and the validation loss by epoch, the early-stopping epoch marked), its empirical holding
 * surface per asset (fig. 4: blank empty cells, a count per cell), every hedger on one colour scale, and
 * its row of the metrics table.
 */
import { mkdirSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { defaultConfig } from '../../src/engine/experiment/presets';
import type { Experiment } from '../../src/engine/experiment/schema';
import { labForFile } from './chromium';
import { linkTo, metricsRows, outcome, run, traces, waitForBackend, waitForTraces } from './lab-page';

const baseUrl = inject('baseUrl');
const lab = labForFile();

function tinySigFormer(): Experiment {
  const cfg = defaultConfig();
  cfg.name = 'Tiny SigFormer';
  cfg.market = { model: 'correlated-gbm', s0: 1, drift: 0, volatilities: [0.2, 0.3], correlation: [[1, 0.5], [0.5, 1]], maturityDays: 8, steps: 8, daysPerYear: 250 };
  cfg.instruments = { options: { grid: 'none' }, hedgeSet: 2 };
  cfg.paths = { train: 256, test: 256, validation: 128 };
  cfg.strategies = [
    { id: 'bs-delta', type: 'bs-delta' },
    { id: 'deep-mlp', type: 'deep-mlp', network: { layers: 1, units: 4 }, training: { epochs: 2, batchSize: 256, learningRate: 1e-2, freshPaths: true } },
    {
      id: 'sigformer',
      type: 'sigformer',
      network: { modelDim: 2, order: 2, heads: 1, blocks: 1, mlpUnits: 8, dropout: 0 },
      training: { epochs: 3, batchSize: 256, learningRate: 1e-2, freshPaths: true, clip: 0, patience: 2 },
    },
  ];
  return cfg;
}

describe('SigFormer', () => {
  it('trains a tiny SigFormer on WebGPU: its settings, loss curve, training dynamics, holding surface and metrics row appear', async () => {
    const page = await lab.open(baseUrl + linkTo(tinySigFormer()));
    await waitForBackend(page, 'webgpu');
    const row = page.locator('[data-testid=strategy-sigformer]');
    expect(await row.locator('input[name$=".network.modelDim"]').inputValue()).toBe('2');
    expect(await row.locator('input[name$=".network.order"]').inputValue()).toBe('2');
    expect(await row.locator('input[name$=".training.patience"]').inputValue()).toBe('2');
    expect(await row.locator('[data-testid=sigformer-training-note]').textContent()).toMatch(/early|patience/i);

    await run(page);
    expect(await outcome(page)).toBe('done');

    const sigLoss = (await waitForTraces(page, 'chart-loss', 2)).find((t) => t.name.includes('SigFormer'));
    expect(sigLoss?.points).toBe(3);

    const dynamics = await waitForTraces(page, 'chart-dynamics', 3);
    expect(dynamics.map((t) => t.name)).toEqual([expect.stringMatching(/^mean holding /), expect.stringMatching(/^mean holding /), 'validation loss']);
    for (const t of dynamics) expect(t.points).toBe(3);
    // The epoch early stopping keeps is marked, with its label.
    const marked = await page.$eval('[data-testid=chart-dynamics]', (div) => {
      const layout = (div as unknown as { layout: { shapes?: { x0: number }[]; annotations?: { text: string }[] } }).layout;
      return { x: layout.shapes?.[0]?.x0 ?? null, text: layout.annotations?.[0]?.text ?? '' };
    });
    expect(marked.x).toBeGreaterThanOrEqual(1);
    expect(marked.x).toBeLessThanOrEqual(3);
    expect(marked.text).toBe(`early stopping keeps epoch ${marked.x}`);

    // The SigFormer's surfaces, one per asset of the hedge set, picked in the asset menu.
    await page.selectOption('[data-testid=surface-strategy]', 'sigformer');
    const assets = await page.$$eval('[data-testid=surface-asset] option', (options) => options.map((o) => (o as HTMLOptionElement).value));
    expect(assets).toHaveLength(2);
    const firstZ = await page.$eval('[data-testid=chart-surface]', (div) => JSON.stringify((div as unknown as { data: { z: unknown }[] }).data[0]!.z));
    await page.selectOption('[data-testid=surface-asset]', assets[1]!);
    await page.waitForFunction((z) => JSON.stringify((document.querySelector('[data-testid=chart-surface]') as unknown as { data: { z: unknown }[] }).data[0]!.z) !== z, firstZ);
    await page.selectOption('[data-testid=surface-asset]', assets[0]!);
    await page.waitForFunction((z) => JSON.stringify((document.querySelector('[data-testid=chart-surface]') as unknown as { data: { z: unknown }[] }).data[0]!.z) === z, firstZ);
    const surface = await traces(page, 'chart-surface');
    expect(surface[0]!.type).toBe('heatmap');
    expect(surface[0]!.name).toContain('SigFormer');
    expect(surface[0]!.points).toBeGreaterThan(1);
    expect(surface[0]!.columns).toBeGreaterThan(1);
    // An empirical surface: every cell has its count of test path-dates, an empty one is blank.
    const cells = await page.$eval('[data-testid=chart-surface]', (div) => {
      const t = (div as unknown as { data: { z: (number | null)[][]; customdata: number[][] }[] }).data[0]!;
      const pairs = t.z.flatMap((row, i) => row.map((z, j) => ({ z, n: t.customdata[i]![j]! })));
      return { total: pairs.reduce((a, p) => a + p.n, 0), blanksAreEmpty: pairs.every((p) => (p.z === null) === (p.n === 0)) };
    });
    expect(cells.total).toBeGreaterThan(0);
    expect(cells.total).toBeLessThanOrEqual(256 * 8);
    expect(cells.blanksAreEmpty).toBe(true);
    expect(await page.getAttribute('[data-testid=chart-surface]', 'aria-label')).toMatch(/mean over test path-dates/);
    // Every hedger of the claim's asset side by side, on one colour axis (fig. 4).
    await page.selectOption('[data-testid=surface-view]', 'all');
    await page.waitForFunction(() => ((document.querySelector('[data-testid=chart-surface]') as unknown as { data: unknown[] }).data.length ?? 0) >= 3);
    const side = await page.$eval('[data-testid=chart-surface]', (div) => {
      const d = div as unknown as { data: { name: string; coloraxis: string }[] };
      return d.data.map((t) => ({ name: t.name, axis: t.coloraxis }));
    });
    expect(side.map((t) => t.name)).toEqual([expect.stringContaining('MLP'), expect.stringContaining('SigFormer'), 'Black-Scholes delta']);
    for (const t of side) expect(t.axis).toBe('coloraxis');

    const rows = await metricsRows(page);
    expect(rows.map((r) => r.strategy)).toEqual([expect.stringContaining('Black-Scholes'), expect.stringContaining('MLP'), expect.stringContaining('SigFormer')]);
    for (const r of rows) for (const cell of r.cells) expect(Number.isFinite(Number(cell))).toBe(true);
    expect(await traces(page, 'chart-pnl')).toEqual(expect.arrayContaining([expect.objectContaining({ name: expect.stringContaining('SigFormer') })]));

    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(1000);
    mkdirSync('scratch', { recursive: true });
    await page.screenshot({ path: 'scratch/sigformer.png', fullPage: true });
    expect(lab.errors).toEqual([]);
    await page.close();
  });
});
