/**
 * The GARCH(1,1) baseline forecaster (Bollerslev, J. Econometrics 31, 1986, with p = q = 1) with a constant mean:
 *   r_t = m + e_t,   e_t | past ~ N(0, sigma_t^2),   sigma_t^2 = omega + alpha e_{t-1}^2 + beta sigma_{t-1}^2,
 *   sigma_0^2 = a given initial variance (the sample variance of the training returns, sample-moments.ts),
 * with omega > 0, alpha >= 0, beta >= 0, alpha + beta < 1. A missing (NaN) r_{t-1} replaces e_{t-1}^2 by its forecast
 * sigma_{t-1}^2, so sigma_t^2 = omega + (alpha + beta) sigma_{t-1}^2. The log-likelihood is the full Gaussian one,
 *   ln L = -sum_t [0.5 ln(2 pi) + ln sigma_t + (r_t - m)^2 / (2 sigma_t^2)]   over the finite r_t,
 * maximised on the training returns by Nelder-Mead (nelder-mead.ts) over an unconstrained theta in R^4:
 *   m = rbar + s theta_0,   p = alpha + beta = 1 / (1 + e^{-theta_2}),   alpha = p / (1 + e^{-theta_3}),
 *   beta = p - alpha,   omega = s^2 (1 - p) e^{theta_1},
 * (rbar, s^2 the training mean and sample variance), so theta = 0 is unit-scaled: the unconditional variance
 * omega / (1 - p) equals s^2 there. A theta whose parameters round out of the constraints scores +Infinity.
 */
import { gaussianNll } from './gaussian-scores';
import { nelderMead } from './nelder-mead';
import type { OneStepForecast } from './one-step-forecast';
import { sampleMean, sampleVariance } from './sample-moments';

export interface GarchParameters {
  /** Constant mean m of the returns. */
  m: number;
  omega: number;
  alpha: number;
  beta: number;
}

export interface GarchFit {
  params: GarchParameters;
  /** sigma_0^2: the sample variance of the training returns, which also starts the forecast filter. */
  initialVariance: number;
  /** ln L of the training returns at params. */
  logLikelihood: number;
  /** Nelder-Mead iterations, and whether its simplex met the tolerances before the iteration limit. */
  iterations: number;
  converged: boolean;
}

/** Whether params satisfy omega > 0, alpha >= 0, beta >= 0, alpha + beta < 1 (and m is finite). */
export function garchAdmissible({ m, omega, alpha, beta }: GarchParameters): boolean {
  return Number.isFinite(m) && omega > 0 && omega < Infinity && alpha >= 0 && beta >= 0 && alpha + beta < 1;
}

/** One-step forecasts of every day of `returns` (train then test, say) under params, sigma_0^2 = initialVariance. */
export function garchForecast(params: GarchParameters, returns: Float64Array, initialVariance: number): OneStepForecast {
  if (!(initialVariance > 0 && initialVariance < Infinity)) throw new RangeError(`GARCH: the initial variance must be positive and finite, not ${initialVariance}`);
  const { m, omega, alpha, beta } = params;
  const n = returns.length;
  const sigma = new Float64Array(n);
  let variance = initialVariance;
  for (let t = 0; t < n; t++) {
    sigma[t] = Math.sqrt(variance);
    const e = returns[t] - m;
    variance = omega + beta * variance + alpha * (Number.isFinite(e) ? e * e : variance);
  }
  return { mu: new Float64Array(n).fill(m), sigma };
}

/** ln L of the finite returns under params, the variance recursion started at initialVariance. */
export function garchLogLikelihood(params: GarchParameters, returns: Float64Array, initialVariance: number): number {
  const { sigma } = garchForecast(params, returns, initialVariance);
  let logLikelihood = 0;
  for (let t = 0; t < returns.length; t++) if (Number.isFinite(returns[t])) logLikelihood -= gaussianNll(params.m, sigma[t], returns[t]);
  return logLikelihood;
}

const logistic = (x: number) => 1 / (1 + Math.exp(-x));

/** The parameters of theta (see the header) for training mean rbar and sample variance s2. */
function fromTheta(theta: Float64Array, rbar: number, s2: number): GarchParameters {
  const p = logistic(theta[2]);
  const alpha = p * logistic(theta[3]);
  return { m: rbar + Math.sqrt(s2) * theta[0], omega: s2 * logistic(-theta[2]) * Math.exp(theta[1]), alpha, beta: p - alpha };
}

/** Maximum-likelihood GARCH(1,1) on the finite training returns, from alpha = 0.05, beta = 0.9, m = rbar. */
export function fitGarch(train: Float64Array): GarchFit {
  const s2 = sampleVariance(train);
  if (!(s2 > 0)) throw new RangeError('GARCH: the training returns need at least two finite values that are not all equal');
  const rbar = sampleMean(train);
  const objective = (theta: Float64Array) => {
    const params = fromTheta(theta, rbar, s2);
    return garchAdmissible(params) ? -garchLogLikelihood(params, train, s2) : Infinity;
  };
  // theta_2 = logit(0.95), theta_3 = logit(0.05 / 0.95).
  const start = [0, 0, Math.log(0.95 / 0.05), Math.log(0.05 / 0.9)];
  const result = nelderMead(objective, start, { step: [0.1, 0.5, 0.5, 0.5], xTolerance: 1e-7, fTolerance: 1e-9, maxIterations: 4000 });
  return {
    params: fromTheta(result.x, rbar, s2),
    initialVariance: s2,
    logLikelihood: -result.value,
    iterations: result.iterations,
    converged: result.converged,
  };
}
