import { describe, expect, it } from 'vitest';
import { monteCarloPrice } from '../../src/engine/pricing/monte-carlo';
import { stream } from '../../src/engine/random/stream';

describe('Monte Carlo price and standard error', () => {
  it('is the discounted mean with sample standard deviation (n - 1) / sqrt(n), by hand', () => {
    // mean 2.5, sample variance ((1.5^2 + 0.5^2) * 2) / 3 = 5/3
    const r = monteCarloPrice([1, 2, 3, 4]);
    expect(r.paths).toBe(4);
    expect(r.price).toBe(2.5);
    expect(r.standardError).toBeCloseTo(Math.sqrt(5 / 3 / 4), 15);
    const d = monteCarloPrice(new Float32Array([1, 2, 3, 4]), 0.9);
    expect(d.price).toBeCloseTo(2.25, 15);
    expect(d.standardError).toBeCloseTo(0.9 * Math.sqrt(5 / 3 / 4), 15);
  });

  it('keeps the spread of payoffs far from zero (no cancellation in the variance)', () => {
    const r = monteCarloPrice([1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4]);
    expect(r.standardError).toBeCloseTo(Math.sqrt(5 / 3 / 4), 9);
  });

  it('recovers the mean and standard error of uniform payoffs, and its 95 % intervals cover the mean 95 % of the time', () => {
    // U(0, 1): mean 1/2, standard deviation 1 / sqrt(12).
    const n = 400;
    const batches = 2000;
    const u = stream(3, 'monte-carlo', 'uniform').uniforms(new Float64Array(n * batches));
    let covered = 0;
    let seSum = 0;
    for (let b = 0; b < batches; b++) {
      const r = monteCarloPrice(u.subarray(b * n, (b + 1) * n));
      seSum += r.standardError;
      if (Math.abs(r.price - 0.5) <= 1.959964 * r.standardError) covered++;
    }
    // Standard error of the standard error is about se / sqrt(2 n); averaged over 2000 batches it is tiny.
    expect(seSum / batches / (1 / Math.sqrt(12 * n))).toBeCloseTo(1, 2);
    // Binomial(2000, 0.95): standard deviation 0.0049 in the coverage fraction.
    expect(Math.abs(covered / batches - 0.95)).toBeLessThan(4 * 0.0049);
    const all = monteCarloPrice(u);
    expect(Math.abs(all.price - 0.5)).toBeLessThan(4 * all.standardError);
    expect(all.standardError).toBeCloseTo(1 / Math.sqrt(12 * n * batches), 5);
  });

  it('refuses fewer than two payoffs', () => {
    expect(() => monteCarloPrice([1])).toThrow(/at least 2 payoffs.*got 1/);
    expect(() => monteCarloPrice([])).toThrow(/got 0/);
  });
});
