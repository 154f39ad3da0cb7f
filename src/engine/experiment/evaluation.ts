/**
 * Out-of-sample evaluation of a hedger on the fixed test paths: terminal P&L, costs and turnover are read
 * back once (asynchronously) and summarised in float64 (risk/metrics.ts), with the first few paths'
 * positions in the underlying kept for the sample-paths chart.
 */
import * as tf from '@tensorflow/tfjs';
import type { HedgingProblem } from '../hedging/problem';
import { computeMetrics, histogram } from '../risk/metrics';
import type { Histogram, Metrics } from './events';
import { hedgingPnl } from '../hedging/pnl';
import type { Experiment } from './schema';
import type { Hedger } from './strategies';

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
    const metrics = computeMetrics({ pnl, cost, turnover, premium: test.premium, risk: cfg.risk });
    const samplePositions = Array.from({ length: sampleT.shape[0] }, (_, i) =>
      Float32Array.from(sample.subarray(i * test.steps, (i + 1) * test.steps)),
    );
    return { metrics, histogram: histogram(pnl), samplePositions };
  } finally {
    tf.dispose([pnlT, costT, turnoverT, sampleT]);
  }
}
