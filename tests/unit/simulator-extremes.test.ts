/**
 * Every path simulator of src/engine/markets at the corners of the experiment schema's bounds for its market
 * (issue 13 "Hard to break": extreme-parameter tests): s0, drift, volatilities, jump and variance parameters
 * at their ends, one step or 500, one day or ten years at 250 or 365 days a year. At each corner the
 * simulator terminates and either returns prices that are never NaN or negative (a float64 log price beyond
 * float32's range is stored as Inf or 0, which the run refuses with the model, path and step named:
 * src/engine/experiment/market.ts) or throws a SimulationError that says what to change. A few paths each.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { correlatedGbmPaths } from '../../src/engine/markets/correlated-gbm';
import { gbmPaths } from '../../src/engine/markets/gbm';
import { hestonPaths } from '../../src/engine/markets/heston';
import { mertonPaths } from '../../src/engine/markets/merton';
import { fitRegimeModel, regimePaths } from '../../src/engine/markets/regime-switching';
import { SimulationError } from '../../src/engine/markets/simulation-error';
import { stream } from '../../src/engine/random/stream';
import { corners } from './parameter-corners';

/** The schema's horizons: maturityDays 1 or 3650 in 1 or 500 steps, at 250 or 365 days a year. */
const horizons = corners({ maturityDays: [1, 3650], steps: [1, 500], daysPerYear: [250, 365] }).map((h) => ({ steps: h.steps, dt: h.maturityDays / h.daysPerYear / h.steps }));
const PATHS = 3;

/** No NaN and nothing negative; s0 in column 0; the count of prices float32 holds as positive and finite. */
function expectPrices(values: Float32Array, s0: number, steps: number): number {
  expect(values).toHaveLength(PATHS * (steps + 1));
  let carried = 0;
  let bad = 0;
  values.forEach((v, i) => {
    if (!(v >= 0) || (i % (steps + 1) === 0 && v !== Math.fround(s0))) bad++; // !(v >= 0) is true for NaN too
    if (v > 0 && v < Infinity) carried++;
  });
  expect(bad).toBe(0);
  return carried;
}

describe('path simulators at the bounds of the experiment schema', () => {
  it('GBM: every corner of s0, drift, volatility and horizon', () => {
    let allCarried = 0;
    const cases = corners({ s0: [1e-3, 1e6], drift: [-2, 2], volatility: [0.001, 3], horizon: horizons });
    for (const { horizon, ...q } of cases) {
      const p = { ...q, ...horizon };
      if (expectPrices(gbmPaths(p, PATHS, stream(1, 'gbm')), p.s0, p.steps) === PATHS * (p.steps + 1)) allCarried++;
    }
    // Only the ten-year, volatility-3 corners can leave float32's range.
    expect(allCarried).toBeGreaterThanOrEqual(cases.length / 2);
  });

  it('Merton: every corner of the diffusion, the jumps and the horizon', () => {
    const cases = corners({ s0: [1, 1e6], drift: [-2, 2], volatility: [0.001, 3], jumpIntensity: [0, 100], jumpMean: [-1, 1], jumpStd: [0, 1], horizon: horizons });
    for (const { horizon, ...q } of cases) {
      const p = { ...q, ...horizon };
      expectPrices(mertonPaths(p, PATHS, stream(1, 'merton')), p.s0, p.steps);
    }
    // Intensity x step length beyond what the Poisson table is built for is refused, not tabulated forever.
    const tooMany = () => mertonPaths({ s0: 1, drift: 0, volatility: 0.2, jumpIntensity: 1e12, jumpMean: 0, jumpStd: 0.1, steps: 1, dt: 1 }, 1, stream(1, 'merton'));
    expect(tooMany).toThrow(SimulationError);
    expect(tooMany).toThrow(/^merton: lambda dt = 1000000000000 expected jumps a step is outside \[0, 100,000\]: lower the jump intensity or use more steps$/);
  });

  it('Heston: every corner of v0, kappa, theta, xi, rho and the horizon; variance never negative', () => {
    let refused = 0;
    const cases = corners({ drift: [-2, 2], v0: [1e-4, 4], kappa: [0.01, 50], theta: [1e-4, 4], xi: [0.001, 5], rho: [-0.999, 0.999], horizon: horizons });
    for (const { horizon, ...q } of cases) {
      const p = { ...q, ...horizon, s0: 100 };
      let paths;
      try {
        paths = hestonPaths(p, PATHS, stream(1, 'heston'));
      } catch (e) {
        // Andersen's martingale correction needs rho xi dt small enough: the message says to take smaller steps.
        expect(e).toBeInstanceOf(SimulationError);
        expect((e as Error).message).toMatch(/^the QE-M martingale correction does not exist for rho = 0.999, xi = 5 at dt = .*: use smaller steps$/);
        refused++;
        continue;
      }
      expectPrices(paths.spot, 100, p.steps);
      expect(paths.variance.every((v) => v >= 0 && v < Infinity)).toBe(true);
    }
    expect(refused).toBeGreaterThan(0);
    expect(refused).toBeLessThan(cases.length / 4);
  });

  it('correlated GBM: two and eight assets at the volatility bounds, independent and nearly perfectly correlated', () => {
    for (const d of [2, 8]) {
      for (const rho of [0, 0.999 / (d - 1), -0.999 / (d - 1)]) {
        const correlation = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : rho)));
        for (const volatility of [0.001, 3]) {
          for (const horizon of horizons) {
            const p = { s0: Array(d).fill(100), drift: Array(d).fill(2), volatilities: Array(d).fill(volatility), correlation, ...horizon };
            const assets = correlatedGbmPaths(p, PATHS, stream(1, 'correlated'));
            expect(assets).toHaveLength(d);
            for (const a of assets) expectPrices(a, 100, p.steps);
          }
        }
      }
    }
  });

  it('regime-switching: paths from regimes fitted on the S&P 500 at one day and ten years, s0 from 1e-3 to 1e6', () => {
    const lines = readFileSync('node_modules/vega-datasets/data/sp500-2000.csv', 'utf8').trim().split('\n');
    const column = lines[0].split(',').indexOf('adjclose');
    const close = [Float64Array.from(lines.slice(1), (line) => Number(line.split(',')[column]))];
    const model = fitRegimeModel(close, [0, Math.floor(0.7 * close[0].length)], { maxRegimes: 3, periodsPerYear: 252, seed: 1 });
    for (const steps of [1, 3650]) {
      for (const s0 of [1e-3, 1e6]) {
        const { assets, regime } = regimePaths(model, PATHS, steps, 1 / 252, s0, stream(1, 'regimes'));
        expect(Array.from(regime).every((k) => k >= 0 && k < model.regimes)).toBe(true);
        expect(expectPrices(assets[0], s0, steps)).toBe(PATHS * (steps + 1));
      }
    }
  });
});
