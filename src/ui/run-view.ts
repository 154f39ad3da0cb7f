/**
 * What the page shows of a run: a pure reducer from batches of RunEvents (events.ts) to the series each
 * chart draws. The UI computes no finance here; it only remembers what the engine streamed.
 */
import type { AgentFigures, CurvatureRecord, MarketInfo, RunEvent, RunResult, StrategyInfo } from '../engine/experiment/events';
import { appendCurvature, emptyCurvature } from '../engine/experiment/curvature-record';

export type EventOf<T extends RunEvent['type']> = Extract<RunEvent, { type: T }>;

/**
 * A strategy's training loss as its chart draws it: every epoch up to MAX_LOSS_POINTS epochs, then every
 * `lossStride(epoch)`-th, and always the latest (appendLoss). The run's result keeps every epoch.
 */
export interface LossSeries {
  epochs: number[];
  loss: number[];
}

/** The most epochs a loss chart draws: a chart is some 700 pixels wide, and Plotly's cost grows with the points. */
export const MAX_LOSS_POINTS = 500;

/** The smallest power of two that leaves at most MAX_LOSS_POINTS multiples of itself up to `epoch`. */
export const lossStride = (epoch: number): number => 2 ** Math.max(0, Math.ceil(Math.log2(epoch / MAX_LOSS_POINTS)));

/** Appends epoch `epoch` (epochs stream in order) to a series holding the multiples of its stride and its latest epoch. */
function appendLoss(series: LossSeries, epoch: number, loss: number): void {
  const latest = series.epochs.at(-1);
  if (latest !== undefined && latest % lossStride(latest) !== 0) {
    series.epochs.pop();
    series.loss.pop();
  }
  const stride = lossStride(epoch);
  if (latest !== undefined && stride > lossStride(latest)) {
    series.loss = series.loss.filter((_, i) => series.epochs[i]! % stride === 0);
    series.epochs = series.epochs.filter((e) => e % stride === 0);
  }
  series.epochs.push(epoch);
  series.loss.push(loss);
}

/** A recurrent hedger's validation loss by iteration (paper 002 fig. 3). */
export interface ValidationSeries {
  steps: number[];
  loss: number[];
  seconds: number[];
}

/** Gradient variance, the preconditioner's largest eigenvalue (paper 002 fig. 4) and kappa per block by iteration. */
export type CurvatureSeries = CurvatureRecord;

/** One diagnostic of an RL agent (paper 000) by update, or by epoch while it clones the expert. */
export type AgentMetric = keyof AgentFigures;
export type AgentPhase = EventOf<'agent'>['phase'];

/**
 * An RL agent's curves: per phase ('bc': behaviour-cloning epochs of Algorithm 1, 'rl': updates), each
 * diagnostic it reported, thinned as the loss is (LossSeries: `epochs` holds the update or epoch numbers).
 */
export type AgentCurves = { [P in AgentPhase]: Partial<Record<AgentMetric, LossSeries>> };

/**
 * A sequence hedger's training dynamics (paper 003 appendix 8.4) from its `holdings` events: the validation
 * loss and the mean holding of each asset of the hedge set by epoch (thinned as the loss is), and the epoch
 * early stopping keeps so far (null without early stopping).
 */
export interface HoldingsSeries {
  validation: LossSeries;
  /** Per asset, in the order the events name them. */
  mean: Record<string, LossSeries>;
  bestEpoch: number | null;
}

/**
 * The forecaster market's training (paper 000 eq. 6), from its `forecaster` events: the mean NLL per return
 * on the training and validation windows after each epoch, the epoch early stopping keeps so far, and the
 * most epochs it may train.
 */
export interface ForecasterSeries {
  epochs: number[];
  trainNll: number[];
  validationNll: number[];
  bestEpoch: number | null;
  maxEpochs: number;
  seconds: number;
}

/** The signature-diffusion market's generators while they train (paper 003 §3.3): each asset's loss by epoch, from its `diffusion` events. */
export interface DiffusionSeries {
  /** Per asset, in the order they train. */
  loss: Record<string, { epochs: number[]; loss: number[] }>;
  maxEpochs: number;
  seconds: number;
}

/** The key of the claim's underlying when a surface names no instrument (a strategy trading it alone). */
export const UNDERLYING = '';

/** A strategy's latest holding surfaces, one per asset it trades (paper 003 fig. 4), keyed by instrument. */
export type SurfaceSet = Record<string, EventOf<'surface'>>;

export interface RunView {
  backend: string | null;
  /** The prepared market as the run's start reported it (premium, test paths, features, instruments). */
  market: MarketInfo | null;
  strategies: StrategyInfo[];
  progress: EventOf<'progress'> | null;
  loss: Record<string, LossSeries>;
  pnl: Record<string, EventOf<'pnl'>>;
  surfaces: Record<string, SurfaceSet>;
  paths: EventOf<'paths'> | null;
  validation: Record<string, ValidationSeries>;
  curvature: Record<string, CurvatureSeries>;
  pnlVariants: Record<string, EventOf<'pnl-variants'>>;
  hedgeBands: Record<string, EventOf<'hedge-bands'>>;
  /** RL agents' diagnostics from their `agent` events. */
  agents: Record<string, AgentCurves>;
  /** The latest PV_T map of each strategy (paper 000 figs. 7-10). */
  pvMaps: Record<string, EventOf<'pv-map'>>;
  /** Sequence hedgers' validation loss and mean holdings per epoch (paper 003 appendix 8.4). */
  holdings: Record<string, HoldingsSeries>;
  /** The forecaster market's forecaster while it trains, and its report on the test dates (both stream before `start`). */
  forecaster: ForecasterSeries | null;
  forecast: EventOf<'forecast'> | null;
  /** The signature-diffusion market's generators while they train, and their paths against the real ones (both stream before `start`). */
  diffusion: DiffusionSeries | null;
  generated: EventOf<'generated'> | null;
  metrics: EventOf<'metrics'>['rows'] | null;
  result: RunResult | null;
  error: string | null;
}

export const EMPTY_VIEW: RunView = {
  backend: null,
  market: null,
  strategies: [],
  progress: null,
  loss: {},
  pnl: {},
  surfaces: {},
  paths: null,
  validation: {},
  curvature: {},
  pnlVariants: {},
  hedgeBands: {},
  agents: {},
  pvMaps: {},
  holdings: {},
  forecaster: null,
  forecast: null,
  diffusion: null,
  generated: null,
  metrics: null,
  result: null,
  error: null,
};

/** The series of `id` in `record` (a fresh empty one if none), copied once per batch then appended to in place. */
function ownSeries<S extends { [K in keyof S]: unknown[] }>(record: Record<string, S>, id: string, copied: Set<string>, empty: () => S): Record<string, S> {
  if (copied.has(id)) return record;
  copied.add(id);
  const old = record[id] ?? empty();
  const copy = Object.fromEntries(Object.entries(old).map(([k, v]) => [k, [...(v as unknown[])]])) as S;
  return { ...record, [id]: copy };
}

/** `ownSeries` for curvature, whose kappa is a record of series by block. */
function ownCurvature(record: Record<string, CurvatureSeries>, id: string, copied: Set<string>): Record<string, CurvatureSeries> {
  if (copied.has(id)) return record;
  copied.add(id);
  const old = record[id] ?? emptyCurvature();
  const kappa = Object.fromEntries(Object.entries(old.kappa).map(([block, v]) => [block, [...v]]));
  return { ...record, [id]: { steps: [...old.steps], gradientVariance: [...old.gradientVariance], maxEigenvalue: [...old.maxEigenvalue], kappa } };
}

/**
 * Appends an `agent` event to `record`: the strategy's curves, its phase and each metric it names are
 * copied the first time this batch touches them (`copied` remembers them), then appended to in place.
 */
function appendAgent(record: Record<string, AgentCurves>, ev: EventOf<'agent'>, copied: Set<string>): Record<string, AgentCurves> {
  const id = ev.strategyId;
  let next = record;
  if (!copied.has(id)) {
    copied.add(id);
    const old = record[id];
    next = { ...record, [id]: old ? { bc: { ...old.bc }, rl: { ...old.rl } } : { bc: {}, rl: {} } };
  }
  const curves = next[id]![ev.phase];
  for (const [metric, value] of Object.entries(ev.figures) as [AgentMetric, number | undefined][]) {
    if (value === undefined) continue;
    const key = `${id}\u0000${ev.phase}\u0000${metric}`;
    if (!copied.has(key)) {
      copied.add(key);
      const old = curves[metric];
      curves[metric] = old ? { epochs: [...old.epochs], loss: [...old.loss] } : { epochs: [], loss: [] };
    }
    appendLoss(curves[metric]!, ev.update, value);
  }
  return next;
}

/** Appends a `holdings` event: the strategy's series and each asset's are copied the first time this batch touches them. */
function appendHoldings(record: Record<string, HoldingsSeries>, ev: EventOf<'holdings'>, copied: Set<string>): Record<string, HoldingsSeries> {
  const id = ev.strategyId;
  let next = record;
  if (!copied.has(id)) {
    copied.add(id);
    const old = record[id];
    const copy = (l: LossSeries): LossSeries => ({ epochs: [...l.epochs], loss: [...l.loss] });
    const fresh: HoldingsSeries = old
      ? { validation: copy(old.validation), mean: Object.fromEntries(Object.entries(old.mean).map(([k, v]) => [k, copy(v)])), bestEpoch: old.bestEpoch }
      : { validation: { epochs: [], loss: [] }, mean: {}, bestEpoch: null };
    next = { ...record, [id]: fresh };
  }
  const series = next[id]!;
  appendLoss(series.validation, ev.epoch, ev.validationLoss);
  for (const { instrument, mean } of ev.meanHolding) appendLoss((series.mean[instrument] ??= { epochs: [], loss: [] }), ev.epoch, mean);
  series.bestEpoch = ev.bestEpoch;
  return next;
}

export function applyEvents(view: RunView, batch: RunEvent[]): RunView {
  const next: RunView = { ...view };
  /** Series already copied in this batch, appended to in place. */
  const copied = { loss: new Set<string>(), validation: new Set<string>(), curvature: new Set<string>(), agents: new Set<string>(), holdings: new Set<string>() };
  for (const ev of batch) {
    switch (ev.type) {
      case 'start':
        // A forecaster market trains and reports its forecaster before the hedgers start, a signature-diffusion market its generators: that stays.
        Object.assign(next, EMPTY_VIEW, {
          backend: ev.backend,
          market: ev.market,
          strategies: ev.strategies,
          progress: next.progress,
          forecaster: next.forecaster,
          forecast: next.forecast,
          diffusion: next.diffusion,
          generated: next.generated,
        });
        for (const set of Object.values(copied)) set.clear();
        break;
      case 'progress':
        next.progress = ev;
        break;
      case 'loss': {
        next.loss = ownSeries(next.loss, ev.strategyId, copied.loss, () => ({ epochs: [], loss: [] }));
        appendLoss(next.loss[ev.strategyId], ev.epoch, ev.loss);
        break;
      }
      case 'validation': {
        next.validation = ownSeries(next.validation, ev.strategyId, copied.validation, () => ({ steps: [], loss: [], seconds: [] }));
        const series = next.validation[ev.strategyId];
        series.steps.push(ev.step);
        series.loss.push(ev.loss);
        series.seconds.push(ev.seconds);
        break;
      }
      case 'curvature': {
        next.curvature = ownCurvature(next.curvature, ev.strategyId, copied.curvature);
        appendCurvature(next.curvature[ev.strategyId]!, ev);
        break;
      }
      case 'agent':
        next.agents = appendAgent(next.agents, ev, copied.agents);
        break;
      case 'holdings':
        next.holdings = appendHoldings(next.holdings, ev, copied.holdings);
        break;
      case 'forecaster': {
        const old = next.forecaster;
        // One event an epoch (at most 500): copied whole, not thinned.
        next.forecaster = {
          epochs: [...(old?.epochs ?? []), ev.epoch],
          trainNll: [...(old?.trainNll ?? []), ev.trainNll],
          validationNll: [...(old?.validationNll ?? []), ev.validationNll],
          bestEpoch: ev.best ? ev.epoch : (old?.bestEpoch ?? null),
          maxEpochs: ev.epochs,
          seconds: ev.seconds,
        };
        break;
      }
      case 'forecast':
        next.forecast = ev;
        break;
      case 'diffusion': {
        const old = next.diffusion;
        // One event an epoch (at most 2,000 an asset): copied whole, not thinned.
        const series = old?.loss[ev.asset];
        next.diffusion = {
          loss: { ...old?.loss, [ev.asset]: { epochs: [...(series?.epochs ?? []), ev.epoch], loss: [...(series?.loss ?? []), ev.loss] } },
          maxEpochs: ev.epochs,
          seconds: ev.seconds,
        };
        break;
      }
      case 'generated':
        next.generated = ev;
        break;
      case 'pv-map':
        next.pvMaps = { ...next.pvMaps, [ev.strategyId]: ev };
        break;
      case 'pnl-variants':
        next.pnlVariants = { ...next.pnlVariants, [ev.strategyId]: ev };
        break;
      case 'hedge-bands':
        next.hedgeBands = { ...next.hedgeBands, [ev.strategyId]: ev };
        break;
      case 'pnl':
        next.pnl = { ...next.pnl, [ev.strategyId]: ev };
        break;
      case 'surface':
        next.surfaces = { ...next.surfaces, [ev.strategyId]: { ...next.surfaces[ev.strategyId], [ev.instrument ?? UNDERLYING]: ev } };
        break;
      case 'paths':
        next.paths = ev;
        break;
      case 'metrics':
        next.metrics = ev.rows;
        break;
      case 'done':
        next.result = ev.result;
        break;
      case 'error':
        next.error = ev.message;
        break;
    }
  }
  return next;
}
