/**
 * The top bar: title, the Lab / Compare / Learn / History tabs, the tfjs backend in use (and a selector to change it), the run
 * controls and the progress bar.
 */
import type { KeyboardEvent } from 'react';
import { BACKENDS, backendFacts } from '../client/lab-client';
import { CopyLinkButton } from './copy-link-button';
import { useLab, type BackendChoice } from './lab-store';
import { OfflineStatus } from './offline-status';
import { usePageView, type PageView } from './page-view';
import { RunButton } from './run-button';
import { RunBlockers } from './run-blockers';
import { RunProgress } from './run-progress';

const CHOICES: readonly BackendChoice[] = ['auto', ...BACKENDS];

/**
 * The backend in use and, under "auto", why it was picked ("40x faster than webgpu (software adapter:
 * SwiftShader) here"); its tooltip says how it runs ("wasm · SIMD · 2 threads", the WebGPU adapter) and
 * which backends were passed over, and why.
 */
function BackendBadge() {
  const backend = useLab((s) => s.backend);
  const facts = backend.active ? [backendFacts({ active: backend.active, adapter: backend.adapter, wasm: backend.wasm })] : [];
  const why = [...facts, ...backend.failures.map((f) => `${f.backend} unavailable: ${f.reason}`)].join('\n');
  const state = backend.active ? 'ready' : backend.error ? 'failed' : 'starting';
  const starting = backend.measuring ? 'measuring which backend is faster here…' : 'starting…';
  return (
    <span className={`badge ${state}`} data-testid="backend-badge" data-backend={backend.active ?? ''} title={backend.error ?? (why || undefined)}>
      {backend.active ?? (backend.error ? 'no backend' : starting)}
      {backend.active && backend.pick && <small data-testid="backend-why">: {backend.pick.reason}</small>}
    </span>
  );
}

/** The views, in tab order; each tab controls the panel of that id (app.tsx, comparison-view.tsx, lesson-view.tsx, history-view.tsx). */
const VIEWS: readonly { view: PageView; label: string; tab: string; panel: string }[] = [
  { view: 'lab', label: 'Lab', tab: 'tab-lab', panel: 'lab-view' },
  { view: 'compare', label: 'Compare', tab: 'tab-compare', panel: 'compare-view' },
  { view: 'learn', label: 'Learn', tab: 'tab-learn', panel: 'learn-view' },
  { view: 'history', label: 'History', tab: 'tab-history', panel: 'history-view' },
];

/** Where each key moves the selection among the tabs (a roving tabindex: only the selected tab is in the Tab order). */
const TAB_KEYS: Record<string, (at: number) => number> = {
  ArrowLeft: (at) => (at + VIEWS.length - 1) % VIEWS.length,
  ArrowRight: (at) => (at + 1) % VIEWS.length,
  Home: () => 0,
  End: () => VIEWS.length - 1,
};

/** Lab (one run, live), Compare (strategies side by side over a grid), Learn and History, as ARIA tabs: arrows, Home and End select. */
function ViewTabs() {
  const open = usePageView((s) => s.view);
  const show = usePageView((s) => s.show);
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const move = TAB_KEYS[e.key];
    if (!move) return;
    e.preventDefault();
    const next = VIEWS[move(VIEWS.findIndex((v) => v.view === open))]!;
    show(next.view);
    document.getElementById(next.tab)?.focus();
  };
  return (
    <div className="view-tabs" role="tablist" aria-label="View" onKeyDown={onKeyDown}>
      {VIEWS.map((v) => (
        <button
          key={v.tab}
          type="button"
          role="tab"
          id={v.tab}
          aria-selected={open === v.view}
          aria-controls={v.panel}
          tabIndex={open === v.view ? 0 : -1}
          data-testid={v.tab}
          onClick={() => show(v.view)}
        >
          {v.label}
        </button>
      ))}
    </div>
  );
}

/** A backend that cannot start says so in plain sight, not only in the badge's tooltip. */
function BackendError() {
  const error = useLab((s) => s.backend.error);
  if (!error) return null;
  return (
    <p className="banner error" role="alert" data-testid="backend-error">
      <strong>The lab has no backend:</strong> {error}. Choose another backend above.
    </p>
  );
}

export function LabHeader() {
  const phase = useLab((s) => s.run.phase);
  const choice = useLab((s) => s.backend.choice);
  const { connect, stop, reset } = useLab.getState();
  const idle = phase === 'idle';

  return (
    <header className="lab-header">
      <div className="title-row">
        <h1>
          HedgeLab <small>deep hedging in your browser</small>
        </h1>
        <ViewTabs />
        <div className="backend">
          <label>
            Backend{' '}
            <select data-testid="backend-select" value={choice} disabled={!idle} onChange={(e) => void connect(e.target.value as BackendChoice)}>
              {CHOICES.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
          <BackendBadge />
        </div>
        <div className="controls">
          <RunButton />
          <button type="button" className="stop" data-testid="stop-button" disabled={phase !== 'running'} onClick={stop}>
            Stop
          </button>
          <button type="button" data-testid="reset-button" disabled={!idle} onClick={reset} title="Back to the default experiment">
            Reset
          </button>
          <CopyLinkButton />
        </div>
      </div>
      <RunProgress />
      {idle && <RunBlockers action="Run" testId="run-blockers" />}
      <BackendError />
      <OfflineStatus />
    </header>
  );
}
