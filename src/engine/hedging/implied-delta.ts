/**
 * Paper 000's implied delta (eq. 24-26): the Black-Scholes delta N(d1) of the claim at the volatility the
 * market implies for that option, the RL agents' expert (§3.3.1) and a strategy of its own. Zero rate, as
 * everywhere in the lab. The volatility is the problem's implied volatility at each path's strike and
 * remaining maturity (option quotes or the market's stated proxy, experiment/implied-volatility.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { bsDeltaGamma } from '../pricing/black-scholes-tensors';
import { rebalancingSpot, timeToMaturity, type HedgingProblem } from './problem';

/** [n, T] implied delta of the problem's European claim along every path, each at its own strike. */
export function impliedDelta(p: HedgingProblem): tf.Tensor2D {
  if (p.claim.type !== 'european') throw new Error(`no implied delta for a ${p.claim.type} claim`);
  const { kind } = p.claim;
  return tf.tidy(() => {
    const spot = rebalancingSpot(p);
    const tau = tf.broadcastTo(timeToMaturity(p), spot.shape);
    return bsDeltaGamma(spot, p.strike, tau, p.impliedVolatility, 0, kind).delta as tf.Tensor2D;
  });
}
