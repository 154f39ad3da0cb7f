/**
 * Price data in the browser on WebGPU (SwiftShader): import a small CSV through the file picker, hedge on
 * historical windows of it to the end, then import a broken file and see every error named by file, line
 * and column while the data loaded before stay; and a share link of an imported-data experiment, which
 * says which file to import and holds Run until it is.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Experiment } from '../../src/engine/experiment/schema';
import { labForFile, RESULTS_DIR } from './chromium';
import { linkTo, metricsRows, outcome, run, tinyExperiment, waitForBackend, waitForTraces } from './lab-page';

const baseUrl = inject('baseUrl');
const lab = labForFile();
let dir: string;

/** `days` business days of a deterministic wavy series from 2021-01-04, as Date,Close. */
function syntheticCsv(days: number): string {
  const lines = ['Date,Close'];
  const date = new Date(Date.UTC(2021, 0, 4));
  let price = 100;
  for (let i = 0; i < days; i++) {
    while (date.getUTCDay() === 0 || date.getUTCDay() === 6) date.setUTCDate(date.getUTCDate() + 1);
    lines.push(`${date.toISOString().slice(0, 10)},${price.toFixed(4)}`);
    price *= Math.exp(0.012 * Math.sin(1.7 * i) + 0.008 * Math.cos(0.45 * i * i));
    date.setUTCDate(date.getUTCDate() + 1);
  }
  return `${lines.join('\n')}\n`;
}

/** Line 7 holds a negative price and line 9 a date in the wrong format. */
const BROKEN_CSV = [
  'Date,Close',
  '2021-01-04,100',
  '2021-01-05,101',
  '2021-01-06,102',
  '2021-01-07,101.5',
  '2021-01-08,103',
  '2021-01-11,-3',
  '2021-01-12,104',
  '2021/01/13,105',
  '2021-01-14,106',
].join('\n');

/** The tiny experiment on historical 10-day windows of the imported file `file`. */
function importedExperiment(file: string): Experiment {
  const cfg = tinyExperiment(1);
  cfg.name = 'Tiny experiment on imported prices';
  cfg.market = { model: 'historical', data: { source: 'imported', file, symbols: [] }, split: { train: 0.7, validation: 0.15 }, s0: 100, maturityDays: 10, steps: 10, daysPerYear: 252 };
  cfg.claim = { type: 'european', kind: 'call', strike: 100 };
  cfg.paths = { train: 64, test: 16 };
  cfg.strategies = cfg.strategies.filter((s) => s.type !== 'whalley-wilmott');
  return cfg;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hedgelab-csv-'));
  writeFileSync(join(dir, 'synthetic.csv'), syntheticCsv(120));
  writeFileSync(join(dir, 'broken.csv'), BROKEN_CSV);
});

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
});

describe('price data', () => {
  it('imports a CSV, hedges on historical windows of it on WebGPU, and keeps it when a broken file is refused', async () => {
    const page = await lab.open(baseUrl + linkTo(tinyExperiment(1)));
    await waitForBackend(page, 'webgpu');
    expect(await page.textContent('[data-testid=backend-badge]')).toContain('webgpu');

    await page.selectOption('[name="market.model"]', 'historical');
    await page.waitForSelector('[data-testid=data-card]');
    await page.selectOption('[name="market.data.source"]', 'imported');
    expect(await page.textContent('[data-testid=data-card]')).toContain('import a CSV file');
    await page.setInputFiles('[data-testid=csv-input]', join(dir, 'synthetic.csv'));
    await page.waitForSelector('[data-testid=data-symbols] li');
    expect(await page.$$eval('[data-testid=data-symbols] li', (items) => items.map((li) => li.textContent))).toEqual(['synthetic']);
    expect(await page.textContent('[data-testid=data-loaded]')).toContain('120 dates');

    await page.fill('[name="market.maturityDays"]', '10');
    await page.fill('[name="claim.strike"]', '1');
    await page.fill('[name="paths.test"]', '16');
    await page.uncheck('[name="strategies.2.enabled"]');
    expect(await page.inputValue('[name="strategies.3.training.epochs"]')).toBe('1');
    expect(await page.inputValue('[name="strategies.3.training.batchSize"]')).toBe('32');

    // The engine's preview splits the dates: the price chart is shaded and the split listed.
    // (The S&P 500 preview of the default source may still show while the imported file's is computed.)
    await page.waitForFunction(() => document.querySelector('[data-testid=split-summary]')?.textContent?.includes('2021-01-04'), null, { timeout: 60_000 });
    await page.waitForFunction(() => (document.querySelector('[data-testid=chart-fan]') as { data?: { y: unknown[] }[] } | null)?.data?.[0]?.y.length === 11);
    const fan = await waitForTraces(page, 'chart-fan', 5);
    expect(fan.map((t) => t.points)).toEqual([11, 11, 11, 11, 11]);
    await page.waitForFunction(() => (document.querySelector('[data-testid=chart-prices]') as { data?: { name: string }[] } | null)?.data?.[0]?.name === 'synthetic');
    const prices = await waitForTraces(page, 'chart-prices', 2);
    expect(prices.map((t) => [t.name, t.points])).toEqual([['synthetic', 120], ['synthetic 30-day realised vol', 120]]);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${RESULTS_DIR}/data-imported.png`, fullPage: true });

    await run(page);
    const ended = await outcome(page);
    expect(ended === 'done' ? 'done' : `${ended}: ${await page.textContent('[data-testid=run-error]')}`).toBe('done');
    const rows = await metricsRows(page);
    expect(rows.map((r) => r.strategy)).toEqual([expect.stringContaining('No hedge'), expect.stringContaining('Black-Scholes delta'), expect.stringContaining('Deep hedger')]);
    for (const r of rows) for (const cell of r.cells) expect(Number.isFinite(Number(cell))).toBe(true);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${RESULTS_DIR}/data-run.png`, fullPage: true });

    await page.setInputFiles('[data-testid=csv-input]', join(dir, 'broken.csv'));
    const errors = await page.waitForSelector('[data-testid=import-errors]');
    const text = (await errors.textContent()) ?? '';
    expect(text).toContain('broken.csv line 7, column Close');
    expect(text).toContain('not a positive price');
    expect(text).toContain('broken.csv line 9, column Date');
    expect(text).toContain('synthetic.csv” is still loaded');
    expect(await page.$$eval('[data-testid=data-symbols] li', (items) => items.map((li) => li.textContent))).toEqual(['synthetic']);
    expect(await page.textContent('[data-testid=data-loaded]')).toContain('synthetic.csv');
    expect(await page.isEnabled('[data-testid=run-button]')).toBe(true);
    await (await page.$('[data-testid=data-card]'))!.screenshot({ path: `${RESULTS_DIR}/data-import-errors.png` });

    // Two files dropped at once, one asset each, are aligned on the union of their dates.
    await page.evaluate(
      ([a, b]) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([a!], 'AAA.csv', { type: 'text/csv' }));
        transfer.items.add(new File([b!], 'BBB.csv', { type: 'text/csv' }));
        document.querySelector('[data-testid=drop-zone]')!.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      },
      [syntheticCsv(120), syntheticCsv(100)],
    );
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=data-symbols] li').length === 2);
    expect(await page.$$eval('[data-testid=data-symbols] li', (items) => items.map((li) => li.textContent))).toEqual(['AAA', 'BBB']);
    expect(await page.textContent('[data-testid=data-loaded]')).toContain('AAA.csv + BBB.csv: 120 dates');
    expect(await page.isVisible('[data-testid=import-errors]')).toBe(false);
    expect(await page.isEnabled('[data-testid=run-button]')).toBe(true);
    expect(lab.errors).toEqual([]);
    await page.close();
  });

  it('opens a link to an experiment on an imported file: it names the file and Run waits until it is imported', async () => {
    const page = await lab.open(baseUrl + linkTo(importedExperiment('synthetic.csv')));
    await waitForBackend(page, 'webgpu');
    expect(await page.isVisible('[data-testid=link-error]')).toBe(false);
    expect(await page.textContent('[data-testid=expected-file]')).toContain('“synthetic.csv”');
    await page.waitForSelector('[data-testid=run-status][data-waiting=data]');
    expect(await page.textContent('[data-testid=run-status]')).toContain('import it in the Data panel');
    expect(await page.isDisabled('[data-testid=run-button]')).toBe(true);
    await page.screenshot({ path: `${RESULTS_DIR}/data-link-waiting.png` });

    await page.setInputFiles('[data-testid=csv-input]', join(dir, 'synthetic.csv'));
    await page.waitForSelector('[data-testid=run-button]:enabled');
    expect(await page.isVisible('[data-testid=expected-file]')).toBe(false);
    expect(await page.getAttribute('[data-testid=run-status]', 'data-waiting')).toBeNull();
    expect(lab.errors).toEqual([]);
    await page.close();
  });
});
