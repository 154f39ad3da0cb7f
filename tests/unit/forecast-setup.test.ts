/**
 * The forecaster's data (forecast/forecast-setup.ts): a split by dates puts each return in the part its end
 * date falls in (paper 000's "training to 2017-12-31, test from 2019-01-01" on the bundled S&P 500), a split by
 * shares cuts the returns, the scale is each asset's training std, and a part too short is refused by name.
 */
import { describe, expect, it } from 'vitest';
import { bundledSp500 } from '../../src/cli/price-data';
import { PRESETS } from '../../src/engine/experiment/presets';
import type { ForecasterMarket } from '../../src/engine/experiment/schema';
import { forecastSetup } from '../../src/engine/forecast/forecast-setup';
import { sampleVariance } from '../../src/engine/forecast/sample-moments';

const market = PRESETS['paper000-forecast-sp500'].config.market as ForecasterMarket;

describe('the forecaster setup', () => {
  it('splits the S&P 500 returns by the end date of each return', () => {
    const panel = bundledSp500();
    const setup = forecastSetup(market, panel);
    const { trainEnd, validationEnd } = setup.split;
    // r_t runs from dates[t] to dates[t + 1]: the last training return ends in 2017, the first test one in 2019.
    expect(panel.dates[trainEnd]! <= '2017-12-31' && panel.dates[trainEnd + 1]! > '2017-12-31').toBe(true);
    expect(panel.dates[validationEnd]! <= '2018-12-31' && panel.dates[validationEnd + 1]! >= '2019-01-01').toBe(true);
    expect(setup.ranges.test[0] >= '2019-01-01' && setup.ranges.train[1] <= '2017-12-31').toBe(true);
    expect(setup.ranges.test[1]).toBe(panel.dates.at(-1));
    expect(setup.returns.returns[0]![validationEnd]).toBeCloseTo(Math.log(panel.close[0]![validationEnd + 1]! / panel.close[0]![validationEnd]!), 12);
    expect(setup.scale[0]).toBeCloseTo(Math.sqrt(sampleVariance(setup.returns.returns[0]!.subarray(0, trainEnd))), 12);
    expect(setup.marketValue).toEqual([1]);
    // The preset reads the close alone; eq. 2's four channels where asked (the bundled file has daily bars).
    expect(setup.returns.channels[0]).toEqual([setup.returns.returns[0]]);
    const ohlc = forecastSetup({ ...market, inputs: 'ohlc' }, panel).returns.channels[0]!;
    expect(ohlc).toHaveLength(4);
    expect(ohlc[3]).toEqual(setup.returns.returns[0]);
  });

  it('cuts the returns by shares, and refuses a part too short for the context', () => {
    const panel = { dates: Array.from({ length: 101 }, (_, t) => `2001-01-${String(t).padStart(3, '0')}`), symbols: ['A'], close: [Float64Array.from({ length: 101 }, (_, t) => 100 * Math.exp(0.01 * Math.sin(t)))] };
    const shares = { ...market, split: { train: 0.6, validation: 0.2 }, forecaster: { ...market.forecaster, context: 10, horizon: 5 } };
    expect(forecastSetup(shares, panel).split).toEqual({ trainEnd: 60, validationEnd: 80 });
    expect(() => forecastSetup({ ...shares, split: { train: 0.1, validation: 0.2 } }, panel)).toThrow(/^market.split: the training part of the data holds 10 returns .* it needs at least 15/);
  });
});

describe("the forecaster's market values (eq. 7)", () => {
  const dates = Array.from({ length: 41 }, (_, t) => `2001-01-${String(t).padStart(3, '0')}`);
  const close = [Float64Array.from(dates, (_, t) => 10 + 0.1 * Math.cos(t)), Float64Array.from(dates, (_, t) => 20 + 0.1 * Math.sin(t))];
  const split = { ...market, split: { train: 0.5, validation: 0.25 }, forecaster: { ...market.forecaster, context: 4, horizon: 2 } };

  it("are each asset's share of mean price x volume over the training dates, where the data have volume", () => {
    // Asset 2 trades half the shares at twice the price: equal values, until a late (test-date) surge in its volume that no share may see.
    const volume = [Float64Array.from(dates, () => 1000), Float64Array.from(dates, (_, t) => (t > 30 ? 1e9 : 500))];
    const setup = forecastSetup(split, { dates, symbols: ['A', 'B'], close, volume });
    expect(setup.marketValue[0]).toBeCloseTo(0.5, 2);
    expect(setup.marketValue[0]! + setup.marketValue[1]!).toBeCloseTo(1, 12);
    expect(setup.marketValueSource).toMatch(/share of mean price x volume over the training dates/);
  });

  it('are equal where some asset has no volume, and say why', () => {
    expect(forecastSetup(split, { dates, symbols: ['A', 'B'], close })).toMatchObject({ marketValue: [1, 1], marketValueSource: 'equal weights (the price data carry no volume)' });
    const volume = [Float64Array.from(dates, () => 1000), Float64Array.from(dates, () => NaN)];
    expect(forecastSetup(split, { dates, symbols: ['A', 'B'], close, volume }).marketValueSource).toBe('equal weights (some asset has no volume on the training dates)');
  });

  it('come from the bundled S&P 500 file with its volume', () => {
    const panel = bundledSp500();
    expect(panel.volume?.[0]![0]).toBe(931_800_000);
    expect(forecastSetup(market, panel).marketValue).toEqual([1]);
  });
});
