/**
 * The lab offline: registers the service worker (workers/service-worker.ts, built to service-worker.js at
 * the site's base; none in the dev server) and holds what the page shows of it (offline-status.tsx):
 * whether this version is stored for use with no network, and whether a newer one waits to take over.
 * A waiting version takes over only when the person asks (Reload), and then this tab reloads on it; a tab
 * whose version another tab replaced keeps its page and offers the reload instead.
 *
 * On a static host that sends no COOP/COEP headers the first visit is not cross-origin isolated: once the
 * service worker controls the page (its responses carry the headers), the page reloads once, unless a run
 * is under way (the next visit is isolated). A flag in sessionStorage keeps a browser that stays
 * unisolated from reloading again. This is the part of gzuidhof/coi-serviceworker that ran in the page.
 */
import { create } from 'zustand';
import { useComparison } from './comparison-store';
import { useLab } from './lab-store';

/** The service worker's script, as vite.config.ts has vite-plugin-pwa build it. */
const SERVICE_WORKER = `${import.meta.env.BASE_URL}service-worker.js`;

/** 'waiting': a newer version is installed and waits; 'active': another tab let it take over. */
export type OfflineUpdate = 'none' | 'waiting' | 'active';

export interface OfflineState {
  /** Every file of this version is in the service worker's cache: the lab loads and runs with no network. */
  ready: boolean;
  update: OfflineUpdate;
  /** The person closed the banner of the update at hand. */
  dismissed: boolean;
  /** Reloads the page on the newer version (the waiting one is asked to take over first). */
  reload(): void;
  dismiss(): void;
}

/** Set just before the page reloads to become isolated; cleared on an isolated page. */
const ISOLATION_RELOAD_KEY = 'hedgelab.isolation-reload';

let registration: ServiceWorkerRegistration | null = null;
/** This tab asked for the newer version, so it reloads when that version takes control. */
let asked = false;

export const useOffline = create<OfflineState>()((set, get) => ({
  ready: false,
  update: 'none',
  dismissed: false,
  reload() {
    const waiting = registration?.waiting;
    if (get().update === 'active' || !waiting) {
      window.location.reload();
      return;
    }
    asked = true;
    waiting.postMessage({ type: 'SKIP_WAITING' });
  },
  dismiss() {
    set({ dismissed: true });
  },
}));

/** A run or a comparison is under way: a reload would stop it. */
export function runUnderWay(): boolean {
  return useLab.getState().run.phase !== 'idle' || useComparison.getState().phase !== 'idle';
}

function session(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/** Reloads a page the service worker can make isolated but which is not (yet), at most once a session. */
function reloadForIsolation(): void {
  if (window.crossOriginIsolated !== false || session()?.getItem(ISOLATION_RELOAD_KEY) !== null || runUnderWay()) return;
  session()?.setItem(ISOLATION_RELOAD_KEY, '1');
  window.location.reload();
}

/** A newer version waits while this one is active: a new deploy, found on a visit or by the browser's check. */
function watchForUpdates(found: ServiceWorkerRegistration): void {
  const check = () => {
    if (found.waiting && found.active && useOffline.getState().update === 'none') useOffline.setState({ update: 'waiting', dismissed: false });
  };
  const follow = (worker: ServiceWorker | null) => worker?.addEventListener('statechange', check);
  check();
  follow(found.installing);
  found.addEventListener('updatefound', () => follow(found.installing));
}

/** A new controller: the version this tab asked for, one another tab let in, or the first visit's worker. */
function onControllerChange(): void {
  if (asked) window.location.reload();
  else if (useOffline.getState().update === 'waiting') useOffline.setState({ update: 'active', dismissed: false });
  else reloadForIsolation();
}

/** Registers the service worker once the page has loaded; called once, from main.tsx. */
export function startOfflineApp(): void {
  if (import.meta.env.DEV || !('serviceWorker' in navigator)) return;
  if (window.crossOriginIsolated) session()?.removeItem(ISOLATION_RELOAD_KEY);
  navigator.serviceWorker.addEventListener('controllerchange', onControllerChange);
  // Active means installed: every file of the build is stored.
  void navigator.serviceWorker.ready.then(() => useOffline.setState({ ready: true }));
  window.addEventListener(
    'load',
    () =>
      void navigator.serviceWorker.register(SERVICE_WORKER, { scope: import.meta.env.BASE_URL }).then((r: ServiceWorkerRegistration | undefined) => {
        // Where service workers are blocked (a browser's policy, or automation), registering may give nothing.
        if (!r) return;
        registration = r;
        watchForUpdates(r);
        // A hard reload bypasses the worker: the page is not controlled, so not isolated on a static host.
        if (r.active && !navigator.serviceWorker.controller) reloadForIsolation();
      }, (error: unknown) => console.warn('HedgeLab could not store itself for offline use:', error)),
    { once: true },
  );
}
