/**
 * The sequence-hedger part of `npm run bench` (paper 003 §4): training throughput in path-steps per second
 * of the RNN hedger (§4.1, 2 LSTM layers of 32 on 30 lags) and of the SigFormer at the paper's
 * configuration (appendix 8.3.3: d 8, order 3, 2 heads, 2 blocks; the level-3 tensor is 512 wide), next to
 * the deep hedger (MLP 3x32), on one problem: a 30-day GBM call with paper 003's daily steps (dt = 1/365),
 * S0 100 and entropic risk 1.3, `paths` training paths per epoch in mini-batches of 64 (the most the SigFormer at the paper's size holds on 30 dates). Each network trains
 * alone; the first epoch (kernel compilation, allocation) is excluded. An epoch of a sequence hedger
 * includes its validation pass (256 paths), which a person waits for too.
 */
import { SCHEMA_VERSION, type Experiment, type Strategy } from '../engine/experiment/schema';
import { runToResult, useBackend, type NodeBackend } from './headless-run';

const training = (epochs: number) => ({ epochs, batchSize: 64, learningRate: 1e-3, freshPaths: true });
const sequenceTraining = (epochs: number) => ({ ...training(epochs), clip: 0, patience: 0 });

/** The networks timed, by the strategy each trains as. */
function networks(epochs: number): Strategy[] {
  return [
    { id: 'deep-mlp', type: 'deep-mlp', network: { layers: 3, units: 32 }, training: training(epochs) },
    { id: 'rnn', type: 'rnn', network: { layers: 2, units: 32, lags: 30 }, training: sequenceTraining(epochs) },
    {
      id: 'sigformer',
      type: 'sigformer',
      network: { modelDim: 8, order: 3, heads: 2, blocks: 2, mlpUnits: 256, dropout: 0.1 },
      training: sequenceTraining(epochs),
    },
  ];
}

function problem(strategy: Strategy, paths: number): Experiment {
  return {
    version: SCHEMA_VERSION,
    name: `sequence bench: ${strategy.type}`,
    seed: 1,
    market: { model: 'gbm', s0: 100, drift: 0, volatility: 0.25, maturityDays: 30, steps: 30, daysPerYear: 365 },
    claim: { type: 'european', kind: 'call', strike: 100 },
    instruments: { options: { grid: 'none' } },
    costs: { proportional: 0, closeAtMaturity: false },
    premium: 'model',
    risk: { measure: 'entropic', lambda: 1.3 },
    paths: { train: paths, test: 256, validation: 256 },
    strategies: [strategy],
  };
}

export async function sequenceBenchmark(backends: NodeBackend[], epochs = 3, paths = 512) {
  const results = [];
  for (const name of backends) {
    await useBackend(name);
    for (const strategy of networks(epochs)) {
      const cfg = problem(strategy, paths);
      const marks: number[] = [];
      await runToResult(cfg, name, (e) => {
        if (e.type === 'loss') marks.push(e.seconds);
      });
      const secondsPerEpoch = marks.length > 1 ? (marks[marks.length - 1] - marks[0]) / (marks.length - 1) : null;
      results.push({
        network: strategy.type,
        backend: name,
        epochsTimed: Math.max(0, marks.length - 1),
        firstEpochSeconds: marks[0] ?? null,
        secondsPerEpoch,
        pathStepsPerSecond: secondsPerEpoch ? (paths * cfg.market.steps) / secondsPerEpoch : null,
      });
    }
  }
  return {
    problem: `30-day GBM call, 30 daily steps, S0 100, entropic 1.3, ${paths} training paths per epoch in batches of 64; deep hedger 3x32, RNN 2x32 on 30 lags, SigFormer d 8 m 3 2 heads 2 blocks`,
    results,
  };
}
