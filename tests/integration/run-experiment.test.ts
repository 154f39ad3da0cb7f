import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/engine/experiment/events';
import { runExperiment } from '../../src/engine/experiment/run-experiment';
import { collect } from '../fixtures/run-events';
import { prepareMarket, trainingSample } from '../../src/engine/experiment/market';
import { buildProblem, packSample, sampleLayout } from '../../src/engine/experiment/hedging-problem';
import { hedgingPnl } from '../../src/engine/hedging/pnl';
import { DeepHedger } from '../../src/engine/policies/deep-hedger';
import { stream } from '../../src/engine/random/stream';
import { riskLoss } from '../../src/engine/risk/measure';
import { adamOptimiser, trainPathwise } from '../../src/engine/trainers/adam-pathwise';
import { tinyExperiment } from './tiny-experiment';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('runExperiment', () => {
  it('streams start, P&L of every strategy, losses per epoch, a surface, paths, metrics and done', async () => {
    const cfg = tinyExperiment();
    const events = await collect(runExperiment(cfg, { backend: 'cpu', liveEvaluations: 2 }));
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('start');
    expect(types.at(-1)).toBe('done');
    expect(types).not.toContain('error');
    const pnlIds = new Set(events.flatMap((e) => (e.type === 'pnl' ? [e.strategyId] : [])));
    expect([...pnlIds].sort()).toEqual(['bs-delta', 'deep-mlp', 'no-hedge', 'whalley-wilmott']);
    const losses = events.filter((e) => e.type === 'loss');
    expect(losses.map((e) => e.type === 'loss' && e.epoch)).toEqual([1, 2, 3, 4]);
    const surface = events.find((e) => e.type === 'surface');
    expect(surface && surface.type === 'surface' && surface.hedge.length).toBe(41 * 5);
    const paths = events.filter((e) => e.type === 'paths').at(-1);
    expect(paths && paths.type === 'paths' && Object.keys(paths.positions).sort()).toEqual(['bs-delta', 'deep-mlp', 'no-hedge', 'whalley-wilmott']);
    const progress = events.filter((e) => e.type === 'progress').map((e) => (e.type === 'progress' ? e.fraction : 0));
    expect(progress.every((f, i) => i === 0 || f >= progress[i - 1])).toBe(true);
    expect(progress.at(-1)).toBeCloseTo(1, 10);
    const done = events.at(-1);
    if (done?.type !== 'done') throw new Error('no done event');
    expect(done.result.strategies.map((s) => s.id)).toEqual(['no-hedge', 'bs-delta', 'whalley-wilmott', 'deep-mlp']);
    expect(done.result.strategies[3].training?.epochs).toEqual([1, 2, 3, 4]);
    // The per-epoch clock is the loss events' own, and ends at the record's seconds.
    const training = done.result.strategies[3].training!;
    expect(training.epochSeconds).toEqual(losses.map((e) => (e.type === 'loss' ? e.seconds : NaN)));
    expect(training.epochSeconds!.at(-1)).toBe(training.seconds);
    for (const s of done.result.strategies) for (const v of Object.values(s.metrics)) expect(Number.isFinite(v)).toBe(true);
  });

  it('gives every strategy the same test paths whatever the other strategies are', async () => {
    const full = await collect(runExperiment(tinyExperiment(), { backend: 'cpu', liveEvaluations: 0 }));
    const alone = tinyExperiment();
    alone.strategies = alone.strategies.filter((s) => s.id === 'bs-delta' || s.id === 'deep-mlp');
    for (const s of alone.strategies) if (s.type === 'deep-mlp') s.training.learningRate = 0.05;
    const part = await collect(runExperiment(alone, { backend: 'cpu', liveEvaluations: 0 }));
    const metricsOf = (ev: RunEvent[], id: string) => {
      const d = ev.at(-1);
      return d?.type === 'done' ? d.result.strategies.find((s) => s.id === id)?.metrics : undefined;
    };
    expect(metricsOf(part, 'bs-delta')).toEqual(metricsOf(full, 'bs-delta'));
    expect(metricsOf(part, 'deep-mlp')).not.toEqual(metricsOf(full, 'deep-mlp'));
  });

  it('reports an invalid experiment as an error event naming the field', async () => {
    const cfg = tinyExperiment() as any;
    cfg.claim.strike = -1;
    const events = await collect(runExperiment(cfg, { backend: 'cpu' }));
    expect(events).toHaveLength(1);
    expect(events[0].type === 'error' && events[0].message).toMatch(/claim\.strike/);
  });

  it('stops on a NaN loss with a message a person can act on', async () => {
    const w = tf.variable(tf.scalar(1));
    const optimiser = adamOptimiser(() => tf.log(tf.sub(tf.neg(tf.square(w)), 1)) as tf.Scalar, [w], 1e-2);
    const training = trainPathwise({
      epochs: 3, batchSize: 16, pathCount: 16, columns: 2,
      paths: () => new Float32Array(32),
      optimiser,
      shuffle: (epoch) => stream(1, 'nan', epoch),
    });
    await expect(async () => {
      for await (const _ of training) void _;
    }).rejects.toThrow(/the training loss is NaN on the first batch, before any update, so not because of the learning rate/);
    optimiser.dispose();
    w.dispose();
  });
});

describe('tensor hygiene', () => {
  it('keeps the tensor count flat across 20 training steps', async () => {
    const cfg = tinyExperiment();
    const market = await prepareMarket(cfg);
    const layout = sampleLayout(market.testSample(), cfg.market.steps);
    const deep = new DeepHedger(3, 1, 2, 8, stream(1, 'init', 'leak'));
    const counts: number[] = [];
    const loss = (rows: tf.Tensor2D) => {
      const p = buildProblem(cfg, market, rows, layout);
      return riskLoss(cfg.risk, hedgingPnl(p, deep.positions(p)).pnl);
    };
    const optimiser = adamOptimiser(loss, deep.variables, 1e-2);
    const training = trainPathwise({
      epochs: 20,
      batchSize: 256,
      pathCount: 256,
      columns: layout.width,
      paths: (epoch) => packSample(trainingSample(cfg, market, epoch, true, 256), layout),
      optimiser,
      shuffle: (epoch) => stream(1, 'batch', epoch),
    });
    for await (const e of training) if (e.kind === 'step') counts.push(tf.memory().numTensors);
    expect(counts).toHaveLength(20);
    expect(new Set(counts.slice(1)).size).toBe(1);
    optimiser.dispose();
    deep.dispose();
  });

  it('frees every tensor when a run completes and when it is stopped mid-training', async () => {
    const before = tf.memory().numTensors;
    await collect(runExperiment(tinyExperiment(), { backend: 'cpu', liveEvaluations: 2 }));
    expect(tf.memory().numTensors).toBe(before);

    const controller = new AbortController();
    const seen: RunEvent[] = [];
    let stepsAfterStop = 0;
    for await (const e of runExperiment(tinyExperiment({ epochs: 50 }), { backend: 'cpu', signal: controller.signal })) {
      seen.push(e);
      if (controller.signal.aborted && e.type === 'progress') stepsAfterStop++;
      if (e.type === 'loss' && e.epoch === 3) controller.abort();
    }
    expect(seen.some((e) => e.type === 'done')).toBe(false);
    expect(stepsAfterStop).toBeLessThanOrEqual(4);
    expect(tf.memory().numTensors).toBe(before);
  });
});
