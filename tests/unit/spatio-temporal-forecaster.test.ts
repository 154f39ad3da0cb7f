/**
 * The spatio-temporal forecaster (paper 000 §2.2, forecast/spatio-temporal-forecaster.ts): its output's shape
 * and positivity, causality in time (a day changes no forecast of an earlier or the same day), missing inputs,
 * no tensors left, and a few training steps lowering the NLL of eq. 6 on a simulated factor panel.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { factorPanel, DEFAULT_FACTOR_PANEL } from '../../src/engine/data/factor-panel';
import { gaussianNllLoss } from '../../src/engine/forecast/gaussian-likelihood';
import { logReturns } from '../../src/engine/forecast/log-returns';
import { SpatioTemporalForecaster } from '../../src/engine/forecast/spatio-temporal-forecaster';
import { stream } from '../../src/engine/random/stream';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const shape = { assets: 5, channels: 1, latents: 2, width: 4, heads: 2, depth: 1, dropout: 0 };
const window = (seed: number, days = 7) => tf.tensor4d(stream(seed, 'window').normals(new Float32Array(2 * days * 5)).map((x) => 0.01 * x), [2, days, 5, 1]);

describe('the spatio-temporal forecaster', () => {
  const model = new SpatioTemporalForecaster(shape, stream(1, 'forecaster'));

  it('forecasts every target day, asset and channel with a positive sigma, and leaves no tensor', () => {
    const x = window(2);
    const before = tf.memory().numTensors;
    const { mu, sigma } = model.apply(x, 4);
    expect(mu.shape).toEqual([2, 3, 5, 1]);
    expect(sigma.shape).toEqual([2, 3, 5, 1]);
    expect(tf.tidy(() => tf.min(sigma).dataSync()[0])).toBeGreaterThan(0);
    tf.dispose([mu, sigma]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is causal: changing day L + 1 leaves the forecasts of days L and L + 1 as they were and moves day L + 2', () => {
    const x = window(3);
    const changed = tf.tidy(() => tf.add(x, tf.oneHot(5, 7).reshape([1, 7, 1, 1]).mul(0.05))) as tf.Tensor4D;
    const [a, b] = [model.apply(x, 4), model.apply(changed, 4)];
    const gap = tf.abs(tf.sub(a.mu, b.mu)).max([0, 2, 3]).dataSync();
    expect(gap[0]).toBe(0);
    expect(gap[1]).toBe(0);
    expect(gap[2]).toBeGreaterThan(1e-6);
    // A context day moves every forecast.
    const early = tf.tidy(() => tf.add(x, tf.oneHot(0, 7).reshape([1, 7, 1, 1]).mul(0.05))) as tf.Tensor4D;
    const c = model.apply(early, 4);
    for (const g of tf.abs(tf.sub(a.mu, c.mu)).max([0, 2, 3]).dataSync()) expect(g).toBeGreaterThan(1e-7);
  });

  it('reads missing returns through its missing-value layer: the forecasts stay finite', () => {
    const values = window(4).arraySync();
    values[0]![1]![2]![0] = NaN;
    values[1]![4]![0]![0] = NaN;
    const { mu, sigma } = model.apply(tf.tensor4d(values), 4);
    expect(tf.all(tf.isFinite(mu)).dataSync()[0]).toBe(1);
    expect(tf.all(tf.isFinite(sigma)).dataSync()[0]).toBe(1);
  });

  it('learns: a few Adam steps on factor-panel windows lower the NLL of eq. 6', () => {
    const { panel } = factorPanel({ ...DEFAULT_FACTOR_PANEL, assets: 5, factors: 2, days: 200, seed: 3 });
    const r = logReturns(panel).returns;
    const days = 12;
    const windows = tf.tensor4d(
      Array.from({ length: 16 }, (_, w) => Array.from({ length: days }, (_, t) => r.map((series) => [series[w * 10 + t]!]))),
    );
    const loss = () => {
      const { mu, sigma } = model.apply(windows, 8);
      return gaussianNllLoss(mu, sigma, windows.slice([0, 8, 0, 0], [-1, -1, -1, -1]));
    };
    const optimiser = tf.train.adam(3e-3);
    const first = loss().dataSync()[0]!;
    for (let step = 0; step < 30; step++) optimiser.minimize(loss, false, model.variables);
    const last = loss().dataSync()[0]!;
    expect(Number.isFinite(first)).toBe(true);
    expect(last).toBeLessThan(first - 0.5);
  });
});
