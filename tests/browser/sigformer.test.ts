/**
 * Paper 003 in the browser on WebGPU (SwiftShader): a tiny SigFormer (§4.2: d 2, m 2, 1 head, 1 block;
 * 3 epochs of one batch of 256 GBM paths of 8 steps, early stopping with patience 2) beside the Black-Scholes delta,
 * opened by link: its settings on the form, its loss curve, its training dynamics (appendix 8.4: the mean
 * holding and the validation loss by epoch), its empirical holding surface (fig. 4: blank empty cells, the
 * path-dates of a cell on hover) and its row of the metrics table.
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
  cfg.market.steps = 8;
  cfg.market.maturityDays = 8;
  cfg.paths = { train: 256, test: 256, validation: 128 };
  cfg.strategies = [
    { id: 'bs-delta', type: 'bs-delta' },
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

    const loss = await waitForTraces(page, 'chart-loss', 1);
    const sigLoss = loss.find((t) => t.name.includes('SigFormer'));
    expect(sigLoss?.points).toBe(3);

    const dynamics = await waitForTraces(page, 'chart-dynamics', 2);
    expect(dynamics.map((t) => t.name)).toEqual([expect.stringMatching(/^mean holding /), 'validation loss']);
    for (const t of dynamics) expect(t.points).toBe(3);
    // The epoch early stopping keeps is marked, with its label.
    const marked = await page.$eval('[data-testid=chart-dynamics]', (div) => {
      const layout = (div as unknown as { layout: { shapes?: { x0: number }[]; annotations?: { text: string }[] } }).layout;
      return { x: layout.shapes?.[0]?.x0 ?? null, text: layout.annotations?.[0]?.text ?? '' };
    });
    expect(marked.x).toBeGreaterThanOrEqual(1);
    expect(marked.x).toBeLessThanOrEqual(3);
    expect(marked.text).toBe(`early stopping keeps epoch ${marked.x}`);

    const surface = await waitForTraces(page, 'chart-surface', 1);
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

    const rows = await metricsRows(page);
    expect(rows.map((r) => r.strategy)).toEqual([expect.stringContaining('Black-Scholes'), expect.stringContaining('SigFormer')]);
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
