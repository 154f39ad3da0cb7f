/**
 * runExperiment: one experiment, start to finish, as a stream of RunEvents (DESIGN.md "Runs stream
 * events"). The market is prepared once (market.ts: simulator, price tables, regime fit or windows);
 * classic hedges are evaluated on the fixed test paths; each deep hedger is trained by the
 * pathwise trainer on its own training paths and re-evaluated on the same test paths as it learns; the
 * metrics table and the full RunResult close the stream. Paper 002's recurrent hedgers race on their own
 * mini-batches and validation paths (recurrent-race.ts). The caller picks the tfjs backend beforehand.
 * Aborting the signal stops within one training step, and every tensor the run made is freed, as it is when
 * the run ends in an error or its consumer stops reading the stream.
 *
 * An experiment the engine cannot run as given (bad data or windows, prices, a premium, P&L or metric that
 * is not finite, a loss that turns NaN) ends in an `error` event with the reason; only a failure of the engine
 * itself is marked `internal` (the CLI exits 1 for it, 2 otherwise).
 */
import * as tf from '@tensorflow/tfjs';
import { needsThreshold, riskLoss } from '../risk/measure';
import { stream } from '../random/stream';
import { adamOptimiser, stepsPerEpoch, trainPathwise, NonFiniteLossError, type Optimiser, type TrainingEvent } from '../trainers/adam-pathwise';
import { NestedLinearisedOptimiser } from '../trainers/linearised-nested';
import { BandNetwork } from '../policies/band-network';
import { evaluateHedger, nonFiniteField, NonFiniteResultError, type Evaluation } from './evaluation';
import type { Checkpoint, Metrics, RunEvent, RunResult, StrategyResult, TrainingRecord, ValidationRecord } from './events';
import { holdingSurface } from './holding-surface';
import { buildProblem, packSample, sampledProblem, sampleLayout, type SampleLayout } from './hedging-problem';
import { MarketDataError, prepareMarket, trainingSample, type PreparedMarket } from './market';
import { isRecurrent, isTrained, parseExperiment, stepYears, type Experiment, type TrainedStrategy } from './schema';
import { BAND_PROBABILITIES, DEFAULT_VALIDATION_PATHS, raceTarget, targetReached, testFigures, trainRecurrent } from './recurrent-race';
import type { HedgingProblem } from '../hedging/problem';
import { hedgingPnl } from '../hedging/pnl';
import type { PricePanel } from '../data/price-panel';
import { PricingError } from '../pricing/pricing-error';
import { SimulationError } from '../markets/simulation-error';
import { createHedger, type Hedger, type TrainedPolicy } from './strategies';

export interface RunOptions {
  signal?: AbortSignal;
  /** tfjs backend to run on; the current one when omitted. */
  backend?: string;
  /** How many times a deep hedger is evaluated on the test paths while it trains (0: only at the end). */
  liveEvaluations?: number;
  /** Daily prices for data-driven markets (the bundled S&P 500 panel or an imported one). */
  data?: PricePanel;
}

/** Test scorings of a deep hedger while it trains, unless the caller asks otherwise (RunOptions.liveEvaluations). */
export const LIVE_EVALUATIONS = 20;

/** Fraction of the run done and an extrapolated time left. */
class ProgressClock {
  private done = 0;
  private readonly started = performance.now();
  constructor(private readonly total: number) {}

  advance(units: number, phase: string): Extract<RunEvent, { type: 'progress' }> {
    this.done += units;
    const fraction = Math.min(1, this.done / this.total);
    const elapsedSeconds = (performance.now() - this.started) / 1000;
    const etaSeconds = fraction > 0 && elapsedSeconds > 0.2 ? (elapsedSeconds * (1 - fraction)) / fraction : null;
    return { type: 'progress', fraction, phase, elapsedSeconds, etaSeconds };
  }
}

export async function* runExperiment(input: Experiment, opts: RunOptions = {}): AsyncGenerator<RunEvent> {
  const parsed = parseExperiment(input);
  if (!parsed.ok) {
    yield { type: 'error', message: `invalid experiment: ${parsed.errors.join('; ')}` };
    return;
  }
  const cfg = parsed.value;
  if (opts.backend && tf.getBackend() !== opts.backend && !(await tf.setBackend(opts.backend))) {
    yield { type: 'error', message: `the ${opts.backend} backend is not available here` };
    return;
  }
  await tf.ready();
  const backend = tf.getBackend();
  const live = opts.liveEvaluations ?? LIVE_EVALUATIONS;

  const owned: tf.TensorContainer[] = [];
  const hedgers: Hedger[] = [];
  try {
    yield* runPrepared(cfg, opts, live, backend, owned, hedgers);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    yield REFUSALS.some((kind) => e instanceof kind) ? { type: 'error', message: reason } : { type: 'error', message: `the run failed: ${reason}`, internal: true };
  } finally {
    for (const h of hedgers) h.dispose();
    tf.dispose(owned);
  }
}

/** Errors that refuse the experiment as given, with a reason a person can act on (not failures of the engine). */
const REFUSALS = [MarketDataError, NonFiniteResultError, NonFiniteLossError, PricingError, SimulationError];

/** The run after its config is parsed and its backend set; every tensor it makes goes to `owned` or a hedger in `hedgers`. */
async function* runPrepared(cfg: Experiment, opts: RunOptions, live: number, backend: string, owned: tf.TensorContainer[], hedgers: Hedger[]): AsyncGenerator<RunEvent> {
  const market = await prepareMarket(cfg, opts.data);
  const testSample = market.testSample();
  const layout = sampleLayout(testSample, cfg.market.steps);
  const { problem: test, tensors: testTensors } = sampledProblem(cfg, market, testSample, layout);
  owned.push(...testTensors);
  for (const s of cfg.strategies) hedgers.push(createHedger(s, cfg, test.featureNames.length, test.instruments.length));
  let validation: HedgingProblem | null = null;
  const validations = new Map<string, ValidationRecord>();
  const withoutOptions = new Map<string, Metrics>();
  const hedgingErrors = new Map<string, NonNullable<StrategyResult['hedgingError']>>();
  const units = cfg.strategies.reduce(
    (sum, s) =>
      sum +
      (isTrained(s)
        ? s.training.epochs * stepsPerEpoch(cfg.paths.train, s.training.batchSize) + evaluationEpochs(s.training.epochs, live, cfg.checkpoints).size
        : isRecurrent(s)
          ? s.training.epochs * stepsPerEpoch(cfg.paths.train, s.training.batchSize) + 1
          : 1),
    0,
  );
  if (cfg.strategies.some(isRecurrent)) {
    const sample = market.draw(cfg.paths.validation ?? DEFAULT_VALIDATION_PATHS, stream(cfg.seed, 'market', 'validation'));
    const built = sampledProblem(cfg, market, sample, layout);
    validation = built.problem;
    owned.push(...built.tensors);
  }
  const clock = new ProgressClock(units);
  const evaluations = new Map<string, Evaluation>();
  const trainings = new Map<string, TrainingRecord>();
  const checkpoints = new Map<string, Checkpoint[]>();
  const recurrentResult = (id: string): Partial<StrategyResult> => {
    const s = cfg.strategies.find((x) => x.id === id);
    const record = validations.get(id);
    if (!s || !isRecurrent(s) || !record) return {};
    const target = raceTarget(cfg, validations);
    return {
      validation: record,
      ...(target === null ? {} : { target: targetReached(record, target) }),
      metricsWithoutOptions: withoutOptions.get(id),
      hedgingError: hedgingErrors.get(id),
    };
  };
  const pathsEvent = async (): Promise<RunEvent> => {
    const k = Math.min(4, testSample.n);
    const head = test.spot.slice([0, 0], [k, cfg.market.steps + 1]);
    const spot = await head.data();
    head.dispose();
    const cols = cfg.market.steps + 1;
    return {
      type: 'paths',
      times: Float64Array.from({ length: cols }, (_, t) => t * stepYears(cfg.market)),
      spot: Array.from({ length: k }, (_, i) => Float32Array.from(spot.subarray(i * cols, (i + 1) * cols))),
      positions: Object.fromEntries([...evaluations].map(([id, e]) => [id, e.samplePositions])),
    };
  };

  yield {
    type: 'start',
    backend,
    strategies: hedgers.map((h) => h.info),
    market: { ...market.summary, premium: market.premium, testPaths: testSample.n, features: test.featureNames, instruments: test.instruments.map((i) => i.label) },
  };
  for (const h of hedgers.filter((h) => !h.trained && !h.recurrent)) {
    if (opts.signal?.aborted) return;
    const e = await evaluateHedger(cfg, test, h);
    evaluations.set(h.info.id, e);
    yield { type: 'pnl', strategyId: h.info.id, epoch: null, histogram: e.histogram, metrics: e.metrics };
    yield clock.advance(1, `evaluated ${h.info.label}`);
  }
  if (evaluations.size > 0) yield await pathsEvent();

  for (const h of hedgers.filter((h) => h.trained)) {
    const run: TrainingRun = { cfg, market, layout, test, clock, trainings, evaluations, live, signal: opts.signal, owned, pathsEvent, checkpoints };
    yield* trainDeepHedger(run, h);
    if (opts.signal?.aborted) return;
  }

  for (const h of hedgers.filter((h) => h.recurrent)) {
    const s = cfg.strategies.find((x) => x.id === h.info.id)!;
    if (!isRecurrent(s)) continue;
    const ctx = { cfg, market, layout, validation: validation!, signal: opts.signal, advance: (phase: string) => clock.advance(1, phase) };
    const outcome = yield* trainRecurrent(ctx, s, h.recurrent!);
    if (opts.signal?.aborted) return;
    validations.set(s.id, outcome.validation);
    const e = await evaluateHedger(cfg, test, h);
    evaluations.set(s.id, e);
    yield { type: 'pnl', strategyId: s.id, epoch: null, histogram: e.histogram, metrics: e.metrics };
    const figures = await testFigures(cfg, test, h.recurrent!);
    withoutOptions.set(s.id, figures.withoutOptions);
    hedgingErrors.set(s.id, figures.variants.map(({ label, std, skew }) => ({ label, std, skew })));
    yield { type: 'pnl-variants', strategyId: s.id, variants: figures.variants };
    const resetSteps = cfg.claim.type === 'cliquet' ? Array.from({ length: Math.ceil(cfg.market.steps / cfg.claim.resetSteps) }, (_, k) => (k + 1) * (cfg.claim as { resetSteps: number }).resetSteps).filter((t) => t < cfg.market.steps) : [];
    const times = Float64Array.from({ length: cfg.market.steps }, (_, t) => t * stepYears(cfg.market));
    yield { type: 'hedge-bands', strategyId: s.id, times, probabilities: [...BAND_PROBABILITIES], resetSteps, bands: figures.bands };
    yield await pathsEvent();
    yield clock.advance(1, `evaluated ${h.info.label}`);
  }

  const rows = hedgers.map((h) => ({ strategyId: h.info.id, metrics: evaluations.get(h.info.id)!.metrics }));
  yield { type: 'metrics', rows };
  const strategies: StrategyResult[] = hedgers.map((h) => ({
    ...h.info,
    metrics: evaluations.get(h.info.id)!.metrics,
    ...(trainings.has(h.info.id) ? { training: trainings.get(h.info.id) } : {}),
    ...(checkpoints.has(h.info.id) ? { checkpoints: checkpoints.get(h.info.id) } : {}),
    ...recurrentResult(h.info.id),
  }));
  // Every number of the result is checked once more, whatever produced it: no result holds NaN or an infinity.
  const unfinished = nonFiniteField(strategies, 'strategies');
  if (unfinished) throw new NonFiniteResultError(`the result is not a finite number at ${unfinished}`);
  const result: RunResult = { config: cfg, backend, strategies };
  yield { type: 'done', result };
}

/** Epochs after which a trained strategy is evaluated on the test paths: every few, the checkpoints, and always the last. */
export function evaluationEpochs(epochs: number, live: number, checkpoints: number[] = []): Set<number> {
  const every = live > 0 ? Math.max(1, Math.ceil(epochs / live)) : epochs;
  const due = new Set<number>([epochs, ...checkpoints.filter((e) => e <= epochs)]);
  for (let e = every; e < epochs; e += every) due.add(e);
  return due;
}

/** The optimiser a trained strategy's configuration asks for (trainers/). */
function optimiserFor(s: TrainedStrategy, h: Hedger, run: TrainingRun, threshold: tf.Variable<tf.Rank.R0> | undefined): Optimiser {
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
    return riskLoss(cfg.risk, hedgingPnl(batch, h.positions(batch)).pnl, threshold);
  };
  return adamOptimiser(loss, threshold ? [...trained.variables, threshold] : trained.variables, s.training.learningRate);
}

/** What training a deep hedger shares with the rest of the run. */
interface TrainingRun {
  cfg: Experiment;
  market: PreparedMarket;
  layout: SampleLayout;
  test: HedgingProblem;
  clock: ProgressClock;
  trainings: Map<string, TrainingRecord>;
  evaluations: Map<string, Evaluation>;
  live: number;
  signal: AbortSignal | undefined;
  owned: tf.TensorContainer[];
  pathsEvent: () => Promise<RunEvent>;
  checkpoints: Map<string, Checkpoint[]>;
}

/** Trains one deep hedger, streaming its loss per epoch and, at evaluation epochs, its test P&L, holding surface and positions. */
async function* trainDeepHedger(run: TrainingRun, h: Hedger): AsyncGenerator<RunEvent> {
  const { cfg, market, layout, trainings, signal, owned } = run;
  const s = cfg.strategies.find((x) => x.id === h.info.id)!;
  if (!isTrained(s) || !h.trained) return;
  const trained = h.trained;
  const threshold = needsThreshold(cfg.risk) ? tf.tidy(() => tf.variable(tf.scalar(0))) : undefined;
  if (threshold) owned.push(threshold);
  const { epochs, batchSize, freshPaths } = s.training;
  const due = evaluationEpochs(epochs, run.live, cfg.checkpoints);
  const checkpoints = new Set(cfg.checkpoints ?? []);
  const record: TrainingRecord = { epochs: [], loss: [], seconds: 0 };
  trainings.set(s.id, record);
  const scored: Checkpoint[] = [];
  run.checkpoints.set(s.id, scored);

  const optimiser = optimiserFor(s, h, run, threshold);
  const training = trainPathwise({
    epochs,
    batchSize,
    pathCount: cfg.paths.train,
    columns: layout.width,
    paths: (epoch) => (freshPaths || epoch === 1 ? packSample(trainingSample(cfg, market, epoch, freshPaths, cfg.paths.train), layout) : null),
    optimiser,
    shuffle: (epoch) => stream(cfg.seed, 'batch', s.id, epoch),
    signal,
  });
  try {
    yield* followTraining(run, h, training, { epochs, due, checkpoints, record, scored, holding: trained.holding });
  } finally {
    optimiser.dispose();
  }
}

/** Streams a strategy's training: its loss per epoch and, at evaluation epochs, its test P&L, surface and positions. */
async function* followTraining(
  run: TrainingRun,
  h: Hedger,
  training: AsyncGenerator<TrainingEvent>,
  o: { epochs: number; due: Set<number>; checkpoints: Set<number>; record: TrainingRecord; scored: Checkpoint[]; holding: TrainedPolicy['holding'] },
): AsyncGenerator<RunEvent> {
  const { cfg, market, test, clock, evaluations } = run;
  const { epochs, due, record } = o;
  const s = h.info;
  for await (const ev of training) {
    if (ev.kind === 'step') {
      yield clock.advance(1, `training ${h.info.label}: epoch ${ev.epoch} of ${epochs}`);
      continue;
    }
    record.epochs.push(ev.epoch);
    record.loss.push(ev.loss);
    record.seconds = ev.seconds;
    yield { type: 'loss', strategyId: s.id, epoch: ev.epoch, loss: ev.loss, seconds: ev.seconds };
    if (due.has(ev.epoch)) {
      const e = await evaluateHedger(cfg, test, h);
      evaluations.set(s.id, e);
      if (o.checkpoints.has(ev.epoch)) o.scored.push({ epoch: ev.epoch, metrics: e.metrics });
      yield { type: 'pnl', strategyId: s.id, epoch: ev.epoch, histogram: e.histogram, metrics: e.metrics };
      yield await holdingSurface(cfg, market, test.featureNames, s.id, o.holding);
      yield await run.pathsEvent();
      yield clock.advance(1, `evaluated ${h.info.label} at epoch ${ev.epoch}`);
    }
  }
}
