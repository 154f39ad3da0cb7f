/**
 * Runs in the browser on WebGPU (SwiftShader): a tiny experiment to the end with every chart filled and
 * exported (PNG, SVG, the metrics CSV, Present), and Stop in the middle of a longer one. Last, offline: after
 * one visit the service worker has precached the lab, the network goes, and the reloaded page runs the
 * default experiment on WASM (much faster than software WebGPU) for the README's screenshot.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { labForFile, RESULTS_DIR } from './chromium';
import { linkTo, metricsRows, outcome, run, tinyExperiment, traces, waitForBackend, waitForTraces } from './lab-page';

const baseUrl = inject('baseUrl');
const STRATEGIES = ['No hedge', 'Black-Scholes delta', 'Whalley-Wilmott band', 'Deep hedger'];
const lab = labForFile(undefined, 'allow');

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

    // Exports for slides and reports: the P&L chart as PNG (twice its pixels) and SVG, under the page's CSP;
    // each file is kept in RESULTS_DIR to look at.
    const downloaded = async (testId: string) => {
      const saving = page.waitForEvent('download');
      await page.click(`[data-testid=${testId}]`);
      const saved = await saving;
      const kept = `${RESULTS_DIR}/${saved.suggestedFilename()}`;
      await saved.saveAs(kept);
      return { name: saved.suggestedFilename(), bytes: readFileSync(kept) };
    };
    const png = await downloaded('chart-pnl-png');
    expect(png.name).toBe('hedgelab-tiny-experiment-3-epochs-pnl.png');
    expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const chartSize = await page.$eval('[data-testid=chart-pnl]', (div) => [div.clientWidth, div.clientHeight]);
    // IHDR: width and height in pixels.
    expect(Math.abs(png.bytes.readUInt32BE(16) - 2 * chartSize[0]!)).toBeLessThanOrEqual(2);
    expect(Math.abs(png.bytes.readUInt32BE(20) - 2 * chartSize[1]!)).toBeLessThanOrEqual(2);
    const svg = await downloaded('chart-pnl-svg');
    expect(svg.name).toBe('hedgelab-tiny-experiment-3-epochs-pnl.svg');
    const svgText = svg.bytes.toString('utf8');
    expect(svgText.startsWith('<svg')).toBe(true);
    // Each strategy's step line, and its sample in the legend.
    expect(svgText.match(/<path class="js-line"/g)).toHaveLength(2 * STRATEGIES.length);
    for (const s of STRATEGIES) expect(svgText).toContain(s);

    // The metrics table as CSV: its header, one row per strategy, the numbers the table rounds.
    const csv = await downloaded('download-metrics-csv');
    expect(csv.name).toBe('hedgelab-tiny-experiment-3-epochs-metrics.csv');
    const [header, ...lines] = csv.bytes.toString('utf8').trim().split('\n');
    expect(header).toBe('strategy,mean (avg_PV),std (std_PV),VaR 90,VaR 95,VaR 99,ES 90,ES 95,ES 99,entropic,avg_r,skew,kurtosis,turnover,cost,price,risk');
    expect(lines.map((l) => l.split(',')[0])).toEqual(rows.map((r) => r.strategy));
    lines.forEach((line, k) => {
      const numbers = line.split(',').slice(1).map(Number);
      expect(numbers).toHaveLength(16);
      numbers.forEach((x, j) => {
        expect(Number.isFinite(x)).toBe(true);
        expect(Number(rows[k]!.cells[j])).toBe(Number(x.toPrecision(3)));
      });
    });

    // Present: the P&L chart over the whole screen, titled, in fonts twice the card's; Escape leaves it.
    await page.click('[data-testid=chart-pnl-present]');
    await page.waitForSelector('[data-testid=presentation]');
    expect(await page.textContent('[data-testid=presentation] h2')).toBe('P&L on the test paths');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('presentation-close');
    await waitForTraces(page, 'chart-present', STRATEGIES.length);
    const fontSize = (testId: string) => page.$eval(`[data-testid=${testId}]`, (div) => (div as HTMLElement & { layout: { font: { size: number } } }).layout.font.size);
    expect(await fontSize('chart-pnl')).toBe(12);
    expect(await fontSize('chart-present')).toBe(24);
    const covered = await page.$eval('[data-testid=presentation]', (e) => {
      const box = e.getBoundingClientRect();
      return [box.left, box.top, box.width, box.height, window.innerWidth, window.innerHeight];
    });
    expect(covered.slice(0, 4)).toEqual([0, 0, covered[4], covered[5]]);
    // Plotly has redrawn the chart at the layer's size (full screen resizes it once more).
    await page.waitForFunction(() => {
      const div = document.querySelector('[data-testid=chart-present]') as (HTMLElement & { _fullLayout?: { width: number; height: number } }) | null;
      return !!div?._fullLayout && Math.abs(div._fullLayout.width - div.clientWidth) < 2 && Math.abs(div._fullLayout.height - div.clientHeight) < 2;
    });
    await page.screenshot({ path: `${RESULTS_DIR}/present-pnl.png` });
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=presentation]', { state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('chart-pnl-present');
    expect(await page.evaluate(() => document.fullscreenElement)).toBeNull();
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

  it('after one visit, runs the default experiment to the end on WASM with no network, and saves the README screenshot', async () => {
    const page = await lab.open(baseUrl);
    await waitForBackend(page, 'webgpu');
    // The choice is remembered (localStorage), so the page reopens on WASM.
    await page.selectOption('[data-testid=backend-select]', 'wasm');
    await waitForBackend(page, 'wasm');
    // One visit is enough: the service worker has stored every file of the build and controls the page.
    await page.waitForSelector('[data-testid=offline-ready]', { timeout: 60_000 });
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

    // Offline, the service worker's own network requests (it makes none: the page, the lab worker and the
    // wasm binaries come from its cache) would be recorded here.
    const fromNetwork: string[] = [];
    page.context().on('request', (r) => void (r.serviceWorker() && fromNetwork.push(r.url())));
    await page.context().setOffline(true);
    try {
      await page.reload();
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
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
      expect(fromNetwork).toEqual([]);
      // Let the last redraws settle (plotly draws one chart per task) before the picture is taken.
      await page.waitForTimeout(1000);
      await page.screenshot({ path: `${RESULTS_DIR}/run-default.png`, fullPage: true });
      copyFileSync(`${RESULTS_DIR}/run-default.png`, 'public/screenshot.png');
      expect(lab.errors).toEqual([]);
    } finally {
      await page.context().setOffline(false);
    }
    await page.close();
  });
});
