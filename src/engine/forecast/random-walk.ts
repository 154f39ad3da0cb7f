/**
 * The random-walk baseline forecaster: r_t ~ N(0, s_t^2), mean 0, s_t the sample standard deviation
 * (sample-moments.ts) of the finite returns among the `window` (default 30) days t - window .. t - 1. A day with
 * fewer than two finite returns in its window has no forecast (NaN). The naive benchmark that paper 000 §2's
 * forecaster (eq. 5) has to beat.
 */
import type { OneStepForecast } from './one-step-forecast';
import { sampleVariance } from './sample-moments';

export const RANDOM_WALK_WINDOW = 30;

/** One-step forecasts of every day of `returns` from the `window` days before it. */
export function randomWalkForecast(returns: Float64Array, window = RANDOM_WALK_WINDOW): OneStepForecast {
  if (!Number.isInteger(window) || window < 2) throw new RangeError(`random walk: window must be an integer of at least 2 days, not ${window}`);
  const n = returns.length;
  const sigma = new Float64Array(n);
  for (let t = 0; t < n; t++) sigma[t] = Math.sqrt(sampleVariance(returns.subarray(Math.max(0, t - window), t)));
  return { mu: new Float64Array(n), sigma };
}
