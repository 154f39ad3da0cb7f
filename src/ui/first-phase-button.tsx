/**
 * A market's first phase alone, without the hedgers: the forecaster market's Train, the signature-diffusion
 * market's Generate (lab-store.ts `start(true)`); Run then reuses what it trained. Beside it, what the phase
 * alone should take on the active backend (run-cost.ts); above a few minutes it asks first, as Run does.
 * Disabled while a run goes or the form has blockers.
 */
import { useState } from 'react';
import type { RunEstimate } from '../engine/experiment/run-cost';
import { useLab } from './lab-store';
import { blockerCount } from './run-blockers';
import { CONFIRM_ABOVE_SECONDS, currentEstimate, LongRunConfirm } from './run-button';
import { duration } from './run-progress';

/** The seconds of the first phase in an estimate: the forecaster's or the generators'. */
const phaseSeconds = (e: RunEstimate | null | undefined): number | null => e?.generators?.seconds ?? e?.forecaster?.seconds ?? null;

export function FirstPhaseButton({ testId, label, after }: { testId: string; label: string; after: string }) {
  const idle = useLab((s) => s.run.phase === 'idle');
  const blocked = useLab((s) => blockerCount(s) > 0);
  const start = useLab((s) => s.start);
  const estimate = useLab((s) => (s.estimate?.config === s.check.config ? s.estimate?.result : null));
  const [asking, setAsking] = useState<RunEstimate | null>(null);
  const seconds = phaseSeconds(estimate);
  const onClick = async () => {
    const e = await currentEstimate();
    const s = phaseSeconds(e);
    if (e && s !== null && s > CONFIRM_ABOVE_SECONDS) setAsking(e);
    else void start(true);
  };
  return (
    <div className="panel-hint wide">
      <p>
        <button type="button" data-testid={testId} disabled={!idle || blocked} onClick={() => void onClick()}>
          {label}
        </button>{' '}
        {after}
        {seconds !== null && estimate && (
          <span data-testid={`${testId}-estimate`}>
            {' '}
            It should take {estimate.rough ? 'roughly' : 'about'} {duration(seconds)} on {estimate.backend}.
          </span>
        )}
      </p>
      {asking && idle && <LongRunConfirm estimate={asking} seconds={phaseSeconds(asking)!} what="It" yes={label} onYes={() => void start(true)} onClose={() => setAsking(null)} />}
    </div>
  );
}
