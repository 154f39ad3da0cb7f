/**
 * `npm run bench:page`: how the production page treats its main thread (DESIGN.md, "The main thread never
 * blocks"). Builds the page, serves it with `vite preview`, opens it in the browser tests' Chromium
 * (tests/browser/chromium.ts) with the backend forced to wasm (the choice the page remembers in
 * localStorage), and measures on each of a few loads (the first with a cold cache) the time from
 * navigation to first paint and to Run enabled, and the long tasks (PerformanceObserver 'longtask', over
 * 50 ms) before it; then runs the default experiment with fewer epochs and measures the long tasks while
 * its events stream. Writes bench-results/page.json. Goals, not asserted anywhere: Run enabled within
 * 1.5 s of a load, no task over 50 ms while a run streams. A screenshot of the page after the run lands beside the JSON.
 *   npm run bench:page -- [--out FILE] [--loads N] [--epochs N] [--backend wasm|webgpu|...]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { defaultConfig } from '../../src/engine/experiment/presets';
import { launchLab, type Lab } from '../browser/chromium';
import { linkTo, outcome, run } from '../browser/lab-page';
import { BACKEND_KEY, forceBackend, longTasksSince, machine, RUN_ENABLED, servePage, SETTLE_MS, summary, timeOf, watchLongTasks } from './served-page';

const round = (x: number) => Math.round(x);

async function measureLoad(lab: Lab, url: string, backend: string) {
  const page = await lab.open(url);
  const runEnabledMs = await timeOf(page, RUN_ENABLED, 120_000);
  const active = await page.getAttribute('[data-testid=backend-badge]', 'data-backend');
  const firstPaintMs = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null);
  const tasks = await longTasksSince(page, 0, runEnabledMs);
  if (active !== backend) throw new Error(`the page started on ${active}, not on the remembered ${backend} (localStorage "${BACKEND_KEY}")`);
  return { page, result: { firstPaintMs: firstPaintMs === null ? null : round(firstPaintMs), runEnabledMs: round(runEnabledMs), backend: active, longTasks: summary(tasks) } };
}

/** The long tasks of the two seconds after Run is enabled (Plotly's first charts: the market preview), then of a run. */
async function measureRun(page: Page, runEnabledMs: number, epochs: number) {
  await page.waitForTimeout(SETTLE_MS);
  const before = await page.evaluate(() => performance.now());
  const settling = summary(await longTasksSince(page, runEnabledMs, before));
  await run(page);
  const how = await outcome(page);
  const after = await page.evaluate(() => performance.now());
  return { afterRunEnabled: settling, streaming: { epochs, outcome: how, seconds: Math.round(after - before) / 1000, longTasks: summary(await longTasksSince(page, before, after)) } };
}

async function main() {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: 'bench-results/page.json' },
      loads: { type: 'string', default: '3' },
      epochs: { type: 'string', default: '10' },
      backend: { type: 'string', default: 'wasm' },
    },
  });
  const [loads, epochs, backend] = [Number(values.loads), Number(values.epochs), values.backend!];
  const server = await servePage();
  const lab = await launchLab();
  mkdirSync(dirname(values.out!), { recursive: true });
  try {
    await watchLongTasks(lab.context);
    await forceBackend(lab.context, backend);
    const cfg = defaultConfig();
    for (const s of cfg.strategies) if (s.type === 'deep-mlp') s.training.epochs = epochs;
    const url = `${server.base}${linkTo(cfg)}`;
    const results = [];
    let last: Page | null = null;
    for (let i = 0; i < loads; i++) {
      process.stderr.write(`load ${i + 1} of ${loads}…\n`);
      await last?.close();
      const { page, result } = await measureLoad(lab, url, backend);
      results.push({ cold: i === 0, ...result });
      last = page;
    }
    process.stderr.write(`running the default experiment for ${epochs} epochs…\n`);
    const { afterRunEnabled, streaming } = await measureRun(last!, results.at(-1)!.runEnabledMs, epochs);
    await last!.screenshot({ path: join(dirname(values.out!), 'page.png'), fullPage: true });
    const doc = {
      page: 'production build (vite build + vite preview), default experiment',
      backend,
      machine: machine(),
      goals: { runEnabledMs: 1500, longestTaskWhileStreamingMs: 50 },
      loads: results,
      afterRunEnabled,
      run: streaming,
      errors: lab.errors,
    };
    writeFileSync(values.out!, JSON.stringify(doc, null, 2) + '\n');
    const median = results.map((r) => r.runEnabledMs).sort((a, b) => a - b)[Math.floor(results.length / 2)];
    process.stderr.write(
      `Run enabled after ${results.map((r) => r.runEnabledMs).join(', ')} ms (median ${median}); while streaming ${streaming.longTasks.count} long tasks, max ${streaming.longTasks.maxMs} ms; written to ${values.out}\n`,
    );
  } finally {
    await lab.close();
    await server.close();
  }
}

await main();
