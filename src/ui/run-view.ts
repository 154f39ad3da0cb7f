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

export interface RunView {
  backend: string | null;
  strategies: StrategyInfo[];
  progress: EventOf<'progress'> | null;
  loss: Record<string, LossSeries>;
  pnl: Record<string, EventOf<'pnl'>>;
  surfaces: Record<string, EventOf<'surface'>>;
  paths: EventOf<'paths'> | null;
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
  metrics: null,
  result: null,
  error: null,
};

export function applyEvents(view: RunView, batch: RunEvent[]): RunView {
  const next: RunView = { ...view };
  /** Loss series already copied in this batch, appended to in place. */
  const copied = new Set<string>();
  for (const ev of batch) {
    switch (ev.type) {
      case 'start':
        Object.assign(next, EMPTY_VIEW, { backend: ev.backend, strategies: ev.strategies });
        copied.clear();
        break;
      case 'progress':
        next.progress = ev;
        break;
      case 'loss': {
        if (!copied.has(ev.strategyId)) {
          const old = next.loss[ev.strategyId] ?? { epochs: [], loss: [] };
          next.loss = { ...next.loss, [ev.strategyId]: { epochs: [...old.epochs], loss: [...old.loss] } };
          copied.add(ev.strategyId);
        }
        const series = next.loss[ev.strategyId];
        series.epochs.push(ev.epoch);
        series.loss.push(ev.loss);
        break;
      }
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
