/**
 * Gaussian mixture with full covariances, fitted by expectation-maximisation in float64 (paper 003 appendix
 * 8.1.2): p(x | Θ) = Σ_k π_k N(x | μ_k, Σ_k); the number of components is chosen by
 * BIC(K) = -2 log L̂_K + p_K log T with p_K = (K - 1) + K d + K d (d + 1) / 2; each row is assigned to
 * z = argmax_k q_k(x), q_k(x) = π_k N(x | μ_k, Σ_k) / Σ_j π_j N(x | μ_j, Σ_j).
 * As in sklearn's GaussianMixture: k-means++ seeds refined by Lloyd iterations start each of several restarts
 * and the restart with the highest likelihood is kept; responsibilities come from log-sum-exp; `regCovar` is
 * added to every covariance diagonal; EM stops when the mean log-likelihood per row changes by less than
 * `tolerance`.
 */
import { cholesky, type Matrix } from '../linalg/cholesky';
import type { RandomStream } from '../random/stream';

export interface GaussianMixture {
  weights: number[];
  means: number[][];
  covariances: Matrix[];
  /** Σ_t log p(x_t | Θ) over the rows the mixture was fitted to, at these parameters. */
  logLikelihood: number;
  /** M-steps taken by the kept restart. */
  iterations: number;
  converged: boolean;
  /** Total log-likelihood at the initial parameters and after each M-step of the kept restart. */
  history: number[];
}

export interface MixtureOptions {
  /** k-means++ starts; the best likelihood is kept (default 5; one when k = 1). */
  restarts?: number;
  maxIterations?: number;
  /** On the change of the mean log-likelihood per row (default 1e-6). */
  tolerance?: number;
  /** Added to each covariance diagonal (sklearn's reg_covar, default 1e-6). */
  regCovar?: number;
  /** Restart j reads uniforms firstDraw + j k .. firstDraw + (j + 1) k - 1 of the stream (default 0). */
  firstDraw?: number;
}

const LOG_2PI = Math.log(2 * Math.PI);

/** The maximum-likelihood mixture of k components found from `restarts` k-means++ starts. */
export function fitGaussianMixture(rows: Float64Array[], k: number, rng: RandomStream, opts: MixtureOptions = {}): GaussianMixture {
  if (!Number.isInteger(k) || k < 1) throw new Error(`number of components must be a positive integer, got ${k}`);
  if (rows.length < k) throw new Error(`cannot fit ${k} components to ${rows.length} rows`);
  const d = rows[0].length;
  rows.forEach((row, t) => {
    if (row.length !== d) throw new Error(`row ${t + 1} has ${row.length} features, expected ${d}`);
    if (!row.every(Number.isFinite)) throw new Error(`row ${t + 1} has a value that is not a finite number`);
  });
  const restarts = k === 1 ? 1 : (opts.restarts ?? 5);
  const firstDraw = opts.firstDraw ?? 0;
  const x = new Float64Array(rows.length * d);
  rows.forEach((row, t) => x.set(row, t * d));
  let best: GaussianMixture | null = null;
  for (let j = 0; j < restarts; j++) {
    const u = rng.uniforms(new Float64Array(k), firstDraw + j * k);
    const fit = expectationMaximisation(x, d, k, kMeansResponsibilities(rows, k, u), opts);
    if (best === null || fit.logLikelihood > best.logLikelihood) best = fit;
  }
  return best as GaussianMixture;
}

/** The number of free parameters p_K of a full-covariance mixture of k components in d dimensions. */
export function parameterCount(k: number, d: number): number {
  return k - 1 + k * d + (k * d * (d + 1)) / 2;
}

/** BIC = -2 log L + p log n for a mixture fitted to n rows. */
export function bic(model: GaussianMixture, n: number): number {
  return -2 * model.logLikelihood + parameterCount(model.weights.length, model.means[0].length) * Math.log(n);
}

export interface BicSelection {
  /** The fitted mixture with the lowest BIC (the fewest components on a tie). */
  model: GaussianMixture;
  /** bicByK[K - 1] is the BIC of the K-component fit. */
  bicByK: number[];
  /** models[K - 1] is the K-component fit. */
  models: GaussianMixture[];
}

/**
 * Fits K = 1 .. maxK components and keeps the lowest BIC. The fits read disjoint draws of `rng`: K starts at
 * draw restarts K (K - 1) / 2.
 */
export function selectByBic(rows: Float64Array[], maxK: number, rng: RandomStream, opts: MixtureOptions = {}): BicSelection {
  if (!Number.isInteger(maxK) || maxK < 1) throw new Error(`maximum number of components must be a positive integer, got ${maxK}`);
  const restarts = opts.restarts ?? 5;
  const models: GaussianMixture[] = [];
  const bicByK: number[] = [];
  let best = 0;
  for (let k = 1; k <= maxK; k++) {
    const model = fitGaussianMixture(rows, k, rng, { ...opts, firstDraw: (opts.firstDraw ?? 0) + (restarts * k * (k - 1)) / 2 });
    models.push(model);
    bicByK.push(bic(model, rows.length));
    if (bicByK[k - 1] < bicByK[best]) best = k - 1;
  }
  return { model: models[best], bicByK, models };
}

/** Posterior component probabilities q_k(row), by log-sum-exp. */
export function posterior(model: GaussianMixture, row: Float64Array): Float64Array {
  const factors = model.covariances.map((cov, c) => factor(model.means[c], cov));
  const q = new Float64Array(model.weights.length);
  const scratch = new Float64Array(row.length);
  let max = -Infinity;
  for (let c = 0; c < q.length; c++) {
    q[c] = Math.log(model.weights[c]) + logDensity(factors[c], row, 0, scratch);
    max = Math.max(max, q[c]);
  }
  let sum = 0;
  for (let c = 0; c < q.length; c++) sum += Math.exp(q[c] - max);
  const lse = max + Math.log(sum);
  for (let c = 0; c < q.length; c++) q[c] = Math.exp(q[c] - lse);
  return q;
}

/** argmax_k q_k(row) (the first on a tie). */
export function assign(model: GaussianMixture, row: Float64Array): number {
  const q = posterior(model, row);
  let best = 0;
  for (let c = 1; c < q.length; c++) if (q[c] > q[best]) best = c;
  return best;
}

/** A component ready for density evaluations: its mean and Cholesky factor, flattened. */
interface Factor {
  mean: Float64Array;
  /** L row-major (d x d), L Lᵀ = Σ. */
  l: Float64Array;
  /** -d/2 log 2π - log det L, the log normalising constant of N(· | μ, L Lᵀ). */
  logNorm: number;
}

function factor(mean: number[], covariance: Matrix): Factor {
  const d = mean.length;
  const l = cholesky(covariance);
  let logDet = 0;
  for (let j = 0; j < d; j++) logDet += Math.log(l[j][j]);
  return { mean: Float64Array.from(mean), l: Float64Array.from(l.flat()), logNorm: -0.5 * d * LOG_2PI - logDet };
}

/** log N(x[at .. at + d - 1] | μ, L Lᵀ), solving L y = x - μ into `y` (length d). */
function logDensity(f: Factor, x: Float64Array, at: number, y: Float64Array): number {
  const d = y.length;
  const l = f.l;
  let q = 0;
  for (let i = 0; i < d; i++) {
    let s = x[at + i] - f.mean[i];
    for (let j = 0; j < i; j++) s -= l[i * d + j] * y[j];
    const yi = s / l[i * d + i];
    y[i] = yi;
    q += yi * yi;
  }
  return f.logNorm - 0.5 * q;
}

interface Parameters {
  weights: number[];
  means: number[][];
  covariances: Matrix[];
}

/** Weighted means and covariances from responsibilities (n x k, row-major) of rows x (n x d), as sklearn's M-step. */
function maximisation(x: Float64Array, d: number, k: number, resp: Float64Array, regCovar: number): Parameters {
  const n = x.length / d;
  const nk = new Float64Array(k).fill(10 * Number.EPSILON);
  const mean = new Float64Array(k * d);
  for (let t = 0; t < n; t++) {
    for (let c = 0; c < k; c++) {
      const r = resp[t * k + c];
      nk[c] += r;
      for (let i = 0; i < d; i++) mean[c * d + i] += r * x[t * d + i];
    }
  }
  for (let c = 0; c < k; c++) for (let i = 0; i < d; i++) mean[c * d + i] /= nk[c];
  const cov = new Float64Array(k * d * d);
  const diff = new Float64Array(d);
  for (let t = 0; t < n; t++) {
    for (let c = 0; c < k; c++) {
      const r = resp[t * k + c];
      if (r === 0) continue;
      for (let i = 0; i < d; i++) diff[i] = x[t * d + i] - mean[c * d + i];
      for (let i = 0; i < d; i++) {
        const ri = r * diff[i];
        const at = (c * d + i) * d;
        for (let j = 0; j <= i; j++) cov[at + j] += ri * diff[j];
      }
    }
  }
  const covariances = Array.from({ length: k }, (_, c) => {
    const m: Matrix = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    for (let i = 0; i < d; i++) {
      for (let j = 0; j <= i; j++) m[j][i] = m[i][j] = cov[(c * d + i) * d + j] / nk[c];
      m[i][i] += regCovar;
    }
    return m;
  });
  return {
    weights: Array.from(nk, (v) => v / n),
    means: Array.from({ length: k }, (_, c) => Array.from(mean.subarray(c * d, (c + 1) * d))),
    covariances,
  };
}

/** Fills `resp` with the responsibilities of `p` for rows x (n x d) and returns Σ_t log p(x_t). */
function expectation(x: Float64Array, d: number, p: Parameters, resp: Float64Array): number {
  const k = p.weights.length;
  const n = x.length / d;
  const factors = p.covariances.map((cov, c) => factor(p.means[c], cov));
  const logWeights = p.weights.map(Math.log);
  const scratch = new Float64Array(d);
  let total = 0;
  for (let t = 0; t < n; t++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) {
      const v = logWeights[c] + logDensity(factors[c], x, t * d, scratch);
      resp[t * k + c] = v;
      if (v > max) max = v;
    }
    let sum = 0;
    for (let c = 0; c < k; c++) sum += resp[t * k + c] = Math.exp(resp[t * k + c] - max);
    total += max + Math.log(sum);
    for (let c = 0; c < k; c++) resp[t * k + c] /= sum;
  }
  return total;
}

function expectationMaximisation(x: Float64Array, d: number, k: number, resp: Float64Array, opts: MixtureOptions): GaussianMixture {
  const maxIterations = opts.maxIterations ?? 500;
  const tolerance = opts.tolerance ?? 1e-6;
  const regCovar = opts.regCovar ?? 1e-6;
  let p = maximisation(x, d, k, resp, regCovar);
  let logLikelihood = expectation(x, d, p, resp);
  const history = [logLikelihood];
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations && !converged) {
    p = maximisation(x, d, k, resp, regCovar);
    iterations++;
    const next = expectation(x, d, p, resp);
    history.push(next);
    converged = (Math.abs(next - logLikelihood) * d) / x.length < tolerance;
    logLikelihood = next;
  }
  return { ...p, logLikelihood, iterations, converged, history };
}

/**
 * One-hot responsibilities (n x k) of k-means: k-means++ seeding (the first seed uniform, each next one drawn
 * with probability proportional to the squared distance to the nearest seed, one uniform each from `u`), then
 * Lloyd iterations until no row changes cluster (at most 100).
 */
function kMeansResponsibilities(rows: Float64Array[], k: number, u: Float64Array): Float64Array {
  const n = rows.length;
  const d = rows[0].length;
  const distance2 = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
    let s = 0;
    for (let i = 0; i < d; i++) s += (a[i] - b[i]) ** 2;
    return s;
  };
  const centres: Float64Array[] = [Float64Array.from(rows[Math.min(n - 1, Math.floor(u[0] * n))])];
  const nearest = rows.map((row) => distance2(row, centres[0]));
  for (let c = 1; c < k; c++) {
    const total = nearest.reduce((a, b) => a + b, 0);
    let pick = Math.min(n - 1, Math.floor(u[c] * n));
    if (total > 0) {
      let target = u[c] * total;
      for (pick = 0; pick < n - 1 && target >= nearest[pick]; pick++) target -= nearest[pick];
    }
    centres.push(Float64Array.from(rows[pick]));
    for (let t = 0; t < n; t++) nearest[t] = Math.min(nearest[t], distance2(rows[t], centres[c]));
  }
  const label = new Int32Array(n).fill(-1);
  for (let iteration = 0; iteration < 100; iteration++) {
    let changed = false;
    for (let t = 0; t < n; t++) {
      let best = 0;
      let bestDistance = Infinity;
      for (let c = 0; c < k; c++) {
        const dist = distance2(rows[t], centres[c]);
        if (dist < bestDistance) {
          bestDistance = dist;
          best = c;
        }
      }
      if (label[t] !== best) changed = true;
      label[t] = best;
    }
    if (!changed) break;
    const sums = Array.from({ length: k }, () => new Float64Array(d));
    const counts = new Float64Array(k);
    for (let t = 0; t < n; t++) {
      counts[label[t]]++;
      for (let i = 0; i < d; i++) sums[label[t]][i] += rows[t][i];
    }
    for (let c = 0; c < k; c++) if (counts[c] > 0) for (let i = 0; i < d; i++) centres[c][i] = sums[c][i] / counts[c];
  }
  const resp = new Float64Array(n * k);
  for (let t = 0; t < n; t++) resp[t * k + label[t]] = 1;
  return resp;
}
