/**
 * Scores of the forecaster's sampled H-day paths (paper 000 §3.1, eq. 10-11: S_t = f_theta(S_{t-1}, eps_t), M paths
 * from each start of the test period) against the realised paths, all as cumulative log-returns per day and asset,
 * averaged over the starts (negatively oriented but for coverage; ensemble-scores.ts gives the forms):
 *   crps        mean over starts, days h and assets n of the ensemble CRPS of the M samples at (h, n),
 *   energy      mean over starts of the energy score of the M sampled H N vectors at the realised one,
 *   coverage    the fraction of (start, h, n) whose realised value lies in the central 50 % / 90 % sample interval,
 *   nll         mean over (start, h, n) of the Gaussian NLL (eq. 6 per term plus its constant, gaussian-scores.ts)
 *               of the realised value under N(xbar, s^2), the samples' mean and unbiased variance (sample-moments.ts).
 * The NLL needs the fitted Gaussian because a day's mu and sigma (eq. 5) belong to a sampled path's own past, not
 * to the realised one. A start whose realised path has a missing (non-finite) value is skipped, never filled.
 */
import { ensembleCovers, ensembleCrps, energyScore } from './ensemble-scores';
import { gaussianNll } from './gaussian-scores';
import { sampleMean, sampleVariance } from './sample-moments';

export interface PathScores {
  /** Mean ensemble CRPS per start, horizon day and asset. */
  crps: number;
  /** Mean over starts of the energy score of the H x N (cumulative log-return) vector. */
  energy: number;
  /** Fractions of (start, day, asset) whose realised value lies in the central 50 % and 90 % sample intervals. */
  coverage50: number;
  coverage90: number;
  /** Mean NLL of the realised cumulative return per start, day and asset under the samples' fitted Gaussian. */
  nll: number;
  /** Number of scored starts (realised path complete); the means are NaN when it is 0. */
  starts: number;
}

export interface PathShape {
  starts: number;
  paths: number;
  horizon: number;
  assets: number;
}

/**
 * `samples` [starts, M, H, N] cumulative log-returns (float32 or 64), `realised` [starts, H, N]: CRPS (ensemble
 * form) per asset and horizon day averaged, energy score of each start's H N vector averaged, coverage of the
 * central 50 % / 90 % sample intervals, NLL under the samples' fitted Gaussian.
 */
export function pathScores(samples: Float32Array | Float64Array, realised: Float64Array, shape: PathShape): PathScores {
  const { starts, paths, horizon, assets } = shape;
  for (const [name, value] of Object.entries(shape)) {
    if (!(Number.isInteger(value) && value >= 1)) throw new RangeError(`path scores: ${name} must be a whole number of at least 1, not ${value}`);
  }
  if (paths < 2) throw new RangeError(`path scores: the NLL's fitted Gaussian needs at least 2 sampled paths, not ${paths}`);
  const cells = horizon * assets;
  if (samples.length !== starts * paths * cells) {
    throw new RangeError(`path scores: ${samples.length} sample values, not starts x paths x horizon x assets = ${starts * paths * cells}`);
  }
  if (realised.length !== starts * cells) {
    throw new RangeError(`path scores: ${realised.length} realised values, not starts x horizon x assets = ${starts * cells}`);
  }
  let scored = 0, crps = 0, energy = 0, nll = 0, in50 = 0, in90 = 0;
  const column = new Float64Array(paths);
  for (let s = 0; s < starts; s++) {
    const y = realised.subarray(s * cells, (s + 1) * cells);
    if (!y.every(Number.isFinite)) continue;
    scored++;
    const block = Float64Array.from(samples.subarray(s * paths * cells, (s + 1) * paths * cells));
    energy += energyScore(block, y);
    for (let cell = 0; cell < cells; cell++) {
      for (let i = 0; i < paths; i++) column[i] = block[i * cells + cell];
      crps += ensembleCrps(column, y[cell]);
      if (ensembleCovers(column, y[cell], 0.5)) in50++;
      if (ensembleCovers(column, y[cell], 0.9)) in90++;
      const sd = Math.sqrt(sampleVariance(column));
      if (!(sd > 0)) throw new RangeError(`path scores: start ${s}, day ${Math.floor(cell / assets)}, asset ${cell % assets}: the samples do not spread (standard deviation ${sd})`);
      nll += gaussianNll(sampleMean(column), sd, y[cell]);
    }
  }
  const terms = scored * cells;
  return { crps: crps / terms, energy: energy / scored, coverage50: in50 / terms, coverage90: in90 / terms, nll: nll / terms, starts: scored };
}
