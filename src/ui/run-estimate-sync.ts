/**
 * Keeps the run estimate beside Run current: whenever the experiment on the form is valid and idle, and the
 * active backend has a measured speed, the worker prices the experiment (run-cost.ts) ~300 ms after the last
 * keystroke; an estimate of another experiment than the form's is never shown.
 */
import { useEffect } from 'react';
import { useLab, type LabState } from './lab-store';
import { dataNeed } from './price-data';

const ESTIMATE_DELAY_MS = 300;

export function useRunEstimateSync(): void {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const onChange = (s: LabState, prev?: LabState) => {
      if (prev && s.check === prev.check && s.data === prev.data && s.backend.calibration === prev.backend.calibration) return;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      const config = s.check.config;
      if (s.estimate && s.estimate.config !== config) useLab.setState({ estimate: null });
      if (!config || !s.backend.calibration) return;
      const need = dataNeed(config, s.data);
      const panel = need.status === 'ready' ? need.panel : null;
      timer = setTimeout(() => void useLab.getState().estimateRun(config, panel), ESTIMATE_DELAY_MS);
    };
    onChange(useLab.getState());
    const unsubscribe = useLab.subscribe(onChange);
    return () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    };
  }, []);
}
