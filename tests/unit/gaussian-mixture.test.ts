import { describe, expect, it } from 'vitest';
import { cholesky, lowerTimes } from '../../src/engine/linalg/cholesky';
import { assign, bic, fitGaussianMixture, parameterCount, posterior, selectByBic } from '../../src/engine/markets/gaussian-mixture';
import { stream } from '../../src/engine/random/stream';

// Three well-separated 2-D Gaussians with distinct shapes and weights.
const truth = [
  { weight: 0.5, mean: [0, 0], cov: [[1, 0.3], [0.3, 0.5]] },
  { weight: 0.3, mean: [8, 1], cov: [[0.6, -0.2], [-0.2, 0.8]] },
  { weight: 0.2, mean: [2, 9], cov: [[1.5, 0.6], [0.6, 1]] },
];
const n = 3000;
const counts = truth.map((g) => Math.round(g.weight * n));
const rows: Float64Array[] = [];
const source: number[] = [];
{
  const z = stream(7, 'test', 'mixture-sample').normals(new Float64Array(2 * n));
  let at = 0;
  truth.forEach((g, c) => {
    const l = cholesky(g.cov);
    for (let j = 0; j < counts[c]; j++, at++) {
      const y = lowerTimes(l, z.subarray(2 * at, 2 * at + 2), new Float64Array(2));
      rows.push(Float64Array.from([g.mean[0] + y[0], g.mean[1] + y[1]]));
      source.push(c);
    }
  });
}

/** The maximum-likelihood weight, mean and covariance of each generating component from its own rows. */
const oracle = truth.map((_, c) => {
  const own = rows.filter((_, t) => source[t] === c);
  const mean = [0, 1].map((i) => own.reduce((a, r) => a + r[i], 0) / own.length);
  const cov = [0, 1].map((i) => [0, 1].map((j) => own.reduce((a, r) => a + (r[i] - mean[i]) * (r[j] - mean[j]), 0) / own.length));
  return { weight: own.length / n, mean, cov };
});

describe('Gaussian mixture by EM', () => {
  const model = fitGaussianMixture(rows, 3, stream(1, 'test', 'mixture'));
  // Fitted component matching generating component c: the one whose mean is nearest.
  const match = truth.map((g) => {
    const d = model.means.map((m) => (m[0] - g.mean[0]) ** 2 + (m[1] - g.mean[1]) ** 2);
    return d.indexOf(Math.min(...d));
  });

  it('recovers the weights, means and covariances of three well-separated Gaussians', () => {
    expect(new Set(match).size).toBe(3);
    expect(model.converged).toBe(true);
    truth.forEach((g, c) => {
      const k = match[c];
      // Against the per-component maximum-likelihood estimates (the labels EM does not see): nearly exact.
      expect(Math.abs(model.weights[k] - oracle[c].weight)).toBeLessThan(2e-3);
      for (let i = 0; i < 2; i++) {
        expect(Math.abs(model.means[k][i] - oracle[c].mean[i])).toBeLessThan(1e-2);
        for (let j = 0; j < 2; j++) expect(Math.abs(model.covariances[k][i][j] - oracle[c].cov[i][j])).toBeLessThan(2e-2);
      }
      // Against the generating parameters: within sampling error (4 standard errors).
      const nk = counts[c];
      expect(Math.abs(model.weights[k] - g.weight)).toBeLessThan(4 * Math.sqrt((g.weight * (1 - g.weight)) / n) + 2e-3);
      for (let i = 0; i < 2; i++) {
        expect(Math.abs(model.means[k][i] - g.mean[i])).toBeLessThan(4 * Math.sqrt(g.cov[i][i] / nk) + 1e-2);
        for (let j = 0; j < 2; j++) {
          const se = Math.sqrt((g.cov[i][j] ** 2 + g.cov[i][i] * g.cov[j][j]) / nk);
          expect(Math.abs(model.covariances[k][i][j] - g.cov[i][j])).toBeLessThan(4 * se + 2e-2);
        }
      }
    });
  });

  it('never decreases the log-likelihood from one EM iteration to the next', () => {
    expect(model.history.length).toBe(model.iterations + 1);
    expect(model.history[model.history.length - 1]).toBe(model.logLikelihood);
    for (let i = 1; i < model.history.length; i++) {
      expect(model.history[i]).toBeGreaterThanOrEqual(model.history[i - 1] - 1e-9 * Math.abs(model.history[i - 1]));
    }
    // A harder start (6 components for 3 clusters) climbs for longer; it too never goes down.
    const over = fitGaussianMixture(rows, 6, stream(2, 'test', 'mixture'), { restarts: 1 });
    expect(over.iterations).toBeGreaterThan(5);
    for (let i = 1; i < over.history.length; i++) {
      expect(over.history[i]).toBeGreaterThanOrEqual(over.history[i - 1] - 1e-9 * Math.abs(over.history[i - 1]));
    }
  });

  it('has posteriors that sum to one, also far in the tails, and assigns rows to their own component', () => {
    for (const x of [[0, 0], [8, 1], [2, 9], [4, 4], [-50, 80], [1e3, -1e3]]) {
      const q = posterior(model, Float64Array.from(x));
      expect(q.every((v) => v >= 0 && v <= 1)).toBe(true);
      expect(q.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
    const agree = rows.filter((r, t) => assign(model, r) === match[source[t]]).length;
    expect(agree / n).toBeGreaterThan(0.995);
    expect(assign(model, Float64Array.from(truth[1].mean))).toBe(match[1]);
  });

  it('selects three components by BIC out of one to six', () => {
    const selection = selectByBic(rows, 6, stream(3, 'test', 'mixture'));
    expect(selection.bicByK.length).toBe(6);
    expect(selection.bicByK.indexOf(Math.min(...selection.bicByK))).toBe(2);
    expect(selection.model.weights.length).toBe(3);
    expect(selection.bicByK[2]).toBe(bic(selection.models[2], n));
    expect(parameterCount(3, 2)).toBe(2 + 6 + 9);
    expect(bic(model, n)).toBeCloseTo(-2 * model.logLikelihood + 17 * Math.log(n), 8);
  });

  it('is reproducible from its stream and refuses more components than rows', () => {
    const again = fitGaussianMixture(rows, 3, stream(1, 'test', 'mixture'));
    expect(again.means).toEqual(model.means);
    expect(again.logLikelihood).toBe(model.logLikelihood);
    expect(() => fitGaussianMixture(rows.slice(0, 2), 3, stream(1, 'x'))).toThrow(/3 components to 2 rows/);
  });
});
