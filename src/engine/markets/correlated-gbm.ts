/**
 * Multi-asset geometric Brownian motion with correlated increments, exactly discretised (paper 003 eq. 2 and
 * §8.1.3, one regime):
 *   S^i_{t+1} = S^i_t exp((mu_i - sigma_i^2 / 2) dt + sigma_i sqrt(dt) (L Z_t)_i),  L L^T = correlation,
 * with Z_t ~ N(0, I_d) i.i.d. and L the Cholesky factor of the correlation matrix (linalg/cholesky.ts); the
 * covariance of the log returns per unit time is diag(sigma) C diag(sigma).
 * Path p uses normals p d steps .. (p + 1) d steps - 1 of its stream, d at a time per step (asset i of step t at
 * p d steps + t d + i), so the first k paths of a larger draw are the k paths of a smaller one. Computed in
 * float64, stored as float32, one row-major [n, steps + 1] array per asset.
 */
import { cholesky, lowerTimes, NotPositiveDefiniteError } from '../linalg/cholesky';
import type { RandomStream } from '../random/stream';

export interface CorrelatedGbmParams {
  s0: number[];
  drift: number[];
  volatilities: number[];
  /** Correlation matrix of the Brownian motions: symmetric, unit diagonal, positive definite. */
  correlation: number[][];
  steps: number;
  /** Interval length in years. */
  dt: number;
}

const TOLERANCE = 1e-12;

/**
 * Null when `c` is a valid correlation matrix (square, unit diagonal, symmetric, entries in [-1, 1], positive
 * definite); otherwise a message naming the first offending entry ("correlation[1][2]: ...") or saying that
 * the matrix is not positive definite. A perfect correlation of +-1 off the diagonal is singular, so refused.
 */
export function correlationError(c: number[][]): string | null {
  const d = c.length;
  if (d === 0) return 'correlation: the matrix is empty';
  for (let i = 0; i < d; i++) {
    if (!Array.isArray(c[i]) || c[i].length !== d) return `correlation[${i}]: has ${c[i]?.length ?? 0} entries, expected ${d}`;
  }
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      const v = c[i][j];
      if (!Number.isFinite(v)) return `correlation[${i}][${j}]: ${v} is not a finite number`;
      if (i === j && Math.abs(v - 1) > TOLERANCE) return `correlation[${i}][${i}]: diagonal entry is ${v}, expected 1`;
      if (Math.abs(v) > 1) return `correlation[${i}][${j}]: ${v} is outside [-1, 1]`;
      if (j < i && Math.abs(v - c[j][i]) > TOLERANCE) return `correlation[${i}][${j}]: ${v} differs from correlation[${j}][${i}] = ${c[j][i]}`;
    }
  }
  try {
    cholesky(c);
  } catch (e) {
    if (e instanceof NotPositiveDefiniteError) return `correlation: ${e.message}`;
    throw e;
  }
  return null;
}

/** Message for inconsistent parameters, or null. */
function paramsError(p: CorrelatedGbmParams): string | null {
  const d = p.s0.length;
  if (p.drift.length !== d) return `drift: has ${p.drift.length} entries, expected ${d} (one per asset)`;
  if (p.volatilities.length !== d) return `volatilities: has ${p.volatilities.length} entries, expected ${d} (one per asset)`;
  if (p.correlation.length !== d) return `correlation: is ${p.correlation.length} x ${p.correlation.length}, expected ${d} x ${d}`;
  return correlationError(p.correlation);
}

/** n paths per asset of steps + 1 prices each: element i is asset i's [n, steps + 1] array. Throws on bad params. */
export function correlatedGbmPaths(p: CorrelatedGbmParams, n: number, rng: RandomStream, firstPath = 0): Float32Array[] {
  const error = paramsError(p);
  if (error !== null) throw new Error(error);
  const d = p.s0.length;
  const cols = p.steps + 1;
  const l = cholesky(p.correlation);
  const out = p.s0.map(() => new Float32Array(n * cols));
  const mean = p.drift.map((mu, i) => (mu - 0.5 * p.volatilities[i] ** 2) * p.dt);
  const scale = p.volatilities.map((sigma) => sigma * Math.sqrt(p.dt));
  const block = d * p.steps;
  const z = new Float64Array(block);
  const correlated = new Float64Array(d);
  const logS = new Float64Array(d);
  for (let k = 0; k < n; k++) {
    rng.normals(z, (firstPath + k) * block);
    for (let i = 0; i < d; i++) {
      logS[i] = Math.log(p.s0[i]);
      out[i][k * cols] = p.s0[i];
    }
    for (let t = 0; t < p.steps; t++) {
      lowerTimes(l, z.subarray(t * d, (t + 1) * d), correlated);
      for (let i = 0; i < d; i++) {
        logS[i] += mean[i] + scale[i] * correlated[i];
        out[i][k * cols + t + 1] = Math.exp(logS[i]);
      }
    }
  }
  return out;
}
