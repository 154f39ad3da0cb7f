/**
 * Pathwise deep hedgers: the deep hedger in pfhedge's form and paper 001's DHMLP (policies/deep-hedger.ts),
 * the no-transaction band network DHNTB and DHLNN's anchor band (policies/band-network.ts). Each trains on
 * its own training paths by minimising the experiment's risk measure of the terminal P&L (paper 001 eq. 7),
 * by Adam or, for DHLNN, nested linearised optimisation (paper 001 Algorithm 1), streaming its loss per epoch
 * and, at evaluation epochs, its test P&L, holding surface and sample positions. Variables are drawn from the
 * strategy's own stream `init/<id>`, so one strategy's settings never change another's numbers.
 */
import * as tf from '@tensorflow/tfjs';
import { hedgingPnl } from '../../hedging/pnl';
import { BandNetwork } from '../../policies/band-network';
import { DeepHedger } from '../../policies/deep-hedger';
import { stream } from '../../random/stream';
import { needsThreshold, riskLoss } from '../../risk/measure';
import { adamOptimiser, stepsPerEpoch, trainPathwise, type Optimiser, type TrainingEvent } from '../../trainers/adam-pathwise';
import { NestedLinearisedOptimiser } from '../../trainers/linearised-nested';
import type { Checkpoint, RunEvent, TrainingRecord } from '../events';
import { buildProblem, packSample } from '../hedging-problem';
import { holdingSurface } from '../holding-surface';
import { trainingSample } from '../market';
import { isTrained, type TrainedStrategy } from '../schema';
import type { Hedger, TrainedPolicy } from '../strategies';
import { strategyInfo } from '../strategy-info';
import type { RunContext, TrainerFamily } from '../trainer-family';
import { trainInTurn } from './train-in-turn';

/** Epochs after which a trained strategy is evaluated on the test paths: every few, the checkpoints, and always the last. */
export function evaluationEpochs(epochs: number, live: number, checkpoints: number[] = []): Set<number> {
  const every = live > 0 ? Math.max(1, Math.ceil(epochs / live)) : epochs;
  const due = new Set<number>([epochs, ...checkpoints.filter((e) => e <= epochs)]);
  for (let e = every; e < epochs; e += every) due.add(e);
  return due;
}

export const pathwiseFamily: TrainerFamily<TrainedStrategy> = {
  name: 'pathwise',
  owns: isTrained,
  create(s, cfg, features, instruments): Hedger {
    const info = strategyInfo(s);
    if (s.type === 'deep-mlp' || s.type === 'dhmlp') {
      const net = new DeepHedger(features, instruments, s.network.layers, s.network.units, stream(cfg.seed, 'init', s.id));
      const trained = { network: net, variables: net.variables, holding: (f: tf.Tensor2D, ref: tf.Tensor1D | null) => net.holding(f, ref) };
      return { info, trained, positions: (p) => net.positions(p), dispose: () => net.dispose() };
    }
    const net = new BandNetwork(features, s.network.layers, s.network.units, s.type === 'dhntb' ? 'leaky-relu' : 'identity', stream(cfg.seed, 'init', s.id));
    const holding = (f: tf.Tensor2D, ref: tf.Tensor1D | null) => {
      if (!ref) throw new Error(`${info.label} needs a Black-Scholes delta`);
      return net.centre(f, ref);
    };
    return { info, trained: { network: net, variables: net.variables, holding }, positions: (p) => net.positions(p), dispose: () => net.dispose() };
  },
  units: (cfg, s, live) => s.training.epochs * stepsPerEpoch(cfg.paths.train, s.training.batchSize) + evaluationEpochs(s.training.epochs, live, cfg.checkpoints).size,
  train: (run, members) => trainInTurn(run, members, ({ strategy, hedger }, record, checkpoints) => trainDeepHedger(run, strategy, hedger, record, checkpoints), false),
};

/** The optimiser a trained strategy's configuration asks for (trainers/). */
function optimiserFor(run: RunContext, s: TrainedStrategy, h: Hedger, threshold: tf.Variable<tf.Rank.R0> | undefined): Optimiser {
  const { cfg, market, layout } = run;
  const trained = h.trained!;
  if (s.type === 'dhlnn') {
    return new NestedLinearisedOptimiser({
      net: trained.network as BandNetwork,
      problem: (rows) => buildProblem(cfg, market, rows, layout),
      risk: cfg.risk,
      threshold,
      learningRate: s.training.learningRate,
      innerSteps: s.inner.steps,
      tolerance: s.inner.tolerance,
      precondition: s.inner.precondition,
    });
  }
  const loss = (rows: tf.Tensor2D) => {
    const batch = buildProblem(cfg, market, rows, layout);
    const { pnl, cost } = hedgingPnl(batch, h.positions(batch));
    return riskLoss(cfg.risk, pnl, threshold, cost);
  };
  return adamOptimiser(loss, threshold ? [...trained.variables, threshold] : trained.variables, s.training.learningRate);
}

/**
 * A strategy's pathwise training on the run's training paths, fresh each epoch or one set
 * (market.ts trainingSample), its mini-batches shuffled by the stream `batch/<id>/<epoch>`.
 */
export function trainOnRunPaths(run: RunContext, id: string, t: { epochs: number; batchSize: number; freshPaths: boolean }, optimiser: Optimiser): AsyncGenerator<TrainingEvent> {
  const { cfg, market, layout, signal } = run;
  return trainPathwise({
    epochs: t.epochs,
    batchSize: t.batchSize,
    pathCount: cfg.paths.train,
    columns: layout.width,
    paths: (epoch) => (t.freshPaths || epoch === 1 ? packSample(trainingSample(cfg, market, epoch, t.freshPaths, cfg.paths.train), layout) : null),
    optimiser,
    shuffle: (epoch) => stream(cfg.seed, 'batch', id, epoch),
    signal,
  });
}

/** Trains one deep hedger, streaming its loss per epoch and, at evaluation epochs, its test P&L, holding surface and positions. */
async function* trainDeepHedger(run: RunContext, s: TrainedStrategy, h: Hedger, record: TrainingRecord, scored: Checkpoint[]): AsyncGenerator<RunEvent> {
  const { cfg, owned } = run;
  const threshold = needsThreshold(cfg.risk) ? tf.tidy(() => tf.variable(tf.scalar(0))) : undefined;
  if (threshold) owned.push(threshold);
  const { epochs } = s.training;
  const due = evaluationEpochs(epochs, run.live, cfg.checkpoints);
  const checkpoints = new Set(cfg.checkpoints ?? []);
  const optimiser = optimiserFor(run, s, h, threshold);
  const training = trainOnRunPaths(run, s.id, s.training, optimiser);
  try {
    yield* followTraining(run, h, training, { epochs, due, checkpoints, record, scored, holding: h.trained!.holding });
  } finally {
    optimiser.dispose();
  }
}

/** Streams a strategy's training: its loss per epoch and, at evaluation epochs, its test P&L, surface and positions. */
async function* followTraining(
  run: RunContext,
  h: Hedger,
  training: AsyncGenerator<TrainingEvent>,
  o: { epochs: number; due: Set<number>; checkpoints: Set<number>; record: TrainingRecord; scored: Checkpoint[]; holding: TrainedPolicy['holding'] },
): AsyncGenerator<RunEvent> {
  const { cfg, market, test } = run;
  const { epochs, due, record } = o;
  const s = h.info;
  for await (const ev of training) {
    if (ev.kind === 'step') {
      yield run.advance(1, `training ${h.info.label}: epoch ${ev.epoch} of ${epochs}`);
      continue;
    }
    record.epochs.push(ev.epoch);
    record.loss.push(ev.loss);
    record.seconds = ev.seconds;
    record.epochSeconds?.push(ev.seconds);
    record.launchesPerStep = ev.launches;
    yield { type: 'loss', strategyId: s.id, epoch: ev.epoch, loss: ev.loss, seconds: ev.seconds };
    if (due.has(ev.epoch)) {
      const e = await run.evaluate(h);
      if (o.checkpoints.has(ev.epoch)) o.scored.push({ epoch: ev.epoch, metrics: e.metrics });
      yield { type: 'pnl', strategyId: s.id, epoch: ev.epoch, histogram: e.histogram, metrics: e.metrics };
      yield await holdingSurface(cfg, market, test.featureNames, s.id, o.holding);
      yield await run.pathsEvent();
      yield run.advance(1, `evaluated ${h.info.label} at epoch ${ev.epoch}`);
    }
  }
}
