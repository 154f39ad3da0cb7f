/**
 * The run-cost model (run-cost.ts) and the backend-speed calibration (backend-speed.ts, speed-calibration.ts): parameter counts
 * against the networks the lab builds, the fit through two timings, the estimate's scaling in epochs, paths,
 * dates and inner iterations, and a real measurement on the cpu backend.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { measureSpeed } from '../../src/engine/experiment/backend-speed';
import { fitCalibration, speedRatio, stepTime, type SpeedCalibration } from '../../src/engine/experiment/speed-calibration';
import { featureNames, instrumentLabels } from '../../src/engine/experiment/hedging-problem';
import { defaultConfig, preset } from '../../src/engine/experiment/presets';
import { assetCount, estimateRun, networkSize, P0, scoredPaths } from '../../src/engine/experiment/run-cost';
import type { Experiment, Strategy } from '../../src/engine/experiment/schema';
import { createHedger } from '../../src/engine/experiment/strategies';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const calibration = (overheadSeconds: number, secondsPerPath: number): SpeedCalibration => ({ backend: 'cpu', overheadSeconds, secondsPerPath, complete: true });

/** Weights and biases of the network the lab builds for strategy `s` of `cfg`. */
function builtParameters(cfg: Experiment, s: Strategy): number {
  const features = featureNames(cfg, 1, false).length;
  const instruments = instrumentLabels(cfg, ['S']).length;
  const h = createHedger(s, cfg, features, instruments);
  const variables = h.trained?.variables ?? h.recurrent?.variables ?? h.sequence!.variables;
  const n = variables.reduce((sum, v) => sum + v.size, 0);
  h.dispose();
  return n;
}

describe('network sizes', () => {
  it('count the parameters of every trained network type as built', () => {
    for (const name of ['default', 'paper001-fig2', 'cliquet-race', 'lookback-gbm']) {
      const cfg = name === 'default' ? defaultConfig() : preset(name);
      const features = featureNames(cfg, 1, false).length;
      const instruments = instrumentLabels(cfg, ['S']).length;
      for (const s of cfg.strategies) {
        const size = networkSize(s, features, instruments);
        if (!size) continue;
        expect(size.parameters, `${name}/${s.id}`).toBe(builtParameters(cfg, s));
      }
    }
  });

  it("count paper 003's RNN and SigFormer as built, on one and on three assets, with and without the regime label", () => {
    const training = { epochs: 1, batchSize: 64, learningRate: 1e-3, freshPaths: true, clip: 0, patience: 0 };
    const sequence: Strategy[] = [
      { id: 'rnn', type: 'rnn', network: { layers: 2, units: 8, lags: 5 }, training },
      { id: 'rnn-deep', type: 'rnn', network: { layers: 3, units: 4, lags: 1 }, training },
      { id: 'sf', type: 'sigformer', network: { modelDim: 3, order: 3, heads: 2, blocks: 2, mlpUnits: 16, dropout: 0.1 }, training },
      { id: 'sf-small', type: 'sigformer', network: { modelDim: 2, order: 1, heads: 1, blocks: 1, mlpUnits: 4, dropout: 0 }, training },
    ];
    const regimes = preset('sp500-regimes');
    for (const [cfg, assets, regime] of [[defaultConfig(), 1, false], [defaultConfig(), 3, false], [regimes, 2, true]] as const) {
      const features = featureNames(cfg, assets, regime).length;
      for (const s of sequence) {
        const h = createHedger(s, cfg, features, assets);
        const built = h.sequence!.variables.reduce((sum, v) => sum + v.size, 0);
        h.dispose();
        expect(networkSize(s, features, assets, regime)!.parameters, `${s.id}, ${assets} assets`).toBe(built);
      }
    }
  });

  it('make the calibration network (MLP 3x32 on the default features) the unit', () => {
    const cfg = defaultConfig();
    const mlp = cfg.strategies.find((s) => s.type === 'deep-mlp')!;
    expect(networkSize(mlp, 3, 1)).toEqual({ parameters: P0, depth: 4 });
  });
});

describe('calibration fit', () => {
  it('recovers overhead and per-path cost from step times at two batch sizes', () => {
    const c = fitCalibration('wasm', [0.01 + 128 * 1e-4, 0.01 + 128 * 1e-4], [0.01 + 1024 * 1e-4], true);
    expect(c.overheadSeconds).toBeCloseTo(0.01, 10);
    expect(c.secondsPerPath).toBeCloseTo(1e-4, 12);
    expect(stepTime(c, 512)).toBeCloseTo(0.01 + 512 * 1e-4, 10);
  });

  it('never fits a negative cost: a larger batch measured faster is all overhead', () => {
    const c = fitCalibration('webgpu', [0.3, 0.32], [0.28, 0.29], true);
    expect(c.secondsPerPath).toBe(0);
    expect(c.overheadSeconds).toBeCloseTo(0.31, 10);
  });

  it('ranks backends by the calibration problem at full batch', () => {
    expect(speedRatio(calibration(0.01, 1e-5), calibration(0.2, 1e-4))).toBeCloseTo((0.2 + 1024e-4) / (0.01 + 1024e-5), 10);
  });
});

describe('run estimates', () => {
  const cfgWith = (edit: (cfg: Experiment) => void) => {
    const cfg = defaultConfig();
    edit(cfg);
    return cfg;
  };
  const deep = (cfg: Experiment) => cfg.strategies.find((s) => s.type === 'deep-mlp')!;
  const secondsOf = (cfg: Experiment, c: SpeedCalibration) => estimateRun(cfg, c, { liveEvaluations: 0 }).seconds;

  it("score a data market's windows: AAPL's 1,260 dates split 60/20/20 hold 222 validation and 222 test windows of 30 days", () => {
    const cfg = preset('paper003-aapl-market');
    expect(scoredPaths(cfg, 1260)).toEqual({ test: 222, validation: 222 });
    expect(scoredPaths(cfg)).toEqual({ test: cfg.paths.test, validation: 1024 });
    const c = calibration(0.02, 5e-5);
    expect(estimateRun(cfg, c, { dataDates: 1260 }).seconds).toBeLessThan(estimateRun(cfg, c).seconds);
  });

  it('count the assets of the hedge set, not every asset of the market (paper 003 fig. 3)', () => {
    const market = { model: 'correlated-gbm' as const, s0: 1, drift: 0, volatilities: [0.2, 0.3, 0.25], correlation: [[1, 0.5, 0.2], [0.5, 1, 0.3], [0.2, 0.3, 1]], maturityDays: 20, steps: 20, daysPerYear: 250 as const };
    const threeAssets = cfgWith((cfg) => (cfg.market = market));
    expect(assetCount(threeAssets)).toBe(3);
    const two = cfgWith((cfg) => {
      cfg.market = market;
      cfg.instruments = { ...cfg.instruments, hedgeSet: 2 };
    });
    expect(assetCount(two)).toBe(2);
    const c = calibration(0.02, 5e-5);
    expect(secondsOf(two, c)).toBeLessThan(secondsOf(threeAssets, c));
  });

  it('grow linearly with the epochs (scoring at the end only)', () => {
    const c = calibration(0.02, 5e-5);
    const at = (epochs: number) => secondsOf(cfgWith((cfg) => deep(cfg).type === 'deep-mlp' && ((deep(cfg) as { training: { epochs: number } }).training.epochs = epochs)), c);
    expect(at(20) - at(10)).toBeCloseTo(at(30) - at(20), 9);
    expect(at(20)).toBeLessThan(2 * at(10));
  });

  it('price the arithmetic by batch x dates x parameters and the kernel chain by dates x depth', () => {
    const base = defaultConfig();
    const perPath = secondsOf(base, calibration(0, 1e-5));
    const overhead = secondsOf(base, calibration(1e-2, 0));
    // Twice the dates: twice both terms.
    const longer = cfgWith((cfg) => Object.assign(cfg.market, { steps: 40, maturityDays: 40 }));
    expect(secondsOf(longer, calibration(0, 1e-5))).toBeCloseTo(2 * perPath, 9);
    expect(secondsOf(longer, calibration(1e-2, 0))).toBeCloseTo(2 * overhead, 9);
    // Twice the training paths at the same batch: twice the steps, the scoring unchanged.
    const steps = estimateRun(base, calibration(1e-2, 0), { liveEvaluations: 0 }).strategies[0]!.steps;
    const doubled = cfgWith((cfg) => (cfg.paths.train = 8192));
    expect(estimateRun(doubled, calibration(1e-2, 0), { liveEvaluations: 0 }).strategies[0]!.steps).toBe(2 * steps);
  });

  it('count only trained strategies, and charge DHLNN its inner iterations', () => {
    const cfg = preset('paper001-fig2');
    const est = estimateRun(cfg, calibration(0.01, 1e-5), { liveEvaluations: 0 });
    expect(est.strategies.map((s) => s.id)).toEqual(['dhmlp', 'dhntb', 'dhlnn']);
    const [, dhntb, dhlnn] = est.strategies;
    expect(dhlnn!.seconds).toBeGreaterThan(dhntb!.seconds);
    expect(est.seconds).toBeCloseTo(est.strategies.reduce((a, s) => a + s.seconds, 0), 9);
  });

  it("price the SigFormer by its widest level, its kernel chain independent of the dates, and every epoch's validation pass", () => {
    const training = { epochs: 10, batchSize: 512, learningRate: 1e-3, freshPaths: true, clip: 0, patience: 0 };
    const sigformer = (modelDim: number, order: number): Strategy => ({ id: 'sf', type: 'sigformer', network: { modelDim, order, heads: 2, blocks: 2, mlpUnits: 16, dropout: 0 }, training });
    const rnn: Strategy = { id: 'rnn', type: 'rnn', network: { layers: 2, units: 16, lags: 10 }, training };
    const run = (s: Strategy, edit: (cfg: Experiment) => void = () => {}) =>
      cfgWith((cfg) => {
        cfg.strategies = [s];
        edit(cfg);
      });
    const arithmetic = calibration(0, 1e-5);
    const kernels = calibration(1e-2, 0);
    // d^m x heads d^m per projection: from d 4 to d 8 at m 3 the arithmetic grows about 64-fold.
    const ratio = secondsOf(run(sigformer(8, 3)), arithmetic) / secondsOf(run(sigformer(4, 3)), arithmetic);
    expect(ratio).toBeGreaterThan(30);
    expect(ratio).toBeLessThan(64);
    // Twice the dates: the SigFormer's chain of kernels is the same, the RNN's twice as long.
    const longer = (cfg: Experiment) => Object.assign(cfg.market, { steps: 40, maturityDays: 40 });
    expect(secondsOf(run(sigformer(4, 2), longer), kernels)).toBeCloseTo(secondsOf(run(sigformer(4, 2)), kernels), 9);
    expect(secondsOf(run(rnn, longer), kernels)).toBeCloseTo(2 * secondsOf(run(rnn), kernels), 9);
    // More validation paths: a dearer run, the training steps unchanged.
    for (const s of [sigformer(4, 2), rnn]) {
      const more = run(s, (cfg) => (cfg.paths.validation = 20_000));
      expect(secondsOf(more, arithmetic)).toBeGreaterThan(secondsOf(run(s), arithmetic));
      expect(estimateRun(more, arithmetic).strategies[0]!.steps).toBe(estimateRun(run(s), arithmetic).strategies[0]!.steps);
    }
  });

  it('say a paper-002 race takes far longer than the default run on the same backend', () => {
    const c = calibration(0.02, 5e-5);
    expect(estimateRun(preset('cliquet-race'), c).seconds).toBeGreaterThan(20 * estimateRun(defaultConfig(), c).seconds);
  });

  it("charge a signature-diffusion market its generators: training by epochs, sampling by paths x sampler steps, one per traded asset", () => {
    const c = calibration(0, 5e-5);
    const cfg = preset('paper003-aapl-diffusion');
    const m = cfg.market;
    if (m.model !== 'signature-diffusion') throw new Error('not a diffusion market');
    const one = estimateRun(cfg, c, { dataDates: 1260 }).generators!;
    // 756 training dates: 751 segments of 5 days, 11 batches of 64 an epoch, 100 epochs.
    expect(one.steps).toBe(1100);
    const withPaths = (paths: number, steps = m.diffusion.sampling.steps) => ({ ...cfg, market: { ...m, diffusion: { ...m.diffusion, paths, sampling: { ...m.diffusion.sampling, steps } } } });
    const sampling = (paths: number, steps?: number) => estimateRun(withPaths(paths, steps), c, { dataDates: 1260 }).generators!.seconds;
    // Training is the same whatever the paths: the difference is sampling alone, linear in paths and in steps.
    expect(sampling(40_000) - sampling(20_000)).toBeCloseTo(sampling(20_000) - sampling(0), 6);
    expect(sampling(20_000, 100) - sampling(20_000, 50)).toBeCloseTo(sampling(20_000, 50) - sampling(20_000, 0), 6);
    expect(sampling(20_000)).toBeGreaterThan(2 * sampling(0));
    const two = estimateRun({ ...cfg, instruments: { ...cfg.instruments, hedgeSet: 2 } }, c, { dataDates: 1260 }).generators!;
    expect(two.seconds).toBeCloseTo(2 * one.seconds, 9);
    expect(two.steps).toBe(2 * one.steps);
  });
});

describe('measuring a backend', () => {
  it('times real training steps of the calibration problem on the cpu backend', async () => {
    const c = await measureSpeed('cpu', 60);
    expect(c.backend).toBe('cpu');
    expect(c.complete).toBe(true);
    expect(stepTime(c, 1024)).toBeGreaterThan(0);
    expect(Number.isFinite(c.overheadSeconds + c.secondsPerPath)).toBe(true);
    expect(tf.memory().numTensors).toBe(0);
  });

  it('stops at once when aborted and reports what it had', async () => {
    const abort = new AbortController();
    abort.abort();
    const c = await measureSpeed('cpu', 60, abort.signal);
    expect(c.complete).toBe(false);
  });
});
