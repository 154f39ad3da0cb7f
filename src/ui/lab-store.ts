/**
 * The page's state (zustand): the form draft and its validation, the share-link banner, the worker's
 * backend, and the run in progress with everything it has streamed. Actions talk to the lab worker
 * through src/client; components read slices with selectors so a chart redraws only when its data moves.
 */
import { create } from 'zustand';
import { LabClient, type BackendFailure, type BackendName } from '../client/lab-client';
import { defaultConfig } from '../engine/experiment/presets';
import type { Experiment } from '../engine/experiment/schema';
import { checkDraft, draftFromExperiment, type Draft, type DraftCheck } from './form-draft';
import { applyEvents, EMPTY_VIEW, type RunView } from './run-view';
import { experimentFromHash } from './share-link-sync';

export type BackendChoice = 'auto' | BackendName;

export interface BackendState {
  choice: BackendChoice;
  /** The backend the worker runs on, null while it starts or after it failed. */
  active: BackendName | null;
  failures: BackendFailure[];
  error: string | null;
}

/** idle: nothing running; running; stopping: Stop was pressed and the engine is finishing its step. */
export type RunPhase = 'idle' | 'running' | 'stopping';

export interface RunState {
  phase: RunPhase;
  /** How the last run ended. */
  outcome: 'done' | 'stopped' | 'failed' | null;
  /** The experiment of the current or last run (the form may have moved on since). */
  config: Experiment | null;
}

export interface LabState {
  draft: Draft;
  check: DraftCheck;
  linkError: string | null;
  backend: BackendState;
  run: RunState;
  view: RunView;
  /** Applies `recipe` to a copy of the draft and re-validates it. */
  edit(recipe: (draft: Draft) => void): void;
  load(config: Experiment): void;
  /** Opens a share link (a location hash): its experiment, or the default one and a banner. */
  openLink(hash: string): void;
  dismissLinkError(): void;
  /** Back to the default experiment, with the charts cleared. */
  reset(): void;
  /** Starts the lab worker on the fastest backend, once per page. */
  boot(): Promise<void>;
  /** Switches the worker to `choice` (a fresh worker). */
  connect(choice: BackendChoice): Promise<void>;
  start(): Promise<void>;
  stop(): void;
}

let client: LabClient | null = null;

function formState(config: Experiment): Pick<LabState, 'draft' | 'check'> {
  const draft = draftFromExperiment(config);
  return { draft, check: checkDraft(draft) };
}

const opened = experimentFromHash(window.location.hash);

export const useLab = create<LabState>()((set, get) => ({
  ...formState(opened.config),
  linkError: opened.error,
  backend: { choice: 'auto', active: null, failures: [], error: null },
  run: { phase: 'idle', outcome: null, config: null },
  view: EMPTY_VIEW,

  edit(recipe) {
    const draft = structuredClone(get().draft);
    recipe(draft);
    set({ draft, check: checkDraft(draft) });
  },

  load(config) {
    set(formState(config));
  },

  openLink(hash) {
    const linked = experimentFromHash(hash);
    set({ ...formState(linked.config), linkError: linked.error });
  },

  dismissLinkError() {
    set({ linkError: null });
  },

  reset() {
    if (get().run.phase !== 'idle') return;
    set({ ...formState(defaultConfig()), linkError: null, view: EMPTY_VIEW, run: { phase: 'idle', outcome: null, config: null } });
  },

  async boot() {
    if (!client) await get().connect('auto');
  },

  async connect(choice) {
    if (get().run.phase !== 'idle') return;
    set({ backend: { choice, active: null, failures: [], error: null } });
    const force = choice === 'auto' ? null : choice;
    try {
      let report;
      if (client) {
        report = await client.switchBackend(force);
      } else {
        client = new LabClient((message) =>
          set((s) => ({
            backend: { ...s.backend, active: null, error: message },
            run: s.run.phase === 'idle' ? s.run : { ...s.run, phase: 'idle', outcome: 'failed' },
            view: s.run.phase === 'idle' ? s.view : { ...s.view, error: message },
          })),
        );
        report = await client.init(force);
      }
      if (get().backend.choice === choice) set({ backend: { choice, active: report.active, failures: report.failures, error: null } });
    } catch (e) {
      if (get().backend.choice === choice) set({ backend: { choice, active: null, failures: [], error: e instanceof Error ? e.message : String(e) } });
    }
  },

  async start() {
    const { check, run, backend } = get();
    if (!client || !check.config || run.phase !== 'idle' || !backend.active) return;
    set({ run: { phase: 'running', outcome: null, config: check.config }, view: { ...EMPTY_VIEW, backend: backend.active } });
    try {
      await client.run(check.config, (batch) => set((s) => ({ view: applyEvents(s.view, batch) })));
    } catch (e) {
      set((s) => ({ view: { ...s.view, error: e instanceof Error ? e.message : String(e) } }));
    }
    set((s) => {
      if (s.run.phase === 'idle') return {};
      const outcome = s.run.phase === 'stopping' ? 'stopped' : s.view.error !== null ? 'failed' : 'done';
      return { run: { ...s.run, phase: 'idle', outcome } };
    });
  },

  stop() {
    if (!client || get().run.phase !== 'running') return;
    set((s) => ({ run: { ...s.run, phase: 'stopping' } }));
    void client.stop();
  },
}));
