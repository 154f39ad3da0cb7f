/**
 * Geometric Brownian motion, exactly discretised (paper 001 §5.1, pfhedge's BrownianStock):
 *   S_{t+1} = S_t exp((mu - sigma^2 / 2) dt + sigma sqrt(dt) Z_t),  Z_t ~ N(0, 1) i.i.d.
 * Path p uses normals p * steps .. p * steps + steps - 1 of its stream, so the first k paths of a larger
 * draw are the k paths of a smaller one. Computed in float64, stored as float32 (row-major, n x (steps + 1)).
 */
import * as tf from '@tensorflow/tfjs';
import type { RandomStream } from '../random/stream';

export interface GbmParams {
  s0: number;
  drift: number;
  volatility: number;
  steps: number;
  /** Interval length in years. */
  dt: number;
}

/** n paths of steps + 1 prices each, as a typed array. */
export function gbmPaths(p: GbmParams, n: number, normals: RandomStream, firstPath = 0): Float32Array {
  const cols = p.steps + 1;
  const out = new Float32Array(n * cols);
  const z = normals.normals(new Float64Array(n * p.steps), firstPath * p.steps);
  const mean = (p.drift - 0.5 * p.volatility * p.volatility) * p.dt;
  const scale = p.volatility * Math.sqrt(p.dt);
  for (let i = 0; i < n; i++) {
    let logS = Math.log(p.s0);
    out[i * cols] = p.s0;
    for (let t = 0; t < p.steps; t++) {
      logS += mean + scale * z[i * p.steps + t];
      out[i * cols + t + 1] = Math.exp(logS);
    }
  }
  return out;
}

/** The same paths as a float32 tensor on the active backend, shape [n, steps + 1]. */
export function gbmPathsTensor(p: GbmParams, n: number, normals: RandomStream, firstPath = 0): tf.Tensor2D {
  return tf.tensor2d(gbmPaths(p, n, normals, firstPath), [n, p.steps + 1]);
}
