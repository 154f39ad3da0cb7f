/**
 * The experiment: the single source of truth for what a HedgeLab run is (DESIGN.md, "Experiment config").
 * UI forms, share links, the CLI and tests all parse through `parseExperiment`. Every number is bounded so
 * that a link cannot ask a tab for more than it can hold.
 *
 * Markets: GBM (paper 001 §5.1), Heston (paper 002 §4.1), Merton jumps, correlated multi-asset GBM, the
 * regime-switching GBM and historical windows of paper 003 (§3.1-3.2). A year has `daysPerYear` days and the
 * maturity of `maturityDays` days is cut into `steps` rebalancing intervals. Claims: European, lookback
 * (paper 001 eq. 2), cliquet (paper 002 §2.1). Instruments: the underlying asset(s) plus vanilla options on
 * a fixed or floating grid (paper 002 §2.1 (a), (b)), and a hedge set: the first k of the market's assets
 * (paper 003 fig. 3). Sequence hedgers: paper 003's RNN (§4.1) and SigFormer (§4.2, appendix 8.3).
 */
import { z } from 'zod';
import { correlationError } from '../markets/correlated-gbm';
import { issueLines } from './issue-text';
import { MAX_PASS_ENTRIES, sigformerEntries } from '../policies/sequence-network';

// No generated code: zod's probe for `new Function` is itself a violation of the page's CSP (script-src without
// 'unsafe-eval'). Set before any schema is built, here, since every zod schema of the engine imports this file.
z.config({ jitless: true });

export const SCHEMA_VERSION = 2;

/** Test paths x steps a run may hold (the test problem lives on the device for the whole run), for every market. */
export const MAX_TEST_PATH_STEPS = 4_000_000;

const finite = (min: number, max: number) => z.number().finite().min(min).max(max);
const positive = (max: number) => z.number().finite().positive().max(max);
const int = (min: number, max: number) => z.number().int().min(min).max(max);

/** The hedging horizon: `maturityDays` days cut into `steps` rebalancing intervals, `daysPerYear` days a year. */
const horizon = {
  maturityDays: int(1, 3650),
  steps: int(1, 500),
  daysPerYear: z.union([z.literal(250), z.literal(252), z.literal(365)]),
};

/** The daily series bundled with the lab (npm packages, data/bundled-series.ts): AAPL 2013-2018 and the S&P 500 2000-2020. */
export const BUNDLED_SYMBOLS = ['AAPL', 'SPX'] as const;
export type BundledSymbol = (typeof BUNDLED_SYMBOLS)[number];

/** Daily price data: the bundled S&P 500 series (vega-datasets), bundled series on their common dates, or a CSV the person imported (not in links). */
export const dataSourceSchema = z.discriminatedUnion('source', [
  z.strictObject({ source: z.literal('sp500') }),
  /** The bundled series on the dates they all have (AAPL's 2013-05-13 to 2018-05-11 for both); the claim is on the first. */
  z.strictObject({
    source: z.literal('bundled'),
    symbols: z
      .array(z.enum(BUNDLED_SYMBOLS))
      .min(1)
      .max(BUNDLED_SYMBOLS.length)
      .refine((s) => new Set(s).size === s.length, { message: 'each bundled symbol at most once' }),
  }),
  z.strictObject({
    source: z.literal('imported'),
    /** The imported file's name, so a shared link can say which file it expects. */
    file: z.string().min(1).max(120),
    /** Symbols to use (the claim is on the first; all are hedging instruments); empty: every symbol, up to 8. */
    symbols: z.array(z.string().min(1).max(24)).max(8),
  }),
]);

/** Chronological split of the data's dates (paper 003 §3.1): train, then validation, then test. */
export const splitSchema = z
  .strictObject({ train: finite(0.1, 0.9), validation: finite(0, 0.5) })
  .refine((s) => s.train + s.validation <= 0.95, { message: 'train + validation must leave at least 5% of the dates for testing' });

/** A chronological split by its last training and last validation dates (ISO), e.g. paper 000's "training to 2017-12-31". */
const isoDate = z.iso.date({ error: 'must be a date yyyy-mm-dd' });
export const dateSplitSchema = z
  .strictObject({ trainEnd: isoDate, validationEnd: isoDate })
  // Checked once both are dates: a bad date is reported alone.
  .refine((s) => !(isoDate.safeParse(s.trainEnd).success && isoDate.safeParse(s.validationEnd).success) || s.trainEnd < s.validationEnd, {
    message: 'trainEnd must come before validationEnd',
  });

/**
 * The forecaster market's prices: any data source, or a simulated factor panel (data/factor-panel.ts: N assets
 * driven by F latent factors with regime-switching vols), whose own seed makes it data, not part of a run.
 */
export const forecastDataSchema = z.discriminatedUnion('source', [
  ...dataSourceSchema.options,
  z.strictObject({ source: z.literal('factor-panel'), assets: int(2, 64), factors: int(1, 16), days: int(300, 10_000), seed: int(0, 2 ** 31 - 1) }),
]);

/** Paper 000 §2.2: the low-rank spatio-temporal Transformer and its training (forecast/). */
export const forecasterSchema = z.strictObject({
  /** L, the context days the encoder reads, and H, the target days of a teacher-forced training window. */
  context: int(2, 250),
  horizon: int(1, 60),
  /** k latent assets (eq. 9), the embedding width d, attention heads, blocks in the encoder and the decoder. */
  latents: int(1, 64),
  width: int(2, 64),
  heads: int(1, 8),
  depth: int(1, 4),
  /** Dropout rate inside the Transformer's blocks. */
  dropout: finite(0, 0.5),
  /** Market Value Dropout (eq. 7): the share p of assets dropped per batch and the temperature tau. */
  marketValueDropout: z.strictObject({ p: finite(0, 0.9), tau: positive(1000) }),
  training: z.strictObject({ epochs: int(1, 500), batchSize: int(1, 1024), learningRate: positive(0.1), patience: int(1, 100) }),
});

/**
 * Paper 003 §3.3: signature diffusion (generators/signature-diffusion.ts), one generator per traded asset,
 * trained on its training dates: segments of `segmentDays` log-returns every `stride` days, embedded as
 * log-signatures to `depth` (harmonics 0..depth-2 per segment), a score Transformer trained by denoising
 * score matching under the VP SDE (beta 0.1 to 20), sampled by `sampling`, and `paths` price paths per asset
 * stitched from the sampled segments; `residuals: 'bootstrap'` adds a training segment's daily residuals to
 * each sampled one (the days the depth's harmonics smooth away).
 */
export const diffusionSchema = z.strictObject({
  segmentDays: int(2, 30),
  depth: int(2, 5),
  stride: int(1, 30),
  network: z.strictObject({
    width: int(4, 64).refine((w) => w % 2 === 0, { message: 'must be even (the sinusoidal time embedding)' }),
    heads: int(1, 4),
    layers: int(1, 4),
    mlpUnits: int(2, 256),
  }),
  training: z.strictObject({ epochs: int(1, 2000), batchSize: int(8, 1024), learningRate: positive(0.1) }),
  residuals: z.enum(['bootstrap', 'none']),
  sampling: z.strictObject({ sampler: z.enum(['probability-flow', 'reverse-sde']), steps: int(2, 1000) }),
  paths: int(64, 100_000),
});

export const marketSchema = z.discriminatedUnion('model', [
  /** dS = mu S dt + sigma S dW (paper 001 §5.1). */
  z.strictObject({
    model: z.literal('gbm'),
    s0: positive(1e6),
    drift: finite(-2, 2),
    volatility: finite(0.001, 3),
    /**
     * Volatility of the test paths when it differs from the training one (paper 001 §5.3.3: trained at 0.1,
     * tested at 0.1-0.4). The hedgers are not told: their volatility input and the Black-Scholes delta keep
     * `volatility`.
     */
    testVolatility: finite(0.001, 3).optional(),
    ...horizon,
  }),
  /** dS = mu S dt + sqrt(v) S dB, dv = kappa (theta - v) dt + xi sqrt(v) dW, d<B, W> = rho dt (paper 002 §4.1). */
  z.strictObject({
    model: z.literal('heston'),
    s0: positive(1e6),
    drift: finite(-2, 2),
    v0: finite(1e-4, 4),
    kappa: finite(0.01, 50),
    theta: finite(1e-4, 4),
    xi: finite(0.001, 5),
    rho: finite(-0.999, 0.999),
    ...horizon,
  }),
  /** GBM plus compound-Poisson log-normal jumps (Merton 1976). */
  z.strictObject({
    model: z.literal('merton'),
    s0: positive(1e6),
    drift: finite(-2, 2),
    volatility: finite(0.001, 3),
    jumpIntensity: finite(0, 100),
    jumpMean: finite(-1, 1),
    jumpStd: finite(0, 1),
    ...horizon,
  }),
  /** Several GBM assets with correlated Brownian motions; the claim is on the first, all are traded. */
  z.strictObject({
    model: z.literal('correlated-gbm'),
    s0: positive(1e6),
    drift: finite(-2, 2),
    volatilities: z.array(finite(0.001, 3)).min(2).max(8),
    correlation: z.array(z.array(finite(-1, 1)).min(2).max(8)).min(2).max(8),
    ...horizon,
  }),
  /** Paper 003 §3.2: regimes fitted (GMM, K by BIC) on the training dates; simulated training paths; historical test windows. */
  z.strictObject({
    model: z.literal('regime-switching'),
    data: dataSourceSchema,
    split: splitSchema,
    maxRegimes: int(1, 8),
    s0: positive(1e6),
    /** Call quotes on the claim's underlying (data/option-quotes.ts): the implied vol of the implied delta, else a proxy. */
    quotes: z.strictObject({ file: z.string().min(1).max(120) }).optional(),
    ...horizon,
  }),
  /**
   * Paper 000 §2-3.1: the forecaster trained on the training dates' returns, its sampled paths (eq. 10-11) under
   * the physical or the risk-neutral measure train the hedgers; they are tested on paths sampled from the test
   * dates, or on the real test windows (`testOn`).
   */
  z.strictObject({
    model: z.literal('forecaster'),
    data: forecastDataSchema,
    split: z.union([splitSchema, dateSplitSchema], { error: 'must be shares {train, validation} or dates {trainEnd, validationEnd}' }),
    forecaster: forecasterSchema,
    measure: z.enum(['risk-neutral', 'physical']),
    /** Continuously compounded risk-free rate a year, for the risk-neutral measure. */
    rate: finite(-0.1, 0.5),
    testOn: z.enum(['forecaster', 'real']),
    /**
     * The forecaster's inputs: eq. 2's open, high, low and close returns where the data have daily bars (the
     * close alone where they do not), or the close alone (`close`: the bundled S&P 500's open is the previous
     * close on every day before 2008, not a traded open).
     */
    inputs: z.enum(['ohlc', 'close']),
    s0: positive(1e6),
    ...horizon,
  }),
  /**
   * Paper 003 §3.3: the hedgers train on paths of the signature-diffusion generators fitted to each traded
   * asset's training dates (independently, as the paper does for want of a joint model) and are tested on
   * every real window of the test dates; the validation windows score them while they train.
   */
  z.strictObject({
    model: z.literal('signature-diffusion'),
    data: dataSourceSchema,
    split: splitSchema,
    diffusion: diffusionSchema,
    s0: positive(1e6),
    ...horizon,
  }),
  /** Paper 003 §3.1: overlapping windows of the data re-based to s0; training windows resampled each epoch. */
  z.strictObject({
    model: z.literal('historical'),
    data: dataSourceSchema,
    split: splitSchema,
    s0: positive(1e6),
    /** Call quotes on the claim's underlying (data/option-quotes.ts): the implied vol of the implied delta, else a proxy. */
    quotes: z.strictObject({ file: z.string().min(1).max(120) }).optional(),
    ...horizon,
  }),
]);

export const claimSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('european'),
    kind: z.enum(['call', 'put']),
    strike: positive(1e6),
    /**
     * Several strikes in one training (paper 000 §4.2, the state carries S_t / K): path i has strikes[i mod m]
     * (every batch holds them in equal shares); `strike` then only centres the charts.
     */
    strikes: z.array(positive(1e6)).min(2).max(64).optional(),
  }),
  /** Call on the running maximum, max(max_t S_t - K, 0) (paper 001 eq. 2). */
  z.strictObject({ type: z.literal('lookback'), strike: positive(1e6) }),
  /** Locally capped, globally floored cliquet, resets every `resetSteps` steps (paper 002 §2.1). */
  z.strictObject({ type: z.literal('cliquet'), resetSteps: int(1, 500), cap: finite(1e-4, 1) }),
]);

/** A vanilla option on the floating grid: fixed maturity in steps and fixed moneyness K / S_t (paper 002 §2.1 (b)). */
const floatingOption = z.strictObject({ maturitySteps: int(1, 500), moneyness: finite(0.5, 2) });
/** A listed option on the fixed grid: the same contract at every date (paper 002 §2.1 (a)). */
const fixedOption = z.strictObject({ kind: z.enum(['call', 'put']), strike: positive(1e6), maturitySteps: int(1, 500) });

/** Vanilla options traded besides the underlying(s), with their proportional cost per unit of spot notional. */
export const optionsSchema = z.discriminatedUnion('grid', [
  z.strictObject({ grid: z.literal('none') }),
  z.strictObject({ grid: z.literal('fixed'), options: z.array(fixedOption).min(1).max(24), cost: finite(0, 0.2) }),
  z.strictObject({ grid: z.literal('floating'), options: z.array(floatingOption).min(1).max(24), cost: finite(0, 0.2) }),
]);

export const costsSchema = z.strictObject({
  /** c in c * S_t * |delta_t - delta_{t-1}| (paper 000 eq. 17, paper 001 eq. 8). */
  proportional: finite(0, 0.2),
  /** Charge unwinding the position at maturity. */
  closeAtMaturity: z.boolean(),
});

export const riskSchema = z.discriminatedUnion('measure', [
  z.strictObject({ measure: z.literal('entropic'), lambda: finite(1e-3, 1e3) }),
  z.strictObject({ measure: z.literal('expected-shortfall'), alpha: finite(0.5, 0.999) }),
  z.strictObject({ measure: z.literal('quadratic') }),
  z.strictObject({ measure: z.literal('mean-variance'), lambda: finite(1e-3, 1e4) }),
  /** Paper 002 eq. 3: gamma Var(Gamma_T - psi) + E[C_T], the variance of the hedging error plus the mean costs. */
  z.strictObject({ measure: z.literal('variance-cost'), gamma: finite(1e-3, 1e6) }),
  /** Optimized certainty equivalent with a learned threshold (paper 001 eq. 37; risk/oce.ts). */
  z.strictObject({
    measure: z.literal('oce'),
    loss: z.discriminatedUnion('type', [
      z.strictObject({ type: z.literal('exponential'), lambda: finite(1e-3, 1e3) }),
      z.strictObject({ type: z.literal('quadratic'), lambda: finite(1e-3, 1e4) }),
      z.strictObject({ type: z.literal('shortfall'), alpha: finite(0.5, 0.999) }),
    ]),
  }),
]);

const strategyId = z
  .string()
  .min(1)
  .max(24)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes');

export const networkSchema = z.strictObject({
  layers: int(1, 8),
  units: int(2, 256),
});

export const trainingSchema = z.strictObject({
  epochs: int(1, 5000),
  batchSize: int(8, 200_000),
  learningRate: finite(1e-6, 1),
  /** Draw fresh training paths every epoch (pfhedge's `Hedger.fit`, paper 001 §5.1) or reuse one set. */
  freshPaths: z.boolean(),
});

/** DHLNN's inner loop (paper 001 Algorithm 1): at most N iterations, stopping once ||w^{j+1} - w^j|| < eps. */
export const innerLoopSchema = z.strictObject({
  steps: int(1, 200),
  tolerance: finite(0, 10),
  /** Scale the inner steps by Adam's second moment of the outer gradients ('adam', paper 001 §5.1) or not (eq. 15). */
  precondition: z.enum(['adam', 'none']),
});

const trained = { network: networkSchema, training: trainingSchema };

/** Paper 002 §4.1: the recurrent policy's residual blocks of RMSNorm + LSTM cell (policies/recurrent-hedger.ts). */
export const recurrentNetworkSchema = z.strictObject({ blocks: int(1, 8), units: int(2, 128) });

export const recurrentTrainingSchema = z.strictObject({
  epochs: int(1, 1000),
  batchSize: int(1, 200_000),
  /** Draw fresh training paths every epoch or reuse one set (the paper's 700,000 paths). */
  freshPaths: z.boolean(),
  /** Score the policy on the validation paths every this many iterations (paper 002 fig. 3). */
  validationEvery: int(1, 10_000),
});

/** Adam with a linear warm-up over the first epoch, then exponential decay, and gradient-norm clipping (paper 002 §4.1). */
export const adamScheduleSchema = z.strictObject({
  type: z.literal('adam'),
  learningRate: finite(1e-6, 1),
  /** Per-iteration factor of the exponential decay after the warm-up. */
  decay: finite(0.9, 1),
  /** Clip the gradient to this Euclidean norm (0: no clipping). */
  clipNorm: finite(0, 1e3),
});

/** DH-KFAC (paper 002 Algorithm 1; trainers/dh-kfac.ts) with the paper's names. */
export const dhKfacSchema = z.strictObject({
  type: z.literal('dh-kfac'),
  /** rho_0^TR, the initial trust-region size (line 20). */
  trustRegion: finite(1e-9, 10),
  /** beta^TR, its decay per iteration (line 21). */
  trustRegionDecay: finite(0.9, 1),
  /** eta^max, the largest step size (line 20). */
  maxStepSize: finite(1e-6, 100),
  /** rho, the shrinkage intensity of the damping (line 18, eq. 11). */
  shrinkage: finite(0, 1),
  /** beta^mom (line 22). */
  momentum: finite(0, 0.999),
  /** beta^F = beta^D, the moving-average factor of A, G and D (lines 5, 11, 12). */
  averaging: finite(0, 0.999),
  /** N^cov: update A, G and D every this many iterations (line 3). */
  covarianceEvery: int(1, 1000),
  /** N^evd: recompute the eigenbases every this many iterations (line 13). */
  eigenEvery: int(1, 10_000),
  /**
   * The early schedule (README, "Departures"): over the first this many iterations A, G and D are updated every
   * iteration and the eigenbases recomputed every `earlyEigenEvery`, while the curvature grows fastest (0: the
   * paper's schedule throughout). Absent from older links, which meant 0.
   */
  earlyIterations: int(0, 10_000).default(0),
  earlyEigenEvery: int(1, 10_000).default(5),
  /**
   * Paths whose pseudo-gradients update G and D each time (line 6 samples one; on a browser backend m paths
   * cost little more than one). Absent from older links, which meant 1.
   */
  curvaturePaths: int(1, 4096).default(1),
  /** c~ / c, the L2 cost curvature of the inner Hessian relative to the costs (eq. 12; the paper's 8). */
  costCurvature: finite(0, 1000),
});

/**
 * How paper 003's sequence hedgers train (§4, appendix 8.4): pathwise on the experiment's risk measure (the
 * paper's entropic risk in its presets), the P&L optionally clipped before the measure, with the validation
 * loss scored every epoch and, with `patience`, early stopping that keeps the best epoch's weights.
 */
export const sequenceTrainingSchema = z.strictObject({
  epochs: int(1, 5000),
  batchSize: int(8, 200_000),
  learningRate: finite(1e-6, 1),
  freshPaths: z.boolean(),
  /** Clip the P&L to [-clip, clip] before the risk measure, the paper's guard against overflow (0: no clipping). */
  clip: finite(0, 1e6),
  /** Stop after this many epochs without a better validation loss and keep the best weights (0: train every epoch). */
  patience: int(0, 1000),
});

/** Paper 003 §4.1: two recurrent (LSTM) layers over the lagged log-returns of the last `lags` days. */
export const rnnNetworkSchema = z.strictObject({ layers: int(1, 4), units: int(2, 256), lags: int(1, 250) });

/** Paper 003 appendix 8.3.3 (Tong et al. 2023): model_dim d, signature order m, heads, blocks; MLP width and dropout. */
export const sigformerNetworkSchema = z
  .strictObject({ modelDim: int(1, 16), order: int(1, 4), heads: int(1, 8), blocks: int(1, 6), mlpUnits: int(1, 1024), dropout: finite(0, 0.9) })
  .refine((n) => n.modelDim ** n.order <= 4096, { message: 'modelDim^order must be at most 4096 (the widest signature level lives on the device for every path and date)', path: ['order'] });

/** Positions in the underlying an RL agent may hold, per unit of the claim (paper 000 §4.2: long only, [0, 1]). */
export const positionBoundsSchema = z
  .strictObject({ min: finite(-10, 10), max: finite(-10, 10) })
  .refine((b) => b.min < b.max, { message: 'min must be below max', path: ['max'] });

/**
 * What every RL agent of paper 000 shares (rl/): the environment of §3.1-3.2 run on `episodes` paths at once,
 * `updates` rounds of rollout-then-learn (Algorithm 2's n_epoch), the discount, the position bounds, and
 * how often avg_r (eq. 40) is scored on held-out validation paths.
 */
export const rlSchema = z.strictObject({
  updates: int(1, 5000),
  /** n_path: hedging episodes (market paths) per rollout, simulated together. */
  episodes: int(8, 65_536),
  learningRate: finite(1e-6, 1),
  /** gamma: discount per step (Stable-Baselines3's 0.99). */
  gamma: finite(0.5, 1),
  bounds: positionBoundsSchema,
  /** Score the greedy policy's avg_r on the validation paths every this many updates. */
  evaluateEvery: int(1, 1000),
  /** Add the market's own features (volatility, regime, further assets) to the state of eq. 20. */
  marketFeatures: z.boolean(),
});

/** Actor and critic MLPs (hidden layers x units; Stable-Baselines3's default is 2 x 64 for PPO and A2C). */
export const rlNetworkSchema = z.strictObject({ layers: int(1, 4), units: int(4, 256) });

/** The clipped surrogate of eq. 36/42 with GAE (eq. 33), Stable-Baselines3's PPO defaults. */
export const ppoSchema = z.strictObject({
  /** n_epochs: passes over each rollout. */
  epochs: int(1, 100),
  /** Minibatch of transitions per gradient step. */
  minibatch: int(8, 1_000_000),
  /** epsilon of eq. 42. */
  clip: finite(0.01, 1),
  /** lambda of GAE (eq. 33). */
  lambda: finite(0, 1),
  /** Weight of the entropy bonus. */
  entropy: finite(0, 1),
  valueCoef: finite(0, 10),
  /** Clip the gradient to this Euclidean norm (0: no clipping). */
  maxGradNorm: finite(0, 100),
});

/** A2C (eq. 41): one gradient step per rollout on GAE advantages, RMSprop, Stable-Baselines3's defaults. */
export const a2cSchema = z.strictObject({
  lambda: finite(0, 1),
  entropy: finite(0, 1),
  valueCoef: finite(0, 10),
  maxGradNorm: finite(0, 100),
});

/** Behaviour cloning of the implied-delta expert (Algorithm 1, eq. 27-29). */
export const behaviourCloningSchema = z.strictObject({
  /** false: the "without BC" ablation of §4.6. */
  enabled: z.boolean(),
  epochs: int(1, 2000),
  batchSize: int(8, 1_000_000),
  learningRate: finite(1e-6, 1),
  /** lambda_entropy of eq. 29. */
  entropy: finite(0, 10),
});

/** Recurrent PPO fine-tuning (Algorithm 2, §3.3.2). */
export const rppoSchema = z.strictObject({
  /** n_actor_update and n_critic_update of Algorithm 2. */
  actorUpdates: int(1, 100),
  criticUpdates: int(1, 100),
  minibatch: int(8, 1_000_000),
  clip: finite(0.01, 1),
  lambda: finite(0, 1),
  /** lambda_entropy of Algorithm 2 line 8. */
  entropy: finite(0, 1),
  maxGradNorm: finite(0, 100),
  /** k: the last k states stacked as the input (frame stacking). */
  frames: int(1, 32),
  /** false: the "without RNN" ablation of §4.6 (an MLP on the stacked frames). */
  gru: z.boolean(),
  gruUnits: int(2, 128),
});

/** Replay-buffer agents (DDPG, TD3, SAC), Stable-Baselines3's defaults. */
const offPolicyFields = {
  /** Transitions kept in the replay buffer. */
  buffer: int(1000, 2_000_000),
  batchSize: int(16, 8192),
  /** tau: Polyak factor of the target networks. */
  tau: finite(0, 1),
  /** Transitions collected before learning starts. */
  learningStarts: int(0, 1_000_000),
  /** Gradient steps after each environment step of all episodes (train_freq 1). */
  gradientSteps: int(1, 100),
};

export const ddpgSchema = z.strictObject({ ...offPolicyFields, /** Std of the Gaussian exploration noise. */ actionNoise: finite(0, 2) });
export const td3Schema = z.strictObject({
  ...offPolicyFields,
  actionNoise: finite(0, 2),
  /** The policy and targets are updated every this many critic updates. */
  policyDelay: int(1, 10),
  /** Target policy smoothing: noise std and its clip. */
  targetNoise: finite(0, 2),
  noiseClip: finite(0, 5),
});
export const sacSchema = z.strictObject({
  ...offPolicyFields,
  /** alpha at the start; tuned towards the target entropy when `autoTemperature`. */
  temperature: finite(1e-4, 10),
  autoTemperature: z.boolean(),
  /** Target entropy (Stable-Baselines3: -dim(A) = -1). */
  targetEntropy: finite(-10, 10),
});

const rlAgent = { network: rlNetworkSchema, rl: rlSchema };

export const strategySchema = z.discriminatedUnion('type', [
  z.strictObject({ id: strategyId, type: z.literal('no-hedge') }),
  z.strictObject({ id: strategyId, type: z.literal('bs-delta') }),
  z.strictObject({
    id: strategyId,
    type: z.literal('whalley-wilmott'),
    /** Risk aversion a in the band half-width (3 c S Gamma^2 / (2 a))^(1/3). */
    riskAversion: finite(1e-3, 1e3),
  }),
  /** The pathwise deep hedger in pfhedge's form (policies/deep-hedger.ts). */
  z.strictObject({ id: strategyId, type: z.literal('deep-mlp'), ...trained }),
  /** Paper 001's DHMLP: the same network and trainer, under the paper's name (4x64, Adam 1e-3 in its presets). */
  z.strictObject({ id: strategyId, type: z.literal('dhmlp'), ...trained }),
  /** No-transaction band network (Imaki et al.; policies/band-network.ts), trained by Adam. */
  z.strictObject({ id: strategyId, type: z.literal('dhntb'), ...trained }),
  /** Anchor band network trained by nested linearised optimisation (paper 001 §4; trainers/linearised-nested.ts). */
  z.strictObject({ id: strategyId, type: z.literal('dhlnn'), ...trained, inner: innerLoopSchema }),
  /** Paper 002's recurrent policy (eq. 5) trading every instrument, trained by Adam or DH-KFAC. */
  z.strictObject({
    id: strategyId,
    type: z.literal('recurrent'),
    network: recurrentNetworkSchema,
    training: recurrentTrainingSchema,
    optimizer: z.discriminatedUnion('type', [adamScheduleSchema, dhKfacSchema]),
  }),
  /** Paper 000 eq. 26: Black-Scholes delta at the market's implied volatility (quotes, or the stated proxy). */
  z.strictObject({ id: strategyId, type: z.literal('implied-delta') }),
  /** Paper 000 §3.3: behaviour cloning of implied delta, then recurrent PPO (Algorithms 1-2). */
  z.strictObject({ id: strategyId, type: z.literal('bc-rppo'), ...rlAgent, bc: behaviourCloningSchema, rppo: rppoSchema }),
  z.strictObject({ id: strategyId, type: z.literal('a2c'), ...rlAgent, a2c: a2cSchema }),
  z.strictObject({ id: strategyId, type: z.literal('ppo'), ...rlAgent, ppo: ppoSchema }),
  z.strictObject({ id: strategyId, type: z.literal('ddpg'), ...rlAgent, ddpg: ddpgSchema }),
  z.strictObject({ id: strategyId, type: z.literal('td3'), ...rlAgent, td3: td3Schema }),
  z.strictObject({ id: strategyId, type: z.literal('sac'), ...rlAgent, sac: sacSchema }),
  /** Paper 003 §4.1: the RNN hedger on lagged log-returns (and the regime label), holdings in every asset of the hedge set. */
  z.strictObject({ id: strategyId, type: z.literal('rnn'), network: rnnNetworkSchema, training: sequenceTrainingSchema }),
  /** Paper 003 §4.2: the SigFormer, attention over streaming signatures of the projected inputs. */
  z.strictObject({ id: strategyId, type: z.literal('sigformer'), network: sigformerNetworkSchema, training: sequenceTrainingSchema }),
]);

/** Fourier prices of the Heston implied-vol proxy a run may ask for (strikes x steps, about 1 s). */
export const MAX_HESTON_SMILE_PRICES = 5000;

export const experimentSchema = z
  .strictObject({
    version: z.literal(SCHEMA_VERSION),
    name: z.string().max(80),
    seed: int(0, 2 ** 31 - 1),
    market: marketSchema,
    claim: claimSchema,
    /**
     * Instruments besides the underlying asset(s), and the hedge set: the first `hedgeSet` assets of the market
     * are traded (the claim's first; paper 003 fig. 3), all of them when absent. The market's windows are
     * chosen on all of its assets, so every hedge-set size is tested on the same windows.
     */
    instruments: z.strictObject({ options: optionsSchema, hedgeSet: int(1, 8).optional() }),
    costs: costsSchema,
    /** Premium the hedger receives for the short claim at t = 0: none, or the market model's price (experiment/premium.ts). */
    premium: z.enum(['zero', 'model']),
    risk: riskSchema,
    /** Validation paths score recurrent hedgers while they train (paper 002 fig. 3); drawn only when one is present. */
    paths: z.strictObject({ train: int(16, 1_000_000), test: int(16, 200_000), validation: int(16, 200_000).optional() }),
    /** Up to 10: paper 000's tables compare nine (implied delta, BC-RPPO, its two ablations, five baselines). */
    strategies: z.array(strategySchema).min(1).max(10),
    /** Epochs after which every trained strategy is scored on the test paths (its result's `checkpoints`). */
    checkpoints: z.array(int(1, 5000)).max(50).optional(),
    /** Validation loss whose first crossing times the race of recurrent hedgers (default: Adam's final loss). */
    targetLoss: z.number().finite().optional(),
  })
  .superRefine((cfg, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const { market, claim } = cfg;
    const seen = new Set<string>();
    cfg.strategies.forEach((s, i) => {
      if (seen.has(s.id)) issue(['strategies', i, 'id'], `duplicate id "${s.id}"`);
      seen.add(s.id);
      if ((isTrained(s) || isSequence(s)) && s.training.batchSize > cfg.paths.train) {
        issue(['strategies', i, 'training', 'batchSize'], `batch size ${s.training.batchSize} exceeds the ${cfg.paths.train} training paths`);
      }
      if (s.type === 'bs-delta' && claim.type === 'cliquet') issue(['strategies', i, 'type'], 'a cliquet has no Black-Scholes delta; use no-hedge or a deep hedger');
      if (s.type === 'whalley-wilmott' && claim.type !== 'european') issue(['strategies', i, 'type'], 'the Whalley-Wilmott band needs a European claim');
      if (s.type === 'recurrent' && s.training.batchSize > cfg.paths.train) {
        issue(['strategies', i, 'training', 'batchSize'], `batch size ${s.training.batchSize} exceeds the ${cfg.paths.train} training paths`);
      }
      if (s.type === 'recurrent' && cfg.risk.measure !== 'variance-cost') {
        issue(['risk', 'measure'], 'recurrent hedgers minimise paper 002 eq. 3: choose the variance + costs measure');
      }
      if (s.type === 'dhlnn' && cfg.risk.measure === 'variance-cost') {
        issue(['risk', 'measure'], 'DHLNN linearises a risk measure of the P&L alone (paper 001 eq. 12), and variance + costs also reads the costs: choose another measure or another hedger');
      }
      if ((s.type === 'dhntb' || s.type === 'dhlnn') && claim.type === 'cliquet') issue(['strategies', i, 'type'], 'a band around the Black-Scholes delta needs a European or lookback claim');
      if (s.type === 'implied-delta' && claim.type !== 'european') issue(['strategies', i, 'type'], 'the implied delta (paper 000 eq. 26) needs a European claim');
      if (s.type === 'bc-rppo' && s.bc.enabled && claim.type !== 'european') {
        issue(['strategies', i, 'bc', 'enabled'], 'behaviour cloning imitates the implied delta (paper 000 §3.3.1), which needs a European claim: turn it off or hedge a European claim');
      }
      if (isRl(s) && s.rl.episodes * market.steps > 4_000_000) {
        issue(['strategies', i, 'rl', 'episodes'], `episodes x steps = ${s.rl.episodes * market.steps} exceeds 4,000,000 (one rollout lives on the device)`);
      }
      if (s.type === 'recurrent' && claim.type === 'european' && claim.strikes) issue(['claim', 'strikes'], 'recurrent hedgers (paper 002) hedge one strike: remove the strikes');
      // Only for a shape the network's own bound accepts (modelDim^order <= 4096): that one is reported first.
      if (s.type === 'sigformer' && s.network.modelDim ** s.network.order <= 4096 && s.training.batchSize * market.steps * sigformerEntries(s.network) > MAX_PASS_ENTRIES) {
        const most = Math.floor(MAX_PASS_ENTRIES / (market.steps * sigformerEntries(s.network)));
        const why = '(its signature levels, heads and blocks live on the device for back-propagation)';
        if (most < 1) issue(['strategies', i, 'network'], `this SigFormer is too large for ${market.steps} dates even one path at a time ${why}: fewer blocks or heads, a smaller modelDim or order, or fewer steps`);
        else issue(['strategies', i, 'training', 'batchSize'], `a SigFormer of this size on ${market.steps} dates holds at most ${most} paths per batch ${why}: lower the batch size to ${most}`);
      }
      if (isSequence(s) && claim.type === 'european' && claim.strikes) issue(['claim', 'strikes'], `the ${s.type === 'rnn' ? 'RNN' : 'SigFormer'} hedger (paper 003) reads returns, not the strike: remove the strikes`);
      if (isSequence(s) && cfg.instruments.options.grid !== 'none') {
        issue(['instruments', 'options', 'grid'], `the ${s.type === 'rnn' ? 'RNN' : 'SigFormer'} hedger (paper 003) trades the hedge set's assets only: set the option grid to none`);
      }
    });
    // Recurrent hedgers hold the training paths in host memory and batch from them (the paper's 700,000 x 240).
    const trainLimit = cfg.strategies.some((s) => s.type === 'recurrent') ? 200_000_000 : 4_000_000;
    const work = cfg.paths.train * market.steps;
    if (work > trainLimit) issue(['paths', 'train'], `train paths x steps = ${work} exceeds ${trainLimit.toLocaleString('en-US')}`);
    const testWork = cfg.paths.test * market.steps;
    if (testWork > MAX_TEST_PATH_STEPS) issue(['paths', 'test'], `test paths x steps = ${testWork} exceeds ${MAX_TEST_PATH_STEPS.toLocaleString('en-US')}`);
    const validationWork = (cfg.paths.validation ?? 0) * market.steps;
    if (validationWork > 4_000_000) issue(['paths', 'validation'], `validation paths x steps = ${validationWork} exceeds 4,000,000`);

    if (market.model === 'forecaster' && market.data.source === 'factor-panel') {
      const { assets, factors } = market.data;
      if (factors > assets) issue(['market', 'data', 'factors'], `a panel of ${assets} assets has at most ${assets} factors`);
      if (market.forecaster.latents > assets) issue(['market', 'forecaster', 'latents'], `k = ${market.forecaster.latents} latent assets is more than the panel's ${assets} assets`);
    }
    if ((market.model === 'historical' || market.model === 'regime-switching' || market.model === 'forecaster' || market.model === 'signature-diffusion') && market.steps !== market.maturityDays) {
      issue(['market', 'steps'], `price data are daily: steps must equal maturityDays (${market.maturityDays})`);
    }
    if (market.model === 'correlated-gbm') {
      const n = market.volatilities.length;
      if (market.correlation.length !== n || market.correlation.some((row) => row.length !== n)) {
        issue(['market', 'correlation'], `must be ${n} x ${n}, one row and column per volatility`);
      } else {
        // Its reason names the entry ("correlation[1][0]: ..."): the path says it, once.
        const why = correlationError(market.correlation);
        const entry = why ? /^correlation((?:\[\d+\])*): (.*)$/s.exec(why) : null;
        if (why) issue(['market', 'correlation', ...(entry?.[1].match(/\d+/g) ?? []).map(Number)], entry?.[2] ?? why);
      }
    }
    // Heston's implied-vol proxy prices every strike at every date (experiment/implied-volatility.ts), ~0.2 ms each.
    if (claim.type === 'european' && claim.strikes && market.model === 'heston' && claim.strikes.length * market.steps > MAX_HESTON_SMILE_PRICES) {
      issue(['claim', 'strikes'], `strikes x steps = ${claim.strikes.length * market.steps} Heston prices exceeds ${MAX_HESTON_SMILE_PRICES.toLocaleString('en-US')}: fewer strikes or steps`);
    }
    if (claim.type === 'cliquet' && claim.resetSteps > market.steps) {
      issue(['claim', 'resetSteps'], `a reset every ${claim.resetSteps} steps never happens within ${market.steps} steps`);
    }
    const assets = marketAssets(market);
    const hedgeSet = cfg.instruments.hedgeSet;
    if (hedgeSet !== undefined && assets !== null && hedgeSet > assets) {
      issue(['instruments', 'hedgeSet'], `the market has ${assets} asset${assets === 1 ? '' : 's'}: a hedge set of ${hedgeSet} is larger`);
    }
    const options = cfg.instruments.options;
    if (options.grid !== 'none') {
      if (!['gbm', 'merton', 'heston'].includes(market.model)) {
        issue(['instruments', 'options', 'grid'], `options need a pricing model: available on gbm, merton and heston markets, not ${market.model}`);
      } else if (options.grid === 'fixed' && market.model === 'heston') {
        issue(['instruments', 'options', 'grid'], 'under Heston options trade on the floating grid (its prices are tabulated per moneyness and maturity)');
      }
      if (options.grid === 'floating') {
        options.options.forEach((o, i) => {
          if (o.maturitySteps > market.steps) issue(['instruments', 'options', 'options', i, 'maturitySteps'], `matures after the claim at every date (${o.maturitySteps} > ${market.steps} steps)`);
        });
      }
    }
  });

export type Experiment = z.infer<typeof experimentSchema>;
export type Market = Experiment['market'];
export type Claim = Experiment['claim'];
export type ClaimType = Claim['type'];
export type Risk = Experiment['risk'];
export type Options = Experiment['instruments']['options'];
export type DataSource = z.infer<typeof dataSourceSchema>;
export type DataMarket = Extract<Market, { model: 'historical' | 'regime-switching' }>;
export type ForecasterMarket = Extract<Market, { model: 'forecaster' }>;
export type ForecasterSettings = ForecasterMarket['forecaster'];
export type ForecastData = ForecasterMarket['data'];
export type DiffusionMarket = Extract<Market, { model: 'signature-diffusion' }>;
export type DiffusionSettings = DiffusionMarket['diffusion'];
/** Markets tested on the real windows of their data's test dates, which they read as data markets do. */
export type WindowedMarket = DataMarket | DiffusionMarket;
export type MarketModel = Market['model'];
export type Strategy = Experiment['strategies'][number];
export type StrategyType = Strategy['type'];
export type TrainedStrategy = Extract<Strategy, { type: 'deep-mlp' | 'dhmlp' | 'dhntb' | 'dhlnn' }>;
export type RecurrentStrategy = Extract<Strategy, { type: 'recurrent' }>;
export type RlStrategy = Extract<Strategy, { type: 'bc-rppo' | 'a2c' | 'ppo' | 'ddpg' | 'td3' | 'sac' }>;
export type RlAlgorithm = RlStrategy['type'];
export type SequenceStrategy = Extract<Strategy, { type: 'rnn' | 'sigformer' }>;

export const RL_ALGORITHMS: readonly RlAlgorithm[] = ['bc-rppo', 'a2c', 'ppo', 'ddpg', 'td3', 'sac'];
export const STRATEGY_TYPES: readonly StrategyType[] = ['no-hedge', 'bs-delta', 'whalley-wilmott', 'implied-delta', 'deep-mlp', 'dhmlp', 'dhntb', 'dhlnn', 'recurrent', ...RL_ALGORITHMS, 'rnn', 'sigformer'];

/** Feed-forward strategies trained epoch by epoch by the pathwise trainer (trainers/adam-pathwise.ts). */
export function isTrained(s: Strategy): s is TrainedStrategy {
  return 'training' in s && s.type !== 'recurrent' && !isSequence(s);
}

/** Paper 003's sequence hedgers, the RNN and the SigFormer (families/sequence.ts). */
export function isSequence(s: Strategy): s is SequenceStrategy {
  return s.type === 'rnn' || s.type === 'sigformer';
}

/** Paper 000's reinforcement-learning agents (rl/). */
export function isRl(s: Strategy): s is RlStrategy {
  return 'rl' in s;
}

/** Paper 002's recurrent hedgers (trainers/recurrent-race.ts). */
export function isRecurrent(s: Strategy): s is RecurrentStrategy {
  return s.type === 'recurrent';
}

/** Length of one rebalancing interval in years. */
export function stepYears(m: Market): number {
  return m.maturityDays / m.daysPerYear / m.steps;
}

/** Maturity in years. */
export function maturityYears(m: Market): number {
  return m.maturityDays / m.daysPerYear;
}

export type ParseResult = { ok: true; value: Experiment } | { ok: false; errors: string[] };

/**
 * Version 1 experiments (the foundation's: GBM, European claim, premium 'black-scholes') are a subset of
 * version 2; they are read by adding the underlying-only instrument set and renaming the premium.
 */
function migrate(input: unknown): unknown {
  if (input === null || typeof input !== 'object' || (input as { version?: unknown }).version !== 1) return input;
  const v1 = input as Record<string, unknown>;
  return {
    ...v1,
    version: SCHEMA_VERSION,
    instruments: v1.instruments ?? { options: { grid: 'none' } },
    premium: v1.premium === 'black-scholes' ? 'model' : v1.premium,
  };
}

/** Validates anything (a form, a decoded link, a JSON file) against the schema; errors name the field. */
export function parseExperiment(raw: unknown): ParseResult {
  const input = migrate(raw);
  if (input !== null && typeof input === 'object' && 'version' in input && (input as { version: unknown }).version !== SCHEMA_VERSION) {
    const v = (input as { version: unknown }).version;
    return { ok: false, errors: [`version: this HedgeLab reads experiments of versions 1 and ${SCHEMA_VERSION}, not ${JSON.stringify(v)}`] };
  }
  const r = experimentSchema.safeParse(input, { reportInput: true });
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, errors: issueLines(r.error, '(experiment)') };
}

/** How many assets the market has where the config alone says it (null: a data market's panel decides). */
export function marketAssets(m: Market): number | null {
  if (m.model === 'correlated-gbm') return m.volatilities.length;
  if (m.model === 'forecaster') return forecastAssets(m.data);
  if (m.model === 'signature-diffusion') return dataAssets(m.data);
  if (!isDataMarket(m)) return 1;
  return dataAssets(m.data);
}

/** How many assets a data source has where the config says it (null: an imported file's symbols decide). */
function dataAssets(d: DataSource): number | null {
  if (d.source === 'sp500') return 1;
  if (d.source === 'bundled') return d.symbols.length;
  return d.symbols.length > 0 ? d.symbols.length : null;
}

/** Whether the market is built from price data (and so needs the data loaded before it runs). */
export function isDataMarket(m: Market): m is DataMarket {
  return m.model === 'historical' || m.model === 'regime-switching';
}

/** How many assets a forecaster's data has where the config says it (null: an imported file's symbols decide). */
export function forecastAssets(d: ForecastData): number | null {
  return d.source === 'factor-panel' ? d.assets : dataAssets(d);
}

/** Whether the market reads loaded price data (the bundled series or an imported file): data markets, signature diffusion and a forecaster on them. */
export function usesPriceData(m: Market): m is DataMarket | DiffusionMarket | (ForecasterMarket & { data: DataSource }) {
  return isDataMarket(m) || m.model === 'signature-diffusion' || (m.model === 'forecaster' && m.data.source !== 'factor-panel');
}
