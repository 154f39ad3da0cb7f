/**
 * Mean-variance risk rho(X) = -E[X] + (lambda / 2) Var(X) of a P&L X (positive = gain), with the population
 * variance E[(X - E X)^2]. Cash invariant, rho(X + c) = rho(X) - c, but not monotone. For X ~ N(mu, sigma^2)
 * it coincides with the entropic risk -mu + lambda sigma^2 / 2 (paper 001 eq. 29 with the same lambda).
 */
import * as tf from '@tensorflow/tfjs';

/** Differentiable mean-variance risk of a batch of P&L on the device. */
export function meanVarianceLoss(pnl: tf.Tensor1D, lambda: number): tf.Scalar {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(pnl);
    return variance.mul(0.5 * lambda).sub(mean) as tf.Scalar;
  });
}

/** Mean-variance risk in float64 (two passes: mean, then the centred second moment). */
export function meanVarianceRisk(x: ArrayLike<number>, lambda: number): number {
  const n = x.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i];
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (x[i] - mean) ** 2;
  return -mean + 0.5 * lambda * (squares / n);
}
