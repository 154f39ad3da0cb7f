/**
 * Empirical holding surface of a sequence hedger (paper 003 fig. 4): its holding at a date depends on the
 * path's history, not on (S_t / K, T - t) alone, so the surface is the mean holding in each asset of the hedge
 * set over the test (path, date) pairs that fall in each cell: log(S_t / K) of the claim's underlying (the
 * problem's log_moneyness) binned around the points of holding-surface.ts's grid (pairs beyond its outer
 * half-bins are left out), T - t at the rebalancing dates' own times to maturity, `count` pairs per cell, NaN
 * in an empty one. The reference is the classic delta on the same grid (holding-surface.ts classicReference)
 * for the claim's underlying; the other assets of the hedge set have none. `cellMeans` is the averaging it
 * shares with paper 000's PV_T map (families/rl.ts terminalValueMap).
 */
import * as tf from '@tensorflow/tfjs';
import type { HedgingProblem } from '../hedging/problem';
import type { RunEvent } from './events';
import { classicReference, moneynessLabel, referenceVolatility, surfaceGrid } from './holding-surface';
import type { PreparedMarket } from './market';
import type { Experiment } from './schema';

type SurfaceEvent = Extract<RunEvent, { type: 'surface' }>;

/** Mean of value(k) over the items k = 0..items-1 of each of `cells` cells, item k in cell cellOf(k) (negative: in none); NaN where empty. */
export function cellMeans(cells: number, items: number, cellOf: (k: number) => number, value: (k: number) => number): { mean: Float64Array; count: Int32Array } {
  const sums = new Float64Array(cells);
  const count = new Int32Array(cells);
  for (let k = 0; k < items; k++) {
    const c = cellOf(k);
    if (c < 0) continue;
    sums[c] += value(k);
    count[c]++;
  }
  return { mean: Float64Array.from(sums, (v, c) => (count[c] > 0 ? v / count[c] : NaN)), count };
}

/**
 * One surface per asset of `holdings` [n, T, A] on the problem's paths, asset a labelled `labels[a]` (named in
 * the event when A > 1). Rows are ascending times to maturity (row i is date T - 1 - i).
 */
export async function empiricalSurfaces(cfg: Experiment, market: PreparedMarket, p: HedgingProblem, strategyId: string, holdings: tf.Tensor3D, labels: string[]): Promise<SurfaceEvent[]> {
  const sigma = referenceVolatility(cfg, market);
  const { logMoneyness } = surfaceGrid(cfg, sigma);
  const [n, steps, assets] = holdings.shape;
  const cols = logMoneyness.length;
  const timeToMaturity = Float64Array.from({ length: steps }, (_, i) => (i + 1) * p.dt);
  const column = p.featureNames.indexOf('log_moneyness');
  const [moneyT, referenceT] = tf.tidy(() => {
    const money = p.features.slice([0, 0, column], [steps, n, 1]).reshape([steps, n]);
    const m = tf.broadcastTo(tf.tensor2d(Float32Array.from(logMoneyness), [1, cols]), [steps, cols]).reshape([-1]);
    const tau = tf.broadcastTo(tf.tensor2d(Float32Array.from(timeToMaturity), [steps, 1]), [steps, cols]).reshape([-1]);
    const { reference } = classicReference(cfg, sigma, m, tau);
    return reference ? [money, reference] : [money];
  });
  try {
    const [money, held, reference] = await Promise.all([moneyT.data(), holdings.data(), referenceT ? referenceT.data() : Promise.resolve(null)]);
    const lo = logMoneyness[0];
    const width = (logMoneyness[cols - 1] - lo) / (cols - 1);
    // Item k = t n + i: date t, path i (money is date-major [T, n]).
    const cellOf = (k: number) => {
      const j = Math.round((money[k] - lo) / width);
      return j < 0 || j >= cols ? -1 : (steps - 1 - Math.floor(k / n)) * cols + j;
    };
    return labels.map((label, a) => {
      const { mean, count } = cellMeans(steps * cols, steps * n, cellOf, (k) => held[((k % n) * steps + Math.floor(k / n)) * assets + a]);
      return {
        type: 'surface',
        strategyId,
        // Each event owns its grids: the worker transfers them (workers/lab.worker.ts), which detaches a shared buffer.
        logMoneyness: Float64Array.from(logMoneyness),
        timeToMaturity: Float64Array.from(timeToMaturity),
        hedge: Float32Array.from(mean),
        reference: reference && a === 0 ? Float32Array.from(reference) : null,
        moneynessLabel: moneynessLabel(cfg),
        ...(assets > 1 ? { instrument: label } : {}),
        count,
      };
    });
  } finally {
    tf.dispose(referenceT ? [moneyT, referenceT] : [moneyT]);
  }
}
