/**
 * The run history's state (zustand) and what a person does with it (issue 18): the kept runs, newest first;
 * the storage the browser reports; runs that could not be saved, held in memory until there is room (or the
 * person exports or discards them); the last deleted run, for Undo; the two runs ticked for comparison; and
 * what the last import or action said. Each run is kept as its file (run-file.ts) in run-history-db.ts, so
 * Export saves what is stored and Reopen reads it back through the same checks as an imported file.
 * When a run does not fit (by navigator.storage.estimate, or a write refused with QuotaExceededError) the
 * oldest runs are offered for deletion; nothing is deleted without a click, and nothing is lost silently.
 */
import { create } from 'zustand';
import { localStore } from './browser-storage';
import { download, fileStem } from './file-download';
import { useLab } from './lab-store';
import { usePageView } from './page-view';
import { readRunFile, renamedRunJson, runFileText, runJson } from './run-file';
import { deleteRuns, listRuns, readRunText, readSummary, writeRun } from './run-history-db';
import { MAX_RUN_NAME, runSummary, type RunRecord, type RunSummary } from './run-record';
import type { PendingRun, RunFile, StorageFacts } from './storage-room';

/** Larger files are refused before they are read (a run of the largest presets is a few MB). */
const MAX_RUN_FILE_BYTES = 64 * 1024 * 1024;

/** What the Lab says of its run while it is not saved, for want of space or else (run-history-sync.ts sets it, a save clears it). */
export const UNSAVED_NOTICES = {
  full: 'This run is not saved: storage is full. Free space in History.',
  failed: 'This run is not saved: it could not be stored. History says why.',
} as const;

/** How a save went. */
export type Kept = 'saved' | keyof typeof UNSAVED_NOTICES;

/** localStorage: navigator.storage.persist() was asked once already (the browser remembers its answer). */
const PERSIST_ASKED = 'hedgelab.history.persistAsked';

/** A kept run's row and its file's text: what Undo puts back, and what Export reads. */
interface RunText {
  summary: RunSummary;
  text: string;
}

export interface HistoryState {
  /** unread until the History view first lists the runs; failed: IndexedDB cannot be read (why in `problem`). */
  status: 'unread' | 'reading' | 'ready' | 'failed';
  runs: RunSummary[];
  storage: StorageFacts | null;
  pending: PendingRun[];
  problem: string | null;
  /** What the last action did ("Imported 2 runs."), shown until the next one. */
  message: string | null;
  /** Why the files chosen for import were refused, one line per field; nothing was imported. */
  importErrors: string[];
  /** The run deleted last, until Undo or the next deletion. */
  deleted: RunText | null;
  /** Ids ticked for comparison, at most two, in the order ticked; `comparison` holds both once read, the older as run A. */
  picked: string[];
  comparison: { a: RunRecord; b: RunRecord } | null;
  /** Reads the list of runs and the storage facts. */
  refresh(): Promise<void>;
  /** Saves a run, or holds it in `pending` (and offers space when it did not fit). */
  keep(record: RunRecord): Promise<Kept>;
  /** Renames a run; returns why a name is refused (and keeps the old one), or null. */
  rename(id: string, name: string): Promise<string | null>;
  /** Deletes one run, which Undo brings back. */
  remove(id: string): Promise<void>;
  undoRemove(): Promise<void>;
  /** Deletes runs the person chose to make room, then saves the runs waiting for it. */
  makeRoom(ids: readonly string[]): Promise<void>;
  /** Shows a kept run in the Lab: its experiment on the form and its charts, without running it. */
  reopen(id: string): Promise<void>;
  /** Saves runs as one JSON file: one run as hedgelab-run-<name>.json, several as hedgelab-runs.json. */
  exportRuns(ids: readonly string[]): Promise<void>;
  exportPending(id: string): Promise<void>;
  discardPending(id: string): void;
  /** Imports run files (one run or a list each); any refused file imports nothing and lists why. */
  importFiles(files: readonly File[]): Promise<void>;
  pick(id: string, on: boolean): Promise<void>;
  dismiss(): void;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));
const isQuotaError = (e: unknown) => e instanceof DOMException && e.name === 'QuotaExceededError';
const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

const runFileName = (name: string) => `hedgelab-run-${fileStem(name, 'run')}.json`;
const jsonBlob = (text: string) => new Blob([text], { type: 'application/json' });

async function storageFacts(): Promise<StorageFacts | null> {
  const storage = navigator.storage as StorageManager | undefined;
  if (!storage?.estimate) return null;
  const [{ usage, quota }, persisted] = await Promise.all([storage.estimate(), storage.persisted?.() ?? false]);
  return usage === undefined || quota === undefined ? null : { usage, quota, persisted };
}

/** Asks once, at the first save, that the browser keep the runs (it may grant it silently, ask, or refuse). */
function askPersistence(): void {
  const local = localStore();
  if (!local || local.getItem(PERSIST_ASKED) !== null || !navigator.storage?.persist) return;
  local.setItem(PERSIST_ASKED, '1');
  void navigator.storage.persist().catch(() => false);
}

/** Writes a run unless the browser reports too little space or refuses the write for want of it. */
async function store({ summary, file }: RunFile): Promise<'saved' | 'full'> {
  const facts = await storageFacts();
  if (facts && facts.usage + file.size > facts.quota) return 'full';
  try {
    await writeRun(file, summary);
    return 'saved';
  } catch (e) {
    if (isQuotaError(e)) return 'full';
    throw e;
  }
}

/** A kept run's row and file, undefined when it is no longer kept. */
async function readKept(id: string): Promise<RunText | undefined> {
  const [summary, text] = await Promise.all([readSummary(id), readRunText(id)]);
  return summary && text !== undefined ? { summary, text } : undefined;
}

/** A kept run's record, read back through the checks of an imported file. */
async function readRecord(id: string): Promise<RunRecord> {
  const text = await readRunText(id);
  if (text === undefined) throw new Error('this run is no longer in the history');
  const read = readRunFile(text);
  if (!read.ok) throw new Error(`the kept run cannot be read: ${read.errors.join('; ')}`);
  return read.records[0]!;
}

/** Once no run waits, the Lab no longer says its run is not saved. */
function clearLabNotice(): void {
  const notices: readonly string[] = Object.values(UNSAVED_NOTICES);
  useLab.setState((s) => (s.run.notice !== null && notices.includes(s.run.notice) ? { run: { ...s.run, notice: null } } : {}));
}

export const useRunHistory = create<HistoryState>()((set, get) => {
  /** Lists the runs again, and keeps the ticks and the comparison only for runs still listed. */
  async function reread(): Promise<void> {
    const [runs, storage] = await Promise.all([listRuns(), storageFacts()]);
    const ids = new Set(runs.map((r) => r.id));
    const picked = get().picked.filter((id) => ids.has(id));
    set((s) => ({ runs, storage, status: 'ready', picked, comparison: picked.length === 2 ? s.comparison : null }));
  }

  /** Saves a run's file, or holds it in `pending`. */
  async function save(run: RunFile): Promise<Kept> {
    askPersistence();
    let kept: Kept;
    try {
      kept = await store(run);
      if (kept === 'full') set((s) => ({ pending: [...s.pending, { ...run, failure: null }] }));
    } catch (e) {
      kept = 'failed';
      set((s) => ({ pending: [...s.pending, { ...run, failure: errorText(e) }] }));
    }
    await reread().catch(() => undefined);
    return kept;
  }

  /** Tries the waiting runs again, oldest first, after space was freed; says which were saved. */
  async function savePending(): Promise<void> {
    const saved: string[] = [];
    for (const p of get().pending) {
      if ((await store(p).catch(() => 'failed')) !== 'saved') break;
      saved.push(p.summary.name);
      set((s) => ({ pending: s.pending.filter((q) => q !== p) }));
    }
    if (get().pending.length === 0) clearLabNotice();
    await reread();
    if (saved.length > 0) set({ message: `Saved ${saved.join(', ')}, which waited for space.` });
  }

  /** Runs `work` on the database; a failure is said in `problem` rather than thrown at a click. */
  async function guarded(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (e) {
      set({ problem: `The history could not be changed: ${errorText(e)}` });
    }
  }

  return {
    status: 'unread',
    runs: [],
    storage: null,
    pending: [],
    problem: null,
    message: null,
    importErrors: [],
    deleted: null,
    picked: [],
    comparison: null,

    async refresh() {
      const unreadable = get().status === 'failed';
      if (get().status === 'unread') set({ status: 'reading' });
      try {
        await reread();
        // The history can be read again: what said it could not no longer holds.
        if (unreadable) set({ problem: null });
      } catch (e) {
        set({ status: 'failed', problem: `This browser does not let the lab keep runs (IndexedDB): ${errorText(e)}` });
      }
    },

    keep(record) {
      let file: Blob;
      try {
        file = jsonBlob(runJson(record));
      } catch (e) {
        set({ problem: `${record.name} could not be kept: ${errorText(e)}` });
        return Promise.resolve('failed');
      }
      return save({ summary: runSummary(record, file.size), file });
    },

    async rename(id, name) {
      const trimmed = name.trim();
      if (trimmed === '') return 'A run needs a name: type at least one character.';
      if (trimmed.length > MAX_RUN_NAME) return `A name is at most ${MAX_RUN_NAME} characters (this one has ${trimmed.length}).`;
      try {
        const kept = await readKept(id);
        if (!kept) throw new Error('this run is no longer in the history');
        const renamed = jsonBlob(renamedRunJson(kept.text, trimmed));
        await writeRun(renamed, { ...kept.summary, name: trimmed, bytes: renamed.size });
      } catch (e) {
        return `The run could not be renamed: ${errorText(e)}`;
      }
      const renamed = (r: RunRecord) => (r.id === id ? { ...r, name: trimmed } : r);
      set((s) => ({ comparison: s.comparison && { a: renamed(s.comparison.a), b: renamed(s.comparison.b) } }));
      await reread();
      return null;
    },

    remove(id) {
      return guarded(async () => {
        const kept = await readKept(id);
        await deleteRuns([id]);
        set({ deleted: kept ?? null, message: kept ? `Deleted ${kept.summary.name}.` : null });
        await savePending();
      });
    },

    async undoRemove() {
      const run = get().deleted;
      if (!run) return;
      set({ deleted: null, message: null });
      if ((await save({ summary: run.summary, file: jsonBlob(run.text) })) === 'saved') set({ message: `${run.summary.name} is back.` });
    },

    makeRoom(ids) {
      return guarded(async () => {
        await deleteRuns(ids);
        set({ message: `Deleted ${plural(ids.length, 'run')} to make room.` });
        await savePending();
      });
    },

    reopen(id) {
      return guarded(async () => {
        if (useLab.getState().run.phase !== 'idle') return;
        const record = await readRecord(id);
        useLab.getState().load(record.config);
        useLab.setState({ view: record.view, run: { phase: 'idle', outcome: record.outcome, config: record.config, backend: record.backend, notice: null } });
        usePageView.getState().show('lab');
      });
    },

    exportRuns(ids) {
      return guarded(async () => {
        const runs = (await Promise.all(ids.map(readKept))).filter((r) => r !== undefined);
        if (runs.length === 0) return;
        download(runs.length === 1 ? runFileName(runs[0]!.summary.name) : 'hedgelab-runs.json', 'application/json', runFileText(runs.map((r) => r.text)));
      });
    },

    async exportPending(id) {
      const p = get().pending.find((q) => q.summary.id === id);
      if (p) download(runFileName(p.summary.name), 'application/json', await p.file.text());
    },

    discardPending(id) {
      set((s) => ({ pending: s.pending.filter((p) => p.summary.id !== id) }));
      if (get().pending.length === 0) clearLabNotice();
    },

    async importFiles(files) {
      set({ importErrors: [], message: null });
      const records: RunRecord[] = [];
      const errors: string[] = [];
      for (const file of files) {
        if (file.size > MAX_RUN_FILE_BYTES) {
          errors.push(`${file.name}: ${(file.size / 1024 / 1024).toFixed(1)} MB; a run file is at most ${MAX_RUN_FILE_BYTES / 1024 / 1024} MB.`);
          continue;
        }
        let text: string;
        try {
          text = await file.text();
        } catch (e) {
          errors.push(`${file.name}: the file could not be read (${errorText(e)})`);
          continue;
        }
        const read = readRunFile(text);
        if (read.ok) records.push(...read.records);
        else errors.push(...read.errors.map((e) => `${file.name}: ${e}`));
      }
      if (errors.length > 0) return set({ importErrors: errors });
      await guarded(async () => {
        const seen = new Set<string>();
        const skipped: string[] = [];
        let imported = 0;
        for (const record of records) {
          if (seen.has(record.id) || (await readSummary(record.id)) !== undefined) {
            skipped.push(record.name);
            continue;
          }
          seen.add(record.id);
          if ((await get().keep(record)) === 'saved') imported++;
        }
        const waiting = records.length - imported - skipped.length;
        const said = [
          `Imported ${plural(imported, 'run')}.`,
          ...(skipped.length > 0 ? [`Already in the history, not imported again: ${skipped.join(', ')}.`] : []),
          ...(waiting > 0 ? [`${plural(waiting, 'run')} wait for space (above).`] : []),
        ];
        set({ message: said.join(' ') });
      });
    },

    pick(id, on) {
      const picked = on ? [...get().picked.filter((p) => p !== id), id].slice(-2) : get().picked.filter((p) => p !== id);
      set({ picked, comparison: null });
      if (picked.length < 2) return Promise.resolve();
      return guarded(async () => {
        const [a, b] = (await Promise.all(picked.map(readRecord))).sort((x, y) => x.savedAt.localeCompare(y.savedAt));
        if (get().picked.join() === picked.join()) set({ comparison: { a, b } });
      });
    },

    dismiss() {
      set({ message: null, importErrors: [], deleted: null, problem: null });
    },
  };
});
