/**
 * Whalley-Wilmott asymptotic no-transaction band (Whalley & Wilmott 1997; pfhedge's WhalleyWilmott):
 * hold the previous position clamped into delta +- w with half-width
 *   w = (3 c S Gamma^2 / (2 a))^(1/3),
 * c the proportional cost rate and a the hedger's risk aversion.
 */
import * as tf from '@tensorflow/tfjs';
import { deltaAndGamma } from './black-scholes-delta';
import { clampIntoBand } from './no-transaction-band';
import { rebalancingSpot, type HedgingProblem } from './problem';

export function whalleyWilmottWidth(spot: tf.Tensor, gamma: tf.Tensor, costRate: number, riskAversion: number): tf.Tensor {
  return tf.tidy(() => tf.pow(tf.mul(tf.mul(spot, tf.square(gamma)), (3 * costRate) / (2 * riskAversion)), 1 / 3));
}

export function whalleyWilmottPositions(p: HedgingProblem, costRate: number, riskAversion: number): tf.Tensor2D {
  return tf.tidy(() => {
    const { delta, gamma } = deltaAndGamma(p);
    const width = whalleyWilmottWidth(rebalancingSpot(p), gamma, costRate, riskAversion);
    return clampIntoBand(tf.sub(delta, width) as tf.Tensor2D, tf.add(delta, width) as tf.Tensor2D);
  });
}
