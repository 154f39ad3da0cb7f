/**
 * The comparison view's state (zustand): the grid typed beside the form's experiment (costs, test-path
 * volatilities, strikes, hedge-set sizes, seeds), the axes of a loaded preset that no field can hold (whole
 * objects: paper 003 fig. 3 sweeps the market over historical windows and the regime model), the comparison
 * running over it in a pool of workers, and what it has recorded (engine's experiment/comparison.ts). The
 * experiment itself is the lab's form: the view adds only the axes it sweeps.
 */
import { create } from 'zustand';
import { poolSize, WorkerPool } from '../client/worker-pool';
import {
  applyJobEvents,
  comparisonCsv,
  comparisonJobs,
  comparisonJson,
  emptyComparison,
  scoredEpochs,
  stopComparison,
  type ComparisonJob,
  type ComparisonRecord,
} from '../engine/experiment/comparison';
import { findSweepPreset } from '../engine/experiment/presets';
import type { Experiment } from '../engine/experiment/schema';
import { parseSweep } from '../engine/experiment/sweep';
import { axesOfGrid, EMPTY_AXES, sweepOf, type AxesDraft, type PresetAxes } from './comparison-axes';
import { download, fileStem } from './file-download';
import { useLab } from './lab-store';
import { dataNeed } from './price-data';

export type ComparisonPhase = 'idle' | 'running' | 'stopping';

export interface ComparisonState {
  axes: AxesDraft;
  presetAxes: PresetAxes;
  /** Why the grid cannot run, by axis (or 'grid'). */
  errors: Record<string, string>;
  phase: ComparisonPhase;
  record: ComparisonRecord | null;
  /** The form's experiment the record was run on. */
  base: Experiment | null;
  workers: number;
  /** Jobs finished, of all; when the run began (ms, performance.now()); whether its workers have started. */
  progress: { done: number; total: number; startedAt: number; now: number; workersReady: boolean };
  selectedCell: number;
  error: string | null;
  /** Said when Stop had to replace workers whose jobs were stuck in one long step. */
  notice: string | null;
  setAxis(axis: keyof AxesDraft, value: string): void;
  loadPreset(name: string): void;
  /** Drops the preset's own axes (the form's value then holds in every cell). */
  clearPresetAxes(): void;
  selectCell(index: number): void;
  start(): Promise<void>;
  stop(): void;
}

let pool: WorkerPool | null = null;

export function exportComparison(kind: 'csv' | 'json'): void {
  const { record, base } = useComparison.getState();
  if (!record || !base) return;
  const stem = fileStem(record.name, 'comparison');
  if (kind === 'csv') download(`${stem}.csv`, 'text/csv', comparisonCsv(record));
  else download(`${stem}.json`, 'application/json', JSON.stringify(comparisonJson(record, base), null, 2));
}

export const useComparison = create<ComparisonState>()((set, get) => ({
  axes: EMPTY_AXES,
  presetAxes: {},
  errors: {},
  phase: 'idle',
  record: null,
  base: null,
  workers: 0,
  progress: { done: 0, total: 0, startedAt: 0, now: 0, workersReady: false },
  selectedCell: 0,
  error: null,
  notice: null,


  setAxis(axis, value) {
    set((s) => ({ axes: { ...s.axes, [axis]: value }, errors: {} }));
  },

  loadPreset(name) {
    const p = findSweepPreset(name);
    if (!p.ok || get().phase !== 'idle') return;
    useLab.getState().load(p.value.base);
    set({ ...axesOfGrid(p.value.grid), errors: {} });
  },

  clearPresetAxes() {
    set({ presetAxes: {}, errors: {} });
  },

  selectCell(index) {
    set({ selectedCell: index });
  },

  async start() {
    const lab = useLab.getState();
    const base = lab.check.config;
    const backend = lab.backend.active;
    if (get().phase !== 'idle' || !base || !backend) return;
    const sweep = sweepOf(base, get().axes, get().presetAxes);
    if (!sweep.ok) return set({ errors: sweep.errors });
    const parsed = parseSweep(sweep.input);
    if (!parsed.ok) return set({ errors: { grid: parsed.errors.join('; ') } });
    const need = dataNeed(base, lab.data);
    if (need.status === 'waiting') return set({ errors: { grid: need.message } });

    const jobs = comparisonJobs(parsed.cells);
    const size = Math.min(poolSize(navigator.hardwareConcurrency || 2), jobs.length);
    const now = performance.now();
    set({
      phase: 'running',
      error: null,
      notice: null,
      base,
      record: emptyComparison(parsed.sweep.name, parsed.sweep.axes, parsed.cells),
      workers: size,
      selectedCell: 0,
      progress: { done: 0, total: jobs.length, startedAt: now, now, workersReady: false },
    });
    pool?.close();
    pool = new WorkerPool(size);
    try {
      await pool.start(backend);
      set((s) => ({ progress: { ...s.progress, workersReady: true } }));
      await pool.run(jobs, need.status === 'ready' ? need.panel : null, (job: ComparisonJob, batch) => {
        set((s) => {
          if (!s.record) return {};
          const ended = batch.some((e) => e.type === 'done' || e.type === 'error');
          return {
            record: applyJobEvents(s.record, job, scoredEpochs(job.config), batch),
            progress: { ...s.progress, done: s.progress.done + (ended ? 1 : 0), now: performance.now() },
          };
        });
      }, need.status === 'ready' ? need.quotes : null);
    } catch (e) {
      set({ error: e instanceof Error ? e.message : String(e) });
    } finally {
      pool?.close();
      pool = null;
      set((s) => ({ phase: 'idle', record: s.record && (s.phase === 'stopping' || s.error) ? stopComparison(s.record) : s.record }));
    }
  },

  stop() {
    if (get().phase !== 'running') return;
    set({ phase: 'stopping' });
    void pool?.stop().then((replaced) => {
      if (replaced > 0) set({ notice: `${replaced === 1 ? 'One job was' : `${replaced} jobs were`} still inside one long step after Stop, so ${replaced === 1 ? 'its worker was' : 'their workers were'} replaced; everything they held is freed.` });
    });
  },
}));
