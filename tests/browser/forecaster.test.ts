/**
 * The forecaster market (paper 000 §2) in the browser on WebGPU (SwiftShader): the form of a forecaster on
 * the bundled S&P 500 series and on a simulated factor panel; then a tiny forecaster on a panel of 2 assets
 * over 300 days, opened by link and trained alone (Train, one epoch of one batch); its cards (NLL per epoch,
 * the fan of sampled paths from the first test date, the attention map, the scores against the three
 * baselines) hold what it streamed; the forecaster kept in the tab downloads as two files that load back, and
 * a file for other settings, or half of one, is refused with a message while the kept forecaster stays (that a
 * kept forecaster is reused by the next Run is tested in Node, tests/integration/forecaster-market.test.ts).
 *
 * Kept as small as the schema allows: SwiftShader runs a training step of even this forecaster in seconds,
 * and its test report samples paths from every test date.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { defaultConfig } from '../../src/engine/experiment/presets';
import type { Experiment } from '../../src/engine/experiment/schema';
import { labForFile } from './chromium';
import { linkTo, outcome, waitForBackend, waitForTraces } from './lab-page';

const baseUrl = inject('baseUrl');
const lab = labForFile();

/**
 * A forecaster of 1 latent asset, width 4, one head and block, 10 days of context, trained 1 epoch of one
 * batch on a simulated panel of 2 assets and 300 days (the schema's least), tested on its last 5%; a 3-day
 * call hedged by delta.
 */
function tinyForecaster(): Experiment {
  const cfg = defaultConfig();
  cfg.name = 'Tiny forecaster on a factor panel';
  cfg.market = {
    model: 'forecaster',
    data: { source: 'factor-panel', assets: 2, factors: 1, days: 300, seed: 1 },
    split: { train: 0.75, validation: 0.2 },
    forecaster: {
      context: 10,
      horizon: 5,
      latents: 1,
      width: 4,
      heads: 1,
      depth: 1,
      dropout: 0,
      marketValueDropout: { p: 0, tau: 1 },
      training: { epochs: 1, batchSize: 256, learningRate: 0.003, patience: 5 },
    },
    measure: 'risk-neutral',
    rate: 0,
    testOn: 'real',
    inputs: 'ohlc',
    s0: 100,
    maturityDays: 3,
    steps: 3,
    daysPerYear: 252,
  };
  cfg.claim = { type: 'european', kind: 'call', strike: 100 };
  cfg.strategies = [{ id: 'bs-delta', type: 'bs-delta' }];
  cfg.paths = { train: 64, test: 16 };
  return cfg;
}

/** Every text the run status shows from now on (the progress of a phase may pass between two polls). */
async function recordStatuses(page: import('playwright-core').Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { statuses: string[] }).statuses = seen;
    const status = document.querySelector('[data-testid=run-status]')!;
    new MutationObserver(() => seen.push(status.textContent ?? '')).observe(status, { childList: true, characterData: true, subtree: true });
  });
  return () => page.evaluate(() => (window as unknown as { statuses: string[] }).statuses);
}

const textOf = async (page: import('playwright-core').Page, testId: string) => (await page.textContent(`[data-testid=${testId}]`))?.trim() ?? '';

describe('forecaster market', () => {
  it('trains a tiny forecaster on WebGPU, shows its cards, and saves and loads it as files', async () => {
    const page = await lab.open(baseUrl + linkTo(tinyForecaster()));
    await waitForBackend(page, 'webgpu');

    // The form: the market, its settings and the equal market values; the market card says what Run does, without an error.
    expect(await page.inputValue('[name="market.model"]')).toBe('forecaster');
    expect(await page.inputValue('[name="market.data.source"]')).toBe('factor-panel');
    expect(await page.inputValue('[name="market.data.assets"]')).toBe('2');
    expect(await page.inputValue('[name="market.forecaster.context"]')).toBe('10');
    expect(await page.inputValue('[name="market.forecaster.training.epochs"]')).toBe('1');
    expect(await page.inputValue('[name="market.split.train"]')).toBe('0.75');
    expect(await page.inputValue('[name="market.testOn"]')).toBe('real');
    expect(await textOf(page, 'market-value-note')).toContain('equal weights');
    expect(await textOf(page, 'forecaster-market-note')).toContain('press Run to train it');
    // The simulated panel has no prices to draw before a run: a sentence stands in the chart's place.
    expect(await textOf(page, 'factor-panel-note')).toContain('2 assets over 300 trading days');
    expect(await page.$('[data-testid=chart-prices]')).toBeNull();
    expect(await page.$('[data-testid=market-card] .banner.error, [data-testid=preview-stale]')).toBeNull();

    // On the bundled S&P 500 the Data card draws its prices and the market card still only says what Run will do.
    await page.selectOption('[name="market.data.source"]', 'sp500');
    await waitForTraces(page, 'chart-prices', 2);
    expect(await textOf(page, 'forecaster-market-note')).toContain('the returns of the S&P 500 series');
    expect(await page.$('[data-testid=market-card] .banner.error, [data-testid=preview-stale]')).toBeNull();
    await page.selectOption('[name="market.data.source"]', 'factor-panel');
    expect(await page.inputValue('[name="market.data.assets"]')).toBe('2');

    // Train: the forecaster alone, without the hedgers (what a Run does first, and then reuses).
    const statuses = await recordStatuses(page);
    await page.click('[data-testid=train-forecaster]', { timeout: 60_000 });
    await page.waitForSelector('[data-testid=run-status][data-phase=running]');
    expect(await outcome(page)).toBe('done');
    // The progress bar and its ETA follow the forecaster's epochs before the hedger's.
    expect((await statuses()).some((s) => /^training the forecaster: epoch 1 of at most 1, batch 1 of 1 · [\d.]+% · /.test(s))).toBe(true);

    const nll = await waitForTraces(page, 'chart-forecaster-nll', 2);
    expect(nll.map((t) => [t.name, t.points])).toEqual([
      ['training', 1],
      ['validation', 1],
    ]);
    const fan = await waitForTraces(page, 'chart-forecast-fan', 6);
    expect(fan.map((t) => t.name)).toEqual(['5%', '5%–95%', '25%', '25%–75%', 'median', 'realised']);
    for (const t of fan) expect(t.points).toBe(4);
    // Two assets (rows) in one latent asset (column).
    const attention = await waitForTraces(page, 'chart-attention', 1);
    expect(attention.map((t) => [t.type, t.points, t.columns])).toEqual([['heatmap', 2, 1]]);

    const scores = await page.$$eval('[data-testid=forecast-scores] tbody tr:not(.empty)', (rows) =>
      rows.map((r) => ({ model: r.querySelector('th')?.textContent ?? '', cells: [...r.querySelectorAll('td')].map((td) => td.textContent ?? ''), best: r.querySelectorAll('td.best').length })),
    );
    expect(scores.map((r) => r.model)).toEqual(['Forecaster', 'Random walk', 'EWMA', 'GARCH(1,1)']);
    for (const r of scores) {
      expect(r.cells).toHaveLength(5);
      for (const cell of r.cells) expect(Number.isFinite(Number(cell.replace('%', '')))).toBe(true);
    }
    // Each of NLL, CRPS, the two coverages and the energy score has a best row (ties are all emphasised).
    expect(scores.reduce((sum, r) => sum + r.best, 0)).toBeGreaterThanOrEqual(5);
    expect(await textOf(page, 'forecast-training')).toMatch(/^Trained 1 epoch, kept epoch 1 \(the lowest validation NLL\)\.$/);
    expect(await textOf(page, 'forecast-split')).toMatch(/^Train \d{4}-\d\d-\d\d → \d{4}-\d\d-\d\d · validation .* · test .* · inputs: the close return \(the data have no daily bars\)$/);
    expect(await textOf(page, 'forecaster-kept')).toContain('trained 1 epoch');
    // The hedgers' cards wait for Run, and say so.
    expect(await page.textContent('[data-testid=chart-pnl] + .plot-empty')).toBe('Train trained the forecaster alone: press Run to train the hedgers on its market and test them.');

    // Download: the model JSON (the manifest, naming the weights file) and the weights.
    const downloads: Promise<import('playwright-core').Download>[] = [];
    page.on('download', (d) => downloads.push(Promise.resolve(d)));
    await page.click('[data-testid=download-forecaster]');
    await page.waitForFunction(() => document.querySelector('[data-testid=forecaster-message]')?.textContent?.startsWith('Saved'));
    await expect.poll(() => downloads.length).toBe(2);
    const files = await Promise.all(downloads);
    expect(files.map((f) => f.suggestedFilename())).toEqual(['hedgelab-forecaster.json', 'hedgelab-forecaster.weights.bin']);
    const [jsonPath, binPath] = await Promise.all(files.map((f) => f.path()));
    const model = JSON.parse(readFileSync(jsonPath!, 'utf8'));
    expect(model.userDefinedMetadata).toMatchObject({ format: 'hedgelab-forecaster', context: 10, trainedEpochs: 1, shape: { assets: 2, latents: 1, width: 4 } });
    expect(model.weightsManifest[0].paths).toEqual(['hedgelab-forecaster.weights.bin']);

    // Half a forecaster is refused; so is one trained with another seed than the form's; the kept one stays.
    await page.setInputFiles('[data-testid=forecaster-input]', [jsonPath!]);
    expect(await textOf(page, 'forecaster-refused')).toContain('Choose the forecaster’s two files together');
    await page.fill('[name="seed"]', '12');
    await page.setInputFiles('[data-testid=forecaster-input]', [{ name: 'hedgelab-forecaster.json', mimeType: 'application/json', buffer: readFileSync(jsonPath!) }, { name: 'hedgelab-forecaster.weights.bin', mimeType: 'application/octet-stream', buffer: readFileSync(binPath!) }]);
    await page.waitForSelector('[data-testid=forecaster-refused]');
    expect(await textOf(page, 'forecaster-refused')).toMatch(/was refused: .*differs in its seed \(the file's \d+, the form's 12\)/);
    expect(await textOf(page, 'forecaster-kept')).toContain('trained 1 epoch');

    // With the seed back, the files load in place of the kept forecaster: the worker has checked that they were
    // trained on this experiment's data, split, settings and seed, which is what makes Run reuse them.
    await page.fill('[name="seed"]', String(tinyForecaster().seed));
    await page.setInputFiles('[data-testid=forecaster-input]', [{ name: 'hedgelab-forecaster.json', mimeType: 'application/json', buffer: readFileSync(jsonPath!) }, { name: 'hedgelab-forecaster.weights.bin', mimeType: 'application/octet-stream', buffer: readFileSync(binPath!) }]);
    await page.waitForFunction(() => document.querySelector('[data-testid=forecaster-message]')?.textContent?.startsWith('Loaded'));
    expect(await textOf(page, 'forecaster-kept')).toContain('loaded from “hedgelab-forecaster.json”');
    expect(await textOf(page, 'forecaster-kept')).toContain('trained 1 epoch');
    expect(lab.errors).toEqual([]);
    await page.close();
  }, 900_000);
});
