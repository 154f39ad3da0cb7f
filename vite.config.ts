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
 * itself: the policy as a <meta> element (less frame-ancestors, which a <meta> cannot carry); the lab's
 * service worker (workers/service-worker.ts, built by vite-plugin-pwa beside index.html), which adds
 * COOP/COEP to every response it gives the page (src/ui/offline-app.ts reloads a page that is not yet
 * isolated once the worker controls it); and `_headers` (Netlify / Cloudflare Pages format), the headers a
 * host should send. The same service worker precaches the whole build, so that after one visit the lab
 * loads and runs with no network, and the web app manifest makes it installable.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig, type Plugin, type PluginOption } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { ISOLATION_HEADERS } from './workers/cross-origin-isolation.js';

/**
 * vega-datasets' package.json "exports" lists only its JS index, so `vega-datasets/data/<file>` (the bundled
 * S&P 500 CSV, loaded lazily with `?raw`) is refused by the resolver; this alias points at the data folder.
 */
const require = createRequire(import.meta.url);
const vegaDatasetsData = join(dirname(require.resolve('vega-datasets')), '..', 'data');

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

const SERVER_HEADERS: Record<string, string> = { ...ISOLATION_HEADERS, 'X-Content-Type-Options': 'nosniff' };

/** What a host of the built page should send with every response (`_headers` in the build). */
function securityHeaders(): Record<string, string> {
  return { ...SERVER_HEADERS, 'Content-Security-Policy': contentSecurityPolicy() };
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

/** The build's own policy and headers file, for hosts that send no headers. */
function staticHostSecurity(): Plugin {
  return {
    name: 'hedgelab-static-host-security',
    apply: 'build',
    generateBundle() {
      const headers = Object.entries(securityHeaders()).map(([name, value]) => `  ${name}: ${value}`);
      this.emitFile({ type: 'asset', fileName: '_headers', source: ['/*', ...headers, ''].join('\n') });
    },
    transformIndexHtml: () => [
      // Before every script: a policy in a <meta> element governs only what follows it.
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy({ meta: true }) }, injectTo: 'head-prepend' },
    ],
  };
}

/** The colours of the installed lab's window and splash screen: styles.css's --accent and --ground. */
const THEME_COLOUR = '#2563eb';
const BACKGROUND_COLOUR = '#f3f4f6';

/**
 * Offline and installable: the service worker (workers/service-worker.ts, precaching every file of the
 * build but the README's screenshot, up to 8 MB a file: the lab worker's chunk, with tfjs, is near 3 MB) and
 * the web app manifest, its start URL and scope the site's base. The page registers the worker itself
 * (src/ui/offline-app.ts): the policy refuses the inline script vite-plugin-pwa would inject. No service
 * worker in the dev server.
 */
function offlineApp(): PluginOption[] {
  let base = '/';
  return [
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'workers',
      filename: 'service-worker.ts',
      injectRegister: false,
      // The icons are in injectManifest's globs already.
      includeManifestIcons: false,
      manifest: {
        name: 'HedgeLab',
        short_name: 'HedgeLab',
        description: 'Build a hedging experiment, train a deep hedger and compare it with the classic hedges, live in your browser, with or without a network.',
        theme_color: THEME_COLOUR,
        background_color: BACKGROUND_COLOUR,
        display: 'standalone',
        icons: [
          { src: 'pwa-192x192.png', sizes: '192x192', type: 'image/png' },
          { src: 'pwa-512x512.png', sizes: '512x512', type: 'image/png' },
          { src: 'maskable-icon-512x512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      injectManifest: {
        // A classic script, as the page registers it.
        rollupFormat: 'iife',
        // Everything but the host's headers file, the README's picture, and the manifest (the plugin adds it).
        globPatterns: ['**/*'],
        globIgnores: ['_headers', 'screenshot.png', 'manifest.webmanifest'],
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
      },
      devOptions: { enabled: false },
    }),
    {
      name: 'hedgelab-installed-look',
      configResolved(config) {
        base = config.base;
      },
      transformIndexHtml: () => [
        { tag: 'meta', attrs: { name: 'theme-color', content: THEME_COLOUR }, injectTo: 'head' },
        { tag: 'link', attrs: { rel: 'apple-touch-icon', href: `${base}apple-touch-icon-180x180.png` }, injectTo: 'head' },
      ],
    },
  ];
}

export default defineConfig({
  plugins: [devServerPolicy(), staticHostSecurity(), offlineApp()],
  resolve: { alias: [{ find: /^vega-datasets\/data\//, replacement: `${vegaDatasetsData}/` }] },
  // The dev server's policy is set per request (devServerPolicy), for the socket's address.
  server: { headers: SERVER_HEADERS },
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
