/**
 * A run kept in the browser's history (issue 18): the experiment it ran, the RunView the Lab showed at its
 * end (every chart's series, kept whole so that reopening draws each chart as it was, without re-running),
 * how it ended, the backend it ran on and how long it took; and the row the History list shows of it. Pure
 * data: no DOM, no storage (run-file.ts writes and reads records as JSON, run-history-db.ts keeps those files).
 */
import type { BackendReport } from '../client/lab-client';
import type { Metrics } from '../engine/experiment/events';
import type { Experiment } from '../engine/experiment/schema';
import type { RunView } from './run-view';

/** The record's format tag and version, in IndexedDB and in exported files; a new version migrates or refuses the old. */
export const RUN_FORMAT = 'hedgelab-run';
export const RUN_FORMAT_VERSION = 1;

/** A run's name is the experiment's at first (at most 80 characters there), renamable up to this length. */
export const MAX_RUN_NAME = 80;

export interface RunRecord {
  format: typeof RUN_FORMAT;
  version: typeof RUN_FORMAT_VERSION;
  id: string;
  name: string;
  /** When it was saved (ISO 8601). */
  savedAt: string;
  outcome: 'done' | 'stopped';
  /** The backend it ran on, as the worker reported it. */
  backend: BackendReport;
  /** Seconds from Run to the end. */
  durationSeconds: number;
  config: Experiment;
  view: RunView;
}

/** The strategy the History list names for a run: the one its risk measure scores best, with its std of P&L. */
export interface KeyMetric {
  label: string;
  risk: number;
  std: number;
}

/** A run as the History list shows it, stored beside the record so that listing reads no chart data. */
export interface RunSummary {
  id: string;
  name: string;
  savedAt: string;
  outcome: RunRecord['outcome'];
  backend: BackendReport['active'];
  durationSeconds: number;
  /** Strategies the run scored, of those it had. */
  scored: number;
  strategies: number;
  best: KeyMetric | null;
  /** A forecaster market's lowest validation NLL (paper 000 eq. 6), null without a forecaster. */
  forecasterNll: number | null;
  /** The size of its file (run-file.ts), as stored and as exported. */
  bytes: number;
}

/** When a run was saved, as the History view writes it ("1 Mar 2026, 10:00" in the reader's locale). */
export const savedAtText = (iso: string): string => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** 16 random bytes as hex: ids need no secure context (crypto.randomUUID does). */
function newRunId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function newRunRecord(run: Pick<RunRecord, 'outcome' | 'backend' | 'durationSeconds' | 'config' | 'view'>, savedAt: Date): RunRecord {
  return { format: RUN_FORMAT, version: RUN_FORMAT_VERSION, id: newRunId(), name: run.config.name.trim() || 'Untitled experiment', savedAt: savedAt.toISOString(), ...run };
}

/**
 * Each scored strategy's metrics on the test paths, in the view's strategy order: the metrics table's rows,
 * or for a run stopped before its table, the P&L events of the strategies scored by then.
 */
export function scoredMetrics(view: RunView): Map<string, Metrics> {
  const rows = new Map(view.metrics?.map((r) => [r.strategyId, r.metrics]));
  const scored = new Map<string, Metrics>();
  for (const s of view.strategies) {
    const metrics = rows.get(s.id) ?? view.pnl[s.id]?.metrics;
    if (metrics) scored.set(s.id, metrics);
  }
  return scored;
}

function keyMetric(view: RunView): KeyMetric | null {
  let best: KeyMetric | null = null;
  for (const [id, m] of scoredMetrics(view)) {
    if (Number.isFinite(m.risk) && (best === null || m.risk < best.risk)) {
      best = { label: view.strategies.find((s) => s.id === id)!.label, risk: m.risk, std: m.std };
    }
  }
  return best;
}

export function runSummary(record: RunRecord, bytes: number): RunSummary {
  return {
    id: record.id,
    name: record.name,
    savedAt: record.savedAt,
    outcome: record.outcome,
    backend: record.backend.active,
    durationSeconds: record.durationSeconds,
    scored: scoredMetrics(record.view).size,
    strategies: record.view.strategies.length,
    best: keyMetric(record.view),
    forecasterNll: record.view.forecaster && record.view.forecaster.validationNll.length > 0 ? Math.min(...record.view.forecaster.validationNll) : null,
    bytes,
  };
}
