/**
 * Option quotes in the browser on WebGPU (SwiftShader): a share link of a historical-windows experiment
 * that names its price file and its quotes file holds Run until both are imported; the implied delta then
 * hedges to the end beside the Black-Scholes delta; a broken quotes file is refused with every error named
 * by file, line and column while the quotes loaded before stay in use.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Experiment } from '../../src/engine/experiment/schema';
import { bsPrice } from '../../src/engine/pricing/black-scholes';
import { labForFile, RESULTS_DIR } from './chromium';
import { linkTo, metricsRows, outcome, run, tinyExperiment, waitForBackend } from './lab-page';

const baseUrl = inject('baseUrl');
const lab = labForFile();
let dir: string;

/** `days` consecutive dates from 2021-01-04 of a wavy series, and calls on each of them priced at 25% vol. */
function files(days: number): { prices: string; quotes: string } {
  const prices = ['Date,Close'];
  const quotes = ['Date,Expiry,Strike,Call Price'];
  let price = 100;
  for (let i = 0; i < days; i++) {
    const date = new Date(Date.UTC(2021, 0, 4 + i)).toISOString().slice(0, 10);
    const expiry = new Date(Date.UTC(2021, 0, 34 + i)).toISOString().slice(0, 10);
    const close = Number(price.toFixed(4));
    prices.push(`${date},${close}`);
    for (const m of [0.9, 1, 1.1]) {
      const strike = Number((close * m).toFixed(2));
      quotes.push(`${date},${expiry},${strike},${bsPrice({ spot: close, strike, maturity: 30 / 365, rate: 0, sigma: 0.25, kind: 'call' })}`);
    }
    price *= Math.exp(0.012 * Math.sin(1.7 * i));
  }
  return { prices: `${prices.join('\n')}\n`, quotes: `${quotes.join('\n')}\n` };
}

/** Line 3 has no price and line 4 a date in the wrong format. */
const BROKEN_QUOTES = ['Date,Expiry,Strike,Call Price', '2021-01-04,2021-02-03,100,3', '2021-01-05,2021-02-04,100,', '01/06/2021,2021-02-05,90,9'].join('\n');

function quotedExperiment(): Experiment {
  const cfg = tinyExperiment(1);
  cfg.name = 'Implied delta from option quotes';
  cfg.market = {
    model: 'historical',
    data: { source: 'imported', file: 'wave.csv', symbols: [] },
    split: { train: 0.6, validation: 0.1 },
    s0: 100,
    quotes: { file: 'calls.csv' },
    maturityDays: 8,
    steps: 8,
    daysPerYear: 365,
  };
  cfg.claim = { type: 'european', kind: 'call', strike: 100, strikes: [97, 103] };
  cfg.costs.proportional = 0;
  cfg.paths = { train: 32, test: 16 };
  cfg.strategies = [
    { id: 'bs-delta', type: 'bs-delta' },
    { id: 'implied-delta', type: 'implied-delta' },
  ];
  return cfg;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hedgelab-quotes-'));
  const { prices, quotes } = files(100);
  writeFileSync(join(dir, 'wave.csv'), prices);
  writeFileSync(join(dir, 'calls.csv'), quotes);
  writeFileSync(join(dir, 'broken.csv'), BROKEN_QUOTES);
});

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
});

describe('option quotes', () => {
  it('are asked for by a link, hedge with the implied delta once imported, and stay when a broken file is refused', async () => {
    const page = await lab.open(baseUrl + linkTo(quotedExperiment()));
    await waitForBackend(page, 'webgpu');
    await page.waitForSelector('[data-testid=expected-quotes]');
    expect(await page.textContent('[data-testid=expected-quotes]')).toContain('calls.csv');
    await page.setInputFiles('[data-testid=csv-input]', join(dir, 'wave.csv'));
    await page.waitForSelector('[data-testid=data-symbols] li');
    expect(await page.isEnabled('[data-testid=run-button]')).toBe(false);
    await page.setInputFiles('[data-testid=quotes-input]', join(dir, 'calls.csv'));
    await page.waitForSelector('[data-testid=quotes-loaded]');
    expect(await page.textContent('[data-testid=quotes-loaded]')).toContain('300 quotes on 100 dates, 2021-01-04 → 2021-04-13 (in use)');
    expect(await page.isVisible('[data-testid=expected-quotes]')).toBe(false);

    await run(page);
    const ended = await outcome(page);
    expect(ended === 'done' ? 'done' : `${ended}: ${await page.textContent('[data-testid=run-error]')}`).toBe('done');
    const rows = await metricsRows(page);
    expect(rows.map((r) => r.strategy)).toEqual([expect.stringContaining('Black-Scholes delta'), expect.stringContaining('Implied delta')]);
    for (const r of rows) for (const cell of r.cells) expect(Number.isFinite(Number(cell))).toBe(true);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${RESULTS_DIR}/quotes-run.png`, fullPage: true });

    await page.setInputFiles('[data-testid=quotes-input]', join(dir, 'broken.csv'));
    const errors = await page.waitForSelector('[data-testid=quote-errors]');
    const text = (await errors.textContent()) ?? '';
    expect(text).toContain('broken.csv line 3, column Call Price: the price is missing');
    expect(text).toContain('broken.csv line 4, column Date');
    expect(text).toContain('calls.csv” is still loaded');
    expect(await page.textContent('[data-testid=quotes-loaded]')).toContain('calls.csv');
    expect(await page.isEnabled('[data-testid=run-button]')).toBe(true);
    await (await page.$('[data-testid=data-card]'))!.screenshot({ path: `${RESULTS_DIR}/quotes-errors.png` });
    expect(lab.errors).toEqual([]);
    await page.close();
  });
});
