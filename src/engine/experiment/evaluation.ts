/**
 * Out-of-sample evaluation of a hedger on the fixed test paths: terminal P&L, costs and turnover are read
 * back once (asynchronously) and summarised in float64 (risk/metrics.ts), with the first few paths'
 * positions in the underlying kept for the sample-paths chart. A P&L, cost, turnover or metric that is not a
 * finite number stops the run with a NonFiniteResultError naming the strategy, the quantity, how many test
 * paths and the cause (the positions, or prices whose products overflow float32), never a null in a table.
 */
import * as tf from '@tensorflow/tfjs';
import type { HedgingProblem } from '../hedging/problem';
import { computeMetrics, histogram } from '../risk/metrics';
import type { Histogram, Metrics } from './events';
import { hedgingPnl } from '../hedging/pnl';
import { marketOrigin } from './market';
import type { Experiment } from './schema';
import type { Hedger } from './strategies';

/** A hedger's test outcome or metric is not a finite number (issue 13): the run stops with this message. */
export class NonFiniteResultError extends Error {}

/**
 * Where `value` (plain data: objects, arrays, typed arrays, numbers) first holds a number that is not finite,
 * which JSON would write as null, as a path such as `strategies.1.metrics.mean = NaN`; null when there is none.
 */
export function nonFiniteField(value: unknown, path: string): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : `${path} = ${value}`;
  if (value === null || typeof value !== 'object') return null;
  const entries: [string, unknown][] = ArrayBuffer.isView(value) ? Array.from(value as unknown as ArrayLike<number>, (v, i) => [String(i), v]) : Object.entries(value);
  for (const [key, v] of entries) {
    const found = nonFiniteField(v, `${path}.${key}`);
    if (found) return found;
  }
  return null;
}

export const SAMPLE_PATHS = 4;

export interface Evaluation {
  metrics: Metrics;
  histogram: Histogram;
  /** Positions of the first SAMPLE_PATHS test paths, steps values each. */
  samplePositions: Float32Array[];
}

export async function evaluateHedger(cfg: Experiment, test: HedgingProblem, hedger: Hedger): Promise<Evaluation> {
  const [pnlT, costT, turnoverT, sampleT] = tf.tidy(() => {
    const positions = hedger.positions(test);
    const { pnl, cost, turnover } = hedgingPnl(test, positions);
    const k = Math.min(SAMPLE_PATHS, positions[0].shape[0]);
    return [pnl, cost, turnover, positions[0].slice([0, 0], [k, test.steps])];
  });
  try {
    const [pnl, cost, turnover, sample] = await Promise.all([pnlT.data(), costT.data(), turnoverT.data(), sampleT.data()]);
    for (const [what, values] of [['P&L', pnl], ['cost', cost], ['turnover', turnover]] as const) {
      const first = values.findIndex((v) => !Number.isFinite(v));
      if (first < 0) continue;
      let count = 0;
      for (let i = first; i < values.length; i++) if (!Number.isFinite(values[i])) count++;
      const cause = await nonFiniteCause(test, hedger);
      throw new NonFiniteResultError(
        `${hedger.info.label}: the ${what} is ${values[first]} on ${count} of ${values.length} test paths of ${marketOrigin(cfg.market)} (first: path ${first + 1}): ${cause}`,
      );
    }
    const metrics = computeMetrics({ pnl, cost, turnover, premium: test.premium, risk: cfg.risk });
    for (const [key, value] of Object.entries(metrics)) {
      if (!Number.isFinite(value)) throw new NonFiniteResultError(`${hedger.info.label}: the metric ${key} is ${value} on a finite P&L of ${pnl.length} test paths`);
    }
    const samplePositions = Array.from({ length: sampleT.shape[0] }, (_, i) =>
      Float32Array.from(sample.subarray(i * test.steps, (i + 1) * test.steps)),
    );
    return { metrics, histogram: histogram(pnl), samplePositions };
  } finally {
    tf.dispose([pnlT, costT, turnoverT, sampleT]);
  }
}

/** Why a hedger's test outcomes are not finite: its positions, or prices too large for float32 arithmetic. */
async function nonFiniteCause(test: HedgingProblem, hedger: Hedger): Promise<string> {
  const positions = tf.tidy(() => hedger.positions(test));
  const top = tf.tidy(() => test.spot.max());
  try {
    for (const p of positions) {
      const values = await p.data();
      const at = values.findIndex((v) => !Number.isFinite(v));
      if (at >= 0) {
        const fix = hedger.trained ? 'the network diverged: lower the learning rate' : 'its hedge ratio is undefined on these prices';
        return `its positions are not finite (${values[at]} on path ${Math.floor(at / test.steps) + 1}, step ${(at % test.steps) + 1}): ${fix}`;
      }
    }
    const [price] = await top.data();
    return `the prices reach ${price.toPrecision(3)}, and the P&L's sums of position x price overflow float32: lower S0 (every price scales with it), the volatility or the horizon`;
  } finally {
    tf.dispose([...positions, top]);
  }
}
