/**
 * Vite for the HedgeLab page. Both servers make the page cross-origin isolated (COOP + COEP), so the
 * WASM backend may use threads, and send a strict Content-Security-Policy: no inline or evaluated script,
 * only WebAssembly compilation; scripts and workers from the page's origin, or from blob: URLs, which only
 * the page's own scripts can mint (the WASM backend's thread pool starts as blob: workers that
 * importScripts a blob: copy of its loader).
 * TSX is compiled by Vite itself (tsconfig "jsx": "react-jsx"): @vitejs/plugin-react would inject an
 * inline script that this policy refuses.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig } from 'vite';

/**
 * vega-datasets' package.json "exports" lists only its JS index, so `vega-datasets/data/<file>` (the bundled
 * S&P 500 CSV, loaded lazily with `?raw`) is refused by the resolver; this alias points at the data folder.
 */
const vegaDatasetsData = join(dirname(createRequire(import.meta.url).resolve('vega-datasets')), '..', 'data');

function contentSecurityPolicy(dev: boolean): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval' blob:",
    "worker-src 'self' blob:",
    // Plotly adds its rules in a <style> element, and Vite's dev server injects CSS the same way.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    // The dev server's hot-reload socket.
    `connect-src 'self'${dev ? ' ws: wss:' : ''}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function securityHeaders(dev: boolean): Record<string, string> {
  return {
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Content-Security-Policy': contentSecurityPolicy(dev),
    'X-Content-Type-Options': 'nosniff',
  };
}

export default defineConfig({
  resolve: { alias: [{ find: /^vega-datasets\/data\//, replacement: `${vegaDatasetsData}/` }] },
  server: { headers: securityHeaders(true) },
  // The dev server pre-bundles the dependencies it finds by crawling from index.html, which never reaches
  // the lab worker (started by `new Worker(new URL(...))`): crawled from the page alone, tfjs is found on
  // the first visit, re-bundled, and the page reloads. Crawling from the worker too lists them up front.
  optimizeDeps: { entries: ['index.html', 'workers/lab.worker.ts'] },
  preview: { headers: securityHeaders(false) },
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
