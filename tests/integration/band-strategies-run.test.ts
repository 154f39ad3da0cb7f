import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/engine/experiment/events';
import { DEFAULT_INNER_LOOP } from '../../src/engine/experiment/presets';
import { runExperiment } from '../../src/engine/experiment/run-experiment';
import { collect } from '../fixtures/run-events';
import type { Experiment } from '../../src/engine/experiment/schema';
import { tinyExperiment } from './tiny-experiment';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The tiny experiment with paper 001's three trained strategies besides the classic ones, checkpoints at 2 and 4. */
function paper001Tiny(epochs = 4): Experiment {
  const cfg = tinyExperiment({ epochs });
  const training = { epochs, batchSize: 64, learningRate: 1e-2, freshPaths: true };
  const network = { layers: 2, units: 8 };
  cfg.strategies = [
    { id: 'bs-delta', type: 'bs-delta' },
    { id: 'dhmlp', type: 'dhmlp', network, training },
    { id: 'dhntb', type: 'dhntb', network, training },
    { id: 'dhlnn', type: 'dhlnn', network, training, inner: { ...DEFAULT_INNER_LOOP } },
  ];
  cfg.checkpoints = [2, 4];
  return cfg;
}

describe('DHMLP, DHNTB and DHLNN in a run', () => {
  it('train side by side, each scored on the test paths at every checkpoint', async () => {
    const events = await collect(runExperiment(paper001Tiny(), { backend: 'cpu', liveEvaluations: 0 }));
    const done = events.at(-1);
    if (done?.type !== 'done') throw new Error(`no done event: ${JSON.stringify(events.find((e) => e.type === 'error'))}`);
    const byId = Object.fromEntries(done.result.strategies.map((s) => [s.id, s]));
    expect(byId['bs-delta'].checkpoints).toBeUndefined();
    for (const id of ['dhmlp', 'dhntb', 'dhlnn']) {
      const s = byId[id];
      expect(s.label).toMatch(/2x8$/);
      expect(s.training?.epochs).toEqual([1, 2, 3, 4]);
      expect(s.checkpoints?.map((c) => c.epoch)).toEqual([2, 4]);
      expect(s.checkpoints?.[1].metrics).toEqual(s.metrics);
      for (const v of Object.values(s.metrics)) expect(Number.isFinite(v)).toBe(true);
    }
    // The band networks hedge from the Black-Scholes delta: far closer to it than no hedge at all.
    expect(byId.dhntb.metrics.std).toBeLessThan(3 * byId['bs-delta'].metrics.std);
    expect(byId.dhlnn.metrics.std).toBeLessThan(3 * byId['bs-delta'].metrics.std);
    const surfaces = events.filter((e) => e.type === 'surface').map((e) => e.type === 'surface' && e.strategyId);
    expect(new Set(surfaces)).toEqual(new Set(['dhmlp', 'dhntb', 'dhlnn']));
  });

  it('train on an OCE objective with its learned threshold, DHLNN included', async () => {
    const cfg = paper001Tiny(2);
    cfg.risk = { measure: 'oce', loss: { type: 'quadratic', lambda: 20 } };
    const before = tf.memory().numTensors;
    const events = await collect(runExperiment(cfg, { backend: 'cpu', liveEvaluations: 0 }));
    const done = events.at(-1);
    if (done?.type !== 'done') throw new Error(`no done event: ${JSON.stringify(events.find((e) => e.type === 'error'))}`);
    for (const s of done.result.strategies) expect(Number.isFinite(s.metrics.risk)).toBe(true);
    // The OCE with the quadratic loss is the mean-variance risk: -mean + (lambda / 2) Var, Var the population
    // variance (the metrics' std is the sample one: 256 test paths).
    const m = done.result.strategies[0].metrics;
    expect(m.risk).toBeCloseTo(-m.mean + 10 * m.std ** 2 * (255 / 256), 9);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("train DHMLP and DHNTB on paper 002's variance + costs, which reads each path's costs beside its P&L", async () => {
    const cfg = paper001Tiny(2);
    cfg.strategies = cfg.strategies.filter((s) => s.type !== 'dhlnn');
    cfg.risk = { measure: 'variance-cost', gamma: 100 };
    const before = tf.memory().numTensors;
    const events = await collect(runExperiment(cfg, { backend: 'cpu', liveEvaluations: 0 }));
    const done = events.at(-1);
    if (done?.type !== 'done') throw new Error(`no done event: ${JSON.stringify(events.find((e) => e.type === 'error'))}`);
    for (const s of done.result.strategies) {
      // gamma Var(X + C) + E[C] is at least the mean cost, and more once the hedging error varies.
      expect(s.metrics.risk).toBeGreaterThan(s.metrics.cost);
      expect(Number.isFinite(s.metrics.risk)).toBe(true);
    }
    const losses = events.filter((e) => e.type === 'loss' && e.strategyId === 'dhmlp');
    expect(losses.map((e) => e.type === 'loss' && Number.isFinite(e.loss))).toEqual([true, true]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('frees every tensor when a DHLNN run is stopped mid-training', async () => {
    const before = tf.memory().numTensors;
    const cfg = paper001Tiny(50);
    cfg.strategies = cfg.strategies.filter((s) => s.type === 'dhlnn');
    const controller = new AbortController();
    const seen: RunEvent[] = [];
    for await (const e of runExperiment(cfg, { backend: 'cpu', signal: controller.signal })) {
      seen.push(e);
      if (e.type === 'loss' && e.epoch === 2) controller.abort();
    }
    expect(seen.some((e) => e.type === 'done')).toBe(false);
    expect(seen.filter((e) => e.type === 'loss')).toHaveLength(2);
    expect(tf.memory().numTensors).toBe(before);
  });
});
