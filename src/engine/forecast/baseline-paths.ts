/**
 * H-day paths of the three baselines from a start day t, to score them over paths as the forecaster is
 * (path-scores.ts): each model's own dynamics from its state on the morning of day t, r_{t+d} = mu_t +
 * sigma_{t+d} z_d, z_d ~ N(0, 1) from the stream, and sigma^2_{t+d+1} = the model's recursion of the sampled
 * return: the random walk keeps its sigma (iid returns, the square-root-of-time rule), EWMA its RiskMetrics
 * recursion (an integrated GARCH without intercept) and GARCH(1,1) its fitted one.
 */
import type { RandomStream } from '../random/stream';
import type { Baseline } from './baseline-forecasts';

/** Cumulative log-returns [starts, paths, horizon] of `baseline`'s paths from each start day. */
export function baselinePaths(baseline: Baseline, starts: number[], horizon: number, paths: number, rng: RandomStream): Float64Array {
  const out = new Float64Array(starts.length * paths * horizon);
  const z = rng.normals(new Float64Array(out.length));
  starts.forEach((t, k) => {
    const mu = baseline.forecast.mu[t]!;
    const start = baseline.forecast.sigma[t]! ** 2;
    for (let p = 0; p < paths; p++) {
      let variance = start;
      let sum = 0;
      for (let d = 0; d < horizon; d++) {
        const at = (k * paths + p) * horizon + d;
        const r = mu + Math.sqrt(variance) * z[at]!;
        out[at] = sum += r;
        variance = baseline.nextVariance(variance, r);
      }
    }
  });
  return out;
}
