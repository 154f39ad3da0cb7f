/**
 * Paper 003's sequence hedgers end to end (families/sequence.ts): the RNN and the SigFormer price a GBM call
 * close to the Black-Scholes delta hedge's indifference price where the unhedged claim's price is far from
 * it; the same config gives the same numbers; early stopping keeps the best epoch's weights; a holdings event
 * per epoch; one empirical surface per asset of a two-asset hedge set; no tensor left after a run or a Stop.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Metrics, RunEvent, RunResult } from '../../src/engine/experiment/events';
import { runExperiment } from '../../src/engine/experiment/run-experiment';
import { parseExperiment, SCHEMA_VERSION, type Experiment, type Strategy } from '../../src/engine/experiment/schema';
import { collect } from '../fixtures/run-events';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const training = (epochs: number, o: Partial<Extract<Strategy, { type: 'rnn' }>['training']> = {}) => ({
  epochs,
  batchSize: 128,
  learningRate: 2e-2,
  freshPaths: true,
  clip: 0,
  patience: 0,
  ...o,
});

const rnn = (epochs: number, o = {}): Strategy => ({ id: 'rnn', type: 'rnn', network: { layers: 2, units: 16, lags: 5 }, training: training(epochs, o) });
const sigformer = (epochs: number, o = {}): Strategy => ({
  id: 'sigformer',
  type: 'sigformer',
  network: { modelDim: 3, order: 2, heads: 1, blocks: 1, mlpUnits: 16, dropout: 0 },
  training: training(epochs, o),
});

/** A 20-day ATM call on GBM from S0 1, 5 rebalancing dates, small costs, entropic lambda 30. */
function gbmCall(strategies: Strategy[], paths = { train: 256, test: 256 }): Experiment {
  return {
    version: SCHEMA_VERSION,
    name: 'sequence hedgers',
    seed: 3,
    market: { model: 'gbm', s0: 1, drift: 0, volatility: 0.2, maturityDays: 20, steps: 5, daysPerYear: 250 },
    claim: { type: 'european', kind: 'call', strike: 1 },
    instruments: { options: { grid: 'none' } },
    costs: { proportional: 1e-4, closeAtMaturity: false },
    premium: 'zero',
    risk: { measure: 'entropic', lambda: 30 },
    paths: { ...paths, validation: Math.min(paths.test, 1024) },
    strategies: [{ id: 'no-hedge', type: 'no-hedge' }, { id: 'bs-delta', type: 'bs-delta' }, ...strategies],
  };
}

function resultOf(events: RunEvent[]): RunResult {
  const errors = events.filter((e) => e.type === 'error');
  expect(errors).toEqual([]);
  const done = events.at(-1);
  if (done?.type !== 'done') throw new Error('no done event');
  return done.result;
}

const metricsOf = (r: RunResult, id: string): Metrics => r.strategies.find((s) => s.id === id)!.metrics;

describe('sequence hedgers', () => {
  it('price a GBM call within 2% of the Black-Scholes delta hedge, where the unhedged claim is not', async () => {
    const cfg = gbmCall([rnn(8), sigformer(8, { learningRate: 1e-2 })], { train: 1024, test: 2048 });
    const r = resultOf(await collect(runExperiment(cfg, { backend: 'cpu', liveEvaluations: 0 })));
    const delta = metricsOf(r, 'bs-delta').price;
    expect(Math.abs(metricsOf(r, 'no-hedge').price / delta - 1)).toBeGreaterThan(0.02);
    for (const id of ['rnn', 'sigformer']) expect(Math.abs(metricsOf(r, id).price / delta - 1), id).toBeLessThan(0.02);
  });

  it('give the same numbers for the same config, with a holdings event per epoch', async () => {
    const cfg = gbmCall([rnn(3), sigformer(3)]);
    (cfg.strategies[3] as Extract<Strategy, { type: 'sigformer' }>).network.dropout = 0.1;
    const [a, b] = [await collect(runExperiment(cfg, { backend: 'cpu', liveEvaluations: 0 })), await collect(runExperiment(cfg, { backend: 'cpu', liveEvaluations: 0 }))];
    const [ra, rb] = [resultOf(a), resultOf(b)];
    for (const id of ['rnn', 'sigformer']) {
      expect(metricsOf(ra, id)).toEqual(metricsOf(rb, id));
      const holdings = a.filter((e) => e.type === 'holdings' && e.strategyId === id) as Extract<RunEvent, { type: 'holdings' }>[];
      expect(holdings.map((e) => e.epoch)).toEqual([1, 2, 3]);
      expect(holdings.every((e) => e.bestEpoch === null && e.meanHolding.length === 1 && e.meanHolding[0].instrument === 'spot' && Number.isFinite(e.validationLoss))).toBe(true);
      const record = ra.strategies.find((s) => s.id === id)!.training!;
      expect(record.figures!.validation_loss).toEqual(holdings.map((e) => e.validationLoss));
      expect(record.figures!.mean_holding_spot).toEqual(holdings.map((e) => e.meanHolding[0].mean));
      expect(record.earlyStopping).toBeUndefined();
    }
  });

  it('clip the P&L before the risk measure: every loss lies within [-clip, clip]', async () => {
    const clip = 1e-3;
    const r = resultOf(await collect(runExperiment(gbmCall([rnn(2, { clip })]), { backend: 'cpu', liveEvaluations: 0 })));
    const record = r.strategies.find((s) => s.id === 'rnn')!.training!;
    // Unclipped, the entropic risk of this short call is about 0.03 (the delta hedge's price).
    for (const loss of [...record.loss, ...record.figures!.validation_loss]) expect(Math.abs(loss)).toBeLessThanOrEqual(clip * (1 + 1e-6));
    expect(metricsOf(r, 'rnn').price).toBeGreaterThan(10 * clip);
  });

  it('stop early and keep the best epoch: the final scoring is the best epoch’s', async () => {
    // A large learning rate on few fixed paths: the validation loss soon rises.
    const cfg = gbmCall([rnn(30, { learningRate: 0.3, freshPaths: false, patience: 1, batchSize: 64 })]);
    const events = await collect(runExperiment(cfg, { backend: 'cpu', liveEvaluations: 30 }));
    const r = resultOf(events);
    const record = r.strategies.find((s) => s.id === 'rnn')!.training!;
    const stopping = record.earlyStopping!;
    const losses = record.figures!.validation_loss;
    expect(stopping.lastEpoch).toBe(stopping.bestEpoch + 1);
    expect(stopping.lastEpoch).toBeLessThan(30);
    expect(losses).toHaveLength(stopping.lastEpoch);
    expect(Math.min(...losses)).toBe(losses[stopping.bestEpoch - 1]);
    expect(losses[stopping.lastEpoch - 1]).toBeGreaterThanOrEqual(losses[stopping.bestEpoch - 1]);
    const holdings = events.filter((e) => e.type === 'holdings') as Extract<RunEvent, { type: 'holdings' }>[];
    expect(holdings.at(-1)!.bestEpoch).toBe(stopping.bestEpoch);
    // Scored at every epoch: the last scoring, after restoring, equals the one at the best epoch.
    const pnl = events.filter((e) => e.type === 'pnl' && e.strategyId === 'rnn') as Extract<RunEvent, { type: 'pnl' }>[];
    const atBest = pnl.find((e) => e.epoch === stopping.bestEpoch)!;
    expect(metricsOf(r, 'rnn')).toEqual(atBest.metrics);
    expect(metricsOf(r, 'rnn')).not.toEqual(pnl.find((e) => e.epoch === stopping.bestEpoch - 1)?.metrics);
  });

  it('draw one empirical surface per asset of a two-asset hedge set', async () => {
    const base = gbmCall([rnn(2), sigformer(2)]);
    const cfg: Experiment = {
      ...base,
      market: { model: 'correlated-gbm', s0: 1, drift: 0, volatilities: [0.2, 0.3], correlation: [[1, 0.6], [0.6, 1]], maturityDays: 20, steps: 5, daysPerYear: 250 },
      instruments: { options: { grid: 'none' }, hedgeSet: 2 },
      strategies: base.strategies.slice(2),
    };
    const events = await collect(runExperiment(cfg, { backend: 'cpu', liveEvaluations: 0 }));
    resultOf(events);
    for (const id of ['rnn', 'sigformer']) {
      const surfaces = events.filter((e) => e.type === 'surface' && e.strategyId === id) as Extract<RunEvent, { type: 'surface' }>[];
      expect(surfaces).toHaveLength(2);
      expect(surfaces[0].instrument).not.toBe(surfaces[1].instrument);
      for (const [k, s] of surfaces.entries()) {
        expect(s.timeToMaturity).toHaveLength(5);
        expect(s.timeToMaturity[0]).toBeCloseTo(20 / 250 / 5, 12);
        expect(s.hedge).toHaveLength(5 * 41);
        // Every test (path, date) pair of the central cells is counted once per date row.
        const total = s.count!.reduce((a, b) => a + b, 0);
        expect(total).toBeGreaterThan(0.9 * 256 * 5);
        expect(total).toBeLessThanOrEqual(256 * 5);
        s.hedge.forEach((h, c) => expect(Number.isNaN(h)).toBe(s.count![c] === 0));
        expect(s.reference === null).toBe(k > 0);
      }
      const holdings = events.find((e) => e.type === 'holdings' && e.strategyId === id) as Extract<RunEvent, { type: 'holdings' }>;
      expect(holdings.meanHolding).toHaveLength(2);
    }
  });

  it('leave no tensor behind after a run, a stopped run and a run left mid-training', async () => {
    const cfg = gbmCall([rnn(2, { patience: 1 }), sigformer(2, { patience: 1 })]);
    await collect(runExperiment(cfg, { backend: 'cpu', liveEvaluations: 0 }));
    const before = tf.memory().numTensors;
    await collect(runExperiment(cfg, { backend: 'cpu', liveEvaluations: 0 }));
    expect(tf.memory().numTensors).toBe(before);
    for (const id of ['rnn', 'sigformer']) {
      const controller = new AbortController();
      const events: RunEvent[] = [];
      for await (const e of runExperiment(cfg, { backend: 'cpu', signal: controller.signal, liveEvaluations: 0 })) {
        events.push(e);
        if (e.type === 'holdings' && e.strategyId === id) controller.abort();
      }
      expect(events.filter((e) => e.type === 'done' || e.type === 'error')).toEqual([]);
      expect(events.filter((e) => e.type === 'holdings' && e.strategyId === id)).toHaveLength(1);
      expect(tf.memory().numTensors).toBe(before);
    }
    // A consumer that walks away mid-training (the stream's return()).
    for await (const e of runExperiment(cfg, { backend: 'cpu', liveEvaluations: 0 })) if (e.type === 'holdings' && e.strategyId === 'sigformer') break;
    expect(tf.memory().numTensors).toBe(before);
  });

  it('are refused with options to trade, naming the field', () => {
    const cfg = gbmCall([rnn(1)]);
    cfg.instruments = { options: { grid: 'fixed', cost: 0, options: [{ kind: 'call', strike: 1, maturitySteps: 10 }] } } as Experiment['instruments'];
    const parsed = parseExperiment(cfg);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.join('\n')).toMatch(/instruments\.options\.grid.*RNN/);
  });
});
