/**
 * Sampling the forecaster's paths (paper 000 eq. 10-11, forecast/path-sampling.ts): one day's samples follow
 * that day's Gaussian forecast, draws are reproducible, and under the risk-neutral measure the discounted
 * close is a martingale (its mean stays at 1 within Monte Carlo error) while the physical drift is the model's.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { samplePaths } from '../../src/engine/forecast/path-sampling';
import { SpatioTemporalForecaster } from '../../src/engine/forecast/spatio-temporal-forecaster';
import { stream } from '../../src/engine/random/stream';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const model = new SpatioTemporalForecaster({ assets: 3, channels: 1, latents: 2, width: 4, heads: 1, depth: 1, dropout: 0 }, stream(5, 'forecaster'));
const history = tf.tensor3d(stream(6, 'history').normals(new Float32Array(6 * 3)).map((x) => 0.01 * x), [6, 3, 1]);

describe('sampled forecaster paths', () => {
  it("draw each day's return from that day's forecast, the same draws for the same stream", async () => {
    const a = await samplePaths(model, history, { horizon: 3, paths: 4, measure: 'physical', rng: stream(1, 'paths') });
    const b = await samplePaths(model, history, { horizon: 3, paths: 4, measure: 'physical', rng: stream(1, 'paths') });
    expect(a.shape).toEqual([4, 3, 3, 1]);
    expect(Array.from(a.returns)).toEqual(Array.from(b.returns));
    const eps = stream(1, 'paths').normals(new Float32Array(a.returns.length));
    for (let e = 0; e < a.returns.length; e++) expect(a.returns[e]).toBeCloseTo(a.mu[e]! + a.sigma[e]! * eps[e]!, 6);
    // Day 1's forecast is the same on every path (same history); later days differ with the path.
    const day = (p: number, d: number) => a.sigma[(p * 3 + d) * 3]!;
    expect(day(0, 0)).toBe(day(3, 0));
    expect(day(0, 2)).not.toBe(day(3, 2));
  });

  it('make the discounted close a martingale under the risk-neutral measure', async () => {
    const [rate, dt, horizon, paths] = [0.05, 1 / 252, 5, 800];
    const q = await samplePaths(model, history, { horizon, paths, measure: 'risk-neutral', rate, dt, rng: stream(2, 'paths') });
    for (let asset = 0; asset < 3; asset++) {
      const discounted = Array.from({ length: paths }, (_, p) => {
        let logS = 0;
        for (let d = 0; d < horizon; d++) logS += q.returns[(p * horizon + d) * 3 + asset]!;
        return Math.exp(logS - rate * dt * horizon);
      });
      const mean = discounted.reduce((s, x) => s + x, 0) / paths;
      const sd = Math.sqrt(discounted.reduce((s, x) => s + (x - mean) ** 2, 0) / (paths - 1));
      expect(Math.abs(mean - 1)).toBeLessThan(3.5 * (sd / Math.sqrt(paths)) + 1e-6);
      // The drift used is rate dt - sigma^2 / 2, not the model's mean.
      const e = asset;
      expect(q.returns[e]! - q.sigma[e]! * stream(2, 'paths').normals(new Float32Array(1), e)[0]!).toBeCloseTo(rate * dt - 0.5 * q.sigma[e]! ** 2, 6);
    }
  });

  it('names a bad horizon', async () => {
    await expect(samplePaths(model, history, { horizon: 0, paths: 2, measure: 'physical', rng: stream(1, 'p') })).rejects.toThrow(/horizon and paths must be whole numbers/);
  });
});
