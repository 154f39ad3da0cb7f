/**
 * The baselines' sampled paths (forecast/baseline-paths.ts) against their closed forms: the random walk's
 * cumulative return has variance h sigma^2 after h days, and GARCH(1,1)'s daily variance h days ahead has the
 * mean V + (alpha + beta)^h (sigma_t^2 - V), V = omega / (1 - alpha - beta); the same stream gives the same paths.
 */
import { describe, expect, it } from 'vitest';
import type { Baseline } from '../../src/engine/forecast/baseline-forecasts';
import { baselinePaths } from '../../src/engine/forecast/baseline-paths';
import { stream } from '../../src/engine/random/stream';

const flat = (mu: number, sigma: number, days: number) => ({ mu: new Float64Array(days).fill(mu), sigma: new Float64Array(days).fill(sigma) });

describe("the baselines' paths", () => {
  it("spread as the random walk's square-root-of-time rule", () => {
    const rw: Baseline = { name: 'random-walk', forecast: flat(0, 0.01, 10), nextVariance: (v) => v };
    const paths = 20_000;
    const out = baselinePaths(rw, [3], 8, paths, stream(1, 'rw'));
    for (const h of [1, 4, 8]) {
      let s2 = 0;
      for (let p = 0; p < paths; p++) s2 += out[p * 8 + h - 1]! ** 2;
      // The sample variance of 20,000 normals is within 5 % of the truth (about 5 standard errors of 1 %).
      expect(s2 / paths / (h * 1e-4)).toBeGreaterThan(0.95);
      expect(s2 / paths / (h * 1e-4)).toBeLessThan(1.05);
    }
    expect(baselinePaths(rw, [3], 8, 4, stream(1, 'rw'))).toEqual(out.subarray(0, 32));
  });

  it("follow GARCH's variance term structure", () => {
    const [m, omega, alpha, beta] = [0.0005, 2e-6, 0.1, 0.85];
    const garch: Baseline = { name: 'garch', forecast: flat(m, 0.03, 5), nextVariance: (v, r) => omega + beta * v + alpha * (r - m) ** 2 };
    const paths = 40_000;
    const horizon = 6;
    const out = baselinePaths(garch, [0], horizon, paths, stream(2, 'garch'));
    const V = omega / (1 - alpha - beta);
    for (const h of [1, 3, 6]) {
      // Day h's return (from the cumulative sums) has variance E[sigma^2_h] = V + (alpha + beta)^(h - 1) (sigma_0^2 - V).
      let s2 = 0;
      for (let p = 0; p < paths; p++) s2 += (out[p * horizon + h - 1]! - (h > 1 ? out[p * horizon + h - 2]! : 0) - m) ** 2;
      const expected = V + (alpha + beta) ** (h - 1) * (0.03 ** 2 - V);
      expect(s2 / paths / expected).toBeGreaterThan(0.95);
      expect(s2 / paths / expected).toBeLessThan(1.05);
    }
  });
});
