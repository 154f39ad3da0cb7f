/**
 * Regime-switching multivariate GBM (paper 003 §3.2 and appendix 8.1). Calibration uses the training range
 * only (8.1.2): features of each date (regime-features.ts) are standardised, a Gaussian mixture with K* = argmin
 * BIC(K) components labels each day z_t = argmax_k q_k(x̄_t), and each regime k gets the empirical covariance
 * Σ̂_k of the asset log-returns of its days, with Cholesky factor L̂_k; the drift μ̂ is one for all regimes.
 * The return a date t contributes is the one that follows it, log(S_{t+1} / S_t), not the one ending at t: z_t
 * uses prices up to t, so it is the regime the market is in when a window starts at t (how test windows are
 * labelled, 8.1.4), and it selects returns it was not computed from. Labelling day t's own return would bias
 * Σ̂_k by selection, since x1 and x4 are that return's level and spread (a regime of quiet-dispersion days shows
 * inflated correlations, one of large moves inflated volatility).
 * Simulation (8.1.3): S_t = S_{t-1} ⊙ exp((μ̂ - diag(Σ̂_k) / 2) Δt + L̂_k Z_t √Δt), Z_t ~ N(0, I), one regime per
 * path for the whole window. Test dates are labelled with the fitted scaler and mixture (8.1.4), from prices up
 * to that date only.
 * Conventions: the training range is half-open [start, end); a feature row at t reads prices t - 61 .. t (t - 31
 * with one asset), which may lie before `start` but never at or after `end`. Regimes are numbered by increasing
 * variance of the equal-weighted portfolio (regime 0 is the calmest), and the mixture's components are reordered
 * to match. A regime needs `minRegimeDays` labelled days (at least r + 1 for r assets) and a positive-definite
 * covariance; when a component of the BIC-best mixture fails that, the next-best K by BIC whose regimes all pass
 * is used instead (so `regimes` is argmin BIC unless that happened), and with none an error says so.
 */
import { cholesky, lowerTimes, NotPositiveDefiniteError, type Matrix } from '../linalg/cholesky';
import { stream, type RandomStream } from '../random/stream';
import { assign, selectByBic, type GaussianMixture } from './gaussian-mixture';
import { featureLookback, featureRow, fitScaler, regimeFeatures, standardise, type Scaler } from './regime-features';

export interface RegimeModel {
  featureNames: string[];
  scaler: Scaler;
  /** Fitted to the standardised features; component k is regime k. */
  mixture: GaussianMixture;
  /** bicByK[K - 1] is BIC(K) of the K-component mixture. */
  bicByK: number[];
  /** K*. */
  regimes: number;
  /** The half-open range of date indices the model was fitted on. */
  trainRange: [number, number];
  periodsPerYear: number;
  /** labels[j] is the regime of date trainRange[0] + j, or -1 where that date has no features. */
  labels: Int32Array;
  /** Per asset, annualised: periodsPerYear times the mean daily simple return S_{t+1} / S_t - 1 over the labelled days t (μ of eq. 2). */
  drift: number[];
  /** Per regime, the annualised sample covariance (periodsPerYear times, divisor n - 1) of log(S_{t+1} / S_t) over its days t. */
  covariance: Matrix[];
  /** Per regime, lower-triangular L with L Lᵀ = covariance. */
  cholesky: Matrix[];
  /** Per regime per asset, annualised volatility sqrt(covariance[k][i][i]). */
  regimeVolatility: number[][];
  /** Per regime, its share of the labelled training days. */
  frequency: number[];
}

export interface RegimeFitOptions {
  maxRegimes: number;
  periodsPerYear: number;
  /** Seeds the mixture's k-means++ starts (stream 'regimes/mixture'). */
  seed: number;
  /**
   * Fewest labelled days a regime may have (default: the feature look-back, 30 days or 60 with several assets:
   * the features are rolling statistics over that window, so a state seen on fewer days is a passage between
   * states, and a covariance from so few returns is too noisy to simulate an equal share of paths from). Never
   * below r + 1, the paper's minimum for a positive-definite covariance; set it to r + 1 for the paper's rule.
   */
  minRegimeDays?: number;
}

/** Calibrates the regimes and their covariances on close[.][trainRange[0] .. trainRange[1] - 1] (appendix 8.1.2). */
export function fitRegimeModel(close: Float64Array[], trainRange: [number, number], opts: RegimeFitOptions): RegimeModel {
  const r = close.length;
  if (r === 0) throw new Error('the price panel has no assets');
  const length = close[0].length;
  close.forEach((c, i) => {
    if (c.length !== length) throw new Error(`asset ${i + 1} has ${c.length} prices, expected ${length} (aligned dates)`);
  });
  const [start, end] = trainRange;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > length || start >= end) {
    throw new Error(`training range [${start}, ${end}) is not a non-empty range of dates 0 .. ${length}`);
  }
  if (!(opts.periodsPerYear > 0 && Number.isFinite(opts.periodsPerYear))) throw new Error(`periods per year must be positive, got ${opts.periodsPerYear}`);
  const features = regimeFeatures(close, trainRange, opts.periodsPerYear);
  const n = features.dates.length;
  if (n < 10 * opts.maxRegimes) {
    throw new Error(`the training range has ${n} dates with features, fewer than 10 per regime for up to ${opts.maxRegimes} regimes`);
  }
  const scaler = fitScaler(features.values);
  const rows = features.values.map((row) => standardise(scaler, row));
  const selection = selectByBic(rows, opts.maxRegimes, stream(opts.seed, 'regimes', 'mixture'));
  // The return each labelled date t governs: log(S_{t+1} / S_t), where t + 1 is still inside the range.
  const following: { j: number; returns: number[] }[] = [];
  features.dates.forEach((t, j) => {
    const returns = t + 1 < end ? close.map((c) => Math.log(c[t + 1] / c[t])) : [NaN];
    if (returns.every(Number.isFinite)) following.push({ j, returns });
  });
  const returns = following.map((f) => f.returns);

  const minDays = Math.max(r + 1, opts.minRegimeDays ?? featureLookback(r));
  const byBic = selection.bicByK.map((b, k) => ({ b, k })).sort((a, b) => a.b - b.b || a.k - b.k);
  const failures: string[] = [];
  for (const { k } of byBic) {
    const mixture = selection.models[k];
    const dayLabels = rows.map((row) => assign(mixture, row));
    const regimes = regimeCovariances(returns, following.map((f) => dayLabels[f.j]), r, k + 1, opts.periodsPerYear, minDays);
    if (typeof regimes === 'string') {
      failures.push(`K = ${k + 1}: ${regimes}`);
      continue;
    }
    // Order by the variance of the equal-weighted portfolio, w' Σ_k w with w = 1 / r.
    const portfolioVariance = regimes.map((cov) => cov.flat().reduce((a, b) => a + b, 0) / (r * r));
    const order = portfolioVariance.map((v, c) => ({ v, c })).sort((a, b) => a.v - b.v || a.c - b.c).map((e) => e.c);
    const rank = new Int32Array(order.length);
    order.forEach((c, j) => (rank[c] = j));
    const covariance = order.map((c) => regimes[c]);
    const labels = new Int32Array(end - start).fill(-1);
    const counts = new Array<number>(order.length).fill(0);
    features.dates.forEach((t, j) => {
      labels[t - start] = rank[dayLabels[j]];
      counts[rank[dayLabels[j]]]++;
    });
    const drift = new Array<number>(r).fill(0);
    for (const ret of returns) for (let i = 0; i < r; i++) drift[i] += Math.expm1(ret[i]);
    return {
      featureNames: features.names,
      scaler,
      mixture: {
        ...mixture,
        weights: order.map((c) => mixture.weights[c]),
        means: order.map((c) => mixture.means[c]),
        covariances: order.map((c) => mixture.covariances[c]),
      },
      bicByK: selection.bicByK,
      regimes: order.length,
      trainRange: [start, end],
      periodsPerYear: opts.periodsPerYear,
      labels,
      drift: drift.map((m) => (opts.periodsPerYear * m) / returns.length),
      covariance,
      cholesky: covariance.map((cov) => cholesky(cov)),
      regimeVolatility: covariance.map((cov) => cov.map((row, i) => Math.sqrt(row[i]))),
      frequency: counts.map((c) => c / n),
    };
  }
  throw new Error(`no number of regimes up to ${opts.maxRegimes} gives every regime ${minDays} days and a positive-definite covariance (${failures.join('; ')})`);
}

/**
 * Annualised sample covariances of the returns labelled with each regime, or why one of them has none: fewer
 * than minDays returns, or a matrix that is not positive definite.
 */
function regimeCovariances(returns: number[][], labels: number[], r: number, k: number, periodsPerYear: number, minDays: number): Matrix[] | string {
  const covariances: Matrix[] = [];
  for (let c = 0; c < k; c++) {
    const days = returns.filter((_, j) => labels[j] === c);
    if (days.length < minDays) return `regime ${c + 1} of ${k} has ${days.length} days, fewer than ${minDays}`;
    const mean = new Array<number>(r).fill(0);
    for (const day of days) for (let i = 0; i < r; i++) mean[i] += day[i] / days.length;
    const cov: Matrix = Array.from({ length: r }, () => new Array<number>(r).fill(0));
    for (const day of days) for (let i = 0; i < r; i++) for (let j = 0; j <= i; j++) cov[i][j] += (day[i] - mean[i]) * (day[j] - mean[j]);
    for (let i = 0; i < r; i++) for (let j = 0; j <= i; j++) cov[j][i] = cov[i][j] = (periodsPerYear * cov[i][j]) / (days.length - 1);
    try {
      cholesky(cov);
    } catch (e) {
      if (e instanceof NotPositiveDefiniteError) return `regime ${c + 1} of ${k}: covariance ${e.message}`;
      throw e;
    }
    covariances.push(cov);
  }
  return covariances;
}

/**
 * The regime of date t (e.g. a test window's start) under the fitted scaler and mixture, from prices at dates
 * up to t only (appendix 8.1.4); -1 where t has no features (a missing price in its look-back window).
 */
export function regimeAt(model: RegimeModel, close: Float64Array[], t: number): number {
  if (close.length !== model.drift.length) throw new Error(`the model has ${model.drift.length} assets, the panel ${close.length}`);
  const row = featureRow(close, t, model.periodsPerYear);
  return row ? assign(model.mixture, standardise(model.scaler, row)) : -1;
}

export interface RegimePaths {
  /** Per asset, n x (steps + 1) prices, row-major. */
  assets: Float32Array[];
  /** The regime of each path. */
  regime: Int32Array;
}

/**
 * n paths of `steps` steps of length dt (years) from s0 (appendix 8.1.3). Path p (counting from `firstPath`)
 * has regime p mod K for its whole window, so regimes get equal numbers of paths as in the paper, and uses
 * normals p steps r .. (p + 1) steps r - 1 of `rng` (step-major, asset-minor): the first k paths of a larger
 * draw are the k paths of a smaller one. Computed in float64, stored as float32.
 */
export function regimePaths(model: RegimeModel, n: number, steps: number, dt: number, s0: number, rng: RandomStream, firstPath = 0): RegimePaths {
  const r = model.drift.length;
  const cols = steps + 1;
  const assets = Array.from({ length: r }, () => new Float32Array(n * cols));
  const regime = new Int32Array(n);
  const z = new Float64Array(steps * r);
  const shock = new Float64Array(r);
  const logS = new Float64Array(r);
  const sqrtDt = Math.sqrt(dt);
  const meanStep = model.covariance.map((cov) => model.drift.map((mu, i) => (mu - cov[i][i] / 2) * dt));
  for (let p = 0; p < n; p++) {
    const k = (firstPath + p) % model.regimes;
    regime[p] = k;
    rng.normals(z, (firstPath + p) * steps * r);
    logS.fill(Math.log(s0));
    for (let i = 0; i < r; i++) assets[i][p * cols] = s0;
    for (let t = 0; t < steps; t++) {
      lowerTimes(model.cholesky[k], z.subarray(t * r, (t + 1) * r), shock);
      for (let i = 0; i < r; i++) {
        logS[i] += meanStep[k][i] + shock[i] * sqrtDt;
        assets[i][p * cols + t + 1] = Math.exp(logS[i]);
      }
    }
  }
  return { assets, regime };
}
