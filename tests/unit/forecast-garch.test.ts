import { describe, expect, it } from 'vitest';
import { baselineScores } from '../../src/engine/forecast/baseline-forecasts';
import { fitGarch, garchAdmissible, garchForecast, garchLogLikelihood, type GarchParameters } from '../../src/engine/forecast/garch';
import { sampleMean, sampleVariance } from '../../src/engine/forecast/sample-moments';
import { stream } from '../../src/engine/random/stream';

/** n returns of a GARCH(1,1) process, after 1,000 days of burn-in from the unconditional variance. */
function simulateGarch(p: GarchParameters, n: number, seed: number): Float64Array {
  const burn = 1000;
  const z = stream(seed, 'test', 'garch').normals(new Float64Array(n + burn));
  const r = new Float64Array(n);
  let variance = p.omega / (1 - p.alpha - p.beta);
  for (let t = 0; t < n + burn; t++) {
    const e = Math.sqrt(variance) * z[t];
    if (t >= burn) r[t - burn] = p.m + e;
    variance = p.omega + p.alpha * e * e + p.beta * variance;
  }
  return r;
}

describe('GARCH(1,1) filter and log-likelihood', () => {
  // m 0.001, omega 1e-5, alpha 0.1, beta 0.8, sigma_0^2 = 1e-4; day 2 is missing.
  const params = { m: 0.001, omega: 1e-5, alpha: 0.1, beta: 0.8 };
  const r = Float64Array.from([0.01, -0.02, NaN, 0.005, 0.015]);
  // e_0 = 0.009:  sigma_1^2 = 1e-5 + 0.1 * 8.1e-5 + 0.8 * 1e-4      = 9.81e-5
  // e_1 = -0.021: sigma_2^2 = 1e-5 + 0.1 * 4.41e-4 + 0.8 * 9.81e-5  = 1.3258e-4
  // r_2 missing:  sigma_3^2 = 1e-5 + (0.1 + 0.8) * 1.3258e-4        = 1.29322e-4
  // e_3 = 0.004:  sigma_4^2 = 1e-5 + 0.1 * 1.6e-5 + 0.8 * 1.29322e-4 = 1.150576e-4
  const variances = [1e-4, 9.81e-5, 1.3258e-4, 1.29322e-4, 1.150576e-4];

  it('filters sigma_t^2 = omega + alpha e_{t-1}^2 + beta sigma_{t-1}^2 by hand, a missing day using e^2 = sigma^2', () => {
    const { mu, sigma } = garchForecast(params, r, 1e-4);
    expect(Array.from(mu)).toEqual([0.001, 0.001, 0.001, 0.001, 0.001]);
    sigma.forEach((s, t) => expect(s * s).toBeCloseTo(variances[t], 18));
  });

  it('gives the hand log-likelihood over the four finite days', () => {
    const e = [0.009, -0.021, NaN, 0.004, 0.014];
    let hand = 0;
    for (const t of [0, 1, 3, 4]) hand -= 0.5 * Math.log(2 * Math.PI) + 0.5 * Math.log(variances[t]) + (e[t] * e[t]) / (2 * variances[t]);
    expect(garchLogLikelihood(params, r, 1e-4)).toBeCloseTo(hand, 12);
    expect(garchLogLikelihood(params, r, 1e-4)).toBeCloseTo(10.9895042497548215, 12); // mpmath at 30 digits
  });

  it('forecasts the test days by continuing the filter through the training days', () => {
    const all = simulateGarch({ m: 0, omega: 2e-6, alpha: 0.1, beta: 0.85 }, 300, 2);
    const train = all.subarray(0, 200);
    const s2 = sampleVariance(train);
    const whole = garchForecast(params, all, s2);
    const trainOnly = garchForecast(params, train, s2);
    expect(Array.from(whole.sigma.subarray(0, 200))).toEqual(Array.from(trainOnly.sigma));
    // Day 200 uses the last training day: sigma^2 = omega + alpha e_199^2 + beta sigma_199^2.
    const e = train[199] - params.m;
    expect(whole.sigma[200] ** 2).toBeCloseTo(params.omega + params.alpha * e * e + params.beta * trainOnly.sigma[199] ** 2, 18);
  });
});

describe('GARCH(1,1) maximum likelihood', () => {
  const truth = { m: 0.0003, omega: 1e-5, alpha: 0.08, beta: 0.9 };

  it('recovers omega 1e-5, alpha 0.08, beta 0.9, m 0.0003 from 5,000 simulated returns', () => {
    const r = simulateGarch(truth, 5000, 1);
    const fit = fitGarch(r);
    expect(fit.converged).toBe(true);
    expect(garchAdmissible(fit.params)).toBe(true);
    expect(fit.initialVariance).toBe(sampleVariance(r));
    expect(fit.logLikelihood).toBeCloseTo(garchLogLikelihood(fit.params, r, fit.initialVariance), 8);
    // The maximum is at least the likelihood of the true parameters.
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(garchLogLikelihood(truth, r, fit.initialVariance));
    // Tolerances of about 3-4 sampling standard deviations at n = 5,000 (seen over 12 seeds: sd(alpha) 0.006,
    // sd(beta) 0.011, sd(omega) 2.7e-6, sd(m) 3.2e-4 = the unconditional sd 0.022 / sqrt(5000)).
    const { m, omega, alpha, beta } = fit.params;
    expect(Math.abs(alpha - 0.08)).toBeLessThan(0.025);
    expect(Math.abs(beta - 0.9)).toBeLessThan(0.04);
    expect(Math.abs(alpha + beta - 0.98)).toBeLessThan(0.015);
    expect(omega).toBeGreaterThan(0.4e-5);
    expect(omega).toBeLessThan(2.5e-5);
    expect(Math.abs(m - 0.0003)).toBeLessThan(0.0012);
  });

  it('stays inside omega > 0, alpha >= 0, beta >= 0, alpha + beta < 1 where the maximum lies on the boundary', () => {
    const iid = stream(4, 'test', 'garch', 'iid').normals(new Float64Array(2000)).map((z) => 0.01 * z); // alpha = 0
    const integrated = simulateGarch({ m: 0, omega: 1e-7, alpha: 0.15, beta: 0.8499 }, 3000, 5); // alpha + beta near 1
    const tiny = Float64Array.from([0.01, -0.02, NaN, 0.005, 0.015, -0.001, 0.03, -0.04]);
    const trend = Float64Array.from({ length: 500 }, (_, t) => 1e-4 * t); // no volatility clustering at all
    for (const train of [iid, integrated, tiny, trend]) {
      const fit = fitGarch(train);
      expect(garchAdmissible(fit.params)).toBe(true);
      expect(Number.isFinite(fit.logLikelihood)).toBe(true);
      // No worse than the start of the search or a constant-variance model.
      const s2 = fit.initialVariance;
      const constant = { m: sampleMean(train), omega: 0.5 * s2, alpha: 0, beta: 0.5 };
      expect(fit.logLikelihood).toBeGreaterThanOrEqual(garchLogLikelihood(constant, train, s2) - 1e-9);
    }
  });

  it('refuses training returns with no variance', () => {
    expect(() => fitGarch(Float64Array.from([0.01, 0.01, 0.01]))).toThrow(/not all equal/);
    expect(() => fitGarch(Float64Array.from([0.01, NaN]))).toThrow(/two finite/);
  });
});

describe('the baselines on one split', () => {
  it('score the test days only, and on GARCH data the fitted GARCH beats the random walk and EWMA in NLL', () => {
    const r = simulateGarch({ m: 0, omega: 1e-5, alpha: 0.12, beta: 0.85 }, 3000, 11);
    const scored = baselineScores(r, { trainEnd: 2000, validationEnd: 2500 });
    expect(scored.map((s) => s.name)).toEqual(['random-walk', 'ewma', 'garch']);
    for (const s of scored) expect(s.scores.days).toBe(500);
    const nll = Object.fromEntries(scored.map((s) => [s.name, s.scores.nll]));
    expect(nll.garch).toBeLessThan(nll['random-walk']!);
    expect(nll.garch).toBeLessThan(nll.ewma!);
  });

  it('names a split that leaves no test returns', () => {
    expect(() => baselineScores(new Float64Array(10), { trainEnd: 5, validationEnd: 10 })).toThrow(/must leave training and test returns in a series of 10/);
  });
});
