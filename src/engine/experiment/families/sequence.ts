/**
 * Paper 003's sequence hedgers: the RNN (§4.1, policies/rnn-hedger.ts) on the lagged log-returns of the hedge
 * set's assets (and the regime label), and the SigFormer (§4.2, appendix 8.3, policies/sigformer.ts) on the
 * problem's features over time (log_moneyness, expiry_time, volatility, regime, log_return_i: Tong et al.'s
 * feature list). Inputs are brought to order one (the paper's "normalised" paths): the RNN's returns over the
 * problem's volatility at their date, sigma_tau sqrt(dt); the SigFormer's log-moneyness and log-returns over
 * sigma_t sqrt(T) and its time to maturity over T (featureScale). Both hold every asset of the hedge set at
 * every date, trained pathwise by Adam (trainers/adam-pathwise.ts) on the experiment's risk measure of the
 * P&L, clipped to [-clip, clip] first when `clip` > 0 (paper 003 §2: the entropic risk's guard against
 * overflow), with dropout seeded per step from the strategy's stream `dropout/<id>` and none when scoring. After every epoch: the same objective on the run's
 * validation paths and the mean holding in each asset over them (appendix 8.4's "long everywhere, then
 * reversal"), as a `holdings` event and TrainingRecord.figures `validation_loss`, `mean_holding_<asset>`; with
 * `patience` > 0, early stopping (§5): the best epoch's weights are copied, training stops after `patience`
 * epochs without a better validation loss and the best weights are restored before the final scoring. At the
 * evaluation epochs (pathwise.ts evaluationEpochs): the test P&L, the empirical holding surface of each asset
 * (empirical-surface.ts) and the sample paths. Weights come from `init/<id>`.
 */
import * as tf from '@tensorflow/tfjs';
import { hedgingPnl } from '../../hedging/pnl';
import type { HedgingProblem } from '../../hedging/problem';
import { laggedReturns, RnnHedger } from '../../policies/rnn-hedger';
import { MAX_PASS_ENTRIES, sigformerEntries, type SequenceNetwork } from '../../policies/sequence-network';
import { SigFormer } from '../../policies/sigformer';
import { stream, type RandomStream } from '../../random/stream';
import { needsThreshold, riskLoss } from '../../risk/measure';
import { adamOptimiser, NonFiniteLossError, stepsPerEpoch } from '../../trainers/adam-pathwise';
import type { Checkpoint, RunEvent, TrainingRecord } from '../events';
import { empiricalSurfaces } from '../empirical-surface';
import { buildProblem } from '../hedging-problem';
import { isSequence, type Experiment, type SequenceStrategy } from '../schema';
import type { Hedger } from '../strategies';
import { strategyInfo } from '../strategy-info';
import type { RunContext, TrainerFamily } from '../trainer-family';
import { trainInTurn } from './train-in-turn';
import { evaluationEpochs, trainOnRunPaths } from './pathwise';

/** Paths per forward pass when nothing is differentiated: at most 256, fewer for a SigFormer whose levels would not fit (sequence-network.ts). */
const INFERENCE_PATHS = 256;

function inferencePaths(s: SequenceStrategy, steps: number): number {
  if (s.type === 'rnn') return INFERENCE_PATHS;
  return Math.max(1, Math.min(INFERENCE_PATHS, Math.floor(MAX_PASS_ENTRIES / (steps * sigformerEntries(s.network)))));
}

/** The least volatility the inputs are standardised by (a market stating none, or 0). */
const MIN_VOLATILITY = 1e-3;

/** Inputs of the RNN: L lags of each of the A assets, and the regime label where the market has one. */
export function rnnInputWidth(lags: number, assets: number, regime: boolean): number {
  return lags * assets + (regime ? 1 : 0);
}

/** The network's inputs [n, T, F] on a problem: the features by path (SigFormer), or the RNN's lags and regime. */
export function sequenceInputs(s: SequenceStrategy, p: HedgingProblem): tf.Tensor3D {
  return tf.tidy(() => {
    const features = tf.transpose(p.features, [1, 0, 2]) as tf.Tensor3D;
    if (s.type === 'sigformer') return tf.mul(features, featureScale(p)) as tf.Tensor3D;
    const prices = p.instruments.map((i) => {
      if (i.kind !== 'holding') throw new Error(`the RNN hedger trades the hedge set's assets only, not ${i.label}`);
      return i.price;
    });
    // Returns in units of their standard deviation sigma_tau sqrt(dt) (policies/rnn-hedger.ts; floored at 0.1%).
    const lags = laggedReturns(prices, s.network.lags, tf.mul(tf.maximum(p.volatility, MIN_VOLATILITY), Math.sqrt(p.dt)) as tf.Tensor2D);
    const regime = p.featureNames.indexOf('regime');
    if (regime < 0) return lags;
    const [n, steps] = lags.shape;
    return tf.concat([lags, features.slice([0, 0, regime], [n, steps, 1])], 2) as tf.Tensor3D;
  });
}

/**
 * [n, T, F] factors that bring the SigFormer's features to order one: log-moneyness and log-returns over
 * sigma_t sqrt(T) (the problem's volatility at date t, the horizon's standard deviation), the time to
 * maturity over T; the others (volatility, regime label, cliquet and lookback columns) as they are.
 */
function featureScale(p: HedgingProblem): tf.Tensor3D {
  const horizon = p.steps * p.dt;
  const ones = tf.onesLike(p.volatility);
  const spread = tf.div(1 / Math.sqrt(horizon), tf.maximum(p.volatility, MIN_VOLATILITY));
  const columns = p.featureNames.map((name) => {
    if (name === 'log_moneyness' || name === 'log_max_moneyness' || name.startsWith('log_return_')) return spread;
    if (name === 'expiry_time') return tf.mul(ones, 1 / horizon);
    return ones;
  });
  return tf.stack(columns, 2) as tf.Tensor3D;
}

/** Holdings [n, T, A] with the current weights, `chunk` paths at a time, no dropout. */
function inferHoldings(net: SequenceNetwork, inputs: tf.Tensor3D, chunk: number): tf.Tensor3D {
  const [n, steps, f] = inputs.shape;
  if (n <= chunk) return net.apply(inputs, null);
  return tf.tidy(() => {
    const parts: tf.Tensor3D[] = [];
    for (let start = 0; start < n; start += chunk) {
      const size = Math.min(chunk, n - start);
      parts.push(tf.tidy(() => net.apply(inputs.slice([start, 0, 0], [size, steps, f]), null)));
    }
    return tf.concat(parts, 0);
  });
}

/** One [n, T] position per instrument (the hedge set's assets) from holdings [n, T, A]. */
function positionsOf(holdings: tf.Tensor3D): tf.Tensor2D[] {
  const [n, steps, assets] = holdings.shape;
  // Slices, not tf.unstack: tfjs loses the gradient of an unstack with a single output.
  return Array.from({ length: assets }, (_, a) => holdings.slice([0, 0, a], [n, steps, 1]).reshape([n, steps]) as tf.Tensor2D);
}

/** The training objective on holdings: the risk measure of the P&L, clipped to [-clip, clip] when clip > 0. */
function objective(cfg: Experiment, s: SequenceStrategy, p: HedgingProblem, holdings: tf.Tensor3D, threshold: tf.Scalar | undefined): tf.Scalar {
  const { pnl, cost } = hedgingPnl(p, positionsOf(holdings));
  const clip = s.training.clip;
  return riskLoss(cfg.risk, clip > 0 ? (tf.clipByValue(pnl, -clip, clip) as tf.Tensor1D) : pnl, threshold, cost);
}

/** A 31-bit dropout seed for optimiser step `step` from the strategy's dropout stream. */
function dropoutSeed(rng: RandomStream, step: number): number {
  return Math.floor(rng.uniforms(new Float64Array(1), step)[0] * 2 ** 31);
}

export const sequenceFamily: TrainerFamily<SequenceStrategy> = {
  name: 'sequence',
  owns: isSequence,
  create(s, cfg, features, instruments): Hedger {
    const rng = stream(cfg.seed, 'init', s.id);
    const net: SequenceNetwork =
      s.type === 'rnn'
        ? new RnnHedger(rnnInputWidth(s.network.lags, instruments, cfg.market.model === 'regime-switching'), instruments, s.network.layers, s.network.units, rng)
        : new SigFormer(features, instruments, s.network, rng);
    return {
      info: strategyInfo(s),
      sequence: net,
      positions: (p) => tf.tidy(() => positionsOf(inferHoldings(net, sequenceInputs(s, p), inferencePaths(s, cfg.market.steps)))),
      dispose: () => net.dispose(),
    };
  },
  units: (cfg, s, live) => s.training.epochs * stepsPerEpoch(cfg.paths.train, s.training.batchSize) + evaluationEpochs(s.training.epochs, live, cfg.checkpoints).size,
  train: (run, members) => trainInTurn(run, members, ({ strategy, hedger }, record, checkpoints) => trainSequence(run, strategy, hedger, record, checkpoints), true),
};

/** Trains one sequence hedger (see the header), then scores it with the weights early stopping kept. */
async function* trainSequence(run: RunContext, s: SequenceStrategy, h: Hedger, record: TrainingRecord, scored: Checkpoint[]): AsyncGenerator<RunEvent> {
  const { cfg, market, layout, signal, test } = run;
  const net = h.sequence!;
  const label = h.info.label;
  const { epochs, batchSize, learningRate, patience } = s.training;
  const perEpoch = stepsPerEpoch(cfg.paths.train, batchSize);
  const due = evaluationEpochs(epochs, run.live, cfg.checkpoints);
  const checkpoints = new Set(cfg.checkpoints ?? []);
  const threshold = needsThreshold(cfg.risk) ? tf.tidy(() => tf.variable(tf.scalar(0))) : undefined;
  if (threshold) run.owned.push(threshold);
  const variables = threshold ? [...net.variables, threshold] : net.variables;
  const dropout = stream(cfg.seed, 'dropout', s.id);
  const chunk = inferencePaths(s, cfg.market.steps);
  let step = 0;
  const optimiser = adamOptimiser(
    (rows) => {
      const batch = buildProblem(cfg, market, rows, layout);
      return objective(cfg, s, batch, net.apply(sequenceInputs(s, batch), dropoutSeed(dropout, step++)), threshold);
    },
    variables,
    learningRate,
  );
  const assets = test.instruments.map((i) => i.label);
  const figures = record.figures!;
  figures.validation_loss = [];
  for (const a of assets) figures[`mean_holding_${a}`] = [];
  const owned: tf.Tensor[] = [];
  let best: { epoch: number; loss: number; weights: tf.Tensor[] } | null = null;
  let lastEpoch = 0;
  let evaluated = 0;

  const score = async function* (epoch: number): AsyncGenerator<RunEvent> {
    const e = await run.evaluate(h);
    if (checkpoints.has(epoch)) scored.push({ epoch, metrics: e.metrics });
    yield { type: 'pnl', strategyId: s.id, epoch, histogram: e.histogram, metrics: e.metrics };
    const held = tf.tidy(() => inferHoldings(net, sequenceInputs(s, test), chunk));
    try {
      yield* await empiricalSurfaces(cfg, market, test, s.id, held, assets);
    } finally {
      held.dispose();
    }
    yield await run.pathsEvent();
    evaluated++;
    yield run.advance(1, `evaluated ${label} at epoch ${epoch}`);
  };

  const training = trainOnRunPaths(run, s.id, s.training, optimiser);
  try {
    const validation = run.validation();
    const validationInputs = sequenceInputs(s, validation);
    owned.push(validationInputs);
    for await (const ev of training) {
      if (ev.kind === 'step') {
        yield run.advance(1, `training ${label}: epoch ${ev.epoch} of ${epochs}`);
        continue;
      }
      lastEpoch = ev.epoch;
      record.epochs.push(ev.epoch);
      record.loss.push(ev.loss);
      record.seconds = ev.seconds;
      record.epochSeconds?.push(ev.seconds);
      record.launchesPerStep = ev.launches;
      yield { type: 'loss', strategyId: s.id, epoch: ev.epoch, loss: ev.loss, seconds: ev.seconds };

      const [lossT, meanT] = tf.tidy(() => {
        const held = inferHoldings(net, validationInputs, chunk);
        return [objective(cfg, s, validation, held, threshold), tf.mean(held, [0, 1])];
      });
      const [[validationLoss], means] = await Promise.all([lossT.data(), meanT.data()]).finally(() => tf.dispose([lossT, meanT]));
      if (!Number.isFinite(validationLoss)) {
        const advice = s.training.clip > 0 ? 'lower the learning rate or the risk aversion' : 'clip the P&L (training.clip) or lower the risk aversion';
        throw new NonFiniteLossError(`${label}: the validation loss became ${validationLoss} at epoch ${ev.epoch}: ${advice}`);
      }
      figures.validation_loss.push(validationLoss);
      assets.forEach((a, k) => figures[`mean_holding_${a}`].push(means[k]));
      let stop = false;
      if (patience > 0) {
        if (!best || validationLoss < best.loss) {
          if (best) tf.dispose(best.weights);
          best = { epoch: ev.epoch, loss: validationLoss, weights: variables.map((v) => tf.clone(v)) };
        } else if (ev.epoch - best.epoch >= patience) stop = true;
      }
      yield {
        type: 'holdings',
        strategyId: s.id,
        epoch: ev.epoch,
        validationLoss,
        meanHolding: assets.map((instrument, k) => ({ instrument, mean: means[k] })),
        bestEpoch: best ? best.epoch : null,
      };
      if (stop) break;
      if (due.has(ev.epoch) && ev.epoch < epochs) yield* score(ev.epoch);
    }
    if (signal?.aborted) return;
    if (best) {
      variables.forEach((v, k) => v.assign(best!.weights[k]));
      record.earlyStopping = { bestEpoch: best.epoch, lastEpoch };
    }
    // Early stopping skipped the remaining epochs' steps and scorings: the run's progress counts them done.
    const skipped = (epochs - lastEpoch) * perEpoch + due.size - evaluated - 1;
    if (skipped > 0) yield run.advance(skipped, `${label}: stopped early at epoch ${lastEpoch}`);
    yield* score(lastEpoch);
  } finally {
    optimiser.dispose();
    tf.dispose(owned);
    if (best) tf.dispose(best.weights);
  }
}
