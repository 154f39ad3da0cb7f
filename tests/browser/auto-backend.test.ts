/**
 * The automatic backend on a machine without a GPU (issue 12): Chromium offers WebGPU here only through
 * SwiftShader, a software adapter far slower than WASM, so "auto" measures both, picks WASM, says why on the
 * badge naming the adapter, and remembers the pick: a reload starts on it without measuring again. The
 * measured speed prices the estimate beside Run.
 */
import { describe, expect, inject, it } from 'vitest';
import { labForFile, RESULTS_DIR } from './chromium';
import { waitForBackend } from './lab-page';

const baseUrl = inject('baseUrl');
const lab = labForFile('auto');

describe('auto backend', () => {
  it('measures WebGPU (SwiftShader) against WASM, picks the faster, says why and remembers it', async () => {
    const page = await lab.open(baseUrl);
    expect(await page.inputValue('[data-testid=backend-select]')).toBe('auto');
    await page.waitForSelector('[data-testid=backend-badge]:has-text("measuring")', { timeout: 30_000 });
    await waitForBackend(page, 'wasm');
    const why = await page.textContent('[data-testid=backend-why]');
    expect(why).toMatch(/faster than webgpu \(software adapter: .*swiftshader/i);
    const ratio = Number(/([\d.]+)x faster/.exec(why ?? '')?.[1]);
    expect(ratio).toBeGreaterThan(1);
    const estimate = await page.waitForSelector('[data-testid=run-estimate][data-seconds]', { timeout: 10_000 });
    expect(await estimate.textContent()).toMatch(/on wasm$/);
    await page.screenshot({ path: `${RESULTS_DIR}/auto-backend.png` });

    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('hedgelab.speed') ?? '{}') as { calibrations?: Record<string, unknown> });
    expect(Object.keys(stored.calibrations ?? {}).sort()).toEqual(['wasm', 'webgpu']);
    await page.reload();
    // Remembered: no measuring this time, the same pick and reason.
    await waitForBackend(page, 'wasm');
    expect(await page.textContent('[data-testid=backend-why]')).toBe(why);
    expect(await page.inputValue('[data-testid=backend-select]')).toBe('auto');
    expect(lab.errors).toEqual([]);
    await page.close();
  });
});
