/**
 * The production build on a static host that sends no headers (GitHub Pages, any file server), here a tiny
 * node:http server of the built folder (issue 13, defect 10): the page carries its Content-Security-Policy
 * in a <meta> element, which the browser enforces, and becomes cross-origin isolated (SharedArrayBuffer,
 * WASM threads) once the lab's service worker controls it and the page has reloaded, with no CSP violation
 * in the page or its worker (issue 18). The build is installable (a web app manifest with its icons), its
 * service worker precaches every file of it, and a new deploy (here, a new service worker script) shows the
 * update banner, whose Reload brings the page onto the new version.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, relative, resolve, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { labForFile } from './chromium';
import { waitForBackend } from './lab-page';

const buildDir = inject('buildDir');
const lab = labForFile(undefined, 'allow');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
};

/** Which deploy the host serves: after the first, the service worker's script differs (a new version). */
let deploy = 1;

/** Files of `root` with their content type and nothing else: no COOP, COEP or CSP header. */
function staticServer(root: string): Server {
  return createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://host').pathname);
    const file = resolve(root, `.${path.endsWith('/') ? `${path}index.html` : path}`);
    try {
      if (!file.startsWith(resolve(root) + sep)) throw new Error('outside the folder');
      const body = path === '/service-worker.js' && deploy > 1 ? `${readFileSync(file, 'utf8')}\n// deploy ${deploy}\n` : readFileSync(file);
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

/** Every file of the built folder, relative to it. */
function builtFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'));
}

describe('the build on a static host', () => {
  it('carries its policy before any script, the headers a host should send, its manifest and a service worker precaching it all', () => {
    const html = readFileSync(join(buildDir, 'index.html'), 'utf8');
    const meta = html.indexOf('http-equiv="Content-Security-Policy"');
    expect(meta).toBeGreaterThan(0);
    expect(meta).toBeLessThan(html.indexOf('<script'));
    // One script, the page's module: the service worker is registered from it, not by an inline script.
    expect(html.match(/<script[^>]*>/g)).toEqual([expect.stringMatching(/^<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js">$/)]);
    expect(html).toContain('<link rel="manifest" href="/manifest.webmanifest">');
    expect(html).toContain('<meta name="theme-color" content="#2563eb">');
    const headers = readFileSync(join(buildDir, '_headers'), 'utf8').split('\n');
    expect(headers[0]).toBe('/*');
    expect(headers).toContain('  Cross-Origin-Opener-Policy: same-origin');
    expect(headers).toContain('  Cross-Origin-Embedder-Policy: require-corp');
    expect(headers.find((h) => h.startsWith('  Content-Security-Policy: '))).toContain("script-src 'self' 'wasm-unsafe-eval' blob:; ");
    expect(headers.find((h) => h.startsWith('  Content-Security-Policy: '))).toContain("frame-ancestors 'none'");

    const manifest = JSON.parse(readFileSync(join(buildDir, 'manifest.webmanifest'), 'utf8'));
    expect(manifest).toMatchObject({ name: 'HedgeLab', short_name: 'HedgeLab', display: 'standalone', start_url: '/', scope: '/', theme_color: '#2563eb', background_color: '#f3f4f6' });
    expect(manifest.icons).toEqual([
      { src: 'pwa-192x192.png', sizes: '192x192', type: 'image/png' },
      { src: 'pwa-512x512.png', sizes: '512x512', type: 'image/png' },
      { src: 'maskable-icon-512x512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ]);
    // Each icon is a PNG of its size (width and height from the IHDR chunk).
    for (const icon of manifest.icons as { src: string; sizes: string }[]) {
      const png = readFileSync(join(buildDir, icon.src));
      expect(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`).toBe(icon.sizes);
    }

    // The precache list workbox injected: every file of the build but the service worker itself, the headers
    // file and the README's screenshot (the wasm binaries, the lab worker, plotly and the price series included).
    const sw = readFileSync(join(buildDir, 'service-worker.js'), 'utf8');
    const precached = (JSON.parse(sw.match(/\[\{"revision":.*?\}\]/)![0]) as { url: string }[]).map((e) => e.url).sort();
    expect(precached).toEqual(builtFiles(buildDir).filter((f) => !['service-worker.js', '_headers', 'screenshot.png'].includes(f)).sort());
    expect(precached.filter((f) => f.endsWith('.wasm'))).toHaveLength(3);
    expect(precached).toEqual(expect.arrayContaining([expect.stringMatching(/^assets\/lab\.worker-/), expect.stringMatching(/^assets\/plotly-/), expect.stringMatching(/^assets\/sp500-/)]));
  });

  it('opens cross-origin isolated once its service worker controls it, under its meta policy with no CSP violation, and offers each new deploy', async () => {
    const response = await lab.context.request.get(url);
    expect(Object.keys(response.headers()).filter((h) => /cross-origin|content-security/.test(h))).toEqual([]);

    const page = await lab.open(url);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    // The page registers the service worker, which stores every file and takes control; the page then reloads once.
    const isolated = () => page.evaluate(() => crossOriginIsolated).catch(() => false);
    await expect.poll(isolated, { timeout: 60_000, interval: 250 }).toBe(true);
    await page.waitForLoadState('load');
    expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('function');
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${url}service-worker.js`);
    await page.waitForSelector('[data-testid=offline-ready]');
    // From now on the host serves a new deploy (a new service worker script); the browser checks for one
    // shortly after each navigation, here the reload above, and now and then.
    deploy = 2;
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

    // The new deploy shows the update banner, in every tab, and its Reload brings the tab onto the new version.
    // Found by the browser's check (or here, if that came first, when asked to check), the new version
    // installs beside the one running, and waits.
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
    const banner = await page.waitForSelector('[data-testid=update-banner]');
    expect(await banner.textContent()).toBe('A new version of HedgeLab is ready. Reload to update.Reload×');
    expect(await page.isVisible('[data-testid=offline-ready]')).toBe(false);
    // Dismissed, the banner gives way to the tag.
    await page.click('[data-testid=update-dismiss]');
    await page.waitForSelector('[data-testid=offline-ready]');
    expect(await page.isVisible('[data-testid=update-banner]')).toBe(false);

    // A tab opened while the new version waits shows the banner too. Its Reload: the waiting version takes
    // over and this tab reloads on it; the first tab keeps its page and says so, though it was dismissed.
    const other = await lab.open(url);
    await other.waitForSelector('[data-testid=update-banner]');
    await other.evaluate(() => Object.assign(window, { beforeUpdate: true }));
    await other.click('[data-testid=update-reload]');
    await other.waitForFunction(() => !('beforeUpdate' in window) && document.querySelector('[data-testid=offline-ready]') !== null);
    expect(await other.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => [r?.waiting ?? null, r?.active?.state]))).toEqual([null, 'activated']);
    expect(await other.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await other.isVisible('[data-testid=update-banner]')).toBe(false);
    expect(await (await page.waitForSelector('[data-testid=update-banner]:has-text("another tab")')).textContent()).toBe(
      'A new version of HedgeLab took over in another tab. Reload to update.Reload×',
    );
    expect(lab.errors).toEqual([]);
    await other.close();
    await page.close();
  });
});
