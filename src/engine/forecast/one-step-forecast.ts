/**
 * A one-step Gaussian forecast of a return series (paper 000 §2, eq. 5): day t's return r_t ~ N(mu[t], sigma[t]^2),
 * with mu[t] and sigma[t] formed from returns up to day t - 1 only. Every forecaster (random-walk.ts, ewma.ts,
 * garch.ts, and the learned ones) produces this shape, and scoreOneStep ranks them on the same days by the means of
 *   NLL_t = 0.5 ln(2 pi) + ln sigma_t + (r_t - mu_t)^2 / (2 sigma_t^2)   (eq. 6 per day plus its constant),
 *   CRPS_t (closed form) and the hits of the central 50 % and 90 % intervals (gaussian-scores.ts),
 * over the days whose realised return is finite; a missing (NaN) day is skipped, never filled.
 */
import { gaussianCovers, gaussianCrps, gaussianNll } from './gaussian-scores';

export interface OneStepForecast {
  /** mu[t]: the forecast mean of day t's return. */
  mu: Float64Array;
  /** sigma[t] > 0: the forecast standard deviation of day t's return. */
  sigma: Float64Array;
}

export interface OneStepScores {
  /** Mean Gaussian negative log-likelihood per scored day. */
  nll: number;
  /** Mean CRPS per scored day (in units of the returns). */
  crps: number;
  /** Fraction of scored days whose return lies in the central 50 % interval. */
  coverage50: number;
  /** Fraction of scored days whose return lies in the central 90 % interval. */
  coverage90: number;
  /** Number of scored days (finite realised returns); the means are NaN when it is 0. */
  days: number;
}

/** Mean scores of `forecast` against `realised` over the days with a finite realised return. */
export function scoreOneStep(forecast: OneStepForecast, realised: Float64Array): OneStepScores {
  const { mu, sigma } = forecast;
  if (mu.length !== realised.length || sigma.length !== realised.length) {
    throw new RangeError(`one-step scores: forecast has ${mu.length} means and ${sigma.length} sigmas for ${realised.length} days`);
  }
  let days = 0, nll = 0, crps = 0, in50 = 0, in90 = 0;
  for (let t = 0; t < realised.length; t++) {
    const y = realised[t];
    if (!Number.isFinite(y)) continue;
    if (!Number.isFinite(mu[t]) || !(sigma[t] > 0 && sigma[t] < Infinity)) {
      throw new RangeError(`one-step scores: day ${t} has a realised return but no forecast (mu ${mu[t]}, sigma ${sigma[t]})`);
    }
    days++;
    nll += gaussianNll(mu[t], sigma[t], y);
    crps += gaussianCrps(mu[t], sigma[t], y);
    if (gaussianCovers(mu[t], sigma[t], y, 0.5)) in50++;
    if (gaussianCovers(mu[t], sigma[t], y, 0.9)) in90++;
  }
  return { nll: nll / days, crps: crps / days, coverage50: in50 / days, coverage90: in90 / days, days };
}
