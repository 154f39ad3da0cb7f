/**
 * What a run will cost before it starts: path-steps x parameters of every optimiser step and test scoring,
 * priced by the backend's measured speed (backend-speed.ts, speed-calibration.ts). A step of batch B on T dates with a network of
 * P parameters and depth D costs
 *
 *     overhead x (T D) / (T0 D0)  +  perPath x B x (T P) / (T0 P0),
 *
 * relative to the calibration problem (T0 = 20 dates, the MLP 3x32 of P0 parameters and D0 = 4 layers): the
 * first term is the chain of kernels a step runs date after date (what dominates on a GPU), the second the
 * arithmetic (what dominates on a CPU). A scoring pass is a forward pass, about a third of a step. Market
 * preparation (price tables, regime fits) runs on the CPU whatever the backend and is not counted.
 *
 * An RL agent (paper 000) is priced by what an update does: a rollout of `episodes` paths, T forward passes
 * of actor and critic, then its learning: PPO-family passes over the rollout's transitions (one date each),
 * A2C one step on them all, DDPG/TD3/SAC `gradientSteps` steps of `batchSize` transitions after each of the
 * T environment steps (twin critics for TD3 and SAC), behaviour cloning its epochs over the expert's pairs;
 * a GRU costs about two dense layers of its size, as the LSTM does.
 *
 * Paper 003's sequence hedgers also score the validation paths after every epoch (a forward pass). The RNN runs
 * its LSTM layers date after date (twice a dense layer's work, as paper 002's). The SigFormer runs every date
 * at once, so its chain of kernels does not grow with T, and its arithmetic per path and date is its weights
 * (dominated by the level-m projections, d^m x heads d^m each) plus causal attention's two products, 2 heads
 * T d^k per level and date, and the streaming signature's d^k per level.
 *
 * A forecaster market (paper 000 §2) first trains its forecaster: epochs x (training windows / batch) steps on
 * windows of L + H dates, each date a token of width D = k d through depth encoder and decoder blocks, whose
 * weights are about (4 heads + 4) D^2 a block (attention's four projections per head, the MLP's 4 D^2), the
 * decoder's twice for its cross-attention, plus attention's products, heads x (L + H) x D per block and date;
 * then it samples the training and test paths, one forward pass over L + steps dates per sampled day.
 *
 * A signature-diffusion market (paper 003 §3.3) first trains one generator per traded asset: epochs x
 * (training segments / batch) steps of its score Transformer over the D varying log-signature coordinates,
 * each a token of width w through `layers` blocks of about 4 w^2 + 2 w u weights (attention's projections, the
 * MLP of u units) plus attention's D w per token; then it samples paths x segments-per-path segments, each a
 * forward pass (a third of a step) per score evaluation of the sampler.
 */
import type { SpeedCalibration } from './speed-calibration';
import { featureNames, instrumentLabels } from './hedging-problem';
import { evaluationEpochs, LIVE_EVALUATIONS } from './run-experiment';
import { DEFAULT_VALIDATION_PATHS } from './recurrent-race';
import { rnnInputWidth } from './families/sequence';
import { isDataMarket, marketAssets, isRecurrent, isRl, isSequence, isTrained, type DiffusionMarket, type Experiment, type ForecasterMarket, type RlStrategy, type SequenceStrategy, type Strategy } from './schema';
import { logSignatureLength } from '../signatures/lyndon';
import { scoreEvaluations } from '../generators/vp-sde';
import type { SigFormerShape } from '../policies/sequence-network';

/** The calibration problem's dates, layers (3 hidden and the output) and parameters (backend-speed.ts). */
const T0 = 20;
const D0 = 4;
export const P0 = mlpParameters(4, 3, 32, 1);

/** An MLP's weights and biases: `inputs`, `layers` hidden layers of `units`, `outputs` (policies/mlp.ts). */
export function mlpParameters(inputs: number, layers: number, units: number, outputs: number): number {
  const sizes = [inputs, ...Array<number>(layers).fill(units), outputs];
  let n = 0;
  for (let l = 0; l + 1 < sizes.length; l++) n += sizes[l] * sizes[l + 1] + sizes[l + 1];
  return n;
}

/** Paper 002's recurrent hedger (policies/recurrent-hedger.ts): input layer, LSTM blocks with RMSNorm gains, output. */
export function recurrentParameters(features: number, instruments: number, blocks: number, units: number): number {
  const input = (features + instruments) * units + units;
  const block = 2 * units * 4 * units + 4 * units + units;
  return input + blocks * block + units * instruments + instruments;
}

/** Paper 003's RNN hedger (policies/rnn-hedger.ts): `layers` LSTM layers on `inputs`, a linear readout to `assets`. */
export function rnnParameters(inputs: number, assets: number, layers: number, units: number): number {
  let n = (units + 1) * assets;
  for (let l = 0; l < layers; l++) n += ((l === 0 ? inputs : units) + units + 1) * 4 * units;
  return n;
}

/** Widths d^k of the SigFormer's signature levels k = 1..m. */
function levelWidths(n: SigFormerShape): number[] {
  return Array.from({ length: n.order }, (_, k) => n.modelDim ** (k + 1));
}

/**
 * Paper 003's SigFormer (policies/sigformer.ts): the projection F -> d; per block and level of width D = d^k,
 * attention (queries and keys D -> h D, values with bias, output h D -> D), the MLP D -> M -> D and two
 * LayerNorms; the readout from every level to the assets.
 */
export function sigformerParameters(features: number, assets: number, n: SigFormerShape): number {
  const h = n.heads;
  const M = n.mlpUnits;
  const widths = levelWidths(n);
  const block = widths.reduce((sum, D) => sum + 4 * h * D * D + h * D + D + 2 * D * M + M + D + 4 * D, 0);
  return (features + 1) * n.modelDim + n.blocks * block + (widths.reduce((a, b) => a + b, 0) + 1) * assets;
}

/** The SigFormer's arithmetic per path and date (see the header), in parameter units, on T dates. */
function sigformerWork(parameters: number, n: SigFormerShape, steps: number): number {
  const widths = levelWidths(n);
  return parameters + widths.reduce((sum, D) => sum + n.blocks * 2 * n.heads * steps * D + D, 0);
}

/** Size of an RL agent's actor and critic together; BC-RPPO's actor reads `frames` stacked states through its GRU. */
function agentSize(s: RlStrategy, features: number): { parameters: number; depth: number } {
  const state = 3 + (s.rl.marketFeatures ? features - 2 : 0);
  const { layers, units } = s.network;
  if (s.type !== 'bc-rppo') {
    const critics = s.type === 'td3' || s.type === 'sac' ? 2 : 1;
    const criticInputs = s.type === 'ddpg' || s.type === 'td3' || s.type === 'sac' ? state + 1 : state;
    return { parameters: mlpParameters(state, layers, units, 2) + critics * mlpParameters(criticInputs, layers, units, 1), depth: layers + 1 };
  }
  const inputs = s.rppo.frames * state;
  const recurrent = s.rppo.gru ? 2 * (3 * (inputs + s.rppo.gruUnits) * s.rppo.gruUnits) : 0;
  const head = mlpParameters(s.rppo.gru ? s.rppo.gruUnits : inputs, layers, units, 2);
  return { parameters: recurrent + head + mlpParameters(inputs, layers, units, 1), depth: layers + (s.rppo.gru ? 3 : 1) };
}

/** Optimiser steps of an RL agent and what they cost, in `pass(paths, dates, size)` units (see the header). */
function agentCost(s: RlStrategy, cfg: Experiment, scored: ScoredPaths, size: { parameters: number; depth: number }, pass: (paths: number, dates: number, size: { parameters: number; depth: number }) => number) {
  const T = cfg.market.steps;
  const { updates, episodes, evaluateEvery } = s.rl;
  const transitions = episodes * T;
  const rollout = pass(episodes, T, size) / 3;
  let steps: number;
  let learning: number;
  if (s.type === 'ppo') {
    const perEpoch = Math.ceil(transitions / s.ppo.minibatch);
    steps = s.ppo.epochs * perEpoch;
    learning = steps * pass(Math.min(transitions, s.ppo.minibatch), 1, size);
  } else if (s.type === 'bc-rppo') {
    const perEpoch = Math.ceil(episodes / Math.max(1, Math.floor(s.rppo.minibatch / T)));
    steps = (s.rppo.actorUpdates + s.rppo.criticUpdates) * perEpoch;
    learning = steps * pass(Math.min(episodes, Math.max(1, Math.floor(s.rppo.minibatch / T))), T, size);
  } else if (s.type === 'a2c') {
    steps = 1;
    learning = pass(episodes, T, size);
  } else {
    const o = s.type === 'ddpg' ? s.ddpg : s.type === 'td3' ? s.td3 : s.sac;
    steps = T * o.gradientSteps;
    learning = steps * pass(o.batchSize, 1, size);
  }
  let bc = 0;
  let bcSeconds = 0;
  if (s.type === 'bc-rppo' && s.bc.enabled) {
    bc = s.bc.epochs * Math.ceil(transitions / s.bc.batchSize);
    bcSeconds = bc * pass(Math.min(transitions, s.bc.batchSize), s.rppo.gru ? T : 1, size);
  }
  const scorings = Math.floor(updates / evaluateEvery) + 1;
  const scoring = (scorings * pass(scored.validation, T, size)) / 3;
  return { steps: updates * steps + bc, seconds: updates * (rollout + learning) + bcSeconds + scoring };
}

/**
 * Optimiser steps of a sequence hedger and their seconds: its training steps, a validation pass every epoch and
 * its test scorings (forward passes, a third of a step each); see the header for the RNN's and SigFormer's.
 */
function sequenceCost(
  cfg: Experiment,
  scored: ScoredPaths,
  s: SequenceStrategy,
  size: { parameters: number; depth: number },
  passOver: (paths: number, dates: number, size: { parameters: number; depth: number }) => number,
  live: number,
): { steps: number; seconds: number } {
  const T = cfg.market.steps;
  const { epochs, batchSize } = s.training;
  const steps = epochs * Math.ceil(cfg.paths.train / batchSize);
  const pass =
    s.type === 'rnn'
      ? (paths: number) => 2 * passOver(paths, T, size)
      : (paths: number) => passOver(paths, 1, { parameters: T * sigformerWork(size.parameters, s.network, T), depth: size.depth });
  const scorings = evaluationEpochs(epochs, live, cfg.checkpoints).size;
  const forward = epochs * pass(scored.validation) + scorings * pass(scored.test);
  return { steps, seconds: steps * pass(batchSize) + forward / 3 };
}

/** Parameters and depth of a strategy's network; null for the classic hedges. `regime`: the market labels its paths' regimes. */
export function networkSize(s: Strategy, features: number, instruments: number, regime = false): { parameters: number; depth: number } | null {
  if (isRl(s)) return agentSize(s, features);
  if (isRecurrent(s)) return { parameters: recurrentParameters(features, instruments, s.network.blocks, s.network.units), depth: s.network.blocks + 2 };
  if (s.type === 'rnn') {
    const inputs = rnnInputWidth(s.network.lags, instruments, regime);
    return { parameters: rnnParameters(inputs, instruments, s.network.layers, s.network.units), depth: s.network.layers + 1 };
  }
  // Kernels in a row per block and level: the q, k, v projections, scores, softmax, their product, output, MLP, LayerNorms.
  if (s.type === 'sigformer') return { parameters: sigformerParameters(features, instruments, s.network), depth: 2 + 8 * s.network.blocks * s.network.order };
  if (!isTrained(s)) return null;
  const { layers, units } = s.network;
  const band = s.type === 'dhntb' || s.type === 'dhlnn';
  return { parameters: band ? mlpParameters(features, layers, units, 2) : mlpParameters(features + instruments, layers, units, instruments), depth: layers + 1 };
}

/** Paths a run scores: the test and validation paths, or on a data market of `dataDates` dates its windows. */
interface ScoredPaths {
  test: number;
  validation: number;
}

/**
 * A data market scores every window of its test dates and, when it has validation dates, of those
 * (market.ts): about a share's dates less the window's length; the config's path counts otherwise.
 */
export function scoredPaths(cfg: Experiment, dataDates?: number): ScoredPaths {
  const m = cfg.market;
  const configured = { test: cfg.paths.test, validation: cfg.paths.validation ?? DEFAULT_VALIDATION_PATHS };
  if (!(isDataMarket(m) || m.model === 'signature-diffusion') || dataDates === undefined) return configured;
  const windows = (share: number) => Math.max(0, Math.round(dataDates * share) - m.steps);
  const validation = windows(m.split.validation);
  return { test: windows(1 - m.split.train - m.split.validation), validation: validation > 0 ? validation : configured.validation };
}

/** Traded assets: the hedge set, else the market's assets (marketAssets; a data market's symbols may come from the data). */
export function assetCount(cfg: Experiment, dataSymbols?: number): number {
  const assets = marketAssets(cfg.market) ?? dataSymbols ?? 1;
  return Math.min(assets, cfg.instruments.hedgeSet ?? assets);
}

export interface StrategyCost {
  id: string;
  /** Optimiser steps of its training. */
  steps: number;
  seconds: number;
}

export interface RunEstimate {
  backend: string;
  seconds: number;
  strategies: StrategyCost[];
  /** A forecaster market's forecaster: its training steps and seconds, sampling included (in `seconds`). */
  forecaster?: { steps: number; seconds: number };
  /** A signature-diffusion market's generators: their training steps and seconds, sampling included (in `seconds`). */
  generators?: { steps: number; seconds: number };
  /** The calibration was rough (its budget ran out): the estimate is too. */
  rough: boolean;
}

/**
 * The estimated training and scoring time of `cfg` on the calibrated backend; `liveEvaluations` as
 * runExperiment's (the page scores every few epochs, the CLI only at the end).
 */
export function estimateRun(cfg: Experiment, c: SpeedCalibration, o: { dataSymbols?: number; dataDates?: number; liveEvaluations?: number } = {}): RunEstimate {
  const assets = assetCount(cfg, o.dataSymbols);
  const scored = scoredPaths(cfg, o.dataDates);
  const regime = cfg.market.model === 'regime-switching';
  const features = featureNames(cfg, assets, regime).length;
  const instruments = instrumentLabels(cfg, Array.from({ length: assets }, (_, a) => `asset ${a + 1}`)).length;
  const T = cfg.market.steps;
  const passOver = (paths: number, dates: number, size: { parameters: number; depth: number }) =>
    c.overheadSeconds * ((dates * size.depth) / (T0 * D0)) + c.secondsPerPath * paths * ((dates * size.parameters) / (T0 * P0));
  const pass = (paths: number, size: { parameters: number; depth: number }) => passOver(paths, T, size);
  const strategies: StrategyCost[] = [];
  for (const s of cfg.strategies) {
    const size = networkSize(s, features, instruments, regime);
    if (size && isRl(s)) {
      const rl = agentCost(s, cfg, scored, size, passOver);
      // A GRU step does about twice the work of a dense layer; rollouts are sequential over the dates.
      const factor = s.type === 'bc-rppo' && s.rppo.gru ? 2 : 1;
      strategies.push({ id: s.id, steps: rl.steps, seconds: factor * rl.seconds + pass(scored.test, size) / 3 });
      continue;
    }
    if (size && isSequence(s)) {
      strategies.push({ id: s.id, ...sequenceCost(cfg, scored, s, size, passOver, o.liveEvaluations ?? LIVE_EVALUATIONS) });
      continue;
    }
    if (!size || !(isTrained(s) || isRecurrent(s))) continue;
    const { epochs, batchSize } = s.training;
    const perEpoch = Math.ceil(cfg.paths.train / batchSize);
    const steps = epochs * perEpoch;
    let seconds: number;
    if (isRecurrent(s)) {
      // An LSTM step does about twice the elementwise work of a dense layer; DH-KFAC adds a pseudo-gradient
      // pass and its curvature statistics (paper 002 Algorithm 1): measured on wasm (cliquet-race), a
      // DH-KFAC iteration costs about 1.4 Adam iterations.
      const factor = 2 * (s.optimizer.type === 'dh-kfac' ? 1.4 : 1);
      const scorings = Math.floor(steps / s.training.validationEvery) + 2;
      seconds = factor * steps * pass(batchSize, size) + (scorings * pass(scored.validation, size) + pass(scored.test, size)) / 3;
    } else {
      // DHLNN's inner iterations reuse the activations cached at w^r (paper 001 Algorithm 1): measured on wasm,
      // each costs about 0.15 of a step.
      const factor = s.type === 'dhlnn' ? 1 + 0.15 * s.inner.steps : 1;
      const scorings = evaluationEpochs(epochs, o.liveEvaluations ?? LIVE_EVALUATIONS, cfg.checkpoints).size;
      seconds = factor * steps * pass(batchSize, size) + (scorings * pass(scored.test, size)) / 3;
    }
    strategies.push({ id: s.id, steps, seconds });
  }
  const forecaster = cfg.market.model === 'forecaster' ? forecasterCost(cfg.market, cfg.paths, o.dataDates, passOver) : undefined;
  const generators = cfg.market.model === 'signature-diffusion' ? generatorsCost(cfg.market, assets, o.dataDates, passOver) : undefined;
  const seconds = strategies.reduce((sum, s) => sum + s.seconds, 0) + (forecaster?.seconds ?? 0) + (generators?.seconds ?? 0);
  return { backend: c.backend, seconds, strategies, ...(forecaster && { forecaster }), ...(generators && { generators }), rough: !c.complete };
}

/** The generators' training and sampling (see the header), `assets` of them. */
function generatorsCost(
  m: DiffusionMarket,
  assets: number,
  dataDates: number | undefined,
  passOver: (paths: number, dates: number, size: { parameters: number; depth: number }) => number,
): { steps: number; seconds: number } {
  const g = m.diffusion;
  const segments = Math.max(1, Math.floor((Math.round((dataDates ?? 1260) * m.split.train) - g.segmentDays) / g.stride));
  const steps = g.training.epochs * Math.max(1, Math.floor(segments / g.training.batchSize));
  const tokens = logSignatureLength(4, g.depth) - logSignatureLength(3, g.depth);
  const { width, layers, mlpUnits } = g.network;
  const size = { parameters: layers * (4 * width * width + 2 * width * mlpUnits + tokens * width), depth: 6 * layers };
  const sampled = g.paths * Math.ceil(m.steps / g.segmentDays);
  // Measured on wasm (paper003-aapl-diffusion: 933 s for 100 epochs and 20,000 paths against 533 s priced): the
  // network's attention and per-token elementwise kernels cost about 1.75 times what its weights price.
  const factor = 1.75;
  const seconds = factor * (steps * passOver(g.training.batchSize, tokens, size) + (scoreEvaluations(g.sampling.sampler, g.sampling.steps) * passOver(sampled, tokens, size)) / 3);
  return { steps: assets * steps, seconds: assets * seconds };
}

/** The forecaster's training and path sampling (see the header); a date split's training share is taken as 80 % of the dates. */
function forecasterCost(
  m: ForecasterMarket,
  paths: Experiment['paths'],
  dataDates: number | undefined,
  passOver: (paths: number, dates: number, size: { parameters: number; depth: number }) => number,
): { steps: number; seconds: number } {
  const f = m.forecaster;
  const dates = m.data.source === 'factor-panel' ? m.data.days : (dataDates ?? 2520);
  const share = 'train' in m.split ? m.split.train : 0.8;
  const windows = Math.max(1, Math.round(dates * share) - f.context - f.horizon);
  const steps = f.training.epochs * Math.ceil(windows / f.training.batchSize);
  const token = f.latents * f.width;
  const perToken = (window: number) => ({ parameters: f.depth * ((12 * f.heads + 12) * token * token + 3 * f.heads * window * token), depth: 6 * f.depth });
  const window = f.context + f.horizon;
  const training = steps * passOver(f.training.batchSize, window, perToken(window));
  // A sampled day is a forward pass, a third of a step, over the history and the days sampled so far.
  const sampleWindow = f.context + m.steps;
  const sampling = (m.steps * passOver(paths.train + paths.test, sampleWindow, perToken(sampleWindow))) / 3;
  return { steps, seconds: training + sampling };
}
