/**
 * Black-Scholes delta hedging in the underlying at every rebalancing date, zero rate, with the problem's
 * volatility at that date (the model's sigma; under Heston sqrt(v_t), the "instantaneous-vol" delta):
 * European calls N(d1), puts N(d1) - 1, each path at its own strike (HedgingProblem.strike); lookback calls the Black-Scholes lookback delta (pricing/lookback.ts),
 * as pfhedge's BSLookbackOption. Batched over paths and time.
 */
import * as tf from '@tensorflow/tfjs';
import { runningMaximum } from '../claims/lookback';
import { bsDeltaGamma } from '../pricing/black-scholes-tensors';
import { bsLookbackDelta } from '../pricing/lookback';
import { rebalancingSpot, timeToMaturity, type HedgingProblem } from './problem';

/** [n, T] delta and gamma of a European claim along every path. */
export function deltaAndGamma(p: HedgingProblem): { delta: tf.Tensor2D; gamma: tf.Tensor2D } {
  if (p.claim.type !== 'european') throw new Error(`no Black-Scholes gamma for a ${p.claim.type} claim`);
  const { kind } = p.claim;
  return tf.tidy(() => {
    const spot = rebalancingSpot(p);
    const tau = tf.broadcastTo(timeToMaturity(p), spot.shape);
    const { delta, gamma } = bsDeltaGamma(spot, p.strike, tau, p.volatility, 0, kind);
    return { delta: delta as tf.Tensor2D, gamma: gamma as tf.Tensor2D };
  });
}

/** [n, T] Black-Scholes delta of the claim (European or lookback) along every path. */
export function blackScholesDelta(p: HedgingProblem): tf.Tensor2D {
  const claim = p.claim;
  if (claim.type === 'european') return tf.tidy(() => deltaAndGamma(p).delta);
  if (claim.type === 'lookback') {
    return tf.tidy(() => {
      const [n] = p.spot.shape;
      const spot = rebalancingSpot(p);
      const runningMax = runningMaximum(p.spot).slice([0, 0], [n, p.steps]);
      const tau = tf.broadcastTo(timeToMaturity(p), spot.shape);
      return bsLookbackDelta(spot, runningMax, claim.strike, tau, p.volatility) as tf.Tensor2D;
    });
  }
  throw new Error(`no Black-Scholes delta for a ${claim.type} claim`);
}
