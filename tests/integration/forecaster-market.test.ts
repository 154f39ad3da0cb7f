/**
 * The forecaster market end to end in Node (paper 000 §2-3.1, experiment/forecaster-phase.ts and
 * forecaster-market.ts): the forecaster trains epoch by epoch, is scored against the three baselines on the
 * test period, then the hedgers train on its paths and are tested on its paths or on the real test windows;
 * a kept forecaster is reused; the same config gives the same numbers; Stop during the forecaster's training
 * ends the run and frees every tensor.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/engine/experiment/events';
import { fanFrom, forecasterManifest, type KeptForecaster } from '../../src/engine/experiment/forecaster-phase';
import { forecasterFiles, forecasterFromFiles } from '../../src/engine/experiment/forecaster-files';
import type { ForecasterMarket } from '../../src/engine/experiment/schema';
import { runExperiment } from '../../src/engine/experiment/run-experiment';
import { runForecast } from '../../src/engine/experiment/run-forecast';
import { PAPER002_ADAM } from '../../src/engine/experiment/presets';
import { RL_DEFAULTS } from '../../src/engine/experiment/rl-defaults';
import { bundledSp500 } from '../../src/cli/price-data';
import { registerWasmInPlaceKernels } from '../../src/engine/kernels/wasm-in-place';
import { tinyForecaster } from '../fixtures/tiny-forecaster';
import { tinyExperiment } from './tiny-experiment';

// On wasm, the CLI's backend: the cpu backend takes ten times as long over the forecaster's sampled paths.
beforeAll(async () => {
  registerWasmInPlaceKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
});

async function events(run: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const out: RunEvent[] = [];
  for await (const e of run) out.push(e);
  return out;
}

const of = <T extends RunEvent['type']>(list: RunEvent[], type: T) => list.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);

describe('the forecaster market', () => {
  it('trains the forecaster, reports it against the baselines, then hedges on its paths, leaving no tensor behind', async () => {
    const before = tf.memory().numTensors;
    const list = await events(runExperiment(tinyForecaster()));
    expect(of(list, 'error')).toEqual([]);
    const epochs = of(list, 'forecaster');
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2]);
    for (const e of epochs) expect(Number.isFinite(e.trainNll) && Number.isFinite(e.validationNll)).toBe(true);
    const [report] = of(list, 'forecast');
    expect(report!.scores.map((r) => r.name)).toEqual(['forecaster', 'random-walk', 'ewma', 'garch']);
    for (const r of report!.scores) {
      expect(r.days).toBeGreaterThan(50);
      expect(r.coverage50).toBeGreaterThan(0);
      expect(r.coverage90).toBeGreaterThanOrEqual(r.coverage50);
      expect(r.crps).toBeGreaterThan(0);
    }
    expect(report!.scores[0]!.energy).toBeGreaterThan(0);
    // Each latent asset's attention is a weighting of the 4 assets.
    const { latents, weights } = report!.attention;
    expect(latents).toBe(2);
    for (let j = 0; j < latents; j++) expect(weights.subarray(4 * j, 4 * j + 4).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(report!.fan.bands).toHaveLength(report!.fan.quantiles.length);
    expect(report!.fan.bands[0]!.every((v, d) => v <= report!.fan.bands.at(-1)![d]!)).toBe(true);
    // The forecaster phase comes before the hedgers' start, and the run completes.
    expect(list.findIndex((e) => e.type === 'forecast')).toBeLessThan(list.findIndex((e) => e.type === 'start'));
    const [done] = of(list, 'done');
    expect(done!.result.strategies.map((s) => s.id)).toEqual(['bs-delta', 'deep-mlp']);
    const [start] = of(list, 'start');
    expect(start!.market.assets).toEqual(['F1-01']);
    expect(start!.market.impliedVolatility.source).toMatch(/forecaster's mean sigma/);
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);

  it('reuses a kept forecaster trained on the same settings, and gives the same numbers', async () => {
    const kept: { forecaster?: KeptForecaster } = {};
    const first = await events(runExperiment(tinyForecaster(), { kept }));
    expect(kept.forecaster).toBeDefined();
    const second = await events(runExperiment(tinyForecaster(), { kept }));
    expect(of(second, 'forecaster')).toEqual([]);
    expect(of(second, 'forecast')[0]!.reused).toBe(true);
    const metrics = (list: RunEvent[]) => of(list, 'done')[0]!.result.strategies.map((s) => s.metrics);
    expect(metrics(second)).toEqual(metrics(first));
    // A fan from a chosen test date: its first trading day on or after it; a training date is refused.
    const cfg = tinyForecaster();
    const report = of(first, 'forecast')[0]!;
    const date = report.split.test[1] > '2001-05-01' ? '2001-05-01' : report.split.test[0];
    const fan = await fanFrom(cfg, cfg.market as ForecasterMarket, undefined, kept.forecaster!.model, date);
    expect(fan.start >= date).toBe(true);
    expect(fan.dates[0]).toBe(fan.start);
    expect(fan.realised[0]).toBe(1);
    await expect(fanFrom(cfg, cfg.market as ForecasterMarket, undefined, kept.forecaster!.model, report.split.train[0])).rejects.toThrow(/^fan date: .* is not a test date/);
    // Saved as files and read back for the same experiment, it forecasts the same fan; another seed's experiment refuses it.
    const m = cfg.market as ForecasterMarket;
    const files = await forecasterFiles(kept.forecaster!, forecasterManifest(kept.forecaster!, m, m.forecaster.context, report), 'w.bin');
    const back = await forecasterFromFiles('f.json', files.json, files.weights, cfg, m);
    expect(await fanFrom(cfg, m, undefined, back.kept.model, date)).toEqual(fan);
    back.kept.model.dispose();
    await expect(forecasterFromFiles('f.json', files.json, files.weights, { ...cfg, seed: 12 }, m)).rejects.toThrow(/differs in its seed \(the file's \d+, the form's 12\)/);
    await expect(forecasterFromFiles('f.json', '{"weightsManifest": 3}', files.weights, cfg, m)).rejects.toThrow(/^f.json is not a tfjs model file/);
    kept.forecaster!.model.dispose();
  }, 120_000);

  it("trains the forecaster alone (Train) into the tab's holder, which the next Run reuses", async () => {
    const kept: { forecaster?: KeptForecaster } = {};
    const trained = await events(runForecast(tinyForecaster(), { kept }));
    expect(of(trained, 'forecaster')).toHaveLength(2);
    expect(of(trained, 'start')).toEqual([]);
    expect(kept.forecaster?.trainedEpochs).toBe(2);
    const run = await events(runExperiment(tinyForecaster(), { kept }));
    expect(of(run, 'forecaster')).toEqual([]);
    expect(of(run, 'forecast')[0]!.reused).toBe(true);
    expect(of(run, 'done')).toHaveLength(1);
    kept.forecaster!.model.dispose();
  }, 120_000);

  it("hedges with every later family on the forecaster's paths: paper 002's recurrent hedger, an RL agent, the RNN", async () => {
    const cfg = tinyForecaster();
    // The recurrent hedger minimises paper 002 eq. 3; the others train on it too.
    cfg.risk = { measure: 'variance-cost', gamma: 100 };
    cfg.paths = { train: 128, test: 64, validation: 32 };
    const a2c = RL_DEFAULTS.a2c();
    cfg.strategies = [
      { id: 'bs-delta', type: 'bs-delta' },
      { id: 'recurrent', type: 'recurrent', network: { blocks: 1, units: 4 }, training: { epochs: 2, batchSize: 32, freshPaths: false, validationEvery: 2 }, optimizer: PAPER002_ADAM },
      { ...a2c, network: { layers: 1, units: 8 }, rl: { ...a2c.rl, updates: 2, episodes: 64, evaluateEvery: 1 } },
      { id: 'rnn', type: 'rnn', network: { layers: 1, units: 8, lags: 3 }, training: { epochs: 2, batchSize: 64, learningRate: 1e-2, freshPaths: true, clip: 0, patience: 0 } },
    ];
    const before = tf.memory().numTensors;
    const list = await events(runExperiment(cfg));
    expect(of(list, 'error')).toEqual([]);
    const [done] = of(list, 'done');
    const byId = Object.fromEntries(done!.result.strategies.map((s) => [s.id, s]));
    expect(Object.keys(byId)).toEqual(['bs-delta', 'recurrent', 'a2c', 'rnn']);
    for (const id of ['recurrent', 'a2c', 'rnn']) {
      for (const v of Object.values(byId[id]!.metrics)) expect(Number.isFinite(v)).toBe(true);
      // gamma Var(X + C) + E[C]: above the mean cost once the hedging error varies.
      expect(byId[id]!.metrics.risk).toBeGreaterThan(byId[id]!.metrics.cost);
    }
    expect(of(list, 'start')[0]!.market.testPaths).toBe(64);
    expect(tf.memory().numTensors).toBe(before);
  }, 180_000);

  it('tests on the real test windows of the S&P 500 when asked', async () => {
    const list = await events(runExperiment(tinyForecaster({ data: { source: 'sp500' }, testOn: 'real' }), { data: bundledSp500() }));
    expect(of(list, 'error')).toEqual([]);
    const [start] = of(list, 'start');
    expect(start!.market.assets).toEqual(['SPX']);
    // The bundled series has daily bars: eq. 2's four channels.
    expect(of(list, 'forecast')[0]!.channels).toEqual(['open', 'high', 'low', 'close']);
    // Every window of the test dates (the last fifth of 2000-2020), 5 days each.
    expect(start!.market.split!.testWindows).toBeGreaterThan(900);
    expect(start!.market.testPaths).toBe(start!.market.split!.testWindows);
  }, 120_000);

  it('stops within a batch of the forecaster training and frees every tensor', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const list: RunEvent[] = [];
    for await (const e of runExperiment(tinyForecaster({ epochs: 50 }), { signal: controller.signal })) {
      list.push(e);
      // The first batch's turn: Stop lands within the epoch, not at its end.
      if (e.type === 'progress') controller.abort();
    }
    expect(of(list, 'progress')[0]!.phase).toMatch(/epoch 1 of at most 50, batch 1 of \d+/);
    expect(of(list, 'forecaster')).toHaveLength(0);
    expect(of(list, 'done')).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);

  it('refuses to forecast a market without a forecaster, and a split too short for the context', async () => {
    const [refusal] = await events(runForecast(tinyExperiment()));
    expect(refusal).toMatchObject({ type: 'error', message: expect.stringMatching(/^market.model: the gbm market has no forecaster/) });
    const short = tinyForecaster();
    (short.market as { split: object }).split = { train: 0.8, validation: 0 };
    const list = await events(runExperiment(short));
    expect(of(list, 'error')[0]!.message).toMatch(/^market.split: the validation part of the data holds \d+ returns/);
  }, 60_000);
});
