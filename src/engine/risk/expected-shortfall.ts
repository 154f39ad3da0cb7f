/**
 * Expected shortfall (CVaR) and value at risk of a P&L X (positive = gain), reported as positive losses.
 *
 * Paper 001 eq. 28: ES_alpha = E[-X | -X >= VaR_alpha], the mean loss over the worst (1 - alpha) of outcomes.
 * As a training loss it takes the optimized-certainty-equivalent form of Rockafellar and Uryasev (pfhedge's
 * ExpectedShortfall; paper 003's OCE objective),
 *   ES_alpha(X) = min_w { w + E[(-X - w)^+] / (1 - alpha) },
 * whose minimiser w is VaR_alpha; the threshold w is a tf.Variable trained jointly with the hedge.
 *
 * In float64 the value is exact for the empirical distribution of n outcomes: with k = (1 - alpha) n and the
 * outcomes sorted from worst, ES = (sum of the floor(k) worst losses + (k - floor(k)) x the next loss) / k,
 * which is the minimum of the OCE objective above. VaR takes the lower order statistic: with X_(1) <= ... <=
 * X_(n), VaR_alpha = -X_(j), j = max(1, floor(k)), i.e. the floor(k)-th worst outcome; when k is an integer it
 * is exactly the empirical (1 - alpha)-quantile inf{x : F_n(x) >= 1 - alpha} and a minimiser of the OCE form.
 */
import * as tf from '@tensorflow/tfjs';

/** Differentiable OCE form w + mean((-X - w)^+) / (1 - alpha), to be minimised jointly over w. */
export function expectedShortfallLoss(pnl: tf.Tensor1D, alpha: number, threshold: tf.Scalar): tf.Scalar {
  return tf.tidy(() => threshold.add(tf.mean(tf.relu(tf.neg(pnl).sub(threshold))).div(1 - alpha)));
}

/** Outcomes sorted from worst (lowest P&L) and the tail size k = (1 - alpha) n, snapped to an integer when it
 *  is one up to rounding (so that (1 - 0.9) * 100 counts 10 outcomes, not 9.999...). */
function sortedTail(x: ArrayLike<number>, alpha: number): { sorted: Float64Array; k: number } {
  if (!(alpha >= 0 && alpha < 1)) throw new Error(`alpha must be in [0, 1), got ${alpha}`);
  const sorted = Float64Array.from(x).sort();
  const raw = (1 - alpha) * sorted.length;
  const k = Math.abs(raw - Math.round(raw)) <= 1e-9 * Math.max(1, raw) ? Math.round(raw) : raw;
  return { sorted, k };
}

/** Empirical expected shortfall at level alpha, a positive loss: the mean of the worst (1 - alpha) fraction. */
export function expectedShortfall(x: ArrayLike<number>, alpha: number): number {
  const { sorted, k } = sortedTail(x, alpha);
  const whole = Math.floor(k);
  let sum = 0;
  for (let i = 0; i < whole; i++) sum -= sorted[i];
  const fraction = k - whole;
  if (fraction > 0) sum -= fraction * sorted[whole];
  return sum / k;
}

/** Empirical value at risk at level alpha, a positive loss: -X_(max(1, floor((1 - alpha) n))). */
export function valueAtRisk(x: ArrayLike<number>, alpha: number): number {
  const { sorted, k } = sortedTail(x, alpha);
  return -sorted[Math.max(1, Math.floor(k)) - 1];
}

/** Starting value of the learned OCE threshold w: the empirical VaR, the minimiser's location. */
export function initialThreshold(x: ArrayLike<number>, alpha: number): number {
  return valueAtRisk(x, alpha);
}
