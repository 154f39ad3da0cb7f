/**
 * Optimized certainty equivalents (Ben-Tal and Teboulle, 2007; paper 001 appendix B eq. 37) of a P&L X
 * (positive = gain):
 *   rho(X) = inf_theta { theta + E[l(-X - theta)] },
 * for a convex, non-decreasing loss l with l(0) = 0 and l'(0) = 1, so that rho is a convex, monotone,
 * cash-invariant risk measure with rho(0) = 0. The family of this module:
 *   exponential  l(x) = (e^{lambda x} - 1) / lambda   rho = (1/lambda) log E[e^{-lambda X}]  (entropic, eq. 40-45)
 *   quadratic    l(x) = x + (lambda / 2) x^2          rho = -E[X] + (lambda / 2) Var(X)      (mean-variance)
 *   shortfall    l(x) = x^+ / (1 - alpha)             rho = ES_alpha(X)                      (Rockafellar-Uryasev)
 * As a training loss the threshold theta is a variable trained jointly with the hedge (paper 001 eq. 37),
 * whatever the loss; in float64 the infimum is found by bisection on the derivative 1 - E[l'(-X - theta)],
 * which is non-decreasing in theta, and checked in the tests against the closed forms above.
 */
import * as tf from '@tensorflow/tfjs';

export type OceLoss = { type: 'exponential'; lambda: number } | { type: 'quadratic'; lambda: number } | { type: 'shortfall'; alpha: number };

/** l(x) on the device. */
function lossTensor(l: OceLoss, x: tf.Tensor): tf.Tensor {
  switch (l.type) {
    case 'exponential':
      return tf.div(tf.expm1(tf.mul(x, l.lambda)), l.lambda);
    case 'quadratic':
      return tf.add(x, tf.mul(tf.square(x), l.lambda / 2));
    case 'shortfall':
      return tf.div(tf.relu(x), 1 - l.alpha);
  }
}

/** Differentiable OCE objective theta + mean(l(-X - theta)), to be minimised jointly over theta. */
export function oceLoss(pnl: tf.Tensor1D, l: OceLoss, threshold: tf.Scalar): tf.Scalar {
  return tf.tidy(() => tf.add(threshold, tf.mean(lossTensor(l, tf.sub(tf.neg(pnl), threshold)))) as tf.Scalar);
}

/** l'(x), the right derivative where l has a kink. */
function slope(l: OceLoss, x: number): number {
  switch (l.type) {
    case 'exponential':
      return Math.exp(l.lambda * x);
    case 'quadratic':
      return 1 + l.lambda * x;
    case 'shortfall':
      return x >= 0 ? 1 / (1 - l.alpha) : 0;
  }
}

function lossValue(l: OceLoss, x: number): number {
  switch (l.type) {
    case 'exponential':
      return Math.expm1(l.lambda * x) / l.lambda;
    case 'quadratic':
      return x + (l.lambda / 2) * x * x;
    case 'shortfall':
      return Math.max(x, 0) / (1 - l.alpha);
  }
}

/** The OCE of an empirical P&L distribution in float64, and the minimising threshold. */
export function oceRisk(x: ArrayLike<number>, l: OceLoss): { value: number; threshold: number } {
  const n = x.length;
  if (n === 0) throw new Error('the OCE of no outcomes is undefined');
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    lo = Math.min(lo, -x[i]);
    hi = Math.max(hi, -x[i]);
  }
  // The minimiser lies within the range of the losses -X: below it the derivative is 1 - l'(>= 0) <= 0,
  // above it 1 - l'(<= 0) >= 0 (l' is non-decreasing with l'(0) = 1).
  const derivative = (theta: number) => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += slope(l, -x[i] - theta);
    return 1 - sum / n;
  };
  for (let k = 0; k < 200 && hi - lo > 1e-15 * Math.max(1, Math.abs(lo), Math.abs(hi)); k++) {
    const mid = (lo + hi) / 2;
    if (derivative(mid) < 0) lo = mid;
    else hi = mid;
  }
  const threshold = (lo + hi) / 2;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += lossValue(l, -x[i] - threshold);
  return { value: threshold + sum / n, threshold };
}
