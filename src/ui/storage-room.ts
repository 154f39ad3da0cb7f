/**
 * Room in the browser's storage for the run history (issue 18): what the browser reports
 * (navigator.storage.estimate, persisted), the runs waiting for space, which oldest runs to offer for
 * deletion so that they fit, and sizes as a person reads them. Pure: run-history-store.ts asks the browser.
 */
import type { RunSummary } from './run-record';

export interface StorageFacts {
  usage: number;
  quota: number;
  /** The browser keeps this site's storage until the person clears it (navigator.storage.persisted()). */
  persisted: boolean;
}

/** A run as a file (run-file.ts) and its row in the History list: what a save writes. */
export interface RunFile {
  summary: RunSummary;
  file: Blob;
}

/** A run not saved yet, held in memory. */
export interface PendingRun extends RunFile {
  /** Null while it waits for space; what storage said when it failed otherwise. */
  failure: string | null;
}

/**
 * The oldest runs whose deletion should make room for the runs waiting: the space they need beyond what
 * the browser reports free (all of it where the report leaves room, since the browser refused anyway, as
 * Chromium reports usage + 10 GiB whatever its real quota), null if deleting every run would not be enough.
 */
export function roomMakers(runs: readonly RunSummary[], pending: readonly PendingRun[], storage: StorageFacts | null): RunSummary[] | null {
  const waiting = pending.filter((p) => p.failure === null).reduce((sum, p) => sum + p.summary.bytes, 0);
  const free = storage ? storage.quota - storage.usage : 0;
  const needed = free < waiting ? waiting - Math.max(0, free) : waiting;
  const oldest = [...runs].reverse();
  let freed = 0;
  for (let n = 0; n < oldest.length; n++) {
    freed += oldest[n]!.bytes;
    if (freed >= needed) return oldest.slice(0, n + 1);
  }
  return null;
}

/** 1234567 -> "1.2 MB" (powers of 1024, as the browser's own storage settings count). */
export function bytesText(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let n = bytes;
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return u === 0 ? `${Math.round(n)} bytes` : `${n < 10 ? n.toFixed(1) : Math.round(n)} ${units[u]}`;
}
