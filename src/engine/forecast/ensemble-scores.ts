/**
 * Scores of a forecast given by M samples (an ensemble, e.g. paths drawn from a forecaster) against the realised
 * outcome y (the kernel forms of the CRPS and energy score in Gneiting & Raftery, JASA 102, 2007, with the expectations
 * taken over the ensemble, negatively oriented: smaller is better):
 *   ensemble CRPS  = (1/M) sum_i |x_i - y| - (1 / (2 M^2)) sum_{i,j} |x_i - x_j|,
 *   energy score   = (1/M) sum_i ||x_i - y|| - (1 / (2 M^2)) sum_{i,j} ||x_i - x_j||   (beta = 1, Euclidean norm).
 * The pair terms carry 1/M^2 (the V-statistic, not the "fair" 1/(M(M-1))), so the ensemble CRPS is exactly the
 * CRPS of the ensemble's empirical distribution. On sorted samples x_(1) <= ... <= x_(M),
 *   sum_{i,j} |x_i - x_j| = 2 sum_k (2k - M - 1) x_(k),
 * which gives the CRPS in O(M log M); the energy score sums all M^2 pairs (fine for M up to a few hundred).
 * Coverage uses the central interval [x_(ceil(a M)), x_(ceil(b M))], a = (1 - level)/2, b = (1 + level)/2, whose ends
 * are the a- and b-quantiles of the empirical distribution (F_M^{-1}(p) = x_(ceil(p M))).
 */
import { checkLevel } from './gaussian-scores';

function checkSamples(samples: Float64Array, what: string): void {
  if (samples.length === 0) throw new RangeError(`${what}: the ensemble is empty`);
  for (let i = 0; i < samples.length; i++) {
    if (!Number.isFinite(samples[i])) throw new RangeError(`${what}: sample value ${i} is ${samples[i]}, not a finite number`);
  }
}

/** CRPS of the empirical distribution of `samples` at y, by the sorted-sample form. */
export function ensembleCrps(samples: Float64Array, y: number): number {
  checkSamples(samples, 'ensemble CRPS');
  const m = samples.length;
  const sorted = Float64Array.from(samples).sort();
  let absolute = 0;
  let pairs = 0; // sum_k (2k - M - 1) x_(k), k = 1..M
  for (let k = 0; k < m; k++) {
    absolute += Math.abs(sorted[k] - y);
    pairs += (2 * k + 1 - m) * sorted[k];
  }
  return absolute / m - pairs / (m * m);
}

function distance(a: Float64Array, i: number, b: Float64Array, j: number, d: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) s += (a[i + k] - b[j + k]) ** 2;
  return Math.sqrt(s);
}

/**
 * Energy score (beta = 1) of M sampled vectors against y (length d): `samples` holds them row by row, sample i in
 * samples[i d .. (i + 1) d - 1], e.g. M paths of H days or M draws of N assets' returns.
 */
export function energyScore(samples: Float64Array, y: Float64Array): number {
  const d = y.length;
  if (d === 0 || samples.length % d !== 0) {
    throw new RangeError(`energy score: ${samples.length} sample values do not make whole vectors of length ${d}`);
  }
  checkSamples(samples, 'energy score');
  const m = samples.length / d;
  let toOutcome = 0;
  let pairs = 0; // sum over i < j, half of the sum over all (i, j)
  for (let i = 0; i < m; i++) {
    toOutcome += distance(samples, i * d, y, 0, d);
    for (let j = i + 1; j < m; j++) pairs += distance(samples, i * d, samples, j * d, d);
  }
  return toOutcome / m - pairs / (m * m);
}

/** Whether y lies in the central `level` interval [x_(ceil(a M)), x_(ceil(b M))] of the ensemble. */
export function ensembleCovers(samples: Float64Array, y: number, level: number): boolean {
  checkLevel(level);
  checkSamples(samples, 'ensemble coverage');
  const m = samples.length;
  // Ranks of the interval's ends, 1-based; the 1e-9 keeps p M = 5 from becoming ceil(5.000000000000001) = 6.
  const lower = Math.max(1, Math.ceil(0.5 * (1 - level) * m - 1e-9));
  const upper = Math.max(1, Math.ceil(0.5 * (1 + level) * m - 1e-9));
  // y >= x_(lower) iff at least `lower` samples are <= y; y <= x_(upper) iff fewer than `upper` samples are < y.
  let atOrBelow = 0, below = 0;
  for (let i = 0; i < m; i++) {
    if (samples[i] <= y) atOrBelow++;
    if (samples[i] < y) below++;
  }
  return atOrBelow >= lower && below < upper;
}
