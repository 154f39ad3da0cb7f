/**
 * Run, with what the run will cost beside it: the estimate of the experiment on the form on the active
 * backend (run-cost.ts, priced by the backend's measured speed). A run estimated above a few minutes asks for
 * confirmation first, saying how long and on what.
 */
import { useState } from 'react';
import type { RunEstimate } from '../engine/experiment/run-cost';
import { useLab } from './lab-store';
import { dataNeed } from './price-data';
import { blockerCount } from './run-blockers';
import { duration } from './run-progress';

/** Runs estimated above this many seconds ask before they start. */
export const CONFIRM_ABOVE_SECONDS = 180;

function EstimateText() {
  const estimate = useLab((s) => s.estimate?.result ?? null);
  const measuring = useLab((s) => s.backend.measuring);
  const idle = useLab((s) => s.run.phase === 'idle');
  const valid = useLab((s) => s.check.config !== null);
  const ready = useLab((s) => s.backend.active !== null);
  if (!idle || !valid || !ready || (!estimate && !measuring)) return null;
  const text = estimate ? `${estimate.rough ? 'roughly' : 'about'} ${duration(estimate.seconds)} on ${estimate.backend}` : 'timing this backend for an estimate…';
  return (
    <span className="run-estimate" data-testid="run-estimate" data-seconds={estimate ? Math.round(estimate.seconds) : undefined} title="Training and scoring time estimated from this backend's measured speed; preparing the market comes on top.">
      {text}
    </span>
  );
}

/** The question before a run (or a first phase alone) of more than a few minutes: how long, on what, Run it or Cancel. */
export function LongRunConfirm({ estimate, seconds, what, yes, onYes, onClose }: { estimate: RunEstimate; seconds: number; what: string; yes: string; onYes: () => void; onClose: () => void }) {
  return (
    <div className="run-confirm" role="alertdialog" aria-labelledby="run-confirm-text" data-testid="run-confirm">
      <p id="run-confirm-text">
        {what} should take {estimate.rough ? 'roughly' : 'about'} {duration(seconds)} on {estimate.backend}. The page stays usable meanwhile, and Stop ends it at any time.
      </p>
      <button
        type="button"
        className="primary"
        data-testid="run-confirm-yes"
        autoFocus
        onClick={() => {
          onClose();
          onYes();
        }}
      >
        {yes}
      </button>
      <button type="button" data-testid="run-confirm-no" onClick={onClose}>
        Cancel
      </button>
    </div>
  );
}

/** The estimate of the form's experiment on the active backend, asked for when the one held is of another. */
export async function currentEstimate(): Promise<RunEstimate | null> {
  const s = useLab.getState();
  if (!s.check.config) return null;
  const need = dataNeed(s.check.config, s.data);
  return s.estimate?.config === s.check.config ? s.estimate.result : s.estimateRun(s.check.config, need.status === 'ready' ? need.panel : null);
}

export function RunButton() {
  const idle = useLab((s) => s.run.phase === 'idle');
  const blocked = useLab((s) => blockerCount(s) > 0);
  const start = useLab((s) => s.start);
  const [asking, setAsking] = useState<RunEstimate | null>(null);

  /** Runs at once, or asks first when the form's experiment is estimated above a few minutes. */
  const onRun = async () => {
    if (!useLab.getState().check.config) return;
    const estimate = await currentEstimate();
    if (estimate && estimate.seconds > CONFIRM_ABOVE_SECONDS) setAsking(estimate);
    else void start();
  };

  return (
    <>
      <button
        type="button"
        className="primary"
        data-testid="run-button"
        disabled={!idle || blocked}
        onClick={() => void onRun()}
      >
        Run
      </button>
      <EstimateText />
      {asking && idle && <LongRunConfirm estimate={asking} seconds={asking.seconds} what="This run" yes="Run it" onYes={() => void start()} onClose={() => setAsking(null)} />}
    </>
  );
}
