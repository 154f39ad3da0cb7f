import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatCsvErrors } from '../../src/engine/data/csv';
import { parseOptionQuotesCsv, quotedVolatilities, type OptionQuotes } from '../../src/engine/data/option-quotes';
import { sampledProblem, sampleLayout } from '../../src/engine/experiment/hedging-problem';
import { QuotedSurface } from '../../src/engine/experiment/implied-volatility';
import { MarketDataError, prepareMarket } from '../../src/engine/experiment/market';
import { defaultConfig } from '../../src/engine/experiment/presets';
import { chronologicalSplit } from '../../src/engine/markets/historical-windows';
import { parseExperiment, type Experiment } from '../../src/engine/experiment/schema';
import { impliedDelta } from '../../src/engine/hedging/implied-delta';
import { bsGreeks, bsPrice } from '../../src/engine/pricing/black-scholes';
import { stream } from '../../src/engine/random/stream';
import { randomWalkPanel } from '../fixtures/random-walk-panel';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The parse, which must succeed. */
function parsed(text: string): OptionQuotes {
  const r = parseOptionQuotesCsv(text, 'quotes.csv');
  if (!r.ok) throw new Error(formatCsvErrors(r).join('\n'));
  return r.quotes;
}

/** The error lines of a parse that must fail. */
function refused(text: string): string[] {
  const r = parseOptionQuotesCsv(text, 'quotes.csv');
  if (r.ok) throw new Error('the file was accepted');
  return formatCsvErrors(r);
}

describe('option-quote CSV files', () => {
  it('read date, expiry, strike and call price with the column names matched ignoring case, spaces and underscores', () => {
    const q = parsed('DATE,expiry, Strike ,call_price\n2020-01-02,2020-02-21,100,3.5\r\n2020-01-02,2020-02-21,105,1.25\n');
    expect(q.quotes).toEqual([
      { line: 2, date: '2020-01-02', expiry: '2020-02-21', strike: 100, price: 3.5 },
      { line: 3, date: '2020-01-02', expiry: '2020-02-21', strike: 105, price: 1.25 },
    ]);
    expect(q.priceColumn).toBe('call_price');
  });

  it('refuse a missing column, a bad date, a negative price and an expiry before the date, naming the line and column', () => {
    expect(refused('Date,Expiry,Strike\n2020-01-02,2020-02-21,100\n')).toEqual(['quotes.csv line 1, column Call Price: the header has no Call Price column']);
    expect(refused('Date,Expiry,Strike,Call Price\n2020-01-02,2020-02-21,100,3\n02/01/2020,2020-02-21,100,3\n')).toEqual([
      'quotes.csv line 3, column Date: "02/01/2020" is not a date: write dates as yyyy-mm-dd, e.g. 2000-01-03; no other format is accepted (day/month/year and month/day/year are ambiguous)',
    ]);
    expect(refused('Date,Expiry,Strike,Call Price\n2020-01-02,2020-02-21,100,-3\n')).toEqual(['quotes.csv line 2, column Call Price: "-3" is not a positive price']);
    expect(refused('Date,Expiry,Strike,Call Price\n2020-01-02,2019-12-20,100,3\n')).toEqual(['quotes.csv line 2, column Expiry: the expiry 2019-12-20 is not after the quote\'s date 2020-01-02']);
    expect(refused('Date,Expiry,Strike,Price\n2020-01-02,2020-02-21,100,3\n2020-01-02,2020-02-21,100,3.1\n')).toEqual([
      'quotes.csv line 3, column Strike: a quote for strike 100 expiring 2020-02-21 on 2020-01-02 already appears on line 2',
    ]);
  });

  it('refuse a price above the spot (outside the no-arbitrage bounds) as an error of its line, column Call Price', () => {
    const q = parsed('Date,Expiry,Strike,Call Price\n2020-01-02,2020-02-21,100,3\n2020-01-03,2020-02-21,100,120\n');
    const r = quotedVolatilities(q, ['2020-01-02', '2020-01-03'], [101, 102], 'SPX');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(formatCsvErrors(r)).toEqual([
        'quotes.csv line 3, column Call Price: call price 120 is not below the no-arbitrage upper bound S = 102 (the close of SPX on 2020-01-03): no implied volatility',
      ]);
    }
  });

  it('invert Black-Scholes prices back to their sigma, leaving out quotes on dates without a close with a warning', () => {
    const maturity = 50 / 365;
    const price = bsPrice({ spot: 101, strike: 100, maturity, rate: 0, sigma: 0.3, kind: 'call' });
    const q = parsed(`Date,Expiry,Strike,Call Price\n2020-01-02,2020-02-21,100,${price}\n2020-01-04,2020-02-21,100,${price}\n`);
    const r = quotedVolatilities(q, ['2020-01-02', '2020-01-03'], [101, 102], 'SPX');
    if (!r.ok) throw new Error(formatCsvErrors(r).join('\n'));
    expect(r.volatilities).toHaveLength(1);
    expect(r.volatilities[0].sigma).toBeCloseTo(0.3, 10);
    expect(r.volatilities[0].maturity).toBeCloseTo(maturity, 14);
    expect(r.warnings).toEqual(['quotes.csv: 1 quote on dates without a close of SPX (the first on line 3) left out']);
  });

  it('interpolate a date\'s smile linearly in strike and in total variance across expiries, flat beyond the quotes', () => {
    const s = new QuotedSurface([
      { dateIndex: 4, maturity: 0.1, strike: 90, sigma: 0.3 },
      { dateIndex: 4, maturity: 0.1, strike: 110, sigma: 0.2 },
      { dateIndex: 4, maturity: 0.3, strike: 100, sigma: 0.4 },
    ]);
    expect(s.has(4)).toBe(true);
    expect(s.has(5)).toBe(false);
    expect(s.at(4, 95, 0.1)).toBeCloseTo(0.275, 12);
    expect(s.at(4, 80, 0.05)).toBeCloseTo(0.3, 12);
    expect(s.at(4, 100, 0.5)).toBeCloseTo(0.4, 12);
    // Between expiries: w(0.2) = (0.25^2 * 0.1 + 0.4^2 * 0.3) / 2.
    expect(s.at(4, 100, 0.2)).toBeCloseTo(Math.sqrt((0.25 ** 2 * 0.1 + 0.4 ** 2 * 0.3) / 2 / 0.2), 12);
  });
});


describe('a historical market with quotes', () => {
  it('takes the implied delta at the quotes\' implied vol: Black-Scholes prices at sigma give the Black-Scholes delta at sigma', async () => {
    const sigma = 0.25;
    const steps = 6;
    const data = randomWalkPanel(200, 11);
    const split = chronologicalSplit(200, { train: 0.7, validation: 0 });
    // Every test date quotes strikes around its close at two expiries, priced by Black-Scholes at sigma.
    const lines = ['Date,Expiry,Strike,Call Price'];
    for (let t = split.test[0]; t < 200; t++) {
      for (const days of [30, 60]) {
        const expiry = new Date(Date.parse(`${data.dates[t]}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
        for (const m of [0.8, 0.9, 1, 1.1, 1.2]) {
          const strike = Math.round(data.close[0][t] * m * 100) / 100;
          lines.push(`${data.dates[t]},${expiry},${strike},${bsPrice({ spot: data.close[0][t], strike, maturity: days / 365, rate: 0, sigma, kind: 'call' })}`);
        }
      }
    }
    const quotes = parsed(lines.join('\n'));
    const base = defaultConfig();
    const input: Experiment = {
      ...base,
      market: { model: 'historical', data: { source: 'imported', file: 'walk.csv', symbols: [] }, split: { train: 0.7, validation: 0 }, s0: 1, quotes: { file: 'quotes.csv' }, maturityDays: steps, steps, daysPerYear: 365 },
      claim: { type: 'european', kind: 'call', strike: 1, strikes: [0.97, 1.03] },
      paths: { train: 16, test: 16 },
      strategies: [{ id: 'implied-delta', type: 'implied-delta' }],
    };
    const cfg = parseExperiment(input);
    if (!cfg.ok) throw new Error(cfg.errors.join('; '));
    await expect(prepareMarket(cfg.value, data)).rejects.toThrow(MarketDataError);
    const market = await prepareMarket(cfg.value, data, quotes);
    expect(market.summary.impliedVolatility.coverage).toBe(1);
    expect(market.summary.impliedVolatility.source).toBe('option quotes, 100% of test path-dates (the rest: trailing 30-day realised vol)');
    const sample = market.testSample();
    const built = sampledProblem(cfg.value, market, sample, sampleLayout(sample, steps, 2));
    const held = impliedDelta(built.problem);
    const delta = (await held.array()) as number[][];
    const spot = (await built.problem.spot.array()) as number[][];
    for (let i = 0; i < sample.n; i++) {
      for (let t = 0; t < steps; t++) {
        const expected = bsGreeks({ spot: spot[i][t], strike: [0.97, 1.03][i % 2], maturity: (steps - t) / 365, rate: 0, sigma, kind: 'call' }).delta;
        expect(Math.abs(delta[i][t] - expected)).toBeLessThan(2e-4);
      }
    }
    tf.dispose([held, ...built.tensors]);
  });
});

describe('a regime-switching market with quotes', () => {
  it("takes the quotes' vol on quoted test dates and the window's regime vol elsewhere, and its simulated paths carry their regime's vol", async () => {
    const steps = 5;
    const data = randomWalkPanel(400, 11);
    const split = chronologicalSplit(400, { train: 0.7, validation: 0 });
    // Every other test date quotes a flat 30% smile.
    const lines = ['Date,Expiry,Strike,Call Price'];
    for (let t = split.test[0]; t < 400; t += 2) {
      const expiry = new Date(Date.parse(`${data.dates[t]}T00:00:00Z`) + 20 * 86_400_000).toISOString().slice(0, 10);
      for (const m of [0.9, 1.1]) {
        const strike = Math.round(data.close[0][t] * m * 100) / 100;
        lines.push(`${data.dates[t]},${expiry},${strike},${bsPrice({ spot: data.close[0][t], strike, maturity: 20 / 365, rate: 0, sigma: 0.3, kind: 'call' })}`);
      }
    }
    const input: Experiment = {
      ...defaultConfig(),
      market: { model: 'regime-switching', data: { source: 'imported', file: 'walk.csv', symbols: [] }, split: { train: 0.7, validation: 0 }, maxRegimes: 2, s0: 1, quotes: { file: 'q.csv' }, maturityDays: steps, steps, daysPerYear: 365 },
      paths: { train: 16, test: 16 },
      strategies: [{ id: 'implied-delta', type: 'implied-delta' }],
    };
    const cfg = parseExperiment(input);
    if (!cfg.ok) throw new Error(cfg.errors.join('; '));
    const market = await prepareMarket(cfg.value, data, parsed(lines.join('\n')));
    const vols = market.regimeVolatility!;
    const test = market.testSample();
    const iv = test.impliedVolatility!;
    let quoted = 0;
    for (let k = 0; k < iv.length; k++) {
      if (Math.abs(iv[k] - 0.3) < 1e-5) quoted++;
      else expect(iv[k]).toBeCloseTo(vols[test.regime![Math.floor(k / steps)]], 6);
    }
    expect(quoted / iv.length).toBeCloseTo(market.summary.impliedVolatility.coverage!, 12);
    expect(quoted / iv.length).toBeGreaterThan(0.4);
    expect(quoted / iv.length).toBeLessThan(0.6);
    const drawn = market.draw(8, stream(1, 'drawn'));
    for (let k = 0; k < 8 * steps; k++) expect(drawn.impliedVolatility![k]).toBeCloseTo(vols[drawn.regime![Math.floor(k / steps)]], 6);
  });
});
