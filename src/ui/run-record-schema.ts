/**
 * The zod schema of a run record (run-record.ts) as an imported file holds it once its typed arrays are
 * restored (run-file.ts): every field of the RunView the charts read, typed arrays checked for their kind,
 * and the experiment through the experiment schema's own parser (an old experiment migrates, a bad one is
 * refused with its messages). Each object lists one schema per field of its type (ShapeOf), so a field added
 * to a RunView type fails to compile here until it is checked; strict objects refuse fields no HedgeLab writes.
 */
import { z } from 'zod';
import { BACKENDS } from '../client/lab-client';
import type { BackendReport } from '../client/lab-client';
import type { Checkpoint, ForecastReport, ForecastScoreRow, GeneratedAssetReport, GeneratedReport, Histogram, MarketInfo, Metrics, RunResult, StrategyInfo, StrategyResult, TrainingRecord } from '../engine/experiment/events';
import { parseExperiment, STRATEGY_TYPES, type Experiment } from '../engine/experiment/schema';
import { MAX_RUN_NAME, RUN_FORMAT, RUN_FORMAT_VERSION, type RunRecord } from './run-record';
import type { FactsRow, GeneratedFan, ReturnDistributions } from '../engine/experiment/diffusion-report';
import type { AgentCurves, AgentMetric, CurvatureSeries, DiffusionSeries, EventOf, ForecasterSeries, HoldingsSeries, LossSeries, RunView, ValidationSeries } from './run-view';

/** One schema for each field of T, optional fields included, and no other. */
type ShapeOf<T> = { [K in keyof T]-?: z.ZodType };

/** Any number, NaN and the infinities included (a constant P&L has no skew): run-file.ts restores those JSON cannot hold. */
const real = z.custom<number>((v) => typeof v === 'number', { error: 'expected a number' });
const reals = z.array(real);
const count = z.number().int().nonnegative();
/** Text the charts draw (legends, axes, hover labels): plain, so that Plotly's markup never reads tags in it. */
const text = z.string().max(2000).refine((s) => !/[<>]/.test(s), { error: 'must be plain text (no < or >)' });
const texts = z.array(text);
const dateRange = z.tuple([text, text]);
const typed = <T extends typeof Float64Array | typeof Float32Array | typeof Int32Array>(kind: T) =>
  z.instanceof(kind, { error: `expected numbers as a ${kind.name} ({"$typed": "${kind.name}", "values": [...]})` });
const f64 = typed(Float64Array);
const f32 = typed(Float32Array);
const i32 = typed(Int32Array);
const byId = <T extends z.ZodType>(value: T) => z.record(z.string(), value);

const experiment = z.unknown().transform((raw, ctx): Experiment => {
  const parsed = parseExperiment(raw);
  if (parsed.ok) return parsed.value;
  for (const line of parsed.errors) ctx.addIssue({ code: 'custom', message: line.replace(/^\(experiment\): /, ''), input: raw });
  return z.NEVER;
});

const metrics = z.strictObject({
  mean: real, std: real, var90: real, var95: real, var99: real, es90: real, es95: real, es99: real,
  entropic: real, avg_r: real, skew: real, kurtosis: real, turnover: real, cost: real, price: real, risk: real,
} satisfies ShapeOf<Metrics>);

const histogram = z.strictObject({ edges: f64, density: f64 } satisfies ShapeOf<Histogram>);

const market = z.strictObject({
  assets: texts,
  split: z
    .strictObject({
      train: dateRange, validation: dateRange.nullable(), test: dateRange,
      trainWindows: count, validationWindows: count, testWindows: count, skippedWindows: count,
    } satisfies ShapeOf<NonNullable<MarketInfo['split']>>)
    .optional(),
  regimes: z.strictObject({ bic: reals, chosen: count, volatility: reals, frequency: reals, features: texts } satisfies ShapeOf<NonNullable<MarketInfo['regimes']>>).optional(),
  impliedVolatility: z.strictObject({ source: text, proxy: z.boolean(), coverage: real.optional() } satisfies ShapeOf<MarketInfo['impliedVolatility']>),
  premium: real,
  testPaths: count,
  features: texts,
  instruments: texts,
} satisfies ShapeOf<MarketInfo>);

const optimizer = z.enum(['adam', 'dh-kfac']);

const strategyInfoShape = {
  id: text,
  type: z.enum(STRATEGY_TYPES as [StrategyInfo['type'], ...StrategyInfo['type'][]]),
  label: text,
  trainable: z.boolean(),
  optimizer: optimizer.optional(),
} satisfies ShapeOf<StrategyInfo>;

const lossSeries = z.strictObject({ epochs: reals, loss: reals } satisfies ShapeOf<LossSeries>);

const launchesPerStep = z.strictObject({ kernels: real, dispatches: real.nullable() });

const training = z.strictObject({
  epochs: reals,
  loss: reals,
  seconds: real,
  epochSeconds: reals.optional(),
  figures: byId(reals).optional(),
  earlyStopping: z.strictObject({ bestEpoch: count, lastEpoch: count }).optional(),
  launchesPerStep: launchesPerStep.optional(),
} satisfies ShapeOf<TrainingRecord>);

/** Files saved before issue 19 have no kappa. */
const curvatureSeries = z.strictObject({ steps: reals, gradientVariance: reals, maxEigenvalue: z.array(real.nullable()), kappa: z.record(text, z.array(real.nullable())).default({}) } satisfies ShapeOf<CurvatureSeries>);

const strategyResult = z.strictObject({
  ...strategyInfoShape,
  metrics,
  training: training.optional(),
  checkpoints: z.array(z.strictObject({ epoch: count, metrics } satisfies ShapeOf<Checkpoint>)).optional(),
  validation: z.strictObject({ steps: reals, loss: reals, seconds: reals, launchesPerStep: launchesPerStep.optional() }).optional(),
  target: z.strictObject({ targetLoss: real, steps: real.nullable(), seconds: real.nullable() }).optional(),
  curvature: curvatureSeries.optional(),
  metricsWithoutOptions: metrics.optional(),
  hedgingError: z.array(z.strictObject({ label: text, std: real, skew: real })).optional(),
} satisfies ShapeOf<StrategyResult>);

const result = z.strictObject({
  config: experiment,
  backend: text,
  fusedKernels: z.strictObject({ maxRelativeError: real, used: z.boolean() }).optional(),
  strategies: z.array(strategyResult),
} satisfies ShapeOf<RunResult>);

const surface = z.strictObject({
  type: z.literal('surface'),
  strategyId: text,
  logMoneyness: f64,
  timeToMaturity: f64,
  hedge: f32,
  reference: f32.nullable(),
  moneynessLabel: text,
  instrument: text.optional(),
  count: i32.optional(),
} satisfies ShapeOf<EventOf<'surface'>>);

const scoreRow = z.strictObject({
  name: z.enum(['forecaster', 'random-walk', 'ewma', 'garch']),
  nll: real, crps: real, coverage50: real, coverage90: real, energy: real.nullable(), days: count,
} satisfies ShapeOf<ForecastScoreRow>);

const forecast = z.strictObject({
  type: z.literal('forecast'),
  asset: text,
  assets: texts,
  split: z.strictObject({ train: dateRange, validation: dateRange, test: dateRange }),
  scores: z.array(scoreRow),
  channels: texts,
  meanNll: real,
  attention: z.strictObject({ latents: count, weights: f32 }),
  fan: z.strictObject({ start: text, dates: texts, realised: f64, quantiles: reals, bands: z.array(f64), from: dateRange }),
  trainedEpochs: count,
  bestEpoch: count,
  reused: z.boolean(),
  marketValueSource: text,
} satisfies ShapeOf<EventOf<'forecast'>> & ShapeOf<ForecastReport>);

const factsRow = z.strictObject({
  source: z.enum(['real test', 'market', 'regime', 'diffusion']),
  ks: real.nullable(),
  excessKurtosis: real,
  autocorrelation: reals,
  absoluteAutocorrelation: reals,
  leverage: reals,
  dailyStd: real,
  mmd: real.nullable(),
} satisfies ShapeOf<FactsRow>);

const generatedAsset = z.strictObject({
  asset: text,
  segments: count,
  trainedEpochs: count,
  loss: real,
  reused: z.boolean(),
  facts: z.array(factsRow),
  distribution: z.strictObject({
    edges: reals,
    train: z.strictObject({ market: reals, regime: reals, diffusion: reals }),
    validation: reals,
    test: reals,
  } satisfies ShapeOf<ReturnDistributions>),
  fan: z.strictObject({ quantiles: reals, generated: z.array(f64), real: z.array(f64) } satisfies ShapeOf<GeneratedFan>),
} satisfies ShapeOf<GeneratedAssetReport>);

const generated = z.strictObject({
  type: z.literal('generated'),
  assets: z.array(generatedAsset),
  split: z.strictObject({ train: dateRange, validation: dateRange.nullable(), test: dateRange }),
  paths: count,
  segmentsPerPath: count,
  segmentDays: count,
  resolution: text,
  trainingSeconds: real,
  samplingSeconds: real,
} satisfies ShapeOf<EventOf<'generated'>> & ShapeOf<GeneratedReport>);

const AGENT_METRICS = ['avg_r', 'policy_std', 'value_loss', 'approx_kl', 'clip_fraction', 'q', 'temperature', 'bc_loss'] as const satisfies readonly AgentMetric[];
const agentCurves = z.partialRecord(z.enum(AGENT_METRICS), lossSeries);

export const runViewSchema = z.strictObject({
  backend: text.nullable(),
  market: market.nullable(),
  strategies: z.array(z.strictObject(strategyInfoShape)),
  progress: z
    .strictObject({ type: z.literal('progress'), fraction: real, phase: z.string(), elapsedSeconds: real, etaSeconds: real.nullable() } satisfies ShapeOf<EventOf<'progress'>>)
    .nullable(),
  loss: byId(lossSeries),
  pnl: byId(z.strictObject({ type: z.literal('pnl'), strategyId: text, epoch: count.nullable(), histogram, metrics } satisfies ShapeOf<EventOf<'pnl'>>)),
  surfaces: byId(byId(surface)),
  paths: z.strictObject({ type: z.literal('paths'), times: f64, spot: z.array(f32), positions: byId(z.array(f32)) } satisfies ShapeOf<EventOf<'paths'>>).nullable(),
  validation: byId(z.strictObject({ steps: reals, loss: reals, seconds: reals } satisfies ShapeOf<ValidationSeries>)),
  curvature: byId(curvatureSeries),
  pnlVariants: byId(
    z.strictObject({
      type: z.literal('pnl-variants'),
      strategyId: text,
      variants: z.array(z.strictObject({ label: text, histogram, std: real, skew: real })),
    } satisfies ShapeOf<EventOf<'pnl-variants'>>),
  ),
  hedgeBands: byId(
    z.strictObject({
      type: z.literal('hedge-bands'),
      strategyId: text,
      times: f64,
      probabilities: reals,
      resetSteps: reals,
      bands: z.array(z.strictObject({ instrument: text, quantity: z.enum(['position', 'trade']), quantiles: z.array(f32) })),
    } satisfies ShapeOf<EventOf<'hedge-bands'>>),
  ),
  agents: byId(z.strictObject({ bc: agentCurves, rl: agentCurves } satisfies ShapeOf<AgentCurves>)),
  pvMaps: byId(
    z.strictObject({ type: z.literal('pv-map'), strategyId: text, moneynessEdges: f64, timeToMaturity: f64, meanPv: f32, count: i32 } satisfies ShapeOf<EventOf<'pv-map'>>),
  ),
  holdings: byId(z.strictObject({ validation: lossSeries, mean: byId(lossSeries), bestEpoch: real.nullable() } satisfies ShapeOf<HoldingsSeries>)),
  forecaster: z
    .strictObject({ epochs: reals, trainNll: reals, validationNll: reals, bestEpoch: real.nullable(), maxEpochs: count, seconds: real } satisfies ShapeOf<ForecasterSeries>)
    .nullable(),
  forecast: forecast.nullable(),
  diffusion: z.strictObject({ loss: byId(z.strictObject({ epochs: reals, loss: reals })), maxEpochs: count, seconds: real } satisfies ShapeOf<DiffusionSeries>).nullable(),
  generated: generated.nullable(),
  metrics: z.array(z.strictObject({ strategyId: text, metrics })).nullable(),
  result: result.nullable(),
  error: z.string().nullable(),
} satisfies ShapeOf<RunView>);

const backendName = z.enum(BACKENDS);

const backendReport = z.strictObject({
  active: backendName,
  failures: z.array(z.strictObject({ backend: backendName, reason: z.string() })),
  adapter: z.strictObject({ description: text, software: z.boolean() }).nullable(),
  wasm: z.strictObject({ simd: z.boolean(), threadedBinary: z.boolean(), threads: count }).nullable(),
} satisfies ShapeOf<BackendReport>);

export const runRecordSchema = z.strictObject({
  format: z.literal(RUN_FORMAT),
  version: z.literal(RUN_FORMAT_VERSION),
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'letters, digits, _ and -, at most 64' }),
  name: z.string().trim().min(1, { error: 'a run needs a name' }).max(MAX_RUN_NAME),
  savedAt: z.iso.datetime(),
  outcome: z.enum(['done', 'stopped']),
  backend: backendReport,
  durationSeconds: z.number().nonnegative(),
  config: experiment,
  view: runViewSchema,
} satisfies ShapeOf<RunRecord>);

