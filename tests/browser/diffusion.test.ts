/**
 * The signature-diffusion market (paper 003 §3.3) in the browser on WebGPU (SwiftShader): a tiny generator of
 * the bundled AAPL series, opened by link and run alone (Generate: two epochs, 64 paths); its cards hold what
 * it streamed (the loss per epoch, the fan of generated paths against the real test windows, the stylised
 * facts of the three data sources beside the real test dates, fig. 1's distributions) and the tab keeps the
 * generator for the next run. That Run reuses it and that its file loads back are tested in Node
 * (tests/integration/diffusion-market.test.ts).
 */
import { describe, expect, inject, it } from 'vitest';
import { tinyDiffusion } from '../fixtures/tiny-diffusion';
import { labForFile } from './chromium';
import { linkTo, outcome, waitForBackend, waitForTraces } from './lab-page';

const baseUrl = inject('baseUrl');
const lab = labForFile();

describe('signature-diffusion market', () => {
  it('generates paths of a tiny AAPL generator on WebGPU and draws its fan and facts', async () => {
    const cfg = tinyDiffusion({ epochs: 2, paths: 64 });
    if (cfg.market.model === 'signature-diffusion') cfg.market.diffusion.sampling.steps = 5;
    const page = await lab.open(baseUrl + linkTo(cfg));
    await waitForBackend(page, 'webgpu');
    expect(await page.inputValue('[name="market.model"]')).toBe('signature-diffusion');
    expect(await page.inputValue('[name="market.diffusion.depth"]')).toBe('3');
    expect(await page.textContent('[data-testid=diffusion-resolution]')).toContain('each 5-day segment comes back as its increment plus 1 harmonic, 3 numbers for 5 days, so its days move smoothly until the training residuals are added');
    expect(await page.textContent('[data-testid=diffusion-market-note]')).toContain('press Generate');

    await page.click('[data-testid=generate-paths]', { timeout: 60_000 });
    await page.waitForSelector('[data-testid=run-status][data-phase=running]');
    expect(await outcome(page)).toBe('done');

    const loss = await waitForTraces(page, 'chart-diffusion-loss', 1);
    expect(loss.map((t) => [t.name, t.points])).toEqual([['AAPL', 2]]);
    const fan = await waitForTraces(page, 'chart-generated-fan', 10);
    expect(fan.slice(0, 5).map((t) => t.name)).toEqual(['5%', '5%–95%', '25%', '25%–75%', 'median']);
    for (const t of fan) expect(t.points).toBe(31);
    const rows = await page.$$eval('[data-testid=stylised-facts] tbody tr th', (cells) => cells.map((c) => c.textContent));
    expect(rows).toEqual(['real (test dates)', 'market windows', 'regime model', 'signature diffusion']);
    await waitForTraces(page, 'chart-return-distributions', 9);
    expect(await page.textContent('[data-testid=generators-kept]')).toMatch(/AAPL \(trained 2 epochs, loss \d/);
    await page.screenshot({ path: 'test-results/diffusion.png', fullPage: true });
  }, 300_000);
});
