/** The run's progress bar: fraction done, what the engine is doing, time left, and how the run ended. */
import { useLab } from './lab-store';
import { dataWaitingFor, formErrorCount } from './run-blockers';

export function duration(seconds: number): string {
  if (seconds < 1) return 'less than a second';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds - 60 * m);
  return s ? `${m} min ${s} s` : `${m} min`;
}

export function RunProgress() {
  const run = useLab((s) => s.run);
  const progress = useLab((s) => s.view.progress);
  const error = useLab((s) => s.view.error);
  const backend = useLab((s) => s.backend);
  const waitingFor = useLab(dataWaitingFor);
  const formErrors = useLab((s) => formErrorCount(s.check));
  const fraction = progress?.fraction ?? 0;
  const percent = Math.round(100 * fraction);
  /** Early in a long run, whole percents read as "0%": show a tenth of a percent there. */
  const shown = fraction > 0 && fraction < 0.1 ? `${(100 * fraction).toFixed(1)}%` : `${percent}%`;

  let status: string;
  if (run.phase === 'running') {
    const left = progress?.etaSeconds == null ? 'estimating time left…' : `about ${duration(progress.etaSeconds)} left`;
    status = progress ? `${progress.phase} · ${shown} · ${left}` : 'Starting…';
  } else if (run.phase === 'stopping') {
    status = 'Stopping after the current step…';
  } else if (waitingFor !== null && backend.active !== null) {
    status = waitingFor;
  } else if (formErrors > 0 && backend.active !== null) {
    status = `Run waits for the form: ${formErrors === 1 ? 'one error' : `${formErrors} errors`} to fix, listed below`;
  } else if (run.outcome === 'done') {
    status = `Finished${progress ? ` in ${duration(progress.elapsedSeconds)}` : ''}`;
  } else if (run.outcome === 'stopped') {
    status = `Stopped at ${shown}${progress ? ` (${progress.phase})` : ''}`;
  } else if (run.outcome === 'failed') {
    status = 'The run failed';
  } else if (backend.active === null) {
    status = backend.error ? 'No backend to run on' : 'Starting the lab…';
  } else {
    status = 'Ready: set up an experiment and press Run';
  }

  return (
    <div className={`run-progress ${run.phase}${run.outcome ? ` ${run.outcome}` : ''}`}>
      <div
        className="bar"
        data-testid="progress"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Number((100 * fraction).toFixed(1))}
        aria-label="Run progress"
      >
        <div className="fill" style={{ width: `${100 * fraction}%` }} />
      </div>
      <span
        className={`status${waitingFor !== null && run.phase === 'idle' ? ' waiting' : ''}`}
        data-testid="run-status"
        data-phase={run.phase}
        data-outcome={run.outcome ?? ''}
        data-waiting={waitingFor !== null && run.phase === 'idle' ? 'data' : undefined}
      >
        {status}
      </span>
      {run.notice && (
        <p className="banner" role="status" data-testid="run-notice">
          {run.notice}
        </p>
      )}
      {run.outcome === 'failed' && error && (
        <p className="banner error" role="alert" data-testid="run-error">
          {error}
        </p>
      )}
    </div>
  );
}
