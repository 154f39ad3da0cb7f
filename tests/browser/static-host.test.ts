/**
 * The production build on a static host that sends no headers (GitHub Pages, any file server), here a tiny
 * node:http server of the built folder (issue 13, defect 10): the page carries its Content-Security-Policy
 * in a <meta> element, which the browser enforces, and becomes cross-origin isolated (SharedArrayBuffer,
 * WASM threads) after the coi-serviceworker shim's reload, with no CSP violation in the page or its worker.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { labForFile } from './chromium';
import { waitForBackend } from './lab-page';

const buildDir = inject('buildDir');
const lab = labForFile();

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Files of `root` with their content type and nothing else: no COOP, COEP or CSP header. */
function staticServer(root: string): Server {
  return createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://host').pathname);
    const file = resolve(root, `.${path.endsWith('/') ? `${path}index.html` : path}`);
    try {
      if (!file.startsWith(resolve(root) + sep)) throw new Error('outside the folder');
      const body = readFileSync(file);
      res.writeHead(200, { 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
}

let server: Server;
let url: string;

beforeAll(async () => {
  server = staticServer(buildDir);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
});

afterAll(async () => {
  await new Promise((done) => server?.close(done));
});

const metaPolicy = () => document.querySelector<HTMLMetaElement>('meta[http-equiv="Content-Security-Policy"]')?.content ?? null;

describe('the build on a static host', () => {
  it('carries its policy before any script, the isolation shim, and the headers a host should send', () => {
    const html = readFileSync(join(buildDir, 'index.html'), 'utf8');
    const meta = html.indexOf('http-equiv="Content-Security-Policy"');
    expect(meta).toBeGreaterThan(0);
    expect(meta).toBeLessThan(html.indexOf('<script'));
    expect(html).toContain('<script src="/coi-serviceworker.js"></script>');
    expect(readFileSync(join(buildDir, 'coi-serviceworker.js'), 'utf8')).toContain('coi-serviceworker v0.1.7');
    const headers = readFileSync(join(buildDir, '_headers'), 'utf8').split('\n');
    expect(headers[0]).toBe('/*');
    expect(headers).toContain('  Cross-Origin-Opener-Policy: same-origin');
    expect(headers).toContain('  Cross-Origin-Embedder-Policy: require-corp');
    expect(headers.find((h) => h.startsWith('  Content-Security-Policy: '))).toContain("script-src 'self' 'wasm-unsafe-eval' blob:; ");
    expect(headers.find((h) => h.startsWith('  Content-Security-Policy: '))).toContain("frame-ancestors 'none'");
  });

  it('opens cross-origin isolated after the shim reloads it, under its meta policy, with no CSP violation', async () => {
    const response = await lab.context.request.get(url);
    expect(Object.keys(response.headers()).filter((h) => /cross-origin|content-security/.test(h))).toEqual([]);

    const page = await lab.open(url);
    // The shim registers its service worker and reloads the page (once or twice) until the worker controls it.
    const isolated = () => page.evaluate(() => crossOriginIsolated).catch(() => false);
    await expect.poll(isolated, { timeout: 60_000, interval: 250 }).toBe(true);
    await page.waitForLoadState('load');
    expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('function');
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${url}coi-serviceworker.js`);
    const policy = await page.evaluate(metaPolicy);
    expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval' blob:; ");
    expect(policy).toContain("connect-src 'self'; ");
    expect(policy).not.toContain('frame-ancestors');
    await waitForBackend(page, 'webgpu');
    expect(await page.isEnabled('[data-testid=run-button]')).toBe(true);
    expect(lab.errors).toEqual([]);

    // The meta policy is enforced, with no header behind it: a connection to another origin is refused, and the record sees it.
    expect(await page.evaluate(() => fetch('http://127.0.0.2:9/').then(() => 'fetched', (e: Error) => e.name))).toBe('TypeError');
    await expect.poll(() => lab.errors).toContainEqual(expect.stringMatching(/^page CSP violation: connect-src \(kURLViolation\)/));
    lab.errors.length = 0;
    await page.close();
  });
});
