/**
 * Run files (src/ui/run-file.ts): a run's record written as JSON and read back is the same record, typed
 * arrays of each kind and numbers JSON cannot hold included; a malformed or foreign file is refused with the
 * run and the field named.
 */
import { describe, expect, it } from 'vitest';
import type { Metrics, RunEvent, StrategyInfo } from '../../src/engine/experiment/events';
import { defaultConfig } from '../../src/engine/experiment/presets';
import { newRunRecord, runSummary, type RunRecord } from '../../src/ui/run-record';
import { readRunFile, renamedRunJson, runFileText, runJson } from '../../src/ui/run-file';
import { applyEvents, EMPTY_VIEW } from '../../src/ui/run-view';

const config = defaultConfig();
const strategies: StrategyInfo[] = [
  { id: 'no-hedge', type: 'no-hedge', label: 'No hedge', trainable: false },
  { id: 'deep-mlp', type: 'deep-mlp', label: 'Deep hedger (MLP) 2x8', trainable: true },
  { id: 'race', type: 'recurrent', label: 'Recurrent 2x32 (Adam)', trainable: true, optimizer: 'adam' },
];
const metrics = (risk: number): Metrics => ({
  mean: -0.01, std: 0.02, var90: 0.03, var95: 0.04, var99: 0.05, es90: 0.035, es95: 0.045, es99: 0.055,
  entropic: 0.011, avg_r: -0.0005, skew: Number.NaN, kurtosis: Number.POSITIVE_INFINITY, turnover: 1.5, cost: 0, price: 0.021, risk,
});
const histogram = { edges: Float64Array.from([-0.1, 0, 0.1, 0.2]), density: Float64Array.from([1 / 3, 5, Math.PI]) };

/** One event of every type the reducer keeps, with values a float32 or JSON would round. */
const events: RunEvent[] = [
  { type: 'forecaster', epoch: 1, epochs: 20, trainNll: -2.5, validationNll: -2.75, best: true, seconds: 9.1 },
  {
    type: 'forecast',
    asset: 'SPX',
    assets: ['SPX'],
    split: { train: ['2000-01-03', '2017-12-29'], validation: ['2018-01-02', '2018-12-31'], test: ['2019-01-02', '2020-04-17'] },
    scores: [{ name: 'garch', nll: -3.22, crps: 0.004, coverage50: 0.51, coverage90: 0.88, energy: null, days: 320 }],
    channels: ['close'],
    meanNll: -3.19,
    attention: { latents: 1, weights: Float32Array.from([1]) },
    fan: { start: '2019-01-02', dates: ['2019-01-02', '2019-01-03'], realised: Float64Array.from([100, 101.5]), quantiles: [0.05, 0.95], bands: [Float64Array.from([100, 99]), Float64Array.from([100, 104])], from: ['2019-01-02', '2020-03-01'] },
    trainedEpochs: 1,
    bestEpoch: 1,
    reused: false,
    marketValueSource: 'price x volume',
  },
  {
    type: 'start',
    backend: 'webgpu',
    strategies,
    market: { assets: ['S'], impliedVolatility: { source: 'the model volatility', proxy: true }, premium: 0.0213, testPaths: 64, features: ['log_moneyness', 'expiry_time'], instruments: ['S'] },
  },
  { type: 'progress', fraction: 0.5, phase: 'training', elapsedSeconds: 1.25, etaSeconds: null },
  { type: 'loss', strategyId: 'deep-mlp', epoch: 1, loss: 0.1, seconds: 0.3 },
  { type: 'pnl', strategyId: 'no-hedge', epoch: null, histogram, metrics: metrics(0.5) },
  { type: 'pnl', strategyId: 'deep-mlp', epoch: 1, histogram, metrics: metrics(0.25) },
  {
    type: 'surface',
    strategyId: 'deep-mlp',
    logMoneyness: Float64Array.from([-0.1, 0.1]),
    timeToMaturity: Float64Array.from([0.01]),
    hedge: Float32Array.from([0.1, Number.NaN]),
    reference: null,
    moneynessLabel: 'log(S/K)',
    instrument: 'S',
    count: Int32Array.from([3, 0]),
  },
  { type: 'paths', times: Float64Array.from([0, 0.5, 1]), spot: [Float32Array.from([1, 1.01, 0.99])], positions: { 'deep-mlp': [Float32Array.from([0.5, 0.6])] } },
  { type: 'validation', strategyId: 'race', step: 10, loss: 0.2, seconds: 1.5 },
  { type: 'curvature', strategyId: 'race', step: 10, gradientVariance: 0.01, maxEigenvalue: 3, kappa: [{ block: 'lstm 1', kappa: 12 }, { block: 'gains', kappa: 0.5 }] },
  { type: 'pnl-variants', strategyId: 'race', variants: [{ label: 'hedge', histogram, std: 0.02, skew: -0.5 }] },
  { type: 'hedge-bands', strategyId: 'race', times: Float64Array.from([0, 1]), probabilities: [0.05, 0.5, 0.95], resetSteps: [1], bands: [{ instrument: 'S', quantity: 'position', quantiles: [Float32Array.from([0.4, 0.5])] }] },
  { type: 'holdings', strategyId: 'deep-mlp', epoch: 1, validationLoss: 0.3, meanHolding: [{ instrument: 'S', mean: 0.55 }], bestEpoch: 1 },
  { type: 'agent', strategyId: 'deep-mlp', phase: 'rl', update: 1, seconds: 0.2, figures: { avg_r: -0.001, q: 0.5 } },
  { type: 'pv-map', strategyId: 'deep-mlp', moneynessEdges: Float64Array.from([0.9, 1, 1.1]), timeToMaturity: Float64Array.from([0.02]), meanPv: Float32Array.from([0.01, -0.02]), count: Int32Array.from([4, 2]) },
  { type: 'metrics', rows: [{ strategyId: 'no-hedge', metrics: metrics(0.5) }, { strategyId: 'deep-mlp', metrics: metrics(0.25) }] },
  {
    type: 'done',
    result: {
      config,
      backend: 'webgpu',
      fusedKernels: { maxRelativeError: 1e-6, used: true },
      strategies: [{ ...strategies[1]!, metrics: metrics(0.25), training: { epochs: [1], loss: [0.1], seconds: 0.3, epochSeconds: [0.3], launchesPerStep: { kernels: 40, dispatches: 12 } } }],
    },
  },
];

const backend = { active: 'webgpu' as const, failures: [{ backend: 'wasm' as const, reason: 'not tried' }], adapter: { description: 'SwiftShader', software: true }, wasm: null };
const record = (): RunRecord => newRunRecord({ outcome: 'done', backend, durationSeconds: 12.5, config, view: applyEvents(EMPTY_VIEW, events) }, new Date('2026-03-01T10:00:00Z'));

/** The file's JSON with `edit` applied to its (only) run. */
function edited(run: RunRecord, edit: (json: Record<string, any>) => void): string {
  const json = JSON.parse(runJson(run));
  edit(json);
  return JSON.stringify(json);
}

describe('run files', () => {
  it('write a run and read back the same record, typed arrays and non-finite numbers exactly', () => {
    const run = record();
    const read = readRunFile(runJson(run));
    if (!read.ok) throw new Error(read.errors.join('\n'));
    expect(read.records).toEqual([run]);
    const view = read.records[0]!.view;
    expect(view.pnl['deep-mlp']!.histogram.density).toBeInstanceOf(Float64Array);
    expect([...view.pnl['deep-mlp']!.histogram.density]).toEqual([1 / 3, 5, Math.PI]);
    const surface = view.surfaces['deep-mlp']!['S']!;
    expect(surface.hedge).toBeInstanceOf(Float32Array);
    expect(surface.hedge[0]).toBe(Math.fround(0.1));
    expect(surface.hedge[1]).toBeNaN();
    expect(surface.count).toEqual(Int32Array.from([3, 0]));
    expect(view.metrics![0]!.metrics.skew).toBeNaN();
    expect(view.metrics![0]!.metrics.kurtosis).toBe(Number.POSITIVE_INFINITY);
    expect(view.forecast!.attention.weights).toBeInstanceOf(Float32Array);
    expect(view.agents['deep-mlp']!.rl.q).toEqual({ epochs: [1], loss: [0.5] });
  });

  it('read a file saved before kappa was logged: its curvature reads with no kappa blocks', () => {
    const read = readRunFile(edited(record(), (json) => void delete json.view.curvature.race.kappa));
    if (!read.ok) throw new Error(read.errors.join('\n'));
    expect(read.records[0]!.view.curvature.race).toEqual({ steps: [10], gradientVariance: [0.01], maxEigenvalue: [3], kappa: {} });
    expect(record().view.curvature.race!.kappa).toEqual({ 'lstm 1': [12], gains: [0.5] });
  });

  it('write several runs as a list and read them back in order', () => {
    const [a, b] = [record(), { ...record(), name: 'Second' }];
    const read = readRunFile(runFileText([runJson(a), runJson(b)]));
    expect(read.ok && read.records.map((r) => [r.id, r.name])).toEqual([
      [a.id, a.name],
      [b.id, 'Second'],
    ]);
  });

  it('summarise a run for the History list: the best-scored strategy by the risk measure', () => {
    const run = record();
    const summary = runSummary(run, 1234);
    expect(summary).toEqual({
      id: run.id,
      name: config.name,
      savedAt: '2026-03-01T10:00:00.000Z',
      outcome: 'done',
      backend: 'webgpu',
      durationSeconds: 12.5,
      scored: 2,
      strategies: 3,
      best: { label: 'Deep hedger (MLP) 2x8', risk: 0.25, std: 0.02 },
      forecasterNll: -2.75,
      bytes: 1234,
    });
  });

  it('rename a run in its JSON, and nothing else', () => {
    const run = record();
    const read = readRunFile(renamedRunJson(runJson(run), 'Renamed'));
    expect(read.ok && read.records).toEqual([{ ...run, name: 'Renamed' }]);
  });

  it('refuse a density that is not numbers, naming the run and the field', () => {
    const text = edited(record(), (json) => (json.view.pnl['deep-mlp'].histogram.density.values[1] = 'five'));
    expect(readRunFile(text)).toEqual({ ok: false, errors: ['runs[0].view.pnl.deep-mlp.histogram.density: expected numbers'] });
  });

  it('refuse a typed array written as a plain list, a missing field and a wrong kind of field', () => {
    const text = edited(record(), (json) => {
      json.view.paths.times = [0, 0.5, 1];
      delete json.view.market.premium;
      json.outcome = 'failed';
    });
    const read = readRunFile(JSON.stringify([JSON.parse(runJson(record())), JSON.parse(text)]));
    expect(read.ok).toBe(false);
    const errors = read.ok ? [] : read.errors;
    expect(errors).toContain('runs[1].outcome: must be one of "done", "stopped", not "failed"');
    expect(errors).toContain('runs[1].view.market.premium: expected a number');
    expect(errors).toContainEqual(expect.stringMatching(/^runs\[1\]\.view\.paths\.times: expected numbers as a Float64Array/));
    expect(errors.every((e) => e.startsWith('runs[1].'))).toBe(true);
  });

  it('refuse an experiment the experiment schema refuses, with its message', () => {
    const text = edited(record(), (json) => (json.config.market.steps = 100000));
    const read = readRunFile(text);
    expect(read.ok).toBe(false);
    expect(!read.ok && read.errors).toContain('runs[0].config: market.steps: Too big: expected number to be <=500');
  });

  it('refuse chart text with markup in it', () => {
    const text = edited(record(), (json) => (json.view.strategies[0].label = '<img src=x onerror=alert(1)>'));
    expect(readRunFile(text)).toEqual({ ok: false, errors: ['runs[0].view.strategies.0.label: must be plain text (no < or >)'] });
  });

  it('refuse another format version, and files that are not runs, saying why', () => {
    expect(readRunFile(edited(record(), (json) => (json.version = 2)))).toEqual({
      ok: false,
      errors: ['runs[0].version: this HedgeLab reads runs of format version 1, not 2: it was saved by a newer HedgeLab'],
    });
    expect(readRunFile(JSON.stringify(defaultConfig()))).toEqual({ ok: false, errors: ['runs[0].format: not a HedgeLab run (expected "hedgelab-run", not null)'] });
    expect(readRunFile('[]')).toEqual({ ok: false, errors: ['the file holds an empty list: no runs'] });
    const notJson = readRunFile('{"format": ');
    expect(!notJson.ok && notJson.errors[0]).toMatch(/^not JSON: /);
  });

  it('never let a "__proto__" key become a prototype', () => {
    const text = runJson(record()).replace('"loss":{"deep-mlp"', '"loss":{"__proto__":{"epochs":[1],"loss":[2]},"deep-mlp"');
    const read = readRunFile(text);
    if (!read.ok) throw new Error(read.errors.join('\n'));
    const loss = read.records[0]!.view.loss;
    expect(Object.getPrototypeOf(loss)).toBe(Object.prototype);
    expect(Object.keys(loss)).toEqual(['deep-mlp']);
  });
});
