/**
 * Runs in the browser on WebGPU (SwiftShader): a tiny experiment to the end with every chart filled, and
 * Stop in the middle of a longer one. Last, the default experiment on WASM (much faster than software
 * WebGPU) for the README's screenshot.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { labForFile, RESULTS_DIR } from './chromium';
import { linkTo, metricsRows, outcome, run, tinyExperiment, traces, waitForBackend, waitForTraces } from './lab-page';

const baseUrl = inject('baseUrl');
const STRATEGIES = ['No hedge', 'Black-Scholes delta', 'Whalley-Wilmott band', 'Deep hedger'];
const lab = labForFile();

describe('runs', () => {
  it('trains a tiny experiment on WebGPU to the end, and every chart and the table hold its results', async () => {
    const page = await lab.open(baseUrl + linkTo(tinyExperiment(3)));
    await waitForBackend(page, 'webgpu');
    await run(page);
    expect(await outcome(page)).toBe('done');
    expect(await page.getAttribute('[data-testid=progress]', 'aria-valuenow')).toBe('100');

    const loss = await waitForTraces(page, 'chart-loss', 1);
    expect(loss).toHaveLength(1);
    expect(loss[0]!.name).toContain('Deep hedger');
    expect(loss[0]!.points).toBe(3);

    const pnl = await waitForTraces(page, 'chart-pnl', 4);
    expect(pnl.map((t) => t.name)).toEqual(STRATEGIES.map((s) => expect.stringContaining(s)));
    for (const t of pnl) expect(t.points).toBeGreaterThan(2);

    const surface = await waitForTraces(page, 'chart-surface', 2);
    expect(surface.map((t) => t.type)).toEqual(['heatmap', 'heatmap']);
    expect(surface.map((t) => [t.points, t.columns])).toEqual([
      [5, 41],
      [5, 41],
    ]);

    const paths = await waitForTraces(page, 'chart-paths', 5);
    expect(paths[0]!.name).toBe('spot S');
    expect(paths[0]!.points).toBe(6);
    expect(paths.slice(1).map((t) => t.name)).toEqual(STRATEGIES.map((s) => expect.stringContaining(s)));

    const rows = await metricsRows(page);
    expect(rows.map((r) => r.strategy)).toEqual(STRATEGIES.map((s) => expect.stringContaining(s)));
    for (const r of rows) {
      expect(r.cells).toHaveLength(16);
      for (const cell of r.cells) expect(Number.isFinite(Number(cell))).toBe(true);
    }

    // Download results: the CLI's result document and the worker's backend report, in one JSON file.
    const download = page.waitForEvent('download');
    await page.click('[data-testid=download-result]');
    const file = await download;
    expect(file.suggestedFilename()).toBe('hedgelab-tiny-experiment-3-epochs.json');
    const saved = JSON.parse(readFileSync(await file.path(), 'utf8'));
    expect(saved.config.name).toBe('Tiny experiment, 3 epochs');
    const mlp = saved.strategies.find((s: { type: string }) => s.type === 'deep-mlp');
    expect(mlp.training.epochSeconds).toHaveLength(3);
    expect(mlp.training.launchesPerStep.kernels).toBeGreaterThan(0);
    expect(mlp.training.launchesPerStep.dispatches).toBeGreaterThan(0);
    expect(saved.backendReport.active).toBe('webgpu');
    expect(saved.backendReport.adapter.description).not.toBe('');
    // The deep hedger's own WebGPU programs agree with tfjs's ops on this adapter, so the run used them.
    expect(saved.fusedKernels.maxRelativeError).toBeLessThan(1e-4);
    expect(saved.fusedKernels.used).toBe(true);
    await page.screenshot({ path: `${RESULTS_DIR}/run-tiny.png`, fullPage: true });
    expect(lab.errors).toEqual([]);
    await page.close();
  });

  it('stops a longer run in the middle: the page returns to idle and the progress stays where it stopped', async () => {
    const page = await lab.open(baseUrl + linkTo(tinyExperiment(1000)));
    await waitForBackend(page, 'webgpu');
    await run(page);
    await page.waitForFunction(() => {
      const div = document.querySelector('[data-testid=chart-loss]') as { data?: { y?: unknown[] }[] } | null;
      return (div?.data?.[0]?.y?.length ?? 0) >= 2;
    }, null, { timeout: 120_000 });
    await page.click('[data-testid=stop-button]');
    expect(await outcome(page, 120_000)).toBe('stopped');
    expect(await page.textContent('[data-testid=run-status]')).toMatch(/^Stopped at [\d.]+% \(.*Deep hedger/);
    expect(await page.isEnabled('[data-testid=run-button]')).toBe(true);
    expect(await page.isDisabled('[data-testid=stop-button]')).toBe(true);

    const progress = Number(await page.getAttribute('[data-testid=progress]', 'aria-valuenow'));
    const epochs = (await traces(page, 'chart-loss'))[0]!.points;
    expect(progress).toBeLessThan(100);
    expect(epochs).toBeLessThan(1000);
    await page.waitForTimeout(3000);
    expect(Number(await page.getAttribute('[data-testid=progress]', 'aria-valuenow'))).toBe(progress);
    expect((await traces(page, 'chart-loss'))[0]!.points).toBe(epochs);
    await page.screenshot({ path: `${RESULTS_DIR}/run-stopped.png` });
    expect(lab.errors).toEqual([]);
    await page.close();
  });

  it('runs the default experiment to the end on WASM and saves the README screenshot', async () => {
    const page = await lab.open(baseUrl);
    await waitForBackend(page, 'webgpu');
    await page.selectOption('[data-testid=backend-select]', 'wasm');
    await waitForBackend(page, 'wasm');
    // The page is cross-origin isolated, so the threaded SIMD binary runs, on tfjs's half of the logical cores.
    const threads = Math.min(8, Math.max(1, Math.floor((await page.evaluate(() => navigator.hardwareConcurrency)) / 2)));
    expect(await page.getAttribute('[data-testid=backend-badge]', 'title')).toMatch(new RegExp(`^wasm · SIMD · ${threads} threads?$`, 'm'));
    await run(page);
    expect(await outcome(page, 540_000)).toBe('done');
    await waitForTraces(page, 'chart-paths', 5);
    expect(await metricsRows(page)).toHaveLength(4);
    // WASM streams epochs faster than the page's ~10 Hz redraws: coalescing must still keep every loss point.
    expect((await traces(page, 'chart-loss'))[0]!.points).toBe(60);
    // Let the last redraws settle (plotly draws one chart per task) before the picture is taken.
    await page.waitForTimeout(1000);
    await page.screenshot({ path: `${RESULTS_DIR}/run-default.png`, fullPage: true });
    copyFileSync(`${RESULTS_DIR}/run-default.png`, 'public/screenshot.png');
    expect(lab.errors).toEqual([]);
    await page.close();
  });
});
