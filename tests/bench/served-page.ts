/**
 * What the browser benches share (page-speed.ts, browser-training.ts): the production page built with vite
 * and served by `vite preview` (the headers of vite.config.ts: COOP/COEP, CSP), the backend the page is
 * told to start on (the choice it remembers in localStorage), the page's long tasks (PerformanceObserver
 * 'longtask', over 50 ms) recorded from its first script on, and the time after navigation at which
 * something appears.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { build, preview } from 'vite';

/** Where the page remembers a forced backend. */
export const BACKEND_KEY = 'hedgelab.backend';

export interface ServedPage {
  /** The page's address, ending in '/'. */
  base: string;
  close(): Promise<void>;
}

/** Builds the page into a temporary folder and serves it on 127.0.0.1. */
export async function servePage(): Promise<ServedPage> {
  const outDir = mkdtempSync(join(tmpdir(), 'hedgelab-bench-'));
  process.stderr.write('building the page…\n');
  await build({ logLevel: 'error', build: { outDir, emptyOutDir: true } });
  const server = await preview({ logLevel: 'error', build: { outDir }, preview: { host: '127.0.0.1' } });
  const base = server.resolvedUrls?.local[0];
  if (!base) throw new Error('vite preview printed no address');
  return {
    base,
    async close() {
      await new Promise<void>((resolve, reject) => server.httpServer.close((e) => (e ? reject(e) : resolve())));
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/** The machine the figures were measured on. */
export const machine = () => ({ cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version });

/** Every page of `context` starts on `backend`, as if a person had chosen it before. */
export const forceBackend = (context: BrowserContext, backend: string) =>
  context.addInitScript(([key, value]) => localStorage.setItem(key, value), [BACKEND_KEY, backend] as const);

export type Task = [start: number, duration: number];

/** Records every long task of the page from its first script on (an init script: runs in the page). */
function recordLongTasks(): void {
  const tasks: Task[] = [];
  (window as unknown as { __longTasks: Task[] }).__longTasks = tasks;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) tasks.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask', buffered: true });
}

/** Every page of `context` records its long tasks. */
export const watchLongTasks = (context: BrowserContext) => context.addInitScript(recordLongTasks);

/** The long tasks that started between `from` and `to` (ms since navigation). */
export const longTasksSince = (page: Page, from: number, to = Infinity) =>
  page.evaluate(([a, b]) => (window as unknown as { __longTasks: Task[] }).__longTasks.filter(([s]) => s >= a && s < b), [from, to] as const);

const round = (x: number) => Math.round(x);

export function summary(tasks: Task[]) {
  const durations = tasks.map(([, d]) => d).sort((a, b) => a - b);
  const at = (q: number) => (durations.length ? round(durations[Math.min(durations.length - 1, Math.floor(q * durations.length))]!) : 0);
  return {
    count: durations.length,
    totalMs: round(durations.reduce((a, b) => a + b, 0)),
    medianMs: at(0.5),
    maxMs: at(1),
    over100: durations.filter((d) => d > 100).length,
    over200: durations.filter((d) => d > 200).length,
    tasks: tasks.map(([s, d]) => [round(s), round(d)]),
  };
}

/** Milliseconds since navigation at which `selector` matches, polled every frame. */
export async function timeOf(page: Page, selector: string, timeout: number): Promise<number> {
  const handle = await page.waitForFunction((sel) => (document.querySelector(sel) ? performance.now() : false), selector, { polling: 'raf', timeout });
  return (await handle.jsonValue()) as number;
}

/** When Run is enabled: the page is ready for a person (the backend started, the form valid). */
export const RUN_ENABLED = '[data-testid=run-button]:not([disabled])';

/** How long after Run is enabled the page settles (Plotly loads and draws the market preview) before a run is timed. */
export const SETTLE_MS = 2000;
