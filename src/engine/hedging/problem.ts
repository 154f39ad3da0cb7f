/**
 * The hedging problem as the strategies see it: simulated spot paths on the device plus the contract and
 * market constants needed by features and classic hedges. Time step t = 0..T-1 has time to maturity
 * (T - t) dt (pfhedge's expiry_time).
 */
import * as tf from '@tensorflow/tfjs';
import type { OptionKind } from '../pricing/black-scholes';

export interface HedgingProblem {
  /** [n, T + 1] spot paths. */
  spot: tf.Tensor2D;
  strike: number;
  kind: OptionKind;
  /** Volatility of the model (the `volatility` feature, and the classic hedges' sigma). */
  sigma: number;
  /** Interval length in years. */
  dt: number;
  /** Number of rebalancing intervals T. */
  steps: number;
}

/** [1, T] times to maturity (T - t) dt at the rebalancing dates t = 0..T-1. */
export function timeToMaturity(p: HedgingProblem): tf.Tensor2D {
  return tf.tidy(() => tf.mul(tf.sub(p.steps, tf.range(0, p.steps)), p.dt).reshape([1, p.steps]) as tf.Tensor2D);
}

/** [n, T] spot at the rebalancing dates. */
export function rebalancingSpot(p: HedgingProblem): tf.Tensor2D {
  const [n] = p.spot.shape;
  return p.spot.slice([0, 0], [n, p.steps]);
}
