/**
 * Paper 002's race in the page on WebGPU (SwiftShader): a tiny recurrent hedger of a short cliquet, trained by
 * Adam and by DH-KFAC from the same weights; both validation curves appear on the race chart with the target,
 * and the P&L variants and hedge bands of the learned hedge are drawn.
 */
import { describe, expect, inject, it } from 'vitest';
import { tinyRace as tinyRaceFixture } from '../fixtures/tiny-race';
import { labForFile, RESULTS_DIR } from './chromium';
import { linkTo, outcome, run, traces, waitForBackend, waitForTraces } from './lab-page';

const baseUrl = inject('baseUrl');
const lab = labForFile();

const tinyRace = () => tinyRaceFixture({ testPaths: 32, kfacId: 'dh-kfac' });

describe('optimiser race', () => {
  it('races Adam and DH-KFAC on WebGPU and shows both validation curves, the P&L variants and the hedge bands', async () => {
    const page = await lab.open(baseUrl + linkTo(tinyRace()));
    await waitForBackend(page, 'webgpu');
    await run(page);
    expect(await outcome(page)).toBe('done');
    const race = await waitForTraces(page, 'chart-race', 6);
    const curves = race.filter((t) => t.name.startsWith('Recurrent'));
    // Each strategy against iterations and against seconds: validation at iterations 0, 2 and 4.
    expect(curves.map((t) => t.name).sort()).toEqual(['Recurrent 1x4 (Adam)', 'Recurrent 1x4 (Adam)', 'Recurrent 1x4 (DH-KFAC)', 'Recurrent 1x4 (DH-KFAC)']);
    expect(curves.map((t) => t.points)).toEqual([3, 3, 3, 3]);
    expect(race.filter((t) => t.name.startsWith('target'))).toHaveLength(2);
    expect(await page.textContent('[data-testid=race-summary]')).toMatch(/DH-KFAC.*Adam/);
    const variants = await waitForTraces(page, 'chart-pnl-variants', 3);
    expect(variants.map((t) => t.name.split(' (')[0]).sort()).toEqual(['learned hedge', 'unhedged', 'without options']);
    expect((await traces(page, 'chart-hedge-bands')).length).toBeGreaterThan(0);
    expect((await traces(page, 'chart-curvature')).length).toBeGreaterThan(0);
    expect(await page.getAttribute('[data-testid=backend-badge]', 'data-backend')).toBe('webgpu');
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${RESULTS_DIR}/race.png`, fullPage: true });
    expect(lab.errors).toEqual([]);
    await page.close();
  });
});
