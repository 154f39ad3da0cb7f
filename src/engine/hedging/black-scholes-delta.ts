/**
 * Black-Scholes delta hedging: hold N(d1) (call) or N(d1) - 1 (put) at every rebalancing date, with the
 * model volatility and zero rate (the market of the foundation). Batched over paths and time.
 */
import * as tf from '@tensorflow/tfjs';
import { bsDeltaGamma } from '../pricing/black-scholes';
import { rebalancingSpot, timeToMaturity, type HedgingProblem } from './problem';

/** [n, T] delta and gamma along every path. */
export function deltaAndGamma(p: HedgingProblem): { delta: tf.Tensor2D; gamma: tf.Tensor2D } {
  return tf.tidy(() => {
    const spot = rebalancingSpot(p);
    const tau = tf.broadcastTo(timeToMaturity(p), spot.shape);
    const { delta, gamma } = bsDeltaGamma(spot, p.strike, tau, p.sigma, 0, p.kind);
    return { delta: delta as tf.Tensor2D, gamma: gamma as tf.Tensor2D };
  });
}

export function blackScholesDeltaPositions(p: HedgingProblem): tf.Tensor2D {
  return tf.tidy(() => deltaAndGamma(p).delta);
}
