/**
 * Training the forecaster (forecast/forecaster-training.ts): epochs report finite NLLs and lower the training
 * NLL, early stopping leaves the weights of the best validation epoch, an aborted signal ends training, and a
 * split too short for the windows is refused with a message.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FACTOR_PANEL, factorPanel } from '../../src/engine/data/factor-panel';
import { trainForecaster, type ForecasterBatch, type ForecasterEpoch, type ForecasterTraining } from '../../src/engine/forecast/forecaster-training';
import { gaussianNllLoss } from '../../src/engine/forecast/gaussian-likelihood';
import { logReturns } from '../../src/engine/forecast/log-returns';
import { SpatioTemporalForecaster } from '../../src/engine/forecast/spatio-temporal-forecaster';
import { stream } from '../../src/engine/random/stream';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const returns = logReturns(factorPanel({ ...DEFAULT_FACTOR_PANEL, assets: 4, factors: 2, days: 241, seed: 9 }).panel).returns;
/** One channel per asset: the close (eq. 2 without daily bars). */
const channels = returns.map((r) => [r]);
const split = { trainEnd: 160, validationEnd: 200 };
const settings: ForecasterTraining = { context: 8, horizon: 2, batchSize: 32, epochs: 6, learningRate: 3e-3, patience: 2, dropout: { p: 0.25, tau: 1, marketValue: [1, 1, 1, 1] }, seed: 1 };
const newModel = () => new SpatioTemporalForecaster({ assets: 4, channels: 1, latents: 2, width: 4, heads: 1, depth: 1, dropout: 0.1 }, stream(2, 'forecaster'));

/** The epochs of a training run, checking that every batch of each came before it as a turn of its own. */
async function collect(run: AsyncGenerator<ForecasterEpoch | ForecasterBatch>): Promise<ForecasterEpoch[]> {
  const out: ForecasterEpoch[] = [];
  let batches = 0;
  for await (const e of run) {
    if (e.kind === 'batch') {
      expect(e.batch).toBe(++batches);
      expect(e.epoch).toBe(out.length + 1);
      continue;
    }
    expect(batches).toBeGreaterThan(0);
    batches = 0;
    out.push(e);
  }
  return out;
}

describe('forecaster training', () => {
  it('lowers the NLL, keeps the weights of its best validation epoch and leaves no tensor', async () => {
    const model = newModel();
    const before = tf.memory().numTensors;
    const epochs = await collect(trainForecaster(model, channels, split, settings));
    expect(tf.memory().numTensors).toBe(before); // the best weights' copies and Adam's moments are freed
    expect(epochs.length).toBeGreaterThanOrEqual(3);
    for (const e of epochs) expect(Number.isFinite(e.trainNll) && Number.isFinite(e.validationNll)).toBe(true);
    expect(epochs.at(-1)!.trainNll).toBeLessThan(epochs[0]!.trainNll);
    // Validation windows: targets in days 160-199, context from day 152.
    const starts = Array.from({ length: 200 - 2 - 152 - 8 + 1 }, (_, k) => 152 + k);
    const values = starts.map((s) => Array.from({ length: 10 }, (_, t) => returns.map((r) => [r[s + t]!])));
    const windows = tf.tensor4d(values);
    const { mu, sigma } = model.apply(windows, 8);
    const now = gaussianNllLoss(mu, sigma, windows.slice([0, 8, 0, 0], [-1, -1, -1, -1])).dataSync()[0]!;
    expect(now).toBeCloseTo(Math.min(...epochs.map((e) => e.validationNll)), 4);
    model.dispose();
  });

  it('ends when its signal is aborted, and refuses a split too short for its windows', async () => {
    const model = newModel();
    const controller = new AbortController();
    controller.abort();
    expect(await collect(trainForecaster(model, channels, split, settings, controller.signal))).toHaveLength(0);
    await expect(collect(trainForecaster(model, channels, { trainEnd: 160, validationEnd: 165 }, { ...settings, horizon: 10 }))).rejects.toThrow(/need more training and validation days/);
    model.dispose();
  });
});
