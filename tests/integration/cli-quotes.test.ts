import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bsPrice } from '../../src/engine/pricing/black-scholes';
import { tinyExperiment } from './tiny-experiment';

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('hedgelab CLI run --quotes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hedgelab-quotes-'));
  // 120 calendar dates of a wave series, and calls on every date from the 80th priced by Black-Scholes at 30%.
  const dates: string[] = [];
  const closes: number[] = [];
  for (let i = 0, price = 50; i < 120; i++) {
    dates.push(new Date(Date.UTC(2019, 0, 1 + i)).toISOString().slice(0, 10));
    closes.push(Number(price.toFixed(3)));
    price *= Math.exp(0.01 * Math.sin(2.3 * i));
  }
  const prices = join(dir, 'wave.csv');
  writeFileSync(prices, ['Date,Close', ...dates.map((d, i) => `${d},${closes[i]}`)].join('\n'));
  const quoteLines = ['Date,Expiry,Strike,Call Price'];
  for (let i = 80; i < 120; i++) {
    const expiry = new Date(Date.UTC(2019, 0, 31 + i)).toISOString().slice(0, 10);
    for (const m of [0.9, 1, 1.1]) quoteLines.push(`${dates[i]},${expiry},${(closes[i] * m).toFixed(2)},${bsPrice({ spot: closes[i], strike: Number((closes[i] * m).toFixed(2)), maturity: 30 / 365, rate: 0, sigma: 0.3, kind: 'call' })}`);
  }
  const quotes = join(dir, 'quotes.csv');
  writeFileSync(quotes, quoteLines.join('\n'));
  const cfg = tinyExperiment();
  cfg.market = { model: 'historical', data: { source: 'sp500' }, split: { train: 0.6, validation: 0.1 }, s0: 1, maturityDays: 5, steps: 5, daysPerYear: 365 };
  cfg.strategies = [
    { id: 'bs-delta', type: 'bs-delta' },
    { id: 'implied-delta', type: 'implied-delta' },
  ];
  const config = join(dir, 'historical.json');
  writeFileSync(config, JSON.stringify(cfg));

  it('hedges with the quotes\' implied delta, the file named in the config; malformed or arbitrage quotes exit 2 naming file, line and column', () => {
    const r = cli('run', '--config', config, '--data', prices, '--quotes', quotes, '--backend', 'cpu');
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.config.market.quotes).toEqual({ file: 'quotes.csv' });
    const [bs, implied] = doc.strategies;
    expect(implied.type).toBe('implied-delta');
    expect(Number.isFinite(implied.metrics.std)).toBe(true);
    // The Black-Scholes delta keeps the training dates' realised vol; the implied delta takes the quotes' 30%.
    expect(implied.metrics.turnover).not.toBeCloseTo(bs.metrics.turnover, 6);

    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, `${quoteLines.slice(0, 2).join('\n')}\n2019-13-01,2019-12-01,50,1\n`);
    const malformed = cli('run', '--config', config, '--data', prices, '--quotes', bad, '--backend', 'cpu');
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/--quotes: bad\.csv line 3, column Date: "2019-13-01" is not a calendar date/);

    const arbitrage = join(dir, 'arbitrage.csv');
    writeFileSync(arbitrage, `${quoteLines.slice(0, 2).join('\n')}\n${dates[100]},2019-12-01,50,${closes[100] + 1}\n`);
    const refused = cli('run', '--config', config, '--data', prices, '--quotes', arbitrage, '--backend', 'cpu');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/arbitrage\.csv line 3, column Call Price: call price [\d.]+ is not below the no-arbitrage upper bound/);
  }, 90_000);
});
