/**
 * Vite for the HedgeLab page. Both servers make the page cross-origin isolated (COOP + COEP), so the
 * WASM backend may use threads, and send a strict Content-Security-Policy: no inline or evaluated script,
 * only WebAssembly compilation; scripts and workers from the page's origin, or from blob: URLs, which only
 * the page's own scripts can mint (the WASM backend's thread pool starts as blob: workers that
 * importScripts a blob: copy of its loader).
 * TSX is compiled by Vite itself (tsconfig "jsx": "react-jsx"): @vitejs/plugin-react would inject an
 * inline script that this policy refuses.
 *
 * A static host (GitHub Pages, a plain file server) sends none of these headers, so the build carries them
 * itself: the policy as a <meta> element (less frame-ancestors, which a <meta> cannot carry), the
 * coi-serviceworker shim (gzuidhof/coi-serviceworker, served from the page's origin), which on a page
 * that is not cross-origin isolated registers a service worker adding COOP/COEP to every response and
 * reloads once; and `_headers` (Netlify / Cloudflare Pages format), the headers a host should send.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

/**
 * vega-datasets' package.json "exports" lists only its JS index, so `vega-datasets/data/<file>` (the bundled
 * S&P 500 CSV, loaded lazily with `?raw`) is refused by the resolver; this alias points at the data folder.
 */
const require = createRequire(import.meta.url);
const vegaDatasetsData = join(dirname(require.resolve('vega-datasets')), '..', 'data');

/** The shim's file name in the build, beside index.html (a service worker's scope is its folder). */
const COI_SHIM = 'coi-serviceworker.js';

/**
 * The page's policy. `devSocket`: the dev server's own hot-reload socket (ws://host:port), the one
 * WebSocket the page may open; `meta`: for a <meta> element, which cannot carry frame-ancestors.
 */
function contentSecurityPolicy({ devSocket = null, meta = false }: { devSocket?: string | null; meta?: boolean } = {}): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval' blob:",
    "worker-src 'self' blob:",
    // Plotly adds its rules in a <style> element, and Vite's dev server injects CSS the same way.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${devSocket ? ` ${devSocket}` : ''}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    ...(meta ? [] : ["frame-ancestors 'none'"]),
  ].join('; ');
}

const ISOLATION_HEADERS: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'X-Content-Type-Options': 'nosniff',
};

/** What a host of the built page should send with every response (`_headers` in the build). */
function securityHeaders(): Record<string, string> {
  return { ...ISOLATION_HEADERS, 'Content-Security-Policy': contentSecurityPolicy() };
}

/** The dev server's policy names the socket at the address the page was asked for (its Host header). */
function devServerPolicy(): Plugin {
  return {
    name: 'hedgelab-dev-csp',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const host = req.headers.host ?? '';
        res.setHeader('Content-Security-Policy', contentSecurityPolicy({ devSocket: /^[A-Za-z0-9.\-[\]:]+$/.test(host) ? `ws://${host}` : null }));
        next();
      });
    },
  };
}

/** The build's own policy, isolation shim and headers file, for hosts that send no headers. */
function staticHostSecurity(): Plugin {
  let base = '/';
  return {
    name: 'hedgelab-static-host-security',
    apply: 'build',
    configResolved(config) {
      base = config.base;
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: COI_SHIM, source: readFileSync(require.resolve('coi-serviceworker/coi-serviceworker.min.js')) });
      const headers = Object.entries(securityHeaders()).map(([name, value]) => `  ${name}: ${value}`);
      this.emitFile({ type: 'asset', fileName: '_headers', source: ['/*', ...headers, ''].join('\n') });
    },
    transformIndexHtml: () => [
      // Before every script: a policy in a <meta> element governs only what follows it.
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy({ meta: true }) }, injectTo: 'head-prepend' },
      { tag: 'script', attrs: { src: `${base}${COI_SHIM}` }, injectTo: 'head-prepend' },
    ],
  };
}

export default defineConfig({
  plugins: [devServerPolicy(), staticHostSecurity()],
  resolve: { alias: [{ find: /^vega-datasets\/data\//, replacement: `${vegaDatasetsData}/` }] },
  // The dev server's policy is set per request (devServerPolicy), for the socket's address.
  server: { headers: ISOLATION_HEADERS },
  // The dev server pre-bundles the dependencies it finds by crawling from index.html, which never reaches
  // the lab worker (started by `new Worker(new URL(...))`): crawled from the page alone, tfjs is found on
  // the first visit, re-bundled, and the page reloads. Crawling from the worker too lists them up front.
  optimizeDeps: { entries: ['index.html', 'workers/lab.worker.ts'] },
  preview: { headers: securityHeaders() },
  worker: {
    format: 'es',
    // No compression in the worker: it would drop the `typeof _scriptDir !== 'undefined'` guard in the
    // WASM backend's thread loader, whose source is copied into blob: threads where the name is unbound.
    rolldownOptions: { output: { minify: { compress: false, mangle: true } } },
  },
  build: {
    target: 'es2022',
    // plotly.js and tfjs are large single modules; they load in their own chunks (plotly lazily).
    chunkSizeWarningLimit: 6000,
  },
});
