/**
 * What the page shows of a run: a pure reducer from batches of RunEvents (events.ts) to the series each
 * chart draws. The UI computes no finance here; it only remembers what the engine streamed.
 */
import type { RunEvent, RunResult, StrategyInfo } from '../engine/experiment/events';

export type EventOf<T extends RunEvent['type']> = Extract<RunEvent, { type: T }>;

export interface LossSeries {
  epochs: number[];
  loss: number[];
}

/** A recurrent hedger's validation loss by iteration (paper 002 fig. 3). */
export interface ValidationSeries {
  steps: number[];
  loss: number[];
  seconds: number[];
}

/** Gradient variance and the preconditioner's largest eigenvalue by iteration (paper 002 fig. 4). */
export interface CurvatureSeries {
  steps: number[];
  gradientVariance: number[];
  maxEigenvalue: (number | null)[];
}

export interface RunView {
  backend: string | null;
  strategies: StrategyInfo[];
  progress: EventOf<'progress'> | null;
  loss: Record<string, LossSeries>;
  pnl: Record<string, EventOf<'pnl'>>;
  surfaces: Record<string, EventOf<'surface'>>;
  paths: EventOf<'paths'> | null;
  validation: Record<string, ValidationSeries>;
  curvature: Record<string, CurvatureSeries>;
  pnlVariants: Record<string, EventOf<'pnl-variants'>>;
  hedgeBands: Record<string, EventOf<'hedge-bands'>>;
  metrics: EventOf<'metrics'>['rows'] | null;
  result: RunResult | null;
  error: string | null;
}

export const EMPTY_VIEW: RunView = {
  backend: null,
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

export function applyEvents(view: RunView, batch: RunEvent[]): RunView {
  const next: RunView = { ...view };
  /** Series already copied in this batch, appended to in place. */
  const copied = { loss: new Set<string>(), validation: new Set<string>(), curvature: new Set<string>() };
  for (const ev of batch) {
    switch (ev.type) {
      case 'start':
        Object.assign(next, EMPTY_VIEW, { backend: ev.backend, strategies: ev.strategies });
        for (const set of Object.values(copied)) set.clear();
        break;
      case 'progress':
        next.progress = ev;
        break;
      case 'loss': {
        next.loss = ownSeries(next.loss, ev.strategyId, copied.loss, () => ({ epochs: [], loss: [] }));
        const series = next.loss[ev.strategyId];
        series.epochs.push(ev.epoch);
        series.loss.push(ev.loss);
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
        next.curvature = ownSeries(next.curvature, ev.strategyId, copied.curvature, () => ({ steps: [], gradientVariance: [], maxEigenvalue: [] }));
        const series = next.curvature[ev.strategyId];
        series.steps.push(ev.step);
        series.gradientVariance.push(ev.gradientVariance);
        series.maxEigenvalue.push(ev.maxEigenvalue);
        break;
      }
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
        next.surfaces = { ...next.surfaces, [ev.strategyId]: ev };
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
