/**
 * The run history's IndexedDB database (through `idb`): `runs` holds each run's file, the JSON of
 * run-file.ts exactly as Export saves it, as a Blob; `summaries` holds the row the History list shows of each,
 * so that listing reads no chart data. Both are keyed by the run's id with an index on the date it was saved,
 * and written together in one transaction.
 * Why a Blob and not the record as a structured clone: Chromium keeps small values (most runs are a few tens
 * of KB) inside its LevelDB files, where a deleted one keeps its space until LevelDB compacts, so deleting old
 * runs would not make room for a new one; a Blob is a file of its own, freed with its run. A write the browser refuses for
 * want of space rejects with its QuotaExceededError (the transaction's error), which run-history-store.ts
 * turns into an offer to free space.
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction } from 'idb';
import type { RunSummary } from './run-record';

const DB_NAME = 'hedgelab-history';
/** Version 1: the `runs` and `summaries` stores. A new version adds its step to `upgrade`. */
const DB_VERSION = 1;

/** A run as the `runs` store holds it: its file. */
interface StoredRun {
  id: string;
  savedAt: string;
  file: Blob;
}

interface HistoryDb extends DBSchema {
  runs: { key: string; value: StoredRun; indexes: { savedAt: string } };
  summaries: { key: string; value: RunSummary; indexes: { savedAt: string } };
}

let opened: Promise<IDBPDatabase<HistoryDb>> | null = null;

/** The database, opened on first use; a tab that opens a newer version makes this one let go of it. */
function database(): Promise<IDBPDatabase<HistoryDb>> {
  opened ??= openDB<HistoryDb>(DB_NAME, DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore('runs', { keyPath: 'id' }).createIndex('savedAt', 'savedAt');
        db.createObjectStore('summaries', { keyPath: 'id' }).createIndex('savedAt', 'savedAt');
      }
    },
    blocking() {
      void opened?.then((db) => db.close());
      opened = null;
    },
    terminated() {
      opened = null;
    },
  }).catch((e: unknown) => {
    opened = null;
    throw e;
  });
  return opened;
}

/** Every run's summary, newest first. */
export async function listRuns(): Promise<RunSummary[]> {
  return (await (await database()).getAllFromIndex('summaries', 'savedAt')).reverse();
}

/**
 * A run's file (run-file.ts) as text, undefined when it is no longer kept. The Blob read from IndexedDB is
 * dropped at once: while one is alive, Chromium keeps its file, and the space a deletion would free.
 */
export async function readRunText(id: string): Promise<string | undefined> {
  return (await (await database()).get('runs', id))?.file.text();
}

/**
 * Runs `work` on both stores in one read-write transaction; a refused transaction rejects with its own error
 * (a QuotaExceededError when storage is full), not with the AbortError of the request it cut short.
 */
async function inTransaction(work: (tx: IDBPTransaction<HistoryDb, ['runs', 'summaries'], 'readwrite'>) => Promise<unknown>[]): Promise<void> {
  const tx = (await database()).transaction(['runs', 'summaries'], 'readwrite');
  try {
    await Promise.all([...work(tx), tx.done]);
  } catch (e) {
    await tx.done.catch(() => undefined);
    throw tx.error ?? e;
  }
}

/** Keeps a run's file and its summary (replacing a run of the same id: a rename). */
export function writeRun(file: Blob, summary: RunSummary): Promise<void> {
  return inTransaction((tx) => [tx.objectStore('runs').put({ id: summary.id, savedAt: summary.savedAt, file }), tx.objectStore('summaries').put(summary)]);
}

export function deleteRuns(ids: readonly string[]): Promise<void> {
  return inTransaction((tx) => ids.flatMap((id) => [tx.objectStore('runs').delete(id), tx.objectStore('summaries').delete(id)]));
}

export async function readSummary(id: string): Promise<RunSummary | undefined> {
  return (await database()).get('summaries', id);
}
