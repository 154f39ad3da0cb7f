import { describe, expect, it } from 'vitest';
import { correlatedGbmPaths, correlationError, type CorrelatedGbmParams } from '../../src/engine/markets/correlated-gbm';
import { stream } from '../../src/engine/random/stream';

describe('correlation matrix validation', () => {
  it('accepts valid correlation matrices', () => {
    expect(correlationError([[1]])).toBeNull();
    expect(correlationError([[1, 0.999], [0.999, 1]])).toBeNull();
    expect(correlationError([[1, 0.6, -0.3], [0.6, 1, 0.2], [-0.3, 0.2, 1]])).toBeNull();
  });

  it('refuses bad matrices with a message naming the entry', () => {
    expect(correlationError([])).toBe('correlation: the matrix is empty');
    expect(correlationError([[1, 0.2], [0.2]])).toBe('correlation[1]: has 1 entries, expected 2');
    expect(correlationError([[1, 0.2], [0.2, 0.9]])).toBe('correlation[1][1]: diagonal entry is 0.9, expected 1');
    expect(correlationError([[1, 0.2, 0], [0.2, 1, 1.5], [0, 1.5, 1]])).toBe('correlation[1][2]: 1.5 is outside [-1, 1]');
    expect(correlationError([[1, 0.2, 0], [0.2, 1, 0.1], [0, 0.3, 1]])).toBe('correlation[2][1]: 0.3 differs from correlation[1][2] = 0.1');
    expect(correlationError([[1, NaN], [NaN, 1]])).toBe('correlation[0][1]: NaN is not a finite number');
  });

  it('refuses matrices that are not positive definite', () => {
    // Pairwise valid, jointly impossible: three variables cannot all be -0.9 correlated.
    expect(correlationError([[1, -0.9, -0.9], [-0.9, 1, -0.9], [-0.9, -0.9, 1]])).toMatch(/^correlation: not positive definite/);
    expect(correlationError([[1, 1], [1, 1]])).toMatch(/^correlation: not positive definite/);
  });

  it('correlatedGbmPaths throws on bad parameters', () => {
    const p: CorrelatedGbmParams = { s0: [1, 1], drift: [0, 0], volatilities: [0.2, 0.2], correlation: [[1, 2], [2, 1]], steps: 2, dt: 0.01 };
    expect(() => correlatedGbmPaths(p, 1, stream(1, 'x'))).toThrow('correlation[0][1]: 2 is outside [-1, 1]');
    expect(() => correlatedGbmPaths({ ...p, correlation: [[1, 0], [0, 1]], drift: [0] }, 1, stream(1, 'x'))).toThrow(/^drift: has 1 entries, expected 2/);
    expect(() => correlatedGbmPaths({ ...p, correlation: [[1]] }, 1, stream(1, 'x'))).toThrow(/^correlation: is 1 x 1, expected 2 x 2/);
  });
});

describe('correlated multi-asset GBM', () => {
  const correlation = [[1, 0.6, -0.3], [0.6, 1, 0.2], [-0.3, 0.2, 1]];
  const p: CorrelatedGbmParams = { s0: [100, 50, 1], drift: [0.05, -0.02, 0.1], volatilities: [0.2, 0.35, 0.1], correlation, steps: 10, dt: 1 / 50 };
  const n = 20_000;
  const cols = p.steps + 1;
  const paths = correlatedGbmPaths(p, n, stream(21, 'market', 'multi'));
  const m = n * p.steps;
  const returns = paths.map((a) => {
    const r = new Float64Array(m);
    for (let i = 0; i < n; i++) for (let t = 0; t < p.steps; t++) r[i * p.steps + t] = Math.log(a[i * cols + t + 1] / a[i * cols + t]);
    return r;
  });
  const mean = returns.map((r) => r.reduce((s, x) => s + x, 0) / m);
  const cov = (a: number, b: number) => {
    let s = 0;
    for (let k = 0; k < m; k++) s += (returns[a][k] - mean[a]) * (returns[b][k] - mean[b]);
    return s / (m - 1);
  };

  it('returns one [n, steps + 1] array per asset, starting at S0', () => {
    expect(paths.length).toBe(3);
    for (const [i, a] of paths.entries()) {
      expect(a.length).toBe(n * cols);
      for (let k = 0; k < n; k += 999) expect(a[k * cols]).toBe(Math.fround(p.s0[i]));
    }
  });

  it('has per-asset log-return mean (mu_i - sigma_i^2/2) dt and volatility sigma_i', () => {
    for (let i = 0; i < 3; i++) {
      const sigma = p.volatilities[i];
      const sd = sigma * Math.sqrt(p.dt);
      expect(Math.abs(mean[i] - (p.drift[i] - 0.5 * sigma * sigma) * p.dt)).toBeLessThan(4 * sd / Math.sqrt(m));
      // The sample variance has relative standard error sqrt(2 / m) = 0.0032.
      expect(Math.abs(cov(i, i) / (sd * sd) - 1)).toBeLessThan(4 * Math.sqrt(2 / m));
    }
  });

  it('has sample correlation of log returns matching the correlation matrix', () => {
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < i; j++) {
        const rho = correlation[i][j];
        const sample = cov(i, j) / Math.sqrt(cov(i, i) * cov(j, j));
        // Standard error of a sample correlation: (1 - rho^2) / sqrt(m).
        expect(Math.abs(sample - rho), `rho[${i}][${j}]`).toBeLessThan(4 * (1 - rho * rho) / Math.sqrt(m));
      }
  });

  it('draws the first k paths of a larger draw identically, and any path range on its own', () => {
    const small = correlatedGbmPaths(p, 5, stream(21, 'market', 'multi'));
    const tail = correlatedGbmPaths(p, 3, stream(21, 'market', 'multi'), 7);
    for (let i = 0; i < 3; i++) {
      expect([...small[i]]).toEqual([...paths[i].subarray(0, 5 * cols)]);
      expect([...tail[i]]).toEqual([...paths[i].subarray(7 * cols, 10 * cols)]);
    }
  });

  it('with one asset is gbmPaths-like GBM with that asset\'s volatility', () => {
    const one = correlatedGbmPaths({ s0: [1], drift: [0], volatilities: [0.3], correlation: [[1]], steps: 1, dt: 1 }, 20_000, stream(4, 'one'))[0];
    let sq = 0;
    for (let k = 0; k < 20_000; k++) sq += (Math.log(one[2 * k + 1]) + 0.045) ** 2;
    expect(Math.abs(sq / 20_000 / 0.09 - 1)).toBeLessThan(4 * Math.sqrt(2 / 20_000));
  });
});
