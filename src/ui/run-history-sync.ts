/**
 * Keeps every finished or stopped Lab run in the history (issue 18): when a run goes from running (or
 * stopping) to idle with outcome 'done' or 'stopped' (a failed run is not kept), its experiment, the view the
 * Lab shows, the backend and the seconds since Run are saved as one record. Forecaster "Train" runs are runs
 * too. A run that does not fit stays in memory and the Lab says so (run-history-store.ts offers the space).
 */
import { useEffect } from 'react';
import { useLab } from './lab-store';
import { newRunRecord } from './run-record';
import { UNSAVED_NOTICES, useRunHistory } from './run-history-store';

export function useRunHistorySync(): void {
  useEffect(() => {
    let startedAt: number | null = null;
    return useLab.subscribe((s, prev) => {
      if (s.run.phase === 'running' && prev.run.phase === 'idle') startedAt = performance.now();
      if (s.run.phase !== 'idle' || prev.run.phase === 'idle' || startedAt === null) return;
      const { outcome, config, backend } = s.run;
      const durationSeconds = (performance.now() - startedAt) / 1000;
      startedAt = null;
      if ((outcome !== 'done' && outcome !== 'stopped') || !config || !backend) return;
      const record = newRunRecord({ outcome, backend, durationSeconds, config, view: s.view }, new Date());
      void useRunHistory
        .getState()
        .keep(record)
        .then((kept) => {
          // Said in the Lab while it still shows this run.
          if (kept !== 'saved') useLab.setState((now) => (now.view === record.view ? { run: { ...now.run, notice: UNSAVED_NOTICES[kept] } } : {}));
        });
    });
  }, []);
}
