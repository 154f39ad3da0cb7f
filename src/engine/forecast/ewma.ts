/**
 * The RiskMetrics EWMA baseline forecaster (J.P. Morgan/Reuters, RiskMetrics Technical Document, 4th ed. 1996, ch. 5,
 * with the daily decay factor lambda = 0.94): r_t ~ N(0, sigma_t^2),
 *   sigma_t^2 = lambda sigma_{t-1}^2 + (1 - lambda) r_{t-1}^2,   sigma_0^2 = a given initial variance
 * (normally the sample variance of the training returns, sample-moments.ts). A missing (NaN) r_{t-1} leaves the
 * variance unchanged: sigma_t^2 = sigma_{t-1}^2, the recursion with r_{t-1}^2 replaced by its forecast sigma_{t-1}^2.
 */
import type { OneStepForecast } from './one-step-forecast';

export const RISKMETRICS_LAMBDA = 0.94;

/** One-step forecasts of every day of `returns`, the variance recursion started at `initialVariance` on day 0. */
export function ewmaForecast(returns: Float64Array, initialVariance: number, lambda = RISKMETRICS_LAMBDA): OneStepForecast {
  if (!(initialVariance > 0 && initialVariance < Infinity)) throw new RangeError(`EWMA: the initial variance must be positive and finite, not ${initialVariance}`);
  if (!(lambda > 0 && lambda < 1)) throw new RangeError(`EWMA: lambda must lie strictly between 0 and 1, not ${lambda}`);
  const n = returns.length;
  const sigma = new Float64Array(n);
  let variance = initialVariance;
  for (let t = 0; t < n; t++) {
    sigma[t] = Math.sqrt(variance);
    const r = returns[t];
    if (Number.isFinite(r)) variance = lambda * variance + (1 - lambda) * r * r;
  }
  return { mu: new Float64Array(n), sigma };
}
