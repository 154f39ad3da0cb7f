/**
 * A market's first phase alone, without the hedgers: the forecaster market's Train, the signature-diffusion
 * market's Generate (lab-store.ts `start(true)`); Run then reuses what it trained. Disabled while a run goes or
 * the form has blockers.
 */
import { useLab } from './lab-store';
import { blockerCount } from './run-blockers';

export function FirstPhaseButton({ testId, label, after }: { testId: string; label: string; after: string }) {
  const idle = useLab((s) => s.run.phase === 'idle');
  const blocked = useLab((s) => blockerCount(s) > 0);
  const start = useLab((s) => s.start);
  return (
    <p className="panel-hint wide">
      <button type="button" data-testid={testId} disabled={!idle || blocked} onClick={() => void start(true)}>
        {label}
      </button>{' '}
      {after}
    </p>
  );
}
