/**
 * Paper 002 eq. 3: gamma Var(Gamma_T - psi) + E[C_T], the variance of the hedging error (gains minus the
 * claim's payoff, costs excluded) plus the mean transaction costs. With the P&L X = p0 + Gamma_T - psi - C_T
 * the hedging error is X + C_T up to the premium, which a variance ignores. Population variance.
 */
import * as tf from '@tensorflow/tfjs';

/** Differentiable objective on a batch: P&L [n] and costs [n] on the device. */
export function varianceCostLoss(pnl: tf.Tensor1D, cost: tf.Tensor1D, gamma: number): tf.Scalar {
  return tf.tidy(() => {
    const { variance } = tf.moments(tf.add(pnl, cost));
    return tf.add(tf.mul(variance, gamma), tf.mean(cost)) as tf.Scalar;
  });
}

/** The objective in float64 (two passes). */
export function varianceCostRisk(pnl: ArrayLike<number>, cost: ArrayLike<number>, gamma: number): number {
  const n = pnl.length;
  let sum = 0;
  let costSum = 0;
  for (let i = 0; i < n; i++) {
    sum += pnl[i] + cost[i];
    costSum += cost[i];
  }
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (pnl[i] + cost[i] - mean) ** 2;
  return gamma * (squares / n) + costSum / n;
}
