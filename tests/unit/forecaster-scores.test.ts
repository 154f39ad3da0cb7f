/**
 * The trained forecaster on the test days (forecast/forecaster-scores.ts): day t's one-step forecast is the
 * model's forecast of the window of the L realised days before t (whatever the chunking), and the attention
 * map is eq. 9's A averaged over the test dates, each latent's row a weighting of the assets.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { factorPanel, DEFAULT_FACTOR_PANEL } from '../../src/engine/data/factor-panel';
import { PRESETS } from '../../src/engine/experiment/presets';
import type { ForecasterMarket } from '../../src/engine/experiment/schema';
import { forecastSetup } from '../../src/engine/forecast/forecast-setup';
import { forecasterOneStep, testAttentionMap } from '../../src/engine/forecast/forecaster-scores';
import { SpatioTemporalForecaster } from '../../src/engine/forecast/spatio-temporal-forecaster';
import { stream } from '../../src/engine/random/stream';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe("the forecaster's test-day forecasts", () => {
  it('forecast day t from the L days before it, and average the attention map over the test dates', async () => {
    const { panel } = factorPanel({ ...DEFAULT_FACTOR_PANEL, assets: 3, factors: 1, days: 120, seed: 4 });
    const base = PRESETS['paper000-forecast-factors'].config.market as ForecasterMarket;
    const context = 5;
    const setup = forecastSetup({ ...base, split: { train: 0.6, validation: 0.2 }, forecaster: { ...base.forecaster, context, horizon: 2 } }, panel);
    const model = new SpatioTemporalForecaster({ assets: 3, channels: 1, latents: 2, width: 4, heads: 1, depth: 1, dropout: 0 }, stream(9, 'model'));
    model.setScale(setup.scale);
    const before = tf.memory().numTensors;
    const forecasts = await forecasterOneStep(model, setup, context);
    const { validationEnd } = setup.split;
    const t = validationEnd + 7;
    const window = tf.tensor4d(
      Float32Array.from({ length: (context + 1) * 3 }, (_, k) => (k < context * 3 ? setup.returns.returns[k % 3]![t - context + Math.floor(k / 3)]! : 0)),
      [1, context + 1, 3, 1],
    );
    const { mu, sigma } = model.apply(window, context);
    const [m, s] = [await mu.data(), await sigma.data()];
    for (let i = 0; i < 3; i++) {
      expect(forecasts[i]!.mu[t - validationEnd]).toBeCloseTo(m[i]!, 6);
      expect(forecasts[i]!.sigma[t - validationEnd]).toBeCloseTo(s[i]!, 6);
    }
    tf.dispose([window, mu, sigma]);
    expect(forecasts[0]!.mu.every(Number.isFinite)).toBe(true);
    const map = await testAttentionMap(model, setup, context);
    for (let j = 0; j < 2; j++) expect(map.subarray(3 * j, 3 * j + 3).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
