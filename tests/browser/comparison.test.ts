/**
 * The comparison view on WebGPU (SwiftShader): two tiny trained strategies, one job each, run in parallel
 * workers on the same paths; both P&L densities appear at the checkpoint, with the bars and training curves,
 * and a grid over two costs fills one group per cell.
 */
import { describe, expect, inject, it } from 'vitest';
import type { Experiment } from '../../src/engine/experiment/schema';
import { labForFile, RESULTS_DIR } from './chromium';
import { linkTo, tinyComparison, traces, waitForBackend, waitForTraces } from './lab-page';

const baseUrl = inject('baseUrl');
const lab = labForFile();

function twoStrategies(): Experiment {
  const cfg = tinyComparison(2);
  cfg.checkpoints = [1, 2];
  return cfg;
}

describe('comparison view', () => {
  it('trains two strategies in parallel workers on WebGPU and overlays both densities per checkpoint', async () => {
    const page = await lab.open(baseUrl + linkTo(twoStrategies()));
    await waitForBackend(page, 'webgpu');
    await page.click('[data-testid=tab-compare]');
    await page.fill('[name="compare.costs"]', '0.001, 0.004');
    await page.click('[data-testid=compare-run]');
    const progress = await page.waitForSelector('[data-testid=compare-progress][data-phase=running]');
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    // 4 jobs (2 strategies x 2 costs) on a pool of at most 4 workers, one per core.
    expect(Number(await progress.getAttribute('data-workers'))).toBe(Math.min(4, cores));
    await page.waitForSelector('[data-testid=compare-progress][data-phase=idle]', { timeout: 300_000 });
    expect(await page.getAttribute('[data-testid=compare-progress]', 'data-done')).toBe('4');
    expect(await page.textContent('[data-testid=compare-progress]')).not.toMatch(/stopped|failed/);

    await page.screenshot({ path: `${RESULTS_DIR}/comparison.png`, fullPage: true });
    const densities = await waitForTraces(page, 'chart-compare-densities', 4);
    // Two panels (epochs 1 and 2) of both strategies.
    expect(densities.map((t) => t.name).sort()).toEqual(['DHMLP 2x8', 'DHMLP 2x8', 'DHNTB 2x8', 'DHNTB 2x8']);
    expect((await waitForTraces(page, 'chart-compare-checkpoints', 4)).map((t) => t.points)).toEqual([2, 2, 2, 2]);
    const grid = await waitForTraces(page, 'chart-compare-grid', 4);
    expect(grid.map((t) => t.points)).toEqual([2, 2, 2, 2]);
    expect((await traces(page, 'chart-compare-training')).length).toBe(4);
    expect(await page.getAttribute('[data-testid=backend-badge]', 'data-backend')).toBe('webgpu');
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${RESULTS_DIR}/comparison.png`, fullPage: true });

    const download = page.waitForEvent('download');
    await page.click('[data-testid=compare-csv]');
    const csv = await (await download).createReadStream();
    const text = await new Promise<string>((resolve) => {
      let out = '';
      csv.on('data', (d) => (out += d));
      csv.on('end', () => resolve(out));
    });
    const rows = text.trim().split('\n');
    expect(rows[0]).toMatch(/^costs\.proportional,strategy,type,epoch,mean,std,entropic,es90/);
    expect(rows).toHaveLength(1 + 2 * 2 * 2);
    expect(lab.errors).toEqual([]);
    await page.close();
  });
});
