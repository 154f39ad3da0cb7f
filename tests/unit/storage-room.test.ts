/**
 * Room for the run history (src/ui/storage-room.ts): which oldest runs the full-storage banner offers to
 * delete so that the waiting runs fit, whether the browser reports a real quota or (Chromium) usage + 10 GiB;
 * and sizes as a person reads them.
 */
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/ui/run-record';
import { bytesText, roomMakers, type PendingRun } from '../../src/ui/storage-room';

const summary = (id: string, bytes: number): RunSummary => ({
  id, name: id, savedAt: '2026-03-01T10:00:00.000Z', outcome: 'done', backend: 'webgpu', durationSeconds: 1, scored: 0, strategies: 0, best: null, forecasterNll: null, bytes,
});
/** Newest first, as the list holds them: c is the oldest. */
const runs = [summary('a', 300), summary('b', 200), summary('c', 100)];
const waiting = (bytes: number, failure: string | null = null): PendingRun => ({ summary: summary('new', bytes), file: new Blob(), failure });

describe('room for waiting runs', () => {
  it('offers the oldest runs that together free what the browser says is missing', () => {
    expect(roomMakers(runs, [waiting(250)], { usage: 950, quota: 1000, persisted: false })?.map((r) => r.id)).toEqual(['c', 'b']);
    expect(roomMakers(runs, [waiting(120)], { usage: 950, quota: 1000, persisted: false })?.map((r) => r.id)).toEqual(['c']);
  });

  it('asks for the whole run where the report leaves room but the browser refused the write', () => {
    const chromium = { usage: 950, quota: 950 + 10 * 2 ** 30, persisted: false };
    expect(roomMakers(runs, [waiting(150)], chromium)?.map((r) => r.id)).toEqual(['c', 'b']);
    expect(roomMakers(runs, [waiting(150)], null)?.map((r) => r.id)).toEqual(['c', 'b']);
  });

  it('counts only runs waiting for space, and says when deleting every run would not be enough', () => {
    expect(roomMakers(runs, [waiting(100), waiting(5000, 'the disk is read-only')], null)?.map((r) => r.id)).toEqual(['c']);
    expect(roomMakers(runs, [waiting(601)], null)).toBeNull();
  });

  it('writes sizes in bytes, KB, MB and GB', () => {
    expect([512, 15_360, 1_234_567, 10 * 2 ** 30].map(bytesText)).toEqual(['512 bytes', '15 KB', '1.2 MB', '10 GB']);
  });
});
