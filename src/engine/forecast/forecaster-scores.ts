/**
 * The trained forecaster on the test period (paper 000 §2): its one-step-ahead Gaussian forecast (eq. 5) of
 * every test day of every asset, each read from the L realised days before it (the context a forecaster has
 * on that morning), scored as the baselines are (one-step-forecast.ts); and eq. 9's attention map averaged
 * over the test dates, an N x k picture of which assets each latent asset gathers.
 */
import * as tf from '@tensorflow/tfjs';
import type { ForecastSetup } from './forecast-setup';
import { closeIndex, returnWindows } from './return-windows';
import type { OneStepForecast } from './one-step-forecast';
import type { SpatioTemporalForecaster } from './spatio-temporal-forecaster';

/** Float32 entries one forward pass may hold per window's embedding, times a margin for the Transformer's intermediates. */
const PASS_ENTRIES = 1 << 20;

/** Windows per forward pass of `days` days of the model's assets. */
export function windowsPerPass(model: SpatioTemporalForecaster, days: number): number {
  const { assets, width, latents } = model.shape;
  return Math.max(1, Math.floor(PASS_ENTRIES / (days * Math.max(assets, latents) * width)));
}

/** The windows [t - L, t] of every asset's inputs for the targets `targets`, the target day zero: [targets, L + 1, N, C]. */
const contextWindows = (setup: ForecastSetup, targets: number[], context: number) =>
  returnWindows(setup.returns.channels, targets.map((t) => t - context), context + 1, context);

/** Test days t (validationEnd .. end) with a full context before them. */
function testTargets(setup: ForecastSetup, context: number): number[] {
  const n = setup.returns.dates.length;
  const from = Math.max(setup.split.validationEnd, context);
  return Array.from({ length: Math.max(0, n - from) }, (_, k) => from + k);
}

/**
 * Per asset, the forecaster's one-step forecast of every test day's close-to-close return (the first test days, if the series begins
 * less than L days before them, have none and are NaN, which the scores skip only where the realised return is too).
 */
export async function forecasterOneStep(model: SpatioTemporalForecaster, setup: ForecastSetup, context: number): Promise<OneStepForecast[]> {
  const returns = setup.returns.returns;
  const n = returns.length;
  const c = setup.returns.channels[0]!.length;
  const days = returns[0]!.length - setup.split.validationEnd;
  const out = returns.map(() => ({ mu: new Float64Array(days).fill(NaN), sigma: new Float64Array(days).fill(NaN) }));
  const targets = testTargets(setup, context);
  const chunk = windowsPerPass(model, context + 1);
  for (let b = 0; b < targets.length; b += chunk) {
    const part = targets.slice(b, b + chunk);
    const windows = contextWindows(setup, part, context);
    const { mu, sigma } = model.apply(windows, context);
    const [m, s] = await Promise.all([mu.data(), sigma.data()]);
    tf.dispose([windows, mu, sigma]);
    part.forEach((t, w) => {
      for (let i = 0; i < n; i++) {
        out[i]!.mu[t - setup.split.validationEnd] = m[closeIndex(w, 0, i, 1, n, c)]!;
        out[i]!.sigma[t - setup.split.validationEnd] = s[closeIndex(w, 0, i, 1, n, c)]!;
      }
    });
  }
  return out;
}

/** Eq. 9's attention map [k, N] averaged over the test dates' contexts (each row sums to 1 over the assets). */
export async function testAttentionMap(model: SpatioTemporalForecaster, setup: ForecastSetup, context: number): Promise<Float32Array> {
  const { latents, assets } = model.shape;
  const sum = new Float64Array(latents * assets);
  const targets = testTargets(setup, context);
  const chunk = windowsPerPass(model, context + 1);
  let maps = 0;
  for (let b = 0; b < targets.length; b += chunk) {
    const windows = contextWindows(setup, targets.slice(b, b + chunk), context);
    // The last context day of each window: one date per target, each test date once.
    const last = windows.slice([0, context - 1, 0, 0], [-1, 1, -1, -1]) as tf.Tensor4D;
    const map = model.attentionMap(last);
    const values = await map.data();
    tf.dispose([windows, last, map]);
    for (let k = 0; k < values.length; k++) sum[k % sum.length] += values[k]!;
    maps += values.length / sum.length;
  }
  return Float32Array.from(sum, (x) => x / Math.max(1, maps));
}
