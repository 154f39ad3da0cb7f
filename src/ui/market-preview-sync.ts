/**
 * Keeps the market panel's preview current: whenever the experiment on the form is valid and its market
 * (or seed, or the price data it runs on) changes, the worker is asked for a fresh preview ~300 ms after the
 * last keystroke; while the form is invalid the last preview is marked stale, with why. A data market starts
 * loading the bundled S&P 500 series as soon as the form picks it. A forecaster market has no preview before
 * its forecaster is trained (the engine's paths come from it), nor a signature-diffusion market before its
 * generators are: the worker is not asked, and the market panel says so (market-panel.tsx).
 */
import { useEffect } from 'react';
import type { PricePanel } from '../engine/data/price-panel';
import { draftUsesPriceData, type DraftCheck } from './form-draft';
import { previewNone, previewStale, previewWaiting, useLab, type LabState } from './lab-store';
import { BUNDLED_LOADS, dataNeed } from './price-data';
import { formErrorCount } from './run-blockers';

export const PREVIEW_DELAY_MS = 300;

/** Why an invalid form's preview is out of date: the data it lacks, or how many errors the form has. */
function staleReason(check: DraftCheck): string {
  const data = Object.entries(check.fieldErrors).find(([key]) => key.startsWith('market.data.'));
  if (data) return `Out of date: ${data[1].join('; ')} to preview this market.`;
  const errors = formErrorCount(check);
  return `Out of date: the form has ${errors === 1 ? 'an error' : `${errors} errors`}, listed under Run. This is the market of the last valid form.`;
}

export function useMarketPreviewSync(): void {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let last: { key: string; panel: PricePanel | null; worker: string | null; waiting: string | null } | null = null;
    const cancel = () => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    };

    const onChange = (s: LabState, prev?: LabState) => {
      if (prev && s.check === prev.check && s.data === prev.data && s.backend === prev.backend) return;
      const m = s.draft.market;
      if (draftUsesPriceData(m) && m.data.source !== 'imported') {
        for (const symbol of m.data.source === 'sp500' ? (['SPX'] as const) : m.data.bundled) if (s.data[BUNDLED_LOADS[symbol].state].status === 'idle') void s.loadBundled(symbol);
      }

      const config = s.check.config;
      if (!config) {
        last = null;
        cancel();
        return previewStale(staleReason(s.check));
      }
      if (config.market.model === 'forecaster' || config.market.model === 'signature-diffusion') {
        last = null;
        cancel();
        return previewNone();
      }
      const need = dataNeed(config, s.data);
      const next = {
        key: JSON.stringify([config.market, config.seed]),
        panel: need.status === 'ready' ? need.panel : null,
        worker: s.backend.active,
        waiting: need.status === 'waiting' ? need.message : null,
      };
      if (last && next.key === last.key && next.panel === last.panel && next.worker === last.worker && next.waiting === last.waiting) return;
      last = next;
      cancel();
      if (next.waiting !== null) return previewWaiting(next.waiting);
      // The worker answers once it has started (a new backend is a new worker: ask it again).
      if (next.worker === null) return;
      timer = setTimeout(() => void useLab.getState().previewMarket(config, next.panel), PREVIEW_DELAY_MS);
    };

    onChange(useLab.getState());
    const unsubscribe = useLab.subscribe(onChange);
    return () => {
      unsubscribe();
      cancel();
    };
  }, []);
}
