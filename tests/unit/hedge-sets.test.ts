import { describe, expect, it } from 'vitest';
import { bundledData } from '../../src/cli/price-data';
import type { PricePanel } from '../../src/engine/data/price-panel';
import { MarketDataError, prepareMarket, type PreparedMarket } from '../../src/engine/experiment/market';
import { preset } from '../../src/engine/experiment/presets';
import { parseExperiment, type Experiment, type Market } from '../../src/engine/experiment/schema';
import { chronologicalSplit, historicalWindows } from '../../src/engine/markets/historical-windows';
import { stream } from '../../src/engine/random/stream';

const data = bundledData(['AAPL', 'SPX']);
const aaplCall = (model: 'historical' | 'regime-switching', hedgeSet?: number): Experiment => {
  const cfg = preset(model === 'historical' ? 'paper003-aapl-market' : 'paper003-aapl-regimes');
  cfg.instruments = { ...cfg.instruments, hedgeSet };
  return cfg;
};
const validationOf = (m: PreparedMarket, n = 64) => m.validationSample(n, stream(9, 'market', 'validation'));

describe('hedge sets (paper 003 fig. 3)', () => {
  for (const model of ['historical', 'regime-switching'] as const) {
    it(`${model}: hedge sets of 1 and 2 are tested on the same AAPL windows, chosen on both assets`, async () => {
      const [one, two] = await Promise.all([prepareMarket(aaplCall(model, 1), data), prepareMarket(aaplCall(model, 2), data)]);
      expect(one.summary.assets).toEqual(['AAPL']);
      expect(two.summary.assets).toEqual(['AAPL', 'SPX']);
      expect(one.summary.split).toEqual(two.summary.split);
      const [a, b] = [one.testSample(), two.testSample()];
      expect(a.assets).toHaveLength(1);
      expect(b.assets).toHaveLength(2);
      expect(a.n).toBe(b.n);
      expect(a.assets[0]).toEqual(b.assets[0]);
      expect(a.regime).toEqual(b.regime);
      // Every window of the test dates (no date lacks a price here), each asset re-based to S0 = 100.
      const split = chronologicalSplit(data.dates.length, { train: 0.6, validation: 0.2 });
      const windows = historicalWindows(data, [0, 1], split.test, 30, 100);
      expect(b.n).toBe(windows.count);
      expect(b.assets).toEqual(windows.paths());
      expect(one.summary.split!.test).toEqual([windows.startDates[0], data.dates[split.test[1] - 1]]);
      // Training draws and validation windows are sliced alike.
      expect(one.draw(8, stream(1, 'x')).assets[0]).toEqual(two.draw(8, stream(1, 'x')).assets[0]);
      expect(validationOf(one).assets).toEqual(validationOf(two).assets.slice(0, 1));
      expect(one.premium).toBe(two.premium);
    });
  }

  it('windows are chosen on every asset: a gap in the second asset drops the same test windows for a hedge set of 1', async () => {
    const gapped: PricePanel = { ...data, symbols: ['A', 'B'], close: [data.close[0], Float64Array.from(data.close[1])] };
    const split = chronologicalSplit(data.dates.length, { train: 0.6, validation: 0.2 });
    gapped.close[1][split.test[0] + 40] = NaN;
    const cfg = (hedgeSet: number): Experiment => ({
      ...aaplCall('historical'),
      market: { ...(aaplCall('historical').market as Extract<Market, { model: 'historical' }>), data: { source: 'imported', file: 'ab.csv', symbols: [] } },
      instruments: { options: { grid: 'none' }, hedgeSet },
    });
    const [one, two] = await Promise.all([prepareMarket(cfg(1), gapped), prepareMarket(cfg(2), gapped)]);
    const alone = historicalWindows(gapped, [0], split.test, 30, 100);
    expect(alone.skipped).toBe(0);
    expect(one.testSample().n).toBe(alone.count - 31);
    expect(one.testSample().assets[0]).toEqual(two.testSample().assets[0]);
    await expect(prepareMarket(cfg(3), gapped)).rejects.toThrow(new MarketDataError('instruments.hedgeSet: the imported file "ab.csv" has 2 assets (A, B): a hedge set of 3 is larger'));
  });

  it('correlated GBM: the first k assets of the same paths', async () => {
    const base: Experiment = {
      ...preset('default'),
      market: { model: 'correlated-gbm', s0: 1, drift: 0, volatilities: [0.2, 0.3, 0.4], correlation: [[1, 0.5, 0.2], [0.5, 1, 0.3], [0.2, 0.3, 1]], maturityDays: 10, steps: 10, daysPerYear: 250 },
      strategies: [{ id: 'bs-delta', type: 'bs-delta' }],
    };
    const all = await prepareMarket(base);
    const two = await prepareMarket({ ...base, instruments: { options: { grid: 'none' }, hedgeSet: 2 } });
    expect(two.summary.assets).toEqual(['asset 1', 'asset 2']);
    expect(two.testSample().assets).toEqual(all.testSample().assets.slice(0, 2));
    expect(two.draw(16, stream(4, 'x')).assets).toEqual(all.draw(16, stream(4, 'x')).assets.slice(0, 2));
    expect(two.premium).toBe(all.premium);
  });

  it('the schema refuses a hedge set larger than the assets the config names, naming the field', () => {
    const cfg = aaplCall('historical', 2);
    const r = parseExperiment({ ...cfg, market: { ...cfg.market, data: { source: 'bundled', symbols: ['AAPL'] } } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toEqual(['instruments.hedgeSet: the market has 1 asset: a hedge set of 2 is larger']);
  });
});

describe('validation windows (paper 003 §3.1: train, validation, test in time)', () => {
  const split = chronologicalSplit(data.dates.length, { train: 0.6, validation: 0.2 });

  it('historical: every window of the validation dates, strictly after the training dates and before the test dates', async () => {
    const m = await prepareMarket(aaplCall('historical', 2), data);
    const v = validationOf(m, 16);
    const windows = historicalWindows(data, [0, 1], split.validation, 30, 100);
    expect(v.n).toBe(windows.count);
    expect(m.summary.split!.validationWindows).toBe(windows.count);
    expect(v.assets).toEqual(windows.paths());
    const s = m.summary.split!;
    expect(s.train[1] < windows.startDates[0]).toBe(true);
    expect(data.dates[windows.startIndices.at(-1)! + 30] < s.test[0]).toBe(true);
    expect(s.validation).toEqual([data.dates[split.validation[0]], data.dates[split.validation[1] - 1]]);
    // Implied vols for the implied delta, as the training and test samples carry them.
    expect(v.impliedVolatility).toHaveLength(v.n * 30);
  });

  it('regime-switching: the labelled validation windows with their regimes', async () => {
    const m = await prepareMarket(aaplCall('regime-switching', 2), data);
    const v = validationOf(m);
    expect(v.n).toBe(m.summary.split!.validationWindows);
    expect(v.assets).toEqual(historicalWindows(data, [0, 1], split.validation, 30, 100).paths());
    expect(v.regime).toHaveLength(v.n);
    expect(v.regime!.every((k) => Number.isInteger(k) && k >= 0 && k < m.summary.regimes!.chosen)).toBe(true);
  });

  it('without validation dates, and on simulated markets, the validation sample is drawn from the training distribution', async () => {
    const cfg = aaplCall('historical', 1);
    const m = await prepareMarket({ ...cfg, market: { ...cfg.market, split: { train: 0.8, validation: 0 } } as Market }, data);
    expect(m.summary.split!.validationWindows).toBe(0);
    expect(validationOf(m, 40)).toEqual(m.draw(40, stream(9, 'market', 'validation')));
    const gbm = await prepareMarket(preset('default'));
    expect(validationOf(gbm, 40)).toEqual(gbm.draw(40, stream(9, 'market', 'validation')));
  });
});
