/**
 * Sampling the forecaster's paths (paper 000 eq. 10-11, forecast/path-sampling.ts): one day's samples follow
 * that day's Gaussian forecast, draws are reproducible, and under the risk-neutral measure the discounted
 * close is a martingale (its mean stays at 1 within Monte Carlo error) while the physical drift is the model's;
 * a history per path, and paths sampled in chunks, read the same draws as one pass over a shared history; the
 * Monte Carlo price of an ATM call under the risk-neutral measure is Black-Scholes's at the paths' average sigma.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmInPlaceKernels } from '../../src/engine/kernels/wasm-in-place';
import { samplePaths } from '../../src/engine/forecast/path-sampling';
import { SpatioTemporalForecaster } from '../../src/engine/forecast/spatio-temporal-forecaster';
import { bsPrice } from '../../src/engine/pricing/black-scholes';
import { stream } from '../../src/engine/random/stream';

let model: SpatioTemporalForecaster;
let history: tf.Tensor3D;

// On wasm: thousands of sampled paths take ten times as long on tfjs's cpu backend.
beforeAll(async () => {
  registerWasmInPlaceKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
  model = new SpatioTemporalForecaster({ assets: 3, channels: 1, latents: 2, width: 4, heads: 1, depth: 1, dropout: 0 }, stream(5, 'forecaster'));
  history = tf.tensor3d(stream(6, 'history').normals(new Float32Array(6 * 3)).map((x) => 0.01 * x), [6, 3, 1]);
});

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

  it('give the same paths, bit for bit, whatever the chunk, and leak no tensors', async () => {
    const o = { horizon: 3, paths: 7, measure: 'risk-neutral', rate: 0.02, rng: stream(3, 'paths'), draw: 5 } as const;
    const whole = await samplePaths(model, history, o);
    const before = tf.memory().numTensors;
    for (const chunk of [1, 3, 7, 50]) {
      const chunked = await samplePaths(model, history, { ...o, chunk });
      expect(chunked.shape).toEqual(whole.shape);
      for (const k of ['returns', 'mu', 'sigma'] as const) expect(Array.from(chunked[k])).toEqual(Array.from(whole[k]));
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it("sample each path after its own history when given one per path, from that path's draws", async () => {
    const [paths, horizon] = [4, 3];
    const perPath = horizon * 3;
    const histories = tf.tensor4d(stream(7, 'histories').normals(new Float32Array(paths * 6 * 3)).map((x) => 0.01 * x), [paths, 6, 3, 1]);
    const before = tf.memory().numTensors;
    const all = await samplePaths(model, histories, { horizon, paths, measure: 'physical', rng: stream(4, 'paths'), chunk: 3 });
    expect(tf.memory().numTensors).toBe(before);
    for (let p = 0; p < paths; p++) {
      const own = tf.tidy(() => histories.slice([p, 0, 0, 0], [1, 6, 3, 1]).squeeze([0])) as tf.Tensor3D;
      const alone = await samplePaths(model, own, { horizon, paths: 1, measure: 'physical', rng: stream(4, 'paths'), draw: p * perPath });
      own.dispose();
      expect(Array.from(all.returns.subarray(p * perPath, (p + 1) * perPath))).toEqual(Array.from(alone.returns));
    }
    // Different histories give different first-day forecasts.
    expect(all.sigma[0]).not.toBe(all.sigma[perPath]);
    histories.dispose();
  });

  it("price an ATM call by Monte Carlo at Black-Scholes's price for the paths' average sigma", async () => {
    // One asset; the head's mean column zeroed and its mean bias set to 0.3 % a day (the physical measure's drift;
    // the risk-neutral close ignores it), its sigma bias to 1.2 % a day: sigma, about 30 % a year once the sigma
    // column is added, varies a little with the path.
    const one = new SpatioTemporalForecaster({ assets: 1, channels: 1, latents: 1, width: 4, heads: 1, depth: 1, dropout: 0 }, stream(7, 'forecaster'));
    tf.tidy(() => {
      one.head.w.assign(tf.mul(one.head.w, tf.tensor2d([[0, 1]])) as tf.Tensor2D);
      one.head.b!.assign(tf.tensor1d([0.003, Math.log(Math.expm1(0.012))]));
    });
    const past = tf.tensor3d(stream(8, 'history').normals(new Float32Array(2)).map((x) => 0.01 * x), [2, 1, 1]);
    const [rate, dt, horizon] = [0.03, 1 / 252, 20];
    const maturity = horizon * dt;
    const call = (sigma: number) => bsPrice({ spot: 1, strike: 1, maturity, rate, sigma, kind: 'call' });
    const check = async (measure: 'physical' | 'risk-neutral', paths: number) => {
      const q = await samplePaths(one, past, { horizon, paths, measure, rate, dt, rng: stream(9, 'paths', measure), chunk: 500 });
      const payoffs = Array.from({ length: paths }, (_, p) => {
        let logS = 0;
        for (let d = 0; d < horizon; d++) logS += q.returns[p * horizon + d]!;
        return Math.exp(-rate * maturity) * Math.max(Math.exp(logS) - 1, 0);
      });
      const price = payoffs.reduce((s, x) => s + x, 0) / paths;
      const se = Math.sqrt(payoffs.reduce((s, x) => s + (x - price) ** 2, 0) / (paths - 1) / paths);
      const annual = Array.from(q.sigma, (s) => s / Math.sqrt(dt));
      const sigmaBar = Math.sqrt(annual.reduce((s, x) => s + x * x, 0) / annual.length);
      // Tolerance: 3 standard errors of the Monte Carlo mean, plus the sigma variation's effect. Given the past, a
      // day's log-return is rate dt - sigma_t^2 / 2 + sigma_t sqrt(dt) N(0, 1): geometric Brownian motion over the
      // day with a volatility fixed at its start. With the volatility always in [sigma_min, sigma_max], the price of
      // a convex payoff lies in [BS(sigma_min), BS(sigma_max)] (the robustness of Black-Scholes: El Karoui,
      // Jeanblanc-Picque & Shreve, Math. Finance 8, 1998), and so does BS(sigma_bar); they differ by at most
      // BS(sigma_max) - BS(sigma_min), the bounds read off the sampled paths.
      const spread = call(Math.max(...annual)) - call(Math.min(...annual));
      return { price, bs: call(sigmaBar), tolerance: 3 * se + spread, spread, se };
    };
    const q = await check('risk-neutral', 2000);
    expect(q.spread).toBeGreaterThan(0); // sigma is not exactly constant
    expect(q.spread).toBeLessThan(q.se); // but nearly so
    expect(Math.abs(q.price - q.bs)).toBeLessThan(q.tolerance);
    // The check has power: under the physical measure the 0.3 % daily drift lifts the price outside it.
    const p = await check('physical', 500);
    expect(Math.abs(p.price - p.bs)).toBeGreaterThan(p.tolerance);
    past.dispose();
    one.dispose();
  });

  it('names a bad horizon, chunk, or number of histories', async () => {
    await expect(samplePaths(model, history, { horizon: 0, paths: 2, measure: 'physical', rng: stream(1, 'p') })).rejects.toThrow(/horizon and paths must be whole numbers/);
    await expect(samplePaths(model, history, { horizon: 1, paths: 2, measure: 'physical', rng: stream(1, 'p'), chunk: 0 })).rejects.toThrow(/chunk must be a whole number/);
    const histories = tf.zeros([3, 6, 3, 1]) as tf.Tensor4D;
    await expect(samplePaths(model, histories, { horizon: 1, paths: 2, measure: 'physical', rng: stream(1, 'p') })).rejects.toThrow(/3 histories for 2 paths/);
    histories.dispose();
  });
});
