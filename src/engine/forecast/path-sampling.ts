/**
 * Future paths from the forecaster, paper 000 eq. 10-11: S_t = f_theta(S_{t-1}, eps_t). Each day's Gaussian
 * forecast (eq. 5), read from the history so far, gives r_t = mu_t + sigma_t eps_t, eps_t ~ N(0, 1) from the
 * run's stream; the sampled return joins the history and the next day is forecast from it (autoregressive,
 * M paths side by side). Read as a generalised geometric Brownian motion, dS / S = m_t dt + sigma_t dW with
 * coefficients adapted to the path's own past, the log-return over a day is (m_t - sigma_t^2 / 2) dt + sigma_t dW.
 * The risk-neutral measure replaces m_t by the risk-free rate: on the close channel
 *   r^Q_t = rate dt - sigma_t^2 / 2 + sigma_t eps_t,
 * with sigma_t the forecaster's daily sigma from the risk-neutral path so far. Given the past, E^Q[exp(r^Q_t)] =
 * exp(rate dt), so e^{-rate t dt} S_t is a martingale whatever the forecaster does; the other channels (eq. 2's
 * O, H, L, before the close, which is last) keep the model's means.
 * The history is one [L, N, C] for every path or one per path, [M, L, N, C] (e.g. the test period's starts). Paths
 * go through the forecaster `chunk` at a time to bound memory; path p's draws are always positions
 * draw + p H N C .. draw + (p + 1) H N C - 1 of the stream, so the result does not depend on the chunk.
 */
import * as tf from '@tensorflow/tfjs';
import type { RandomStream } from '../random/stream';
import type { SpatioTemporalForecaster } from './spatio-temporal-forecaster';

export interface SamplingOptions {
  horizon: number;
  paths: number;
  measure: 'physical' | 'risk-neutral';
  /** Continuously compounded risk-free rate per year, and the year fraction of a day: risk-neutral only. */
  rate?: number;
  dt?: number;
  /** Draws come from this stream, starting at draw `draw` (so that each call can read its own range). */
  rng: RandomStream;
  draw?: number;
  /** Paths per forward pass (default: all of them). */
  chunk?: number;
}

export interface SampledPaths {
  /** [paths, horizon, N, C] sampled returns, and the daily mu and sigma they were drawn with. */
  returns: Float32Array;
  mu: Float32Array;
  sigma: Float32Array;
  shape: [number, number, number, number];
}

/**
 * M paths of `horizon` days after `history`, [L, N, C] shared by all paths or [M, L, N, C] one per path (NaN
 * where missing), one forecast a day.
 */
export async function samplePaths(model: SpatioTemporalForecaster, history: tf.Tensor3D | tf.Tensor4D, o: SamplingOptions): Promise<SampledPaths> {
  const [context, n, c] = history.rank === 4 ? history.shape.slice(1) : history.shape;
  const { horizon, paths } = o;
  if (!(Number.isInteger(horizon) && horizon >= 1 && Number.isInteger(paths) && paths >= 1)) throw new RangeError(`sampling: horizon and paths must be whole numbers of at least 1, not ${horizon} and ${paths}`);
  if (history.rank === 4 && history.shape[0] !== paths) throw new RangeError(`sampling: ${history.shape[0]} histories for ${paths} paths; a history per path needs as many as the paths`);
  const chunk = o.chunk ?? paths;
  if (!(Number.isInteger(chunk) && chunk >= 1)) throw new RangeError(`sampling: chunk must be a whole number of at least 1, not ${chunk}`);
  const riskNeutral = o.measure === 'risk-neutral';
  const dayRate = riskNeutral ? (o.rate ?? 0) * (o.dt ?? 1 / 252) : 0;
  const perPath = horizon * n * c;
  const out = { returns: new Float32Array(paths * perPath), mu: new Float32Array(paths * perPath), sigma: new Float32Array(paths * perPath) };
  for (let first = 0; first < paths; first += chunk) {
    const count = Math.min(chunk, paths - first);
    const eps = o.rng.normals(new Float32Array(count * perPath), (o.draw ?? 0) + first * perPath);
    const start = tf.tidy(() =>
      history.rank === 4 ? history.slice([first, 0, 0, 0], [count, context, n, c]) : tf.tile(history.expandDims(0), [count, 1, 1, 1]),
    ) as tf.Tensor4D;
    let sampled: tf.Tensor4D | null = null;
    try {
      for (let day = 0; day < horizon; day++) {
        // History, the days sampled so far, and a placeholder target: the forecast of the target reads none of it.
        const parts = [start, ...(sampled ? [sampled] : []), tf.zeros([count, 1, n, c])];
        const { mu, sigma } = tf.tidy(() => {
          const forecast = model.apply(tf.concat(parts, 1) as tf.Tensor4D, context);
          const last = (x: tf.Tensor4D) => x.slice([0, day, 0, 0], [count, 1, n, c]);
          return { mu: last(forecast.mu), sigma: last(forecast.sigma) };
        });
        tf.dispose(parts.at(-1)!);
        const [m, s] = await Promise.all([mu.data(), sigma.data()]);
        tf.dispose([mu, sigma]);
        const next = new Float32Array(count * n * c);
        for (let p = 0; p < count; p++)
          for (let a = 0; a < n; a++)
            for (let k = 0; k < c; k++) {
              const at = (p * n + a) * c + k;
              const from = ((p * horizon + day) * n + a) * c + k;
              const to = first * perPath + from;
              const close = k === c - 1;
              const drift = riskNeutral && close ? dayRate - 0.5 * s[at]! * s[at]! : m[at]!;
              next[at] = drift + s[at]! * eps[from]!;
              out.returns[to] = next[at]!;
              out.mu[to] = m[at]!;
              out.sigma[to] = s[at]!;
            }
        const step = tf.tensor4d(next, [count, 1, n, c]);
        const grown: tf.Tensor4D = sampled ? (tf.concat([sampled, step], 1) as tf.Tensor4D) : step;
        if (sampled) tf.dispose([sampled, step]);
        sampled = grown;
      }
    } finally {
      tf.dispose([start, ...(sampled ? [sampled] : [])]);
    }
  }
  return { ...out, shape: [paths, horizon, n, c] };
}

/** Asset `asset`'s cumulative close log-return after each day of each path, [paths, horizon] (the close is the last channel). */
export function cumulativeClose(sampled: SampledPaths, asset: number): Float64Array {
  const [paths, horizon, n, c] = sampled.shape;
  const out = new Float64Array(paths * horizon);
  for (let p = 0; p < paths; p++) {
    let sum = 0;
    for (let d = 0; d < horizon; d++) out[p * horizon + d] = sum += sampled.returns[((p * horizon + d) * n + asset) * c + c - 1]!;
  }
  return out;
}
