/**
 * `npm start` the first time: the dev server pre-bundles the dependencies it finds by crawling the page's
 * imports before the first request. One it only meets while serving (the lab worker's tfjs, when the crawl
 * started from index.html alone) is bundled late, and the page can reload itself mid-start. Here a fresh
 * dependency cache, one visit: everything is bundled up front, the page loads once and Run comes up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labForFile, RESULTS_DIR } from './chromium';

const lab = labForFile();
const cacheDir = mkdtempSync(join(tmpdir(), 'hedgelab-vite-cache-'));
const log: string[] = [];
let server: ViteDevServer;

beforeAll(async () => {
  const logger = createLogger('info');
  for (const level of ['info', 'warn'] as const) {
    const write = logger[level].bind(logger);
    logger[level] = (message, options) => {
      log.push(message);
      write(message, options);
    };
  }
  server = await createServer({ cacheDir, customLogger: logger, server: { host: '127.0.0.1', port: 0 } });
  await server.listen();
});

afterAll(async () => {
  await server?.close();
  rmSync(cacheDir, { recursive: true, force: true });
});

describe('the dev server on a first visit', () => {
  it('bundles every dependency before serving, so the page loads once and Run comes up', async () => {
    const url = server.resolvedUrls?.local[0];
    expect(url).toBeTruthy();
    const page = await lab.context.newPage();
    let loads = 0;
    page.on('load', () => loads++);
    await page.goto(url!);
    await page.waitForSelector('[data-testid=run-button]:not([disabled])', { timeout: 180_000 });
    await page.screenshot({ path: `${RESULTS_DIR}/dev-server-first-visit.png` });
    const late = log.filter((m) => /dependencies optimized|optimized dependencies changed|reloading/.test(m));
    expect(late).toEqual([]);
    expect(loads).toBe(1);
    await page.close();
  });
});
