/** Stylised facts of return series (src/engine/generators/stylised-facts.ts) against exact small cases and known processes. */
import { describe, expect, it } from 'vitest';
import { excessKurtosis, ksStatistic, stylisedFacts } from '../../src/engine/generators/stylised-facts';
import { stream } from '../../src/engine/random/stream';

describe('stylised facts', () => {
  it('the KS statistic: 0 for the same sample, 1 for disjoint ones, 1/3 for [1, 2, 3] against [2, 3, 4]', () => {
    expect(ksStatistic([3, 1, 2], [1, 2, 3])).toBe(0);
    expect(ksStatistic([1, 2], [5, 6, 7])).toBe(1);
    expect(ksStatistic([1, 2, 3], [2, 3, 4])).toBeCloseTo(1 / 3, 15);
    expect(ksStatistic([0, 0, 1], [0, 1, 1])).toBeCloseTo(1 / 3, 15);
    expect(() => ksStatistic([], [1])).toThrow(/non-empty/);
  });

  it('excess kurtosis: -2 for a fair coin, about 0 for normals, 3 for a Laplace sample', () => {
    expect(excessKurtosis([-1, 1, -1, 1])).toBeCloseTo(-2, 14);
    const z = stream(1, 'facts').normals(new Float64Array(200000));
    expect(Math.abs(excessKurtosis(z))).toBeLessThan(0.05);
    const u = stream(2, 'facts').uniforms(new Float64Array(200000));
    const laplace = Array.from(u, (v) => (v < 0.5 ? Math.log(2 * v) : -Math.log(2 - 2 * v)));
    expect(Math.abs(excessKurtosis(laplace) - 3)).toBeLessThan(0.15);
  });

  it('autocorrelations of an AR(1) go as phi^k, absolute ones of a volatility-clustering series stay positive, and leverage shows', () => {
    const z = stream(3, 'facts').normals(new Float64Array(50 * 2000));
    const ar: Float64Array[] = [];
    const clustered: Float64Array[] = [];
    for (let p = 0; p < 50; p++) {
      const [a, c] = [new Float64Array(2000), new Float64Array(2000)];
      let sigma = 1;
      for (let t = 0; t < 2000; t++) {
        const e = z[p * 2000 + t]!;
        a[t] = (t ? 0.5 * a[t - 1]! : 0) + e;
        c[t] = sigma * e;
        // Volatility rises after falls: sigma_(t+1) depends on today's shock with a negative sign.
        sigma = Math.min(3, Math.max(0.3, 0.9 * sigma + 0.1 - 0.15 * e));
      }
      ar.push(a);
      clustered.push(c);
    }
    const facts = stylisedFacts(ar);
    expect(facts.ks).toBeNull();
    [1, 2, 3].forEach((k) => expect(Math.abs(facts.autocorrelation[k - 1]! - 0.5 ** k)).toBeLessThan(0.02));
    const c = stylisedFacts(clustered, ar[0]);
    expect(Math.abs(c.autocorrelation[0]!)).toBeLessThan(0.02);
    // sigma's persistence is 0.9 a day: both decay slowly over the 10 lags.
    expect(c.absoluteAutocorrelation[0]!).toBeGreaterThan(0.1);
    expect(c.absoluteAutocorrelation.every((r, k) => r > 0.03 && (k === 0 || r < c.absoluteAutocorrelation[0]!))).toBe(true);
    expect(c.leverage[0]!).toBeLessThan(-0.1);
    expect(c.leverage.every((r) => r < -0.03)).toBe(true);
    expect(c.ks!).toBeGreaterThan(0);
  });
});
