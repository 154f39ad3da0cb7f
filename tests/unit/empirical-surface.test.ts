/**
 * Paper 003 fig. 4's empirical holding surface (experiment/empirical-surface.ts) on paths laid out by hand:
 * each cell averages the holdings of the (path, date) pairs whose log(S_t / K) falls on its grid point, rows
 * ordered by ascending time to maturity, pairs beyond the grid left out, NaN where no pair falls; the
 * reference is the Black-Scholes delta for the claim's underlying only.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { cellMeans, empiricalSurfaces } from '../../src/engine/experiment/empirical-surface';
import { surfaceGrid } from '../../src/engine/experiment/holding-surface';
import type { PreparedMarket } from '../../src/engine/experiment/market';
import { defaultConfig } from '../../src/engine/experiment/presets';
import type { HedgingProblem } from '../../src/engine/hedging/problem';
import { bsGreeks } from '../../src/engine/pricing/black-scholes';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('cellMeans', () => {
  it('averages the items of each cell, skips items in no cell and leaves empty cells NaN', () => {
    const { mean, count } = cellMeans(3, 5, (k) => [0, 2, 0, -1, 2][k], (k) => [1, 2, 3, 100, 6][k]);
    expect(Array.from(count)).toEqual([2, 0, 2]);
    expect(mean[0]).toBe(2);
    expect(mean[1]).toBeNaN();
    expect(mean[2]).toBe(4);
  });
});

describe('empiricalSurfaces', () => {
  it('bins the holdings of every asset by log-moneyness and date, with the delta as the underlying reference', async () => {
    const cfg = defaultConfig();
    cfg.market = { model: 'gbm', s0: 1, drift: 0, volatility: 0.2, maturityDays: 2, steps: 2, daysPerYear: 250 };
    const market = { volatility: 0.2 } as PreparedMarket;
    const grid = surfaceGrid(cfg, 0.2).logMoneyness;
    const dt = 1 / 250;
    // Three paths, two dates; log(S_t / K) date-major: t = 0 at grid points 20, 20, 25; t = 1 at 0, 40 and far out.
    const money = [grid[20], grid[20], grid[25], grid[0], grid[40], 1];
    const features = tf.tensor3d(money.flatMap((m) => [m, 0]), [2, 3, 2]);
    // Holdings [n, T, A]: asset 0 holds 10 i + t on path i at date t, asset 1 the opposite.
    const holdings = tf.tensor3d(Array.from({ length: 3 * 2 }, (_, k) => [10 * Math.floor(k / 2) + (k % 2), -(10 * Math.floor(k / 2) + (k % 2))]).flat(), [3, 2, 2]);
    const p = { features, featureNames: ['log_moneyness', 'expiry_time'], dt, steps: 2 } as unknown as HedgingProblem;
    const [first, second] = await empiricalSurfaces(cfg, market, p, 'rnn', holdings, ['A', 'B']);
    expect(first.instrument).toBe('A');
    expect(second.instrument).toBe('B');
    expect(Array.from(first.timeToMaturity)).toEqual([dt, 2 * dt]);
    const cols = grid.length;
    const at = (row: number, j: number) => row * cols + j;
    // Row 0 is date 1 (T - t = dt): path 0 at point 0 (holds 1), path 1 at point 40 (holds 11), path 2 left out.
    // Row 1 is date 0: paths 0 and 1 at point 20 (0 and 10), path 2 at point 25 (20).
    const expected = new Map([[at(0, 0), [1, 1]], [at(0, 40), [11, 1]], [at(1, 20), [5, 2]], [at(1, 25), [20, 1]]]);
    for (let c = 0; c < 2 * cols; c++) {
      const cell = expected.get(c);
      expect(first.count![c]).toBe(cell ? cell[1] : 0);
      if (cell) {
        expect(first.hedge[c]).toBe(cell[0]);
        expect(second.hedge[c]).toBe(-cell[0]);
      } else {
        expect(first.hedge[c]).toBeNaN();
      }
    }
    expect(second.reference).toBeNull();
    const delta = bsGreeks({ spot: Math.exp(grid[25]), strike: 1, maturity: 2 * dt, rate: 0, sigma: 0.2, kind: 'call' }).delta;
    expect(first.reference![at(1, 25)]).toBeCloseTo(delta, 5);
    tf.dispose([features, holdings]);
  });
});
