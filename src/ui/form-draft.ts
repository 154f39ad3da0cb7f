/**
 * The experiment form's draft: exactly what the person typed (numbers stay text, so "1e-" or "" survive
 * a keystroke), and its translation into an Experiment checked by `parseExperiment` (DESIGN.md,
 * "Experiment config"). Errors come back keyed by the field they name, so the form shows each one beside
 * its input; an invalid draft is kept as typed and only the Run button waits.
 *
 * The draft keeps the fields of every market model, claim type and options grid at once, so switching
 * the market to Heston and back to GBM, or the grid from floating to none and back, loses nothing. An RL
 * agent's row (paper 000 §3-4) keeps every setting of its schema by path (AgentDraft), from RL_DEFAULTS;
 * paper 003's sequence hedgers (§4.1 RNN, §4.2 SigFormer) start from DEFAULT_RNN and DEFAULT_SIGFORMER.
 * The forecaster market (paper 000 §2) shares the data markets' prices, window and split by shares, and keeps
 * its own split by dates, factor panel and network settings (ForecasterDraft), from paper 000's presets.
 */
import { DEFAULT_INNER_LOOP, defaultConfig, PAPER002_ADAM, PAPER002_KFAC } from '../engine/experiment/presets';
import { paper000ForecastFactors, paper000ForecastSp500 } from '../engine/experiment/paper000-presets';
import { PAPER003_DIFFUSION } from '../engine/experiment/paper003-presets';
import { RL_DEFAULTS } from '../engine/experiment/rl-defaults';
import {
  BUNDLED_SYMBOLS,
  isRecurrent,
  isRl,
  isSequence,
  isTrained,
  parseExperiment,
  RL_ALGORITHMS,
  SCHEMA_VERSION,
  STRATEGY_TYPES,
  type BundledSymbol,
  type Claim,
  type ClaimType,
  type DataSource,
  type DiffusionSettings,
  type Experiment,
  type ForecasterMarket,
  type Market,
  type MarketModel,
  type Options,
  type RecurrentStrategy,
  type Risk,
  type RlAlgorithm,
  type RlStrategy,
  type SequenceStrategy,
  type Strategy,
  type StrategyType,
} from '../engine/experiment/schema';

export type OceLossType = Extract<Risk, { measure: 'oce' }>['loss']['type'];

export const OCE_LOSSES: readonly { value: OceLossType; label: string }[] = [
  { value: 'exponential', label: 'Exponential (entropic)' },
  { value: 'quadratic', label: 'Quadratic (mean-variance)' },
  { value: 'shortfall', label: 'Shortfall (ES)' },
];

/** Paper 002 §4.1's risk aversion in gamma Var(Gamma_T - psi) + E[C_T] (eq. 3). */
const PAPER_002_GAMMA = 1000;

function riskDraft(risk: Risk): Draft['risk'] {
  const loss = risk.measure === 'oce' ? risk.loss : null;
  const lambda = 'lambda' in risk ? risk.lambda : loss && 'lambda' in loss ? loss.lambda : 1;
  const alpha = 'alpha' in risk ? risk.alpha : loss && 'alpha' in loss ? loss.alpha : 0.95;
  const gamma = risk.measure === 'variance-cost' ? risk.gamma : PAPER_002_GAMMA;
  return { measure: risk.measure, lambda: text(lambda), alpha: text(alpha), gamma: text(gamma), loss: loss?.type ?? 'exponential' };
}

function riskFromDraft(r: Draft['risk'], num: (key: string, value: string) => number): Risk {
  switch (r.measure) {
    case 'expected-shortfall':
      return { measure: r.measure, alpha: num('risk.alpha', r.alpha) };
    case 'quadratic':
      return { measure: r.measure };
    case 'entropic':
    case 'mean-variance':
      return { measure: r.measure, lambda: num('risk.lambda', r.lambda) };
    case 'variance-cost':
      return { measure: r.measure, gamma: num('risk.gamma', r.gamma) };
    case 'oce':
      return {
        measure: 'oce',
        loss: r.loss === 'shortfall' ? { type: 'shortfall', alpha: num('risk.loss.alpha', r.alpha) } : { type: r.loss, lambda: num('risk.loss.lambda', r.lambda) },
      };
  }
}

export type Optimizer = RecurrentStrategy['optimizer'];
export type OptimizerType = Optimizer['type'];
type OptimizerOf<T extends OptimizerType> = Extract<Optimizer, { type: T }>;

export const OPTIMIZERS: readonly { value: OptimizerType; label: string }[] = [
  { value: 'adam', label: 'Adam' },
  { value: 'dh-kfac', label: 'DH-KFAC' },
];

/** Each optimizer's settings, in the order the form shows them, named as in the schema and in the draft. */
export const OPTIMIZER_FIELDS = {
  adam: ['learningRate', 'decay', 'clipNorm'],
  'dh-kfac': ['trustRegion', 'trustRegionDecay', 'maxStepSize', 'shrinkage', 'momentum', 'averaging', 'covarianceEvery', 'eigenEvery', 'earlyIterations', 'earlyEigenEvery', 'curvaturePaths', 'costCurvature'],
} as const satisfies { [T in OptimizerType]: readonly Exclude<keyof OptimizerOf<T>, 'type'>[] };

export type OptimizerField = (typeof OPTIMIZER_FIELDS)[OptimizerType][number];

/** Paper 002 §4.1's settings of each optimizer (presets.ts): a recurrent row starts from them. */
export const PAPER_002_OPTIMIZERS: { readonly [T in OptimizerType]: OptimizerOf<T> } = { adam: PAPER002_ADAM, 'dh-kfac': PAPER002_KFAC };

/** A recurrent hedger added on the form: 4 blocks of 32 units, 2 epochs of batches of 256, validated every 5 iterations, Adam. */
export const DEFAULT_RECURRENT: Omit<RecurrentStrategy, 'id'> = {
  type: 'recurrent',
  network: { blocks: 4, units: 32 },
  training: { epochs: 2, batchSize: 256, freshPaths: true, validationEvery: 5 },
  optimizer: PAPER_002_OPTIMIZERS.adam,
};

type RnnStrategy = Extract<SequenceStrategy, { type: 'rnn' }>;
type SigFormerStrategy = Extract<SequenceStrategy, { type: 'sigformer' }>;

/**
 * How paper 003's sequence hedgers train when added on the form: 20 epochs of batches of 256 at Adam 1e-3 on
 * fresh paths, the P&L unclipped (a clip is in the market's price units) and early stopping after 5 epochs
 * without a better validation loss (§5, appendix 8.4).
 */
const SEQUENCE_TRAINING: SequenceStrategy['training'] = { epochs: 20, batchSize: 256, learningRate: 1e-3, freshPaths: true, clip: 0, patience: 5 };

/** Paper 003 §4.1's RNN added on the form: two LSTM layers of 32 units over the last 30 days' log-returns. */
export const DEFAULT_RNN: Omit<RnnStrategy, 'id'> = { type: 'rnn', network: { layers: 2, units: 32, lags: 30 }, training: SEQUENCE_TRAINING };

/**
 * Paper 003 §4.2's SigFormer added on the form, in the paper's configuration (appendix 8.3.3): model_dim 8,
 * signature order 3, 2 heads, 2 blocks, an MLP of 4 d^2 = 256 units (Tong et al.'s block) and dropout 0.1.
 */
export const DEFAULT_SIGFORMER: Omit<SigFormerStrategy, 'id'> = {
  type: 'sigformer',
  network: { modelDim: 4, order: 3, heads: 2, blocks: 2, mlpUnits: 64, dropout: 0.1 },
  training: SEQUENCE_TRAINING,
};

/** The dotted paths of the leaves of type V in T ('rl.bounds.min'), for each member of a union T. */
type LeafPaths<T, V, P extends string = ''> = T extends unknown
  ? { [K in keyof T & string]: T[K] extends V ? `${P}${K}` : T[K] extends object ? LeafPaths<T[K], V, `${P}${K}.`> : never }[keyof T & string]
  : never;

/** An RL agent's settings (paper 000): everything of its strategy but the id and the type. */
type AgentSettings = RlStrategy extends infer S ? (S extends RlStrategy ? Omit<S, 'id' | 'type'> : never) : never;

/** Every number an RL agent's schema holds (rl.*, network.*, bc.*, rppo.*, ppo.*, ...), by schema path. */
export type AgentNumberField = LeafPaths<AgentSettings, number>;
/** Every switch an RL agent's schema holds (rl.marketFeatures, bc.enabled, rppo.gru, sac.autoTemperature). */
export type AgentFlagField = LeafPaths<AgentSettings, boolean>;

/**
 * An RL row's settings keyed by schema path: the numbers as typed, the switches. A row holds the fields of
 * its own algorithm only, all of them (draftFromExperiment / defaultRow fill every one).
 */
export interface AgentDraft {
  numbers: Partial<Record<AgentNumberField, string>>;
  flags: Partial<Record<AgentFlagField, boolean>>;
}

export const isRlType = (type: StrategyType): type is RlAlgorithm => (RL_ALGORITHMS as readonly StrategyType[]).includes(type);

/** An RL strategy's settings as typed: every number and switch under its schema path. */
function agentDraft(s: RlStrategy): AgentDraft {
  const draft: AgentDraft = { numbers: {}, flags: {} };
  const walk = (o: object, prefix: string) => {
    for (const [k, v] of Object.entries(o) as [string, unknown][]) {
      const path = `${prefix}${k}`;
      if (typeof v === 'number') draft.numbers[path as AgentNumberField] = text(v);
      else if (typeof v === 'boolean') draft.flags[path as AgentFlagField] = v;
      // The id and the type are the row's own.
      else if (typeof v === 'object' && v !== null) walk(v, `${path}.`);
    }
  };
  walk(s, '');
  return draft;
}

/** An RL row's settings back into the strategy's nested shape; numbers go through `num` under `key.path`. */
function agentCandidate(a: AgentDraft, key: string, num: (key: string, value: string) => number, shown: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const put = (path: string, value: unknown) => {
    const parts = path.split('.');
    let o = out;
    for (const part of parts.slice(0, -1)) o = (o[part] ??= {}) as Record<string, unknown>;
    o[parts.at(-1)!] = value;
  };
  for (const [path, value] of Object.entries(a.numbers)) put(path, num(`${key}.${path}`, value ?? ''));
  for (const [path, value] of Object.entries(a.flags)) {
    shown.add(`${key}.${path}`);
    put(path, value);
  }
  return out;
}

/**
 * One row of the strategies panel; every row keeps all parameters so unticking loses nothing. The networks'
 * `units`, `epochs`, `batchSize` and `freshPaths` serve feed-forward, recurrent and sequence rows alike,
 * `layers` the RNN's LSTM layers too, `blocks` the SigFormer's, and `learningRate` both the feed-forward
 * training and the recurrent hedger's Adam.
 */
export interface StrategyDraft extends Record<OptimizerField, string> {
  enabled: boolean;
  id: string;
  type: StrategyType;
  riskAversion: string;
  layers: string;
  units: string;
  epochs: string;
  batchSize: string;
  learningRate: string;
  freshPaths: boolean;
  /** DHLNN's inner loop. */
  innerSteps: string;
  tolerance: string;
  precondition: 'adam' | 'none';
  /** The recurrent hedger's residual blocks, validation interval and optimizer (whose settings are kept for both). */
  blocks: string;
  validationEvery: string;
  optimizer: OptimizerType;
  /** An RL agent's settings (empty for the other types). */
  agent: AgentDraft;
  /** Paper 003's RNN: the days of lagged log-returns it reads (§4.1). */
  lags: string;
  /** Paper 003's SigFormer (appendix 8.3.3): model_dim d, signature order m, heads, MLP width, dropout. */
  modelDim: string;
  order: string;
  heads: string;
  mlpUnits: string;
  dropout: string;
  /** Sequence training: the P&L clip before the risk measure (0: none) and early stopping's patience (0: none). */
  clip: string;
  patience: string;
}

export const MARKET_MODELS: readonly { value: MarketModel; label: string }[] = [
  { value: 'gbm', label: 'Black-Scholes (GBM)' },
  { value: 'heston', label: 'Heston stochastic volatility' },
  { value: 'merton', label: 'Merton jump diffusion' },
  { value: 'correlated-gbm', label: 'Correlated GBM (several assets)' },
  { value: 'regime-switching', label: 'Regime-switching (fitted to data)' },
  { value: 'historical', label: 'Historical windows (data)' },
  { value: 'forecaster', label: 'Forecaster (trained on data, paper 000)' },
  { value: 'signature-diffusion', label: 'Signature diffusion (trained on data, paper 003)' },
];

/** The markets tested on the real windows of their data, whose prices, window and split the draft's `data` holds. */
export const isDataModel = (model: MarketModel): model is 'regime-switching' | 'historical' | 'signature-diffusion' =>
  model === 'regime-switching' || model === 'historical' || model === 'signature-diffusion';

/**
 * The models whose horizon is in trading days (one step a day) and whose spot, window and split are typed in
 * the draft's `data`: the data markets and the forecaster market.
 */
export const isDailyModel = (model: MarketModel): model is 'regime-switching' | 'historical' | 'signature-diffusion' | 'forecaster' => isDataModel(model) || model === 'forecaster';

/** Whether the market on the form reads loaded price data (the schema's `usesPriceData`): not a forecaster on its simulated factor panel. */
export const draftUsesPriceData = (m: Pick<MarketDraft, 'model' | 'forecaster'>): boolean => isDataModel(m.model) || (m.model === 'forecaster' && !m.forecaster.factorPanel);

/** The data behind the data-driven markets (historical windows, regime-switching). */
export interface DataMarketDraft {
  source: DataSource['source'];
  /** The imported file's name (from the import, or from a link that expects it). */
  file: string;
  /** Symbols to use, in order; empty: every symbol of the data, up to 8. */
  symbols: string[];
  /** The bundled series of a 'bundled' source, in order (the claim is on the first). */
  bundled: BundledSymbol[];
  /** The option-quotes file the implied delta takes its volatility from ('' : none, the stated proxy). */
  quotes: string;
  train: string;
  validation: string;
  maxRegimes: string;
  s0: string;
  /** Daily data: the window is `maturityDays` trading days, one step a day. */
  maturityDays: string;
  daysPerYear: string;
}

/**
 * The forecaster market's own settings (paper 000 §2): its data source when that is the simulated factor
 * panel (data/factor-panel.ts; otherwise `MarketDraft.data` says where its prices come from), a split by
 * dates as well as by shares (which `data` holds), the network and its training, and how its paths are used.
 */
export interface ForecasterDraft {
  /** The simulated factor panel rather than the price data of `data`. */
  factorPanel: boolean;
  assets: string;
  factors: string;
  days: string;
  /** The panel's own seed (it makes the data, not the run). */
  panelSeed: string;
  splitBy: 'fractions' | 'dates';
  /** Last training and last validation dates, yyyy-mm-dd. */
  trainEnd: string;
  validationEnd: string;
  context: string;
  horizon: string;
  latents: string;
  width: string;
  heads: string;
  depth: string;
  dropout: string;
  /** Market Value Dropout (eq. 7). */
  dropP: string;
  dropTau: string;
  epochs: string;
  batchSize: string;
  learningRate: string;
  patience: string;
  measure: ForecasterMarket['measure'];
  rate: string;
  testOn: ForecasterMarket['testOn'];
  inputs: ForecasterMarket['inputs'];
}

/** The signature-diffusion market's generator settings (paper 003 §3.3, schema.ts `diffusionSchema`) as typed. */
export interface DiffusionDraft {
  segmentDays: string;
  depth: string;
  stride: string;
  width: string;
  heads: string;
  layers: string;
  mlpUnits: string;
  epochs: string;
  batchSize: string;
  learningRate: string;
  residuals: DiffusionSettings['residuals'];
  sampler: DiffusionSettings['sampling']['sampler'];
  samplingSteps: string;
  paths: string;
}

/**
 * Every model's parameters. The simulated models share the spot, drift and horizon (and GBM and Merton the
 * diffusion volatility); the data markets keep their own, since their windows are trading days.
 */
export interface MarketDraft {
  model: MarketModel;
  s0: string;
  drift: string;
  maturityDays: string;
  steps: string;
  daysPerYear: string;
  volatility: string;
  /** GBM test paths' volatility; empty: the training one. */
  testVolatility: string;
  v0: string;
  kappa: string;
  theta: string;
  xi: string;
  rho: string;
  jumpIntensity: string;
  jumpMean: string;
  jumpStd: string;
  volatilities: string[];
  /** Full matrix as typed; the form edits (i, j) and (j, i) together and shows the diagonal as 1. */
  correlation: string[][];
  data: DataMarketDraft;
  forecaster: ForecasterDraft;
  diffusion: DiffusionDraft;
}

export interface ClaimDraft {
  type: ClaimType;
  kind: 'call' | 'put';
  /** European and lookback strike. */
  strike: string;
  /** A European claim's several strikes (paper 000 §4.2), comma-separated; empty for the one strike. */
  strikes: string;
  resetSteps: string;
  cap: string;
}

export interface FixedOptionDraft {
  kind: 'call' | 'put';
  strike: string;
  maturitySteps: string;
}

export interface FloatingOptionDraft {
  maturitySteps: string;
  moneyness: string;
}

export interface InstrumentsDraft {
  grid: Options['grid'];
  fixed: FixedOptionDraft[];
  floating: FloatingOptionDraft[];
  cost: string;
  /** The hedge set: the first this many assets of the market are traded (paper 003 fig. 3); empty: all. */
  hedgeSet: string;
}

export interface Draft {
  name: string;
  seed: string;
  market: MarketDraft;
  claim: ClaimDraft;
  instruments: InstrumentsDraft;
  costs: { proportional: string; closeAtMaturity: boolean };
  premium: Experiment['premium'];
  /**
   * lambda serves the entropic and mean-variance measures and the OCE's exponential and quadratic losses,
   * alpha shortfalls, gamma the variance-plus-costs objective.
   */
  risk: { measure: Risk['measure']; lambda: string; alpha: string; gamma: string; loss: OceLossType };
  /** Empty validation: the engine's default number of validation paths (only recurrent hedgers draw them). */
  paths: { train: string; test: string; validation: string };
  strategies: StrategyDraft[];
  /** Epochs at which trained strategies are scored, comma-separated; empty for none. */
  checkpoints: string;
  /** Validation loss that times the recurrent hedgers' race; empty: the first Adam-trained hedger's final loss. */
  targetLoss: string;
}

/** Field key (schema path, with the strategy's row index) -> the messages to show beside that field. */
export type FieldErrors = Record<string, string[]>;

export interface DraftCheck {
  /** The validated experiment, or null while any field is wrong. */
  config: Experiment | null;
  fieldErrors: FieldErrors;
  /** Errors that name no field of the form. */
  otherErrors: string[];
}

const text = (n: number) => String(n);
/** An optional number as typed: empty when absent. */
const optionalText = (n: number | undefined) => (n === undefined ? '' : text(n));

/** Paper 002, footnote 9: the floating grid of 19 vanillas, {maturity in steps of 1/250: [K / S_t, ...]}. */
export const PAPER_002_GRID: Readonly<Record<number, readonly number[]>> = {
  10: [0.99, 1, 1.01],
  20: [0.97, 0.99, 1, 1.01, 1.03],
  40: [0.95, 1, 1.05],
  80: [0.91, 1, 1.09],
  120: [0.85, 0.95, 1, 1.05, 1.15],
};

export function paper002Grid(): FloatingOptionDraft[] {
  return Object.entries(PAPER_002_GRID).flatMap(([steps, strikes]) => strikes.map((k) => ({ maturitySteps: steps, moneyness: text(k) })));
}

/** A correlation matrix of size n: 1 on the diagonal, `off` elsewhere. */
export function constantCorrelation(n: number, off: string): string[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? '1' : off)));
}

/**
 * Each model's parameters before an experiment sets them: the default experiment's GBM; Heston as in
 * paper 002 §4.1 (x0 = 1, v0 = theta = 0.0625, kappa = 8, xi = 1, rho = -0.7); Merton with one jump a year
 * of mean log size -0.1 and spread 0.15; two correlated assets; 30-day windows of the S&P 500.
 */
function defaultMarket(): MarketDraft {
  const m = defaultConfig().market;
  const gbm = m.model === 'gbm' ? m : { s0: 1, drift: 0, volatility: 0.2, maturityDays: 20, steps: 20, daysPerYear: 250 };
  return {
    model: 'gbm',
    s0: text(gbm.s0),
    drift: text(gbm.drift),
    maturityDays: text(gbm.maturityDays),
    steps: text(gbm.steps),
    daysPerYear: text(gbm.daysPerYear),
    volatility: text(gbm.volatility),
    testVolatility: '',
    v0: '0.0625',
    kappa: '8',
    theta: '0.0625',
    xi: '1',
    rho: '-0.7',
    jumpIntensity: '1',
    jumpMean: '-0.1',
    jumpStd: '0.15',
    volatilities: ['0.2', '0.3'],
    correlation: constantCorrelation(2, '0.5'),
    data: { source: 'sp500', file: '', symbols: [], bundled: [...BUNDLED_SYMBOLS], quotes: '', train: '0.7', validation: '0.15', maxRegimes: '6', s0: '1', maturityDays: '30', daysPerYear: '252' },
    forecaster: defaultForecaster(),
    diffusion: diffusionText(PAPER003_DIFFUSION),
  };
}

/** Generator settings as the draft's text fields. */
function diffusionText(g: DiffusionSettings): DiffusionDraft {
  return {
    segmentDays: text(g.segmentDays),
    depth: text(g.depth),
    stride: text(g.stride),
    width: text(g.network.width),
    heads: text(g.network.heads),
    layers: text(g.network.layers),
    mlpUnits: text(g.network.mlpUnits),
    epochs: text(g.training.epochs),
    batchSize: text(g.training.batchSize),
    learningRate: text(g.training.learningRate),
    residuals: g.residuals,
    sampler: g.sampling.sampler,
    samplingSteps: text(g.sampling.steps),
    paths: text(g.paths),
  };
}

/** A forecaster market's network, training and measure as the draft's text fields. */
function forecasterText(m: ForecasterMarket) {
  const f = m.forecaster;
  return {
    context: text(f.context),
    horizon: text(f.horizon),
    latents: text(f.latents),
    width: text(f.width),
    heads: text(f.heads),
    depth: text(f.depth),
    dropout: text(f.dropout),
    dropP: text(f.marketValueDropout.p),
    dropTau: text(f.marketValueDropout.tau),
    epochs: text(f.training.epochs),
    batchSize: text(f.training.batchSize),
    learningRate: text(f.training.learningRate),
    patience: text(f.training.patience),
    measure: m.measure,
    rate: text(m.rate),
    testOn: m.testOn,
    inputs: m.inputs,
  };
}

/** The forecaster's settings before an experiment sets them: paper 000's S&P 500 preset, and its factor panel's data. */
function defaultForecaster(): ForecasterDraft {
  const sp = paper000ForecastSp500.market as ForecasterMarket;
  const panel = (paper000ForecastFactors.market as ForecasterMarket).data;
  const factors = panel.source === 'factor-panel' ? panel : { assets: 30, factors: 3, days: 2520, seed: 7 };
  const dates = 'trainEnd' in sp.split ? sp.split : { trainEnd: '2017-12-31', validationEnd: '2018-12-31' };
  return {
    factorPanel: false,
    assets: text(factors.assets),
    factors: text(factors.factors),
    days: text(factors.days),
    panelSeed: text(factors.seed),
    splitBy: 'fractions',
    trainEnd: dates.trainEnd,
    validationEnd: dates.validationEnd,
    ...forecasterText(sp),
  };
}

/** A forecaster market's settings written into the draft: the factor panel's, the split's, the network's. */
function setForecaster(d: MarketDraft, m: ForecasterMarket): void {
  const source = m.data;
  d.data = {
    ...d.data,
    ...(source.source === 'factor-panel'
      ? {}
      : {
          source: source.source,
          file: source.source === 'imported' ? source.file : '',
          symbols: source.source === 'imported' ? [...source.symbols] : [],
          bundled: source.source === 'bundled' ? [...source.symbols] : d.data.bundled,
        }),
    ...('train' in m.split ? { train: text(m.split.train), validation: text(m.split.validation) } : {}),
    s0: text(m.s0),
    maturityDays: text(m.maturityDays),
    daysPerYear: text(m.daysPerYear),
  };
  d.forecaster = {
    ...d.forecaster,
    ...(source.source === 'factor-panel'
      ? { factorPanel: true, assets: text(source.assets), factors: text(source.factors), days: text(source.days), panelSeed: text(source.seed) }
      : { factorPanel: false }),
    ...('trainEnd' in m.split ? { splitBy: 'dates' as const, trainEnd: m.split.trainEnd, validationEnd: m.split.validationEnd } : { splitBy: 'fractions' as const }),
    ...forecasterText(m),
  };
}

function marketDraft(m: Market): MarketDraft {
  const d = defaultMarket();
  d.model = m.model;
  if (m.model === 'historical' || m.model === 'regime-switching' || m.model === 'signature-diffusion') {
    if (m.model === 'signature-diffusion') d.diffusion = diffusionText(m.diffusion);
    d.data = {
      ...d.data,
      source: m.data.source,
      file: m.data.source === 'imported' ? m.data.file : '',
      symbols: m.data.source === 'imported' ? [...m.data.symbols] : [],
      bundled: m.data.source === 'bundled' ? [...m.data.symbols] : d.data.bundled,
      quotes: m.model !== 'signature-diffusion' ? (m.quotes?.file ?? '') : '',
      train: text(m.split.train),
      validation: text(m.split.validation),
      maxRegimes: m.model === 'regime-switching' ? text(m.maxRegimes) : d.data.maxRegimes,
      s0: text(m.s0),
      maturityDays: text(m.maturityDays),
      daysPerYear: text(m.daysPerYear),
    };
    return d;
  }
  if (m.model === 'forecaster') {
    setForecaster(d, m);
    return d;
  }
  Object.assign(d, { s0: text(m.s0), drift: text(m.drift), maturityDays: text(m.maturityDays), steps: text(m.steps), daysPerYear: text(m.daysPerYear) });
  switch (m.model) {
    case 'gbm':
      d.volatility = text(m.volatility);
      d.testVolatility = optionalText(m.testVolatility);
      break;
    case 'heston':
      Object.assign(d, { v0: text(m.v0), kappa: text(m.kappa), theta: text(m.theta), xi: text(m.xi), rho: text(m.rho) });
      break;
    case 'merton':
      Object.assign(d, { volatility: text(m.volatility), jumpIntensity: text(m.jumpIntensity), jumpMean: text(m.jumpMean), jumpStd: text(m.jumpStd) });
      break;
    case 'correlated-gbm':
      d.volatilities = m.volatilities.map(text);
      d.correlation = m.correlation.map((row) => row.map(text));
      break;
  }
  return d;
}

function claimDraft(c: Claim): ClaimDraft {
  const d: ClaimDraft = { type: c.type, kind: 'call', strike: '1', strikes: '', resetSteps: '20', cap: '0.015' };
  if (c.type === 'european') Object.assign(d, { kind: c.kind, strike: text(c.strike), strikes: c.strikes?.map(text).join(', ') ?? '' });
  if (c.type === 'lookback') d.strike = text(c.strike);
  if (c.type === 'cliquet') Object.assign(d, { resetSteps: text(c.resetSteps), cap: text(c.cap) });
  return d;
}

function instrumentsDraft(o: Options): InstrumentsDraft {
  const d: InstrumentsDraft = {
    grid: o.grid,
    fixed: [{ kind: 'call', strike: '1', maturitySteps: '10' }],
    floating: [{ maturitySteps: '10', moneyness: '1' }],
    cost: '0.01',
    hedgeSet: '',
  };
  if (o.grid === 'fixed') {
    d.fixed = o.options.map((x) => ({ kind: x.kind, strike: text(x.strike), maturitySteps: text(x.maturitySteps) }));
    d.cost = text(o.cost);
  }
  if (o.grid === 'floating') {
    d.floating = o.options.map((x) => ({ maturitySteps: text(x.maturitySteps), moneyness: text(x.moneyness) }));
    d.cost = text(o.cost);
  }
  return d;
}

/** An optimizer's settings as typed. */
function optimizerText(o: Optimizer): Partial<Record<OptimizerField, string>> {
  const values: Partial<Record<OptimizerField, number>> = o;
  return Object.fromEntries(OPTIMIZER_FIELDS[o.type].map((field) => [field, text(values[field]!)]));
}

/** Paper 002's settings of both optimizers as typed: together, every optimizer field. */
const PAPER_002_OPTIMIZER_TEXT = Object.assign({}, ...Object.values(PAPER_002_OPTIMIZERS).map(optimizerText)) as Record<OptimizerField, string>;

/** Writes a recurrent hedger's parameters into the row (the optimizer it does not use keeps its settings). */
function setRecurrent(row: StrategyDraft, s: Omit<RecurrentStrategy, 'id'>): void {
  const fields: Partial<StrategyDraft> = {
    ...optimizerText(s.optimizer),
    blocks: text(s.network.blocks),
    units: text(s.network.units),
    epochs: text(s.training.epochs),
    batchSize: text(s.training.batchSize),
    freshPaths: s.training.freshPaths,
    validationEvery: text(s.training.validationEvery),
    optimizer: s.optimizer.type,
  };
  Object.assign(row, fields);
}

/** Writes a sequence hedger's network and training into the row. */
function setSequence(row: StrategyDraft, s: Omit<RnnStrategy, 'id'> | Omit<SigFormerStrategy, 'id'>): void {
  const t = s.training;
  Object.assign(row, {
    epochs: text(t.epochs),
    batchSize: text(t.batchSize),
    learningRate: text(t.learningRate),
    freshPaths: t.freshPaths,
    clip: text(t.clip),
    patience: text(t.patience),
  } satisfies Partial<StrategyDraft>);
  if (s.type === 'rnn') Object.assign(row, { layers: text(s.network.layers), units: text(s.network.units), lags: text(s.network.lags) } satisfies Partial<StrategyDraft>);
  else {
    const n = s.network;
    Object.assign(row, {
      modelDim: text(n.modelDim),
      order: text(n.order),
      heads: text(n.heads),
      blocks: text(n.blocks),
      mlpUnits: text(n.mlpUnits),
      dropout: text(n.dropout),
    } satisfies Partial<StrategyDraft>);
  }
}

/**
 * A row's parameters before any experiment sets them: those of the page's default experiment, paper 002's
 * optimizers, for a recurrent row DEFAULT_RECURRENT, for an RL agent RL_DEFAULTS (rl-defaults.ts) and for
 * paper 003's sequence hedgers DEFAULT_RNN and DEFAULT_SIGFORMER.
 */
function defaultRow(id: string, type: StrategyType): StrategyDraft {
  const strategies = defaultConfig().strategies;
  const ww = strategies.find((s) => s.type === 'whalley-wilmott');
  const deep = strategies.find((s) => s.type === 'deep-mlp');
  const row: StrategyDraft = {
    enabled: false,
    id,
    type,
    ...PAPER_002_OPTIMIZER_TEXT,
    riskAversion: text(ww?.riskAversion ?? 1),
    layers: text(deep?.network.layers ?? 3),
    units: text(deep?.network.units ?? 32),
    epochs: text(deep?.training.epochs ?? 60),
    batchSize: text(deep?.training.batchSize ?? 1024),
    learningRate: text(deep?.training.learningRate ?? 0.003),
    freshPaths: deep?.training.freshPaths ?? true,
    innerSteps: text(DEFAULT_INNER_LOOP.steps),
    tolerance: text(DEFAULT_INNER_LOOP.tolerance),
    precondition: DEFAULT_INNER_LOOP.precondition,
    blocks: text(DEFAULT_RECURRENT.network.blocks),
    validationEvery: text(DEFAULT_RECURRENT.training.validationEvery),
    optimizer: DEFAULT_RECURRENT.optimizer.type,
    agent: isRlType(type) ? agentDraft(RL_DEFAULTS[type](id)) : { numbers: {}, flags: {} },
    lags: text(DEFAULT_RNN.network.lags),
    modelDim: text(DEFAULT_SIGFORMER.network.modelDim),
    order: text(DEFAULT_SIGFORMER.network.order),
    heads: text(DEFAULT_SIGFORMER.network.heads),
    mlpUnits: text(DEFAULT_SIGFORMER.network.mlpUnits),
    dropout: text(DEFAULT_SIGFORMER.network.dropout),
    clip: text(SEQUENCE_TRAINING.clip),
    patience: text(SEQUENCE_TRAINING.patience),
  };
  if (type === 'recurrent') setRecurrent(row, DEFAULT_RECURRENT);
  if (type === 'rnn') setSequence(row, DEFAULT_RNN);
  if (type === 'sigformer') setSequence(row, DEFAULT_SIGFORMER);
  return row;
}

function strategyRow(s: Strategy): StrategyDraft {
  const row: StrategyDraft = { ...defaultRow(s.id, s.type), enabled: true };
  if (s.type === 'whalley-wilmott') row.riskAversion = text(s.riskAversion);
  if (isRecurrent(s)) setRecurrent(row, s);
  if (isRl(s)) row.agent = agentDraft(s);
  if (isSequence(s)) setSequence(row, s);
  if (s.type === 'dhlnn') {
    row.innerSteps = text(s.inner.steps);
    row.tolerance = text(s.inner.tolerance);
    row.precondition = s.inner.precondition;
  }
  if (isTrained(s)) {
    row.layers = text(s.network.layers);
    row.units = text(s.network.units);
    row.epochs = text(s.training.epochs);
    row.batchSize = text(s.training.batchSize);
    row.learningRate = text(s.training.learningRate);
    row.freshPaths = s.training.freshPaths;
  }
  return row;
}

/** The form showing `cfg`: its strategies ticked in order, then one unticked row per missing type. */
export function draftFromExperiment(cfg: Experiment): Draft {
  const rows = cfg.strategies.map(strategyRow);
  for (const type of STRATEGY_TYPES) {
    if (rows.some((r) => r.type === type)) continue;
    rows.push(defaultRow(rows.some((r) => r.id === type) ? `${type}-2` : type, type));
  }
  const risk = cfg.risk;
  return {
    name: cfg.name,
    seed: text(cfg.seed),
    market: marketDraft(cfg.market),
    claim: claimDraft(cfg.claim),
    instruments: { ...instrumentsDraft(cfg.instruments.options), hedgeSet: optionalText(cfg.instruments.hedgeSet) },
    costs: { proportional: text(cfg.costs.proportional), closeAtMaturity: cfg.costs.closeAtMaturity },
    premium: cfg.premium,
    risk: riskDraft(risk),
    paths: { train: text(cfg.paths.train), test: text(cfg.paths.test), validation: optionalText(cfg.paths.validation) },
    strategies: rows,
    checkpoints: cfg.checkpoints?.join(', ') ?? '',
    targetLoss: optionalText(cfg.targetLoss),
  };
}

/** Plain-language versions of zod's bound messages. */
function humanize(message: string): string {
  return message
    .replace(/^Too small: expected number to be >=(.+)$/, 'must be at least $1')
    .replace(/^Too small: expected number to be >(.+)$/, 'must be greater than $1')
    .replace(/^Too big: expected number to be <=(.+)$/, 'must be at most $1')
    .replace(/^Too big: expected number to be <(.+)$/, 'must be less than $1')
    .replace(/^Invalid input: expected int, received number$/, 'must be a whole number')
    .replace(/^Too small: expected array to have >=(\d+) items?$/, 'needs at least $1')
    .replace(/^Too big: expected array to have <=(\d+) items?$/, 'at most $1')
    .replace(/^(must be )?a date yyyy-mm-dd$/, 'enter a date as yyyy-mm-dd');
}

/** Messages about the list of strategies read better in its own words. */
function listMessage(key: string, message: string): string {
  if (key === 'strategies') return message.replace(/^needs at least 1$/, 'tick at least one strategy').replace(/^at most (\d+)$/, 'at most $1 strategies');
  if (key === 'instruments.options.options') return message.replace(/^needs at least 1$/, 'add at least one option').replace(/^at most (\d+)$/, 'at most $1 options');
  if (key === 'market.data.file') return message.replace(/^Too small: expected string to have >=1 characters?$/, 'import a CSV file of daily prices');
  if (key === 'market.split') return message.replace(/^trainEnd must come before validationEnd$/, 'the last training date must come before the last validation date');
  if (key === 'market.volatilities') return message.replace(/^needs at least (\d+)$/, 'needs at least $1 assets').replace(/^at most (\d+)$/, 'at most $1 assets');
  return message;
}

/** Translates the draft into an Experiment and validates it; every error is keyed by its form field. */
export function checkDraft(d: Draft): DraftCheck {
  const notNumbers = new Set<string>();
  /** The keys the form shows a message beside, for this draft; other errors are listed under the form. */
  const shown = new Set<string>(['name', 'strategies', 'market.model', 'claim.type', 'premium', 'risk.measure']);
  const num = (key: string, value: string) => {
    shown.add(key);
    const n = value.trim() === '' ? Number.NaN : Number(value);
    if (!Number.isFinite(n)) notNumbers.add(key);
    return n;
  };

  const enabled = d.strategies.map((row, index) => ({ row, index })).filter(({ row }) => row.enabled);
  const strategies = enabled.map(({ row, index }): Strategy => {
    const key = `strategies.${index}`;
    shown.add(`${key}.id`).add(`${key}.type`);
    switch (row.type) {
      case 'no-hedge':
      case 'bs-delta':
      case 'implied-delta':
        return { id: row.id, type: row.type };
      case 'whalley-wilmott':
        return { id: row.id, type: row.type, riskAversion: num(`${key}.riskAversion`, row.riskAversion) };
      case 'deep-mlp':
      case 'dhmlp':
      case 'dhntb':
      case 'dhlnn': {
        const trained = {
          network: { layers: num(`${key}.network.layers`, row.layers), units: num(`${key}.network.units`, row.units) },
          training: {
            epochs: num(`${key}.training.epochs`, row.epochs),
            batchSize: num(`${key}.training.batchSize`, row.batchSize),
            learningRate: num(`${key}.training.learningRate`, row.learningRate),
            freshPaths: row.freshPaths,
          },
        };
        if (row.type !== 'dhlnn') return { id: row.id, type: row.type, ...trained };
        const inner = { steps: num(`${key}.inner.steps`, row.innerSteps), tolerance: num(`${key}.inner.tolerance`, row.tolerance), precondition: row.precondition };
        return { id: row.id, type: row.type, ...trained, inner };
      }
      case 'recurrent': {
        shown.add(`${key}.optimizer.type`);
        const settings = OPTIMIZER_FIELDS[row.optimizer].map((field) => [field, num(`${key}.optimizer.${field}`, row[field])]);
        return {
          id: row.id,
          type: row.type,
          network: { blocks: num(`${key}.network.blocks`, row.blocks), units: num(`${key}.network.units`, row.units) },
          training: {
            epochs: num(`${key}.training.epochs`, row.epochs),
            batchSize: num(`${key}.training.batchSize`, row.batchSize),
            freshPaths: row.freshPaths,
            validationEvery: num(`${key}.training.validationEvery`, row.validationEvery),
          },
          // The schema checks the settings' names and values.
          optimizer: { type: row.optimizer, ...Object.fromEntries(settings) } as Optimizer,
        };
      }
      case 'bc-rppo':
      case 'a2c':
      case 'ppo':
      case 'ddpg':
      case 'td3':
      case 'sac':
        // The schema checks the settings' names and values.
        return { id: row.id, type: row.type, ...agentCandidate(row.agent, key, num, shown) } as RlStrategy;
      case 'rnn':
      case 'sigformer': {
        const training = {
          epochs: num(`${key}.training.epochs`, row.epochs),
          batchSize: num(`${key}.training.batchSize`, row.batchSize),
          learningRate: num(`${key}.training.learningRate`, row.learningRate),
          freshPaths: row.freshPaths,
          clip: num(`${key}.training.clip`, row.clip),
          patience: num(`${key}.training.patience`, row.patience),
        };
        const n = (field: string, value: string) => num(`${key}.network.${field}`, value);
        if (row.type === 'rnn') return { id: row.id, type: 'rnn', network: { layers: n('layers', row.layers), units: n('units', row.units), lags: n('lags', row.lags) }, training };
        const network = {
          modelDim: n('modelDim', row.modelDim),
          order: n('order', row.order),
          heads: n('heads', row.heads),
          blocks: n('blocks', row.blocks),
          mlpUnits: n('mlpUnits', row.mlpUnits),
          dropout: n('dropout', row.dropout),
        };
        return { id: row.id, type: 'sigformer', network, training };
      }
    }
  });

  const risk = riskFromDraft(d.risk, num);

  const candidate = {
    version: SCHEMA_VERSION,
    name: d.name,
    seed: num('seed', d.seed),
    market: marketCandidate(d.market, num, shown),
    claim: claimCandidate(d.claim, num),
    instruments: { options: optionsCandidate(d.instruments, num, shown), ...optionalNumber('hedgeSet', 'instruments.hedgeSet', d.instruments.hedgeSet, num) },
    costs: { proportional: num('costs.proportional', d.costs.proportional), closeAtMaturity: d.costs.closeAtMaturity },
    premium: d.premium,
    risk,
    paths: { train: num('paths.train', d.paths.train), test: num('paths.test', d.paths.test), ...optionalNumber('validation', 'paths.validation', d.paths.validation, num) },
    strategies,
    ...listCandidate('checkpoints', 'checkpoints', d.checkpoints, num),
    ...optionalNumber('targetLoss', 'targetLoss', d.targetLoss, num),
  };

  const result = parseExperiment(candidate);
  const fieldErrors: FieldErrors = {};
  const otherErrors: string[] = [];
  for (const key of notNumbers) fieldErrors[key] = ['enter a number'];
  if (result.ok) return { config: notNumbers.size ? null : result.value, fieldErrors, otherErrors };
  const dataWindow = isDailyModel(d.market.model);
  for (const error of result.errors) {
    const split = error.indexOf(': ');
    const path = error.slice(0, split).split('.');
    if (path[0] === 'strategies' && path.length > 1) path[1] = String(enabled[Number(path[1])]?.index ?? path[1]);
    let key = path.join('.');
    // A data market's window sets both maturityDays and steps (one step a day): its field shows both.
    if (dataWindow && key === 'market.steps') key = 'market.maturityDays';
    // The correlation matrix is typed in its upper triangle; an error below the diagonal shows on its mirror.
    key = key.replace(/^market\.correlation\.(\d+)\.(\d+)$/, (whole, i: string, j: string) => (Number(i) > Number(j) ? `market.correlation.${j}.${i}` : whole));
    const message = listMessage(key, humanize(error.slice(split + 2)));
    if (notNumbers.has(key)) continue;
    // A list typed in one field (strikes, checkpoints): its entry that is not a number is said once, on the field.
    if (message.endsWith('received NaN') && [...notNumbers].some((n) => key.startsWith(`${n}.`))) continue;
    if (key === '(experiment)' || key === 'version') {
      otherErrors.push(message);
      continue;
    }
    // The nearest field the form shows: a missing row of a matrix is reported on the matrix, and so on.
    let shownKey: string | null = key;
    while (shownKey !== null && !shown.has(shownKey)) shownKey = shownKey.includes('.') ? shownKey.slice(0, shownKey.lastIndexOf('.')) : null;
    if (shownKey === null) otherErrors.push(`${key}: ${message}`);
    else if (!fieldErrors[shownKey]?.includes(message)) (fieldErrors[shownKey] ??= []).push(message);
  }
  return { config: null, fieldErrors, otherErrors };
}

type Num = (key: string, value: string) => number;

/** `{ [name]: the number typed }`, or nothing when the field is empty. */
function optionalNumber<K extends string>(name: K, key: string, value: string, num: Num): { [P in K]?: number } {
  return value.trim() === '' ? {} : ({ [name]: num(key, value) } as { [P in K]: number });
}

/** `{ [name]: the numbers typed }` from a comma-separated list, or nothing when it is empty. */
function listCandidate<K extends string>(name: K, key: string, text: string, num: Num): { [P in K]?: number[] } {
  const parts = text.split(/[,\s;]+/).filter(Boolean);
  return parts.length ? ({ [name]: parts.map((p) => num(key, p)) } as { [P in K]: number[] }) : {};
}

/** The prices a data or forecaster market reads, as the schema's data source. */
function dataSourceCandidate(dm: DataMarketDraft): unknown {
  return dm.source === 'sp500' ? { source: 'sp500' } : dm.source === 'bundled' ? { source: 'bundled', symbols: dm.bundled } : { source: 'imported', file: dm.file, symbols: dm.symbols };
}

/** The forecaster market (paper 000 §2): its data (or factor panel), split, network and training, measure and test. */
function forecasterCandidate(m: MarketDraft, num: Num, shown: Set<string>): unknown {
  const dm = m.data;
  const f = m.forecaster;
  shown.add('market.data.source').add('market.split').add('market.measure').add('market.testOn').add('market.inputs');
  if (!f.factorPanel) shown.add('market.data.file').add('market.data.symbols');
  const days = num('market.maturityDays', dm.maturityDays);
  const n = (field: string, value: string) => num(`market.forecaster.${field}`, value);
  const data = f.factorPanel
    ? { source: 'factor-panel', assets: num('market.data.assets', f.assets), factors: num('market.data.factors', f.factors), days: num('market.data.days', f.days), seed: num('market.data.seed', f.panelSeed) }
    : dataSourceCandidate(dm);
  const split =
    f.splitBy === 'dates'
      ? { trainEnd: f.trainEnd.trim(), validationEnd: f.validationEnd.trim() }
      : { train: num('market.split.train', dm.train), validation: num('market.split.validation', dm.validation) };
  if (f.splitBy === 'dates') shown.add('market.split.trainEnd').add('market.split.validationEnd');
  return {
    model: 'forecaster',
    data,
    split,
    forecaster: {
      context: n('context', f.context),
      horizon: n('horizon', f.horizon),
      latents: n('latents', f.latents),
      width: n('width', f.width),
      heads: n('heads', f.heads),
      depth: n('depth', f.depth),
      dropout: n('dropout', f.dropout),
      marketValueDropout: { p: n('marketValueDropout.p', f.dropP), tau: n('marketValueDropout.tau', f.dropTau) },
      training: {
        epochs: n('training.epochs', f.epochs),
        batchSize: n('training.batchSize', f.batchSize),
        learningRate: n('training.learningRate', f.learningRate),
        patience: n('training.patience', f.patience),
      },
    },
    measure: f.measure,
    rate: num('market.rate', f.rate),
    testOn: f.testOn,
    inputs: f.inputs,
    s0: num('market.s0', dm.s0),
    maturityDays: days,
    steps: days,
    daysPerYear: num('market.daysPerYear', dm.daysPerYear),
  };
}

/** The signature-diffusion market (paper 003 §3.3): its data and split, as a data market's, and its generators' settings. */
function diffusionCandidate(m: MarketDraft, num: Num, shown: Set<string>): unknown {
  const dm = m.data;
  const g = m.diffusion;
  shown.add('market.data.source').add('market.data.file').add('market.data.symbols').add('market.split').add('market.diffusion.residuals').add('market.diffusion.sampling.sampler');
  const n = (field: string, value: string) => num(`market.diffusion.${field}`, value);
  const days = num('market.maturityDays', dm.maturityDays);
  return {
    model: 'signature-diffusion',
    data: dataSourceCandidate(dm),
    split: { train: num('market.split.train', dm.train), validation: num('market.split.validation', dm.validation) },
    diffusion: {
      segmentDays: n('segmentDays', g.segmentDays),
      depth: n('depth', g.depth),
      stride: n('stride', g.stride),
      network: { width: n('network.width', g.width), heads: n('network.heads', g.heads), layers: n('network.layers', g.layers), mlpUnits: n('network.mlpUnits', g.mlpUnits) },
      training: { epochs: n('training.epochs', g.epochs), batchSize: n('training.batchSize', g.batchSize), learningRate: n('training.learningRate', g.learningRate) },
      residuals: g.residuals,
      sampling: { sampler: g.sampler, steps: n('sampling.steps', g.samplingSteps) },
      paths: n('paths', g.paths),
    },
    s0: num('market.s0', dm.s0),
    maturityDays: days,
    steps: days,
    daysPerYear: num('market.daysPerYear', dm.daysPerYear),
  };
}

function marketCandidate(m: MarketDraft, num: Num, shown: Set<string>): unknown {
  if (m.model === 'forecaster') return forecasterCandidate(m, num, shown);
  if (m.model === 'signature-diffusion') return diffusionCandidate(m, num, shown);
  if (isDataModel(m.model)) {
    const dm = m.data;
    shown.add('market.data.source').add('market.data.file').add('market.data.symbols').add('market.split');
    const days = num('market.maturityDays', dm.maturityDays);
    const data = dataSourceCandidate(dm);
    return {
      model: m.model,
      data,
      split: { train: num('market.split.train', dm.train), validation: num('market.split.validation', dm.validation) },
      ...(m.model === 'regime-switching' ? { maxRegimes: num('market.maxRegimes', dm.maxRegimes) } : {}),
      s0: num('market.s0', dm.s0),
      ...(dm.quotes ? { quotes: { file: dm.quotes } } : {}),
      maturityDays: days,
      steps: days,
      daysPerYear: num('market.daysPerYear', dm.daysPerYear),
    };
  }
  const base = {
    model: m.model,
    s0: num('market.s0', m.s0),
    drift: num('market.drift', m.drift),
  };
  const horizon = {
    maturityDays: num('market.maturityDays', m.maturityDays),
    steps: num('market.steps', m.steps),
    daysPerYear: num('market.daysPerYear', m.daysPerYear),
  };
  switch (m.model) {
    case 'gbm': {
      const test = optionalNumber('testVolatility', 'market.testVolatility', m.testVolatility, num);
      return { ...base, volatility: num('market.volatility', m.volatility), ...test, ...horizon };
    }
    case 'heston':
      return {
        ...base,
        v0: num('market.v0', m.v0),
        kappa: num('market.kappa', m.kappa),
        theta: num('market.theta', m.theta),
        xi: num('market.xi', m.xi),
        rho: num('market.rho', m.rho),
        ...horizon,
      };
    case 'merton':
      return {
        ...base,
        volatility: num('market.volatility', m.volatility),
        jumpIntensity: num('market.jumpIntensity', m.jumpIntensity),
        jumpMean: num('market.jumpMean', m.jumpMean),
        jumpStd: num('market.jumpStd', m.jumpStd),
        ...horizon,
      };
    case 'correlated-gbm': {
      shown.add('market.volatilities').add('market.correlation');
      const n = m.volatilities.length;
      // The diagonal is 1 by definition and (j, i) mirrors (i, j): only the upper triangle is typed.
      const correlation = Array.from({ length: n }, (_, i) =>
        Array.from({ length: n }, (_, j) => {
          if (i === j) return 1;
          const [a, b] = i < j ? [i, j] : [j, i];
          return num(`market.correlation.${a}.${b}`, m.correlation[a]?.[b] ?? '');
        }),
      );
      return { ...base, volatilities: m.volatilities.map((v, i) => num(`market.volatilities.${i}`, v)), correlation, ...horizon };
    }
  }
}

function claimCandidate(c: ClaimDraft, num: Num): unknown {
  switch (c.type) {
    case 'european':
      return { type: 'european', kind: c.kind, strike: num('claim.strike', c.strike), ...listCandidate('strikes', 'claim.strikes', c.strikes, num) };
    case 'lookback':
      return { type: 'lookback', strike: num('claim.strike', c.strike) };
    case 'cliquet':
      return { type: 'cliquet', resetSteps: num('claim.resetSteps', c.resetSteps), cap: num('claim.cap', c.cap) };
  }
}

function optionsCandidate(o: InstrumentsDraft, num: Num, shown: Set<string>): unknown {
  shown.add('instruments.options.grid');
  if (o.grid === 'none') return { grid: 'none' };
  shown.add('instruments.options.options');
  const key = (i: number, field: string) => `instruments.options.options.${i}.${field}`;
  const options =
    o.grid === 'fixed'
      ? o.fixed.map((x, i) => ({ kind: x.kind, strike: num(key(i, 'strike'), x.strike), maturitySteps: num(key(i, 'maturitySteps'), x.maturitySteps) }))
      : o.floating.map((x, i) => ({ maturitySteps: num(key(i, 'maturitySteps'), x.maturitySteps), moneyness: num(key(i, 'moneyness'), x.moneyness) }));
  return { grid: o.grid, options, cost: num('instruments.options.cost', o.cost) };
}
