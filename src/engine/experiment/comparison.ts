/**
 * Comparisons: several strategies trained on the same paths side by side, over the cells of a sweep (paper
 * 001 §5.3-5.4: BSDH, DHMLP, DHNTB and DHLNN per checkpoint, per cost, per test volatility). Each cell is split
 * into one job per strategy, which can run in parallel workers: a job is the cell's experiment with that
 * strategy alone, and since every path comes from a stream named by the seed (`market/test`,
 * `market/train/<epoch>`), each job trains and is scored on exactly the paths the others see. The record
 * keeps, per cell and strategy, the training curve (loss against epochs and wall seconds) and the test P&L
 * density and metrics at every checkpoint; it exports as CSV (one row per cell, strategy and checkpoint) and
 * as the CLI's sweep document.
 */
import { csvRow } from '../data/csv-row';
import type { Checkpoint, Histogram, Metrics, RunEvent, TrainingRecord } from './events';
import { strategyInfo } from './strategy-info';
import type { Experiment, StrategyType } from './schema';
import { valueLabel, type SweepCell, type SweepValue } from './sweep';

export interface ComparisonJob {
  cell: number;
  strategyId: string;
  config: Experiment;
}

const AXIS_LABELS: Record<string, string> = { 'costs.proportional': 'cost', 'market.testVolatility': 'test vol', 'claim.strike': 'K', seed: 'seed' };

/** A short name for a sweep axis: "cost" for costs.proportional; else the path's last field. */
export function axisLabel(path: string): string {
  return AXIS_LABELS[path] ?? path.split('.').at(-1)!;
}

/** "cost 0.002, K 1.2" for a cell's params. */
export function cellLabel(params: Record<string, SweepValue>, skip: string[] = []): string {
  const parts = Object.entries(params)
    .filter(([path]) => !skip.includes(path))
    .map(([path, v]) => `${axisLabel(path)} ${valueLabel(v)}`);
  return parts.join(', ') || 'the form’s experiment';
}

/** One job per strategy of every cell, cell by cell. */
export function comparisonJobs(cells: SweepCell[]): ComparisonJob[] {
  return cells.flatMap((c) => c.config.strategies.map((s) => ({ cell: c.index, strategyId: s.id, config: { ...c.config, strategies: [s] } })));
}

export interface ScoredCheckpoint extends Checkpoint {
  histogram: Histogram;
}

export interface StrategyRecord {
  id: string;
  type: StrategyType;
  label: string;
  status: 'queued' | 'running' | 'done' | 'failed' | 'stopped';
  error: string | null;
  training: TrainingRecord;
  /** Wall-clock seconds since the job's start at the end of each epoch of `training.epochs`. */
  elapsed: number[];
  /** Scored on the test paths at each checkpoint epoch (and, for a strategy without training, once at epoch 0). */
  checkpoints: ScoredCheckpoint[];
  /** The final metrics once the job is done. */
  metrics: Metrics | null;
}

export interface CellRecord {
  index: number;
  params: Record<string, SweepValue>;
  strategies: StrategyRecord[];
}

export interface ComparisonRecord {
  name: string;
  axes: { path: string; values: SweepValue[] }[];
  cells: CellRecord[];
}

export function emptyComparison(name: string, axes: ComparisonRecord['axes'], cells: SweepCell[]): ComparisonRecord {
  return {
    name,
    axes,
    cells: cells.map((c) => ({
      index: c.index,
      params: c.params,
      strategies: c.config.strategies.map((s) => ({
        ...strategyInfo(s),
        status: 'queued',
        error: null,
        training: { epochs: [], loss: [], seconds: 0 },
        elapsed: [],
        checkpoints: [],
        metrics: null,
      })),
    })),
  };
}

/**
 * The record after a batch of a job's events (immutably: the cell and strategy records that change are new
 * objects, the rest are shared, so views redraw only what moved). `checkpoints`: the job's scoredEpochs.
 */
export function applyJobEvents(record: ComparisonRecord, job: Pick<ComparisonJob, 'cell' | 'strategyId'>, checkpoints: number[], events: RunEvent[]): ComparisonRecord {
  const cellAt = record.cells.findIndex((c) => c.index === job.cell);
  const cell = record.cells[cellAt];
  const at = cell.strategies.findIndex((s) => s.id === job.strategyId);
  let s: StrategyRecord = { ...cell.strategies[at], status: cell.strategies[at].status === 'queued' ? 'running' : cell.strategies[at].status };
  for (const ev of events) {
    if (ev.type === 'loss') {
      s = {
        ...s,
        training: { epochs: [...s.training.epochs, ev.epoch], loss: [...s.training.loss, ev.loss], seconds: ev.seconds },
        elapsed: [...s.elapsed, ev.seconds],
      };
    } else if (ev.type === 'pnl' && checkpoints.includes(ev.epoch ?? 0)) {
      const scored = { epoch: ev.epoch ?? 0, metrics: ev.metrics, histogram: ev.histogram };
      s = { ...s, checkpoints: [...s.checkpoints.filter((c) => c.epoch !== scored.epoch), scored] };
    } else if (ev.type === 'done') {
      const result = ev.result.strategies.find((r) => r.id === job.strategyId);
      s = { ...s, status: 'done', metrics: result?.metrics ?? null };
    } else if (ev.type === 'error') {
      s = { ...s, status: 'failed', error: ev.message };
    }
  }
  const strategies = cell.strategies.map((x, i) => (i === at ? s : x));
  return { ...record, cells: record.cells.map((c, i) => (i === cellAt ? { ...cell, strategies } : c)) };
}

/** Marks every strategy still queued or running as stopped. */
export function stopComparison(record: ComparisonRecord): ComparisonRecord {
  return {
    ...record,
    cells: record.cells.map((c) => ({
      ...c,
      strategies: c.strategies.map((s) => (s.status === 'queued' || s.status === 'running' ? { ...s, status: 'stopped' } : s)),
    })),
  };
}

export const METRIC_COLUMNS: readonly (keyof Metrics)[] = ['mean', 'std', 'entropic', 'es90', 'es95', 'es99', 'var90', 'var95', 'var99', 'avg_r', 'skew', 'kurtosis', 'turnover', 'cost', 'price', 'risk'];

/** One row per cell, strategy and checkpoint: the grid's values, the strategy, the epoch, then every metric. */
export function comparisonCsv(record: ComparisonRecord): string {
  const paths = record.axes.map((a) => a.path);
  const header = [...paths, 'strategy', 'type', 'epoch', ...METRIC_COLUMNS];
  const rows = [csvRow(header)];
  for (const cell of record.cells) {
    for (const s of cell.strategies) {
      for (const c of [...s.checkpoints].sort((a, b) => a.epoch - b.epoch)) {
        rows.push(csvRow([...paths.map((p) => valueLabel(cell.params[p])), s.id, s.type, c.epoch, ...METRIC_COLUMNS.map((m) => c.metrics[m])]));
      }
    }
  }
  return rows.join('\n') + '\n';
}

/** The CLI's sweep document: {name, axes, cells: [{params, strategies: [{..., metrics, training, checkpoints}]}]}. */
export function comparisonJson(record: ComparisonRecord, base: Experiment): unknown {
  return {
    name: record.name,
    base,
    axes: record.axes,
    cells: record.cells.map((c) => ({
      params: c.params,
      strategies: c.strategies.map((s) => ({
        id: s.id,
        type: s.type,
        label: s.label,
        status: s.status,
        metrics: s.metrics,
        ...(s.training.epochs.length ? { training: s.training } : {}),
        checkpoints: s.checkpoints.map(({ epoch, metrics }) => ({ epoch, metrics })),
      })),
    })),
  };
}

/** The epochs a job records: the experiment's checkpoints and its strategy's last epoch (0 for a classic hedge). */
export function scoredEpochs(config: Experiment): number[] {
  const last = config.strategies.map((s) => ('training' in s ? s.training.epochs : 0));
  return [...new Set([...(config.checkpoints ?? []), ...last])].sort((a, b) => a - b);
}
