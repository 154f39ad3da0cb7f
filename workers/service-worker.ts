/**
 * The lab's service worker, built by vite-plugin-pwa (injectManifest) to service-worker.js beside
 * index.html, so that after one visit the lab loads and runs with no network:
 * - it precaches every file of the build (workbox-precaching: the page, its chunks, the lab worker, plotly,
 *   the tfjs wasm binaries, the bundled price series, icons, the manifest), and answers from that cache;
 *   a URL's query is ignored, as no file of the build depends on one;
 * - it adds COOP/COEP to every response it gives the page (cross-origin-isolation.ts), the job of the
 *   coi-serviceworker shim it replaces, so that the page is cross-origin isolated (WASM threads) on a
 *   static host that sends no headers; what is not precached comes from the network, with the same headers;
 * - a new version installs beside the running one and waits until a page asks it to take over (the update
 *   banner's Reload, a SKIP_WAITING message from workbox-window); it then claims every tab of the lab.
 */
import { clientsClaim, type WorkboxPlugin } from 'workbox-core';
import { addPlugins, cleanupOutdatedCaches, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';
import { registerRoute } from 'workbox-routing';
import { NetworkOnly } from 'workbox-strategies';
import { withIsolation } from './cross-origin-isolation';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | PrecacheEntry)[] };

const isolation: WorkboxPlugin = { handlerWillRespond: async ({ response }) => withIsolation(response) };

addPlugins([isolation]);
precacheAndRoute(self.__WB_MANIFEST, { ignoreURLParametersMatching: [/.*/] });
cleanupOutdatedCaches();

// Everything else from the network. Chromium's DevTools may send `only-if-cached` requests of another mode,
// which fetch() refuses: those are left to the browser, as the shim did.
registerRoute(({ request }) => !(request.cache === 'only-if-cached' && request.mode !== 'same-origin'), new NetworkOnly({ plugins: [isolation] }));

self.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
clientsClaim();
