/**
 * What the header shows of the lab offline (offline-app.ts): a banner when a new version of HedgeLab is
 * ready, with Reload (the new version takes over and the page reloads on it) and dismiss, saying so when
 * the reload would stop a run under way; otherwise, once every file is stored, a small "Ready offline" tag,
 * so that a teacher knows before class that the lab will load with no network.
 */
import { useComparison } from './comparison-store';
import { useLab } from './lab-store';
import { runUnderWay, useOffline } from './offline-app';

function UpdateBanner() {
  const update = useOffline((s) => s.update);
  const { reload, dismiss } = useOffline.getState();
  // Drawn again whenever a run or comparison starts or ends.
  useLab((s) => s.run.phase);
  useComparison((s) => s.phase);
  const running = runUnderWay();
  return (
    <div className="banner update" role="status" data-testid="update-banner">
      <span>
        <strong>{update === 'active' ? 'A new version of HedgeLab took over in another tab.' : 'A new version of HedgeLab is ready.'}</strong>{' '}
        {running ? 'Reloading to update will stop the run in progress.' : 'Reload to update.'}
      </span>
      <span className="update-actions">
        <button type="button" data-testid="update-reload" onClick={reload}>
          {running ? 'Stop and reload' : 'Reload'}
        </button>
        <button type="button" className="link-button" data-testid="update-dismiss" onClick={dismiss} aria-label="Dismiss">
          ×
        </button>
      </span>
    </div>
  );
}

export function OfflineStatus() {
  const ready = useOffline((s) => s.ready);
  const pending = useOffline((s) => s.update !== 'none' && !s.dismissed);
  if (pending) return <UpdateBanner />;
  if (!ready) return null;
  return (
    <p className="offline-ready" data-testid="offline-ready" title="Every file of this version of HedgeLab is stored in this browser: it loads and runs with no network.">
      Ready offline
    </p>
  );
}
