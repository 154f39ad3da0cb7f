/**
 * The events a run streams (DESIGN.md, "Runs stream events"): plain data and typed arrays, never tensors,
 * so that they cross a worker boundary by structured clone and can be transferred.
 */
import type { LaunchesPerStep } from './kernel-launches';
import type { FusedCheck } from '../kernels/fused-check';
import type { MarketSummary } from './market';
import type { Experiment, StrategyType } from './schema';
import type { FactsRow, GeneratedFan, ReturnDistributions } from './diffusion-report';

/** Per-strategy numeric summary of terminal P&L on the test paths (losses are positive in VaR / ES). */
export interface Metrics {
  mean: number;
  std: number;
  var90: number;
  var95: number;
  var99: number;
  es90: number;
  es95: number;
  es99: number;
  /** Entropic risk (1/lambda) log E[exp(-lambda X)], lambda from the experiment (1 if it uses another measure). */
  entropic: number;
  /** Paper 000 eq. 40: mean of -PV^2. */
  avg_r: number;
  skew: number;
  /** Excess kurtosis. */
  kurtosis: number;
  /** Mean over paths of sum_t |delta_t - delta_{t-1}|. */
  turnover: number;
  /** Mean over paths of the transaction costs paid. */
  cost: number;
  /** Indifference price of the claim under the experiment's risk measure (paper 001 eq. 7). */
  price: number;
  /** The experiment's risk measure evaluated on the P&L. */
  risk: number;
}

export interface Histogram {
  /** bins + 1 edges. */
  edges: Float64Array;
  /** Densities (counts / (n * width)), so histograms of different widths overlay. */
  density: Float64Array;
}

/** The prepared market as a run reports it at the start. */
export interface MarketInfo extends MarketSummary {
  /** Premium received for the claim (experiment/premium.ts). */
  premium: number;
  testPaths: number;
  /** The deep hedgers' inputs and the instruments they trade. */
  features: string[];
  instruments: string[];
}

export interface StrategyInfo {
  id: string;
  type: StrategyType;
  label: string;
  trainable: boolean;
  /** The optimiser of a recurrent hedger (paper 002). */
  optimizer?: RecurrentOptimizer;
}

export interface TrainingRecord {
  epochs: number[];
  loss: number[];
  /** Seconds since training started, at the end of the last epoch. */
  seconds: number;
  /** The same clock at the end of each of `epochs` (issue 16: seconds per epoch, the first one apart); the trained families keep it. */
  epochSeconds?: number[];
  /**
   * RL agents (paper 000): each diagnostic of AgentFigures per update, aligned with `epochs` (the updates).
   * Sequence hedgers (paper 003): `validation_loss` and `mean_holding_<asset>` per epoch (HoldingsFigures).
   */
  figures?: Record<string, number[]>;
  /** Sequence hedgers with early stopping (paper 003 §5, appendix 8.4): the epoch whose weights were kept, and the last trained. */
  earlyStopping?: { bestEpoch: number; lastEpoch: number };
  /** Kernel calls and WebGPU dispatches per optimiser step over the last epoch (kernel-launches.ts). */
  launchesPerStep?: LaunchesPerStep;
}

/**
 * An RL agent's diagnostics after one update (paper 000): `avg_r` (eq. 40) of its mean action on held-out
 * validation paths, and what its algorithm has: `policy_std`, `value_loss`, `approx_kl` and `clip_fraction`
 * (PPO family), `q` (mean Q of the sampled batch, off-policy), `temperature` (SAC's alpha), `bc_loss`
 * (eq. 29, behaviour cloning epochs).
 */
export type AgentFigures = Partial<Record<'avg_r' | 'policy_std' | 'value_loss' | 'approx_kl' | 'clip_fraction' | 'q' | 'temperature' | 'bc_loss', number>>;

/**
 * Paper 000 figs. 7-10: terminal portfolio values PV_T of the test paths against the states they passed
 * through: cell (i, j) averages PV_T over every (path, date) whose S_t / K falls in bin j and whose T - t is
 * timeToMaturity[i].
 */
export interface TerminalValueMap {
  /** S_t / K bin edges (bins + 1 values). */
  moneynessEdges: Float64Array;
  /** T - t in years at each rebalancing date, t = 0..T-1. */
  timeToMaturity: Float64Array;
  /** meanPv[i * bins + j]; 0 where count is 0. */
  meanPv: Float32Array;
  count: Int32Array;
}

/** A trained strategy scored on the test paths after `epoch` epochs (the experiment's `checkpoints`). */
export interface Checkpoint {
  epoch: number;
  metrics: Metrics;
}

/**
 * A recurrent hedger's race record (paper 002 fig. 3): validation loss after `steps[k]` iterations, reached
 * `seconds[k]` seconds after its training started.
 */
export interface ValidationRecord {
  steps: number[];
  loss: number[];
  seconds: number[];
  /** Kernel calls and WebGPU dispatches per optimiser step over the run (kernel-launches.ts). */
  launchesPerStep?: LaunchesPerStep;
}

/**
 * How well DH-KFAC's preconditioner B^ knew the curvature along the step s it took, per curvature block:
 * kappa = s^T B s / s^T B^ s with B the GGN estimated from fresh paths' pseudo-gradients (dh-kfac.ts). Near 1
 * the step was as long as the trust region meant; 1e3 means the curvature along it was underestimated 1000x.
 */
export interface StepCurvature {
  /** The Kronecker layer ("input", "lstm 1", ..., "output"), or "gains" for the RMSNorm gains together. */
  block: string;
  /** null when the block did not move (s = 0). */
  kappa: number | null;
}

/** A recurrent hedger's curvature diagnostics by iteration (paper 002 fig. 4), kappa by block (DH-KFAC; {} for Adam). */
export interface CurvatureRecord {
  steps: number[];
  gradientVariance: number[];
  maxEigenvalue: (number | null)[];
  kappa: Record<string, (number | null)[]>;
}

/**
 * The first iteration at which the smoothed validation loss (race-target.ts) is at or below the target loss
 * (paper 002 §4.2: steps to reach it), null if never.
 */
export interface TargetReached {
  targetLoss: number;
  steps: number | null;
  seconds: number | null;
}

export interface StrategyResult extends StrategyInfo {
  metrics: Metrics;
  training?: TrainingRecord;
  checkpoints?: Checkpoint[];
  /** Recurrent hedgers (paper 002): the validation curve and the target. */
  validation?: ValidationRecord;
  curvature?: CurvatureRecord;
  target?: TargetReached;
  /** Metrics of the same policy on the test paths with every option trade removed (paper 002 fig. 5). */
  metricsWithoutOptions?: Metrics;
  /** Std and skew of the hedging error of the hedge, without its options and unhedged (fig. 5). */
  hedgingError?: { label: string; std: number; skew: number }[];
}

export type RecurrentOptimizer = 'adam' | 'dh-kfac';

/** Hedging error Gamma_T - psi (P&L before costs and premium) of one variant of a hedge on the test paths (paper 002 fig. 5). */
export interface PnlVariant {
  label: string;
  histogram: Histogram;
  std: number;
  skew: number;
}

/** Quantiles over the test paths of one instrument's trade u_t (or position, for the underlying) at each date. */
export interface HedgeBand {
  instrument: string;
  /** 'position' for the underlying (the delta hedge held), 'trade' for a floating-grid option bought at t. */
  quantity: 'position' | 'trade';
  /** quantiles[k][t]: the probabilities[k]-quantile at date t. */
  quantiles: Float32Array[];
}

export interface RunResult {
  config: Experiment;
  backend: string;
  /** WebGPU runs with a deep hedger: its own programs checked against tfjs's ops on this adapter, and whether they were used. */
  fusedKernels?: FusedCheck;
  strategies: StrategyResult[];
}

/** One model's one-step-ahead scores on the test period of the claim's asset (forecast/one-step-forecast.ts). */
export interface ForecastScoreRow {
  name: 'forecaster' | 'random-walk' | 'ewma' | 'garch';
  nll: number;
  crps: number;
  coverage50: number;
  coverage90: number;
  /** Energy score of the model's H-day paths from the test dates (forecast/path-scores.ts), null where not sampled. */
  energy: number | null;
  days: number;
}

/** The trained forecaster on the test period (paper 000 §2): scores against the baselines, eq. 9's attention map, a fan chart. */
export interface ForecastReport {
  /** The asset the scores table is on (the claim's), and every asset the forecaster reads. */
  asset: string;
  assets: string[];
  split: { train: [string, string]; validation: [string, string]; test: [string, string] };
  scores: ForecastScoreRow[];
  /** The return channels the forecaster reads (paper 000 eq. 2): open, high, low and close with daily bars, else the close. */
  channels: string[];
  /** The forecaster's one-step NLL averaged over every asset and test day. */
  meanNll: number;
  /** Eq. 9's attention map averaged over the test dates: weights[j * assets + i] of asset i in latent j. */
  attention: { latents: number; weights: Float32Array };
  /**
   * Sampled paths of the claim's asset from a test date (the first, unless one is chosen) against the realised
   * one, prices from s0; `from` the first and last dates a fan may start on (closes of the test period).
   */
  fan: { start: string; dates: string[]; realised: Float64Array; quantiles: number[]; bands: Float64Array[]; from: [string, string] };
  /** Epochs trained and the one kept by early stopping (0 when a kept forecaster was reused). */
  trainedEpochs: number;
  bestEpoch: number;
  reused: boolean;
  marketValueSource: string;
}

/** One asset's signature-diffusion generator and its paths against the real ones (diffusion-report.ts). */
export interface GeneratedAssetReport {
  asset: string;
  /** Training segments it learnt from, epochs trained (0 when a kept generator was reused) and its last epoch's loss. */
  segments: number;
  trainedEpochs: number;
  loss: number;
  reused: boolean;
  facts: FactsRow[];
  distribution: ReturnDistributions;
  fan: GeneratedFan;
}

/** The signature-diffusion market's generators (paper 003 §3.3), after sampling their paths. */
export interface GeneratedReport {
  assets: GeneratedAssetReport[];
  split: { train: [string, string]; validation: [string, string] | null; test: [string, string] };
  /** Paths per asset, each stitched from `segmentsPerPath` segments of `segmentDays` days. */
  paths: number;
  segmentsPerPath: number;
  segmentDays: number;
  /** What the depth resolves within a segment, in words. */
  resolution: string;
  trainingSeconds: number;
  samplingSeconds: number;
}

export type RunEvent =
  | { type: 'start'; backend: string; strategies: StrategyInfo[]; market: MarketInfo }
  | {
      type: 'progress';
      /** 0..1 of the whole run. */
      fraction: number;
      phase: string;
      elapsedSeconds: number;
      /** Estimate of the seconds left, null until there is a rate to extrapolate. */
      etaSeconds: number | null;
    }
  | { type: 'loss'; strategyId: string; epoch: number; loss: number; seconds: number }
  | { type: 'pnl'; strategyId: string; epoch: number | null; histogram: Histogram; metrics: Metrics }
  | {
      type: 'surface';
      strategyId: string;
      /** log(S/K) grid. */
      logMoneyness: Float64Array;
      /** Time to maturity grid in years. */
      timeToMaturity: Float64Array;
      /** hedge[i * logMoneyness.length + j] at timeToMaturity[i], logMoneyness[j]. */
      hedge: Float32Array;
      /** The classic delta on the same grid (Black-Scholes, or its lookback form), null where none exists. */
      reference: Float32Array | null;
      /** What the axis "log(S/K)" measures: log(S/K), or log(S/S_reset) for a cliquet. */
      moneynessLabel: string;
      /**
       * The asset whose holding this is, when the strategy trades several (paper 003 fig. 4, one surface per
       * asset of the hedge set); absent for the claim's underlying alone.
       */
      instrument?: string;
      /**
       * Sequence hedgers hold what their path's history says, not a function of (S/K, T - t): their surface is
       * the mean holding of the test (path, date) pairs in each cell, `count` pairs each, NaN in an empty cell.
       */
      count?: Int32Array;
    }
  | {
      type: 'paths';
      /** Times in years, steps + 1 values. */
      times: Float64Array;
      /** A few spot paths, each steps + 1 values. */
      spot: Float32Array[];
      /** Per strategy id, the positions held on each interval of each path (steps values each). */
      positions: Record<string, Float32Array[]>;
    }
  /** A recurrent hedger's validation loss after `step` iterations (paper 002 fig. 3). */
  | { type: 'validation'; strategyId: string; step: number; loss: number; seconds: number }
  /**
   * Curvature diagnostics (paper 002 fig. 4): trace of the covariance of single-path gradients, and the largest
   * eigenvalue of the damped DH-KFAC preconditioner and kappa along the step by block (null for Adam, which has none).
   */
  | { type: 'curvature'; strategyId: string; step: number; gradientVariance: number; maxEigenvalue: number | null; kappa: StepCurvature[] | null }
  /** Terminal P&L of the learned hedge, the unhedged claim and the hedge without options (paper 002 fig. 5). */
  | { type: 'pnl-variants'; strategyId: string; variants: PnlVariant[] }
  /** Distribution over time of each instrument's hedge (paper 002 fig. 6), reset dates of a cliquet marked. */
  | { type: 'hedge-bands'; strategyId: string; times: Float64Array; probabilities: number[]; resetSteps: number[]; bands: HedgeBand[] }
  /**
   * A sequence hedger after an epoch (paper 003 appendix 8.4): its loss on the validation paths and the mean
   * holding in each asset of the hedge set over those paths and dates ("long everywhere, then reversal"),
   * and the epoch early stopping would keep so far (null without early stopping).
   */
  | { type: 'holdings'; strategyId: string; epoch: number; validationLoss: number; meanHolding: { instrument: string; mean: number }[]; bestEpoch: number | null }
  /** An RL agent's diagnostics (paper 000), `phase` 'bc' for behaviour-cloning epochs (Algorithm 1), 'rl' for updates. */
  | { type: 'agent'; strategyId: string; phase: 'bc' | 'rl'; update: number; seconds: number; figures: AgentFigures }
  /** PV_T of the test paths against S_t / K and T - t (paper 000 figs. 7-10). */
  | ({ type: 'pv-map'; strategyId: string } & TerminalValueMap)
  /** The forecaster market's forecaster after an epoch (paper 000 eq. 6): mean NLL per return on the training and validation windows. */
  | { type: 'forecaster'; epoch: number; epochs: number; trainNll: number; validationNll: number; best: boolean; seconds: number }
  | ({ type: 'forecast' } & ForecastReport)
  /** A signature-diffusion generator after an epoch (paper 003 §3.3): its mean denoising score-matching loss. */
  | { type: 'diffusion'; asset: string; epoch: number; epochs: number; loss: number; seconds: number }
  | ({ type: 'generated' } & GeneratedReport)
  | { type: 'metrics'; rows: { strategyId: string; metrics: Metrics }[] }
  | { type: 'done'; result: RunResult }
  /**
   * The run ended without a result: an experiment or data it cannot run as given (the message says why and what
   * to change), or, marked `internal`, a failure of the engine itself.
   */
  | { type: 'error'; message: string; internal?: true };

export type RunEventType = RunEvent['type'];
