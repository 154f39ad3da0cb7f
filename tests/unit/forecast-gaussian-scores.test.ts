import { describe, expect, it } from 'vitest';
import { gaussianCovers, gaussianCrps, gaussianNll } from '../../src/engine/forecast/gaussian-scores';
import { scoreOneStep } from '../../src/engine/forecast/one-step-forecast';
import { normCdf } from '../../src/engine/pricing/normal';
import { stream } from '../../src/engine/random/stream';

/** The CRPS by its definition, int (F(x) - 1{x >= y})^2 dx, by the trapezoid rule on each side of the jump at y. */
function crpsByIntegration(mu: number, sigma: number, y: number, points = 200_001): number {
  const lo = Math.min(mu - 12 * sigma, y);
  const hi = Math.max(mu + 12 * sigma, y);
  const trapezoid = (a: number, b: number, g: (x: number) => number) => {
    const h = (b - a) / (points - 1);
    let s = 0.5 * (g(a) + g(b));
    for (let i = 1; i < points - 1; i++) s += g(a + i * h);
    return s * h;
  };
  const F = (x: number) => normCdf((x - mu) / sigma);
  return trapezoid(lo, y, (x) => F(x) ** 2) + trapezoid(y, hi, (x) => (1 - F(x)) ** 2);
}

describe('Gaussian scores (paper 000 eq. 6; Gneiting & Raftery 2007)', () => {
  it('gives the CRPS closed form that numerical integration of its definition gives', () => {
    for (const [mu, sigma, y] of [
      [0, 1, 0],
      [0.01, 0.02, -0.03],
      [1, 2, 5],
      [-0.5, 0.3, -0.29],
      [0, 1, 8],
      [0.0003, 0.012, 0.041],
    ]) {
      const closed = gaussianCrps(mu, sigma, y);
      expect(Math.abs(closed - crpsByIntegration(mu, sigma, y))).toBeLessThan(1e-8 * sigma);
    }
  });

  it('gives the CRPS at z = 0, 1, -2 as sigma times mpmath values of z (2 Phi(z) - 1) + 2 phi(z) - 1/sqrt(pi)', () => {
    expect(gaussianCrps(0, 1, 0)).toBeCloseTo(0.233694977255109069, 14);
    expect(gaussianCrps(0.5, 2, 2.5)).toBeCloseTo(2 * 0.602441357627616310, 14);
    expect(gaussianCrps(1, 3, -5)).toBeCloseTo(3 * 1.452791821685902988, 13);
  });

  it('gives the NLL 0.5 ln(2 pi) + ln sigma + z^2/2 by hand', () => {
    // mu 0.01, sigma 0.02, y -0.03: z = -2, NLL = 0.918938533204673 + ln 0.02 + 2 = -0.993084472223473.
    expect(gaussianNll(0.01, 0.02, -0.03)).toBeCloseTo(-0.993084472223473317, 14);
    expect(gaussianNll(0, 1, 0)).toBeCloseTo(0.918938533204672742, 15);
  });

  it('puts y in the central interval exactly when |z| <= 0.6745 (50 %) or 1.6449 (90 %)', () => {
    expect(gaussianCovers(0, 1, 0.674, 0.5)).toBe(true);
    expect(gaussianCovers(0, 1, -0.675, 0.5)).toBe(false);
    expect(gaussianCovers(1, 2, 1 + 2 * 1.6448, 0.9)).toBe(true);
    expect(gaussianCovers(1, 2, 1 - 2 * 1.6450, 0.9)).toBe(false);
    expect(() => gaussianCovers(0, 1, 0, 1)).toThrow(/level/);
  });
});

describe('scoreOneStep', () => {
  it('averages NLL, CRPS and coverage over the finite days of a hand example', () => {
    // z = 0, 1, (missing), -2 on days with sigma 0.02, 0.01, -, 0.05.
    const forecast = { mu: Float64Array.from([0.01, 0, 0.3, 0.02]), sigma: Float64Array.from([0.02, 0.01, 0.1, 0.05]) };
    const realised = Float64Array.from([0.01, 0.01, NaN, -0.08]);
    const s = scoreOneStep(forecast, realised);
    expect(s.days).toBe(3);
    // (3 * 0.918938533 + ln(0.02 * 0.01 * 0.05) + (0 + 0.5 + 2)) / 3
    expect(s.nll).toBeCloseTo(-2.08536995511873673, 13);
    // (0.02 * 0.2336949773 + 0.01 * 0.6024413576 + 0.05 * 1.4527918217) / 3
    expect(s.crps).toBeCloseTo(0.0277793014018911646, 15);
    expect(s.coverage50).toBeCloseTo(1 / 3, 15);
    expect(s.coverage90).toBeCloseTo(2 / 3, 15);
  });

  it('scores a correct forecast near its expectations: coverage 0.5 / 0.9, CRPS sigma / sqrt(pi), NLL 0.5 ln(2 pi) + ln sigma + 1/2', () => {
    const n = 100_000;
    const u = stream(17, 'test', 'forecast', 'coverage').uniforms(new Float64Array(2 * n));
    const z = stream(17, 'test', 'forecast', 'coverage-z').normals(new Float64Array(n));
    const mu = new Float64Array(n), sigma = new Float64Array(n), y = new Float64Array(n);
    let meanSigma = 0, meanLogSigma = 0;
    for (let t = 0; t < n; t++) {
      mu[t] = 0.02 * (u[2 * t] - 0.5);
      sigma[t] = 0.005 + 0.03 * u[2 * t + 1];
      y[t] = mu[t] + sigma[t] * z[t];
      meanSigma += sigma[t] / n;
      meanLogSigma += Math.log(sigma[t]) / n;
    }
    const s = scoreOneStep({ mu, sigma }, y);
    expect(s.days).toBe(n);
    // Standard errors: 0.0016 and 0.0009 for the coverages, 0.0022 for the NLL, about 0.0013 meanSigma for the CRPS.
    expect(Math.abs(s.coverage50 - 0.5)).toBeLessThan(0.006);
    expect(Math.abs(s.coverage90 - 0.9)).toBeLessThan(0.004);
    expect(Math.abs(s.nll - (0.5 * Math.log(2 * Math.PI) + meanLogSigma + 0.5))).toBeLessThan(0.01);
    expect(Math.abs(s.crps / (meanSigma / Math.sqrt(Math.PI)) - 1)).toBeLessThan(0.01);
  });

  it('refuses a day that has a realised return but no forecast, and a length mismatch', () => {
    const realised = Float64Array.from([0.01, 0.02]);
    expect(() => scoreOneStep({ mu: new Float64Array(2), sigma: Float64Array.from([NaN, 0.01]) }, realised)).toThrow(/day 0/);
    expect(() => scoreOneStep({ mu: new Float64Array(1), sigma: new Float64Array(1) }, realised)).toThrow(/1 means/);
    // A missing realised day needs no forecast.
    expect(scoreOneStep({ mu: new Float64Array(2), sigma: Float64Array.from([NaN, 0.01]) }, Float64Array.from([NaN, 0])).days).toBe(1);
  });
});
