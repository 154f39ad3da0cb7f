/**
 * Quadratic hedging criterion E[X^2] of the terminal P&L X, and paper 000's average reward
 * avg_r = (1/n) sum_i -PV_{T,i}^2 (its eq. 40, the utility U(PV) = -PV^2 of its sparse terminal reward).
 * Unlike the other measures in this folder it is not cash invariant: it penalises gains as much as losses.
 */
import * as tf from '@tensorflow/tfjs';

/** Differentiable mean squared P&L, mean(X^2). */
export function quadraticLoss(pnl: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.square(pnl)));
}

/** mean(X^2) in float64. */
export function quadraticRisk(x: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i] * x[i];
  return sum / x.length;
}

/** Paper 000 eq. 40: avg_r = mean(-X^2). */
export function avgR(x: ArrayLike<number>): number {
  return -quadraticRisk(x);
}
