/**
 * Real runs' views through a run file (src/ui/run-file.ts): a tiny experiment, a tiny forecaster market
 * (its forecaster's cards), paper 002's race (validation, curvature, P&L variants, hedge bands), an RL
 * agent (its curves and PV_T map) and a tiny signature-diffusion market (its generator's cards), each streamed on the CPU backend and reduced as the page reduces it,
 * come back from their JSON equal to the record, every chart series and the result included.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { preset } from '../../src/engine/experiment/presets';
import { RL_DEFAULTS } from '../../src/engine/experiment/rl-defaults';
import { runExperiment } from '../../src/engine/experiment/run-experiment';
import type { Experiment } from '../../src/engine/experiment/schema';
import { readRunFile, runJson } from '../../src/ui/run-file';
import { newRunRecord, runSummary } from '../../src/ui/run-record';
import { applyEvents, EMPTY_VIEW, type RunView } from '../../src/ui/run-view';
import { collect } from '../fixtures/run-events';
import { tinyForecaster } from '../fixtures/tiny-forecaster';
import { tinyDiffusion } from '../fixtures/tiny-diffusion';
import { bundledData } from '../../src/cli/price-data';
import type { PricePanel } from '../../src/engine/data/price-panel';
import { tinyRace } from '../fixtures/tiny-race';
import { tinyExperiment } from './tiny-experiment';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function tinyAgent(): Experiment {
  const cfg = preset('paper000-gbm');
  cfg.market = { model: 'gbm', s0: 1, drift: 0, volatility: 0.2, maturityDays: 10, steps: 10, daysPerYear: 252 };
  cfg.paths = { train: 64, test: 128, validation: 64 };
  const a2c = RL_DEFAULTS.a2c();
  cfg.strategies = [{ ...a2c, network: { layers: 1, units: 8 }, rl: { ...a2c.rl, updates: 2, episodes: 64, evaluateEvery: 1 } }];
  return cfg;
}

const some = (record: object) => Object.keys(record).length > 0;

/** Each run, and the charts its view must hold for the round trip to mean something. */
const RUNS: [string, () => Experiment, (view: RunView) => boolean, PricePanel?][] = [
  ['a tiny experiment', () => tinyExperiment({ epochs: 2 }), (v) => some(v.surfaces) && some(v.loss) && v.paths !== null],
  ['a forecaster market', () => tinyForecaster(), (v) => (v.forecaster?.epochs.length ?? 0) > 0 && v.forecast !== null],
  ['a recurrent race', () => tinyRace({ testPaths: 32, kfacId: 'kfac' }), (v) => some(v.hedgeBands) && some(v.curvature) && some(v.validation) && some(v.pnlVariants)],
  ['an RL agent', tinyAgent, (v) => some(v.pvMaps) && some(v.agents)],
  ['a signature-diffusion market', () => tinyDiffusion({ epochs: 2, paths: 64 }), (v) => v.diffusion !== null && (v.generated?.assets[0]?.facts.length ?? 0) === 4, bundledData(['AAPL', 'SPX'])],
];

describe('real runs through a run file', () => {
  it.each(RUNS)('%s comes back equal', async (_, experiment, holdsItsCharts, data) => {
    const config = experiment();
    const view = applyEvents(EMPTY_VIEW, await collect(runExperiment(config, { backend: 'cpu', liveEvaluations: 1, data })));
    expect(view.error).toBeNull();
    expect(holdsItsCharts(view)).toBe(true);
    const run = newRunRecord({ outcome: 'done', backend: { active: 'cpu', failures: [], adapter: null, wasm: null }, durationSeconds: 3, config, view }, new Date());
    const read = readRunFile(runJson(run));
    if (!read.ok) throw new Error(read.errors.join('\n'));
    expect(read.records[0]).toEqual(run);
    const { best } = runSummary(run, 0);
    expect(best?.risk).toBe(Math.min(...view.metrics!.map((r) => r.metrics.risk).filter(Number.isFinite)));
  });
});
