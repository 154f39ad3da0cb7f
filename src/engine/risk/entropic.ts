/**
 * Entropic risk measure rho(X) = (1/lambda) log E[exp(-lambda X)] of a P&L X (positive = gain): paper 001
 * eq. 29 (there written with the loss -PNL; the sign that makes it a risk measure, penalising losses, is this
 * one) and paper 003's entropic objective; pfhedge's EntropicRiskMeasure. It is convex, monotone and cash
 * invariant, rho(X + c) = rho(X) - c, and equals -mu + lambda sigma^2 / 2 for X ~ N(mu, sigma^2).
 *
 * Both versions are evaluated in log-sum-exp form, rho = (logsumexp(-lambda X) - log n) / lambda, so large
 * losses or large lambda never overflow (DESIGN.md, "Numerics").
 */
import * as tf from '@tensorflow/tfjs';

/** Differentiable entropic risk of a batch of P&L on the device. */
export function entropicLoss(pnl: tf.Tensor1D, lambda: number): tf.Scalar {
  return tf.tidy(() => tf.logSumExp(pnl.mul(-lambda)).sub(Math.log(pnl.size)).div(lambda));
}

/** Entropic risk of an empirical P&L distribution in float64, shifted by the largest exponent. */
export function entropicRisk(x: ArrayLike<number>, lambda: number): number {
  const n = x.length;
  let shift = -Infinity;
  for (let i = 0; i < n; i++) shift = Math.max(shift, -lambda * x[i]);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp(-lambda * x[i] - shift);
  return (shift + Math.log(sum / n)) / lambda;
}
