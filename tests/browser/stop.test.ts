/**
 * Stop on WASM, where an awaited tfjs read resolves without a macrotask, so a worker loop that never yields
 * one never hears the page's Stop (issue 12): a pathwise run, a recurrent race and a comparison all stop
 * mid-way and the page is idle again with its progress where it stopped, as does paper 000's BC-RPPO between its updates
 * and a signature-diffusion market's Generate between two sampler steps; a run stuck in one long step
 * (paper 002's cliquet race, whose first steps take several seconds) has its worker replaced, and the page
 * says so and runs again, and so does a comparison job stuck in the same long step. WebGPU's Stop for
 * pathwise runs is in run.test.ts, its race and comparison here.
 */
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { preset } from '../../src/engine/experiment/presets';
import { RL_DEFAULTS } from '../../src/engine/experiment/rl-defaults';
import type { Experiment } from '../../src/engine/experiment/schema';
import { tinyRace } from '../fixtures/tiny-race';
import { tinyDiffusion } from '../fixtures/tiny-diffusion';
import { labForFile, RESULTS_DIR } from './chromium';
import { linkTo, outcome, run, tinyComparison, tinyExperiment, waitForBackend } from './lab-page';

const baseUrl = inject('baseUrl');
const lab = labForFile('wasm');

const progressNow = async (page: Page) => Number(await page.getAttribute('[data-testid=progress]', 'aria-valuenow'));

/** Waits until the run's progress passes `percent`. */
async function progressPast(page: Page, percent: number): Promise<void> {
  await page.waitForFunction((p) => Number(document.querySelector('[data-testid=progress]')?.getAttribute('aria-valuenow')) > p, percent, { timeout: 120_000 });
}

/** Stops the run and checks the page is idle, stopped where it was, and stays there. */
async function stopsWhereItIs(page: Page): Promise<number> {
  await page.click('[data-testid=stop-button]');
  expect(await outcome(page, 30_000)).toBe('stopped');
  const at = await progressNow(page);
  expect(at).toBeLessThan(50);
  expect(await page.isEnabled('[data-testid=run-button]')).toBe(true);
  expect(await page.isEnabled('[data-testid=backend-select]')).toBe(true);
  await page.waitForTimeout(1500);
  expect(await progressNow(page)).toBe(at);
  return at;
}

function longRace(): Experiment {
  const cfg = tinyRace({ testPaths: 32, kfacId: 'dh-kfac' });
  for (const s of cfg.strategies) if (s.type === 'recurrent') s.training.epochs = 400;
  return cfg;
}

/** Paper 000's BC-RPPO, small but with many updates, beside its implied-delta expert. */
function longAgent(): Experiment {
  const cfg = tinyExperiment(1);
  cfg.name = 'Long BC-RPPO';
  const agent = RL_DEFAULTS['bc-rppo']();
  agent.network = { layers: 1, units: 8 };
  agent.rl = { ...agent.rl, updates: 400, episodes: 32, evaluateEvery: 5 };
  agent.bc = { ...agent.bc, epochs: 2, batchSize: 64 };
  agent.rppo = { ...agent.rppo, actorUpdates: 2, criticUpdates: 2, minibatch: 64, frames: 2, gruUnits: 8 };
  cfg.strategies = [{ id: 'implied-delta', type: 'implied-delta' }, agent];
  return cfg;
}

/** Paper 002's cliquet race with its Adam hedger alone, whose first steps on 240 dates take seconds on wasm. */
function slowComparison(): Experiment {
  const cfg = preset('cliquet-race');
  cfg.name = 'Slow comparison';
  cfg.strategies = cfg.strategies.filter((s) => s.id === 'adam');
  return cfg;
}

/**
 * Starts the form's comparison, presses Stop `afterMs` after its workers are ready (starting them takes
 * seconds on a busy machine) and waits until the view is idle again.
 */
async function stopComparisonAfter(page: Page, afterMs: number): Promise<void> {
  await page.click('[data-testid=tab-compare]');
  await page.click('[data-testid=compare-run]');
  await page.waitForSelector('[data-testid=compare-progress][data-phase=running][data-workers-ready=true]', { timeout: 60_000 });
  await page.waitForTimeout(afterMs);
  await page.click('[data-testid=compare-stop]');
  await page.waitForSelector('[data-testid=compare-progress][data-phase=idle]', { timeout: 60_000 });
}

/** Starts a comparison, stops it once its first jobs are under way, and checks it ends stopped with jobs left. */
async function comparisonStops(page: Page): Promise<void> {
  await stopComparisonAfter(page, 1500);
  expect(Number(await page.getAttribute('[data-testid=compare-progress]', 'data-done'))).toBeLessThan(2);
  expect(await page.isEnabled('[data-testid=compare-run]')).toBe(true);
}

/** On `backend`: a long recurrent race stops mid-way, then a comparison (each opened by its link). */
async function raceAndComparisonStop(page: Page, backend: string): Promise<void> {
  await page.goto(baseUrl + linkTo(longRace()));
  await waitForBackend(page, backend);
  await run(page);
  await progressPast(page, 0.5);
  await stopsWhereItIs(page);

  await page.goto(baseUrl + linkTo(tinyComparison(1000)));
  await waitForBackend(page, backend);
  await comparisonStops(page);
}

describe('Stop on WASM', () => {
  it('stops a pathwise run, a recurrent race and a comparison mid-way', async () => {
    const page = await lab.open(baseUrl + linkTo(tinyExperiment(1000)));
    await waitForBackend(page, 'wasm');
    await run(page);
    await progressPast(page, 1);
    await stopsWhereItIs(page);
    expect(await page.textContent('[data-testid=run-status]')).toMatch(/^Stopped at [\d.]+% \(.*Deep hedger/);
    expect(await page.$('[data-testid=run-notice]')).toBeNull();

    await raceAndComparisonStop(page, 'wasm');
    expect(lab.errors).toEqual([]);
    await page.close();
  });

  it('stops an RL agent (BC-RPPO) mid-way between its updates', async () => {
    const page = await lab.open(baseUrl + linkTo(longAgent()));
    await waitForBackend(page, 'wasm');
    await run(page);
    await progressPast(page, 2);
    await stopsWhereItIs(page);
    // Stopped between two updates, not by replacing its worker.
    expect((await page.locator('[data-testid=run-notice]').allTextContents()).join(' ')).not.toMatch(/replaced/);
    await page.screenshot({ path: `${RESULTS_DIR}/stop-rl-wasm.png`, fullPage: true });
  });

  it("stops a signature-diffusion market's Generate while it samples", async () => {
    const cfg = tinyDiffusion({ epochs: 1, paths: 20_000 });
    if (cfg.market.model === 'signature-diffusion') cfg.market.diffusion.sampling.steps = 20;
    const page = await lab.open(baseUrl + linkTo(cfg));
    await waitForBackend(page, 'wasm');
    await page.click('[data-testid=generate-paths]', { timeout: 60_000 });
    // Estimated above a few minutes, it asks first.
    await page.waitForSelector('[data-testid=run-confirm-yes], [data-testid=run-status][data-phase=running]');
    if (await page.$('[data-testid=run-confirm-yes]')) await page.click('[data-testid=run-confirm-yes]');
    // 120,000 segments: the sampler's steps, each a turn of the worker, take minutes; Stop ends it between two.
    await page.waitForFunction(() => /^sampling 20,000 paths of AAPL: step \d+ of 4700/.test(document.querySelector('[data-testid=run-status]')?.textContent ?? ''), undefined, { timeout: 120_000 });
    await stopsWhereItIs(page);
    expect((await page.locator('[data-testid=run-notice]').allTextContents()).join(' ')).not.toMatch(/replaced/);
    expect(await page.$('[data-testid=chart-generated-fan] .js-plotly-plot')).toBeNull();
    await page.close();
  });

  it('replaces the worker of a run, and of a comparison job, stuck in a long step, says so, and runs again', async () => {
    const page = await lab.open(baseUrl + linkTo(preset('cliquet-race')));
    await waitForBackend(page, 'wasm');
    // Once the backend's speed is measured, the estimate asks before a run of many minutes.
    await page.waitForSelector('[data-testid=run-estimate][data-seconds]', { timeout: 60_000 });
    expect(Number(await page.getAttribute('[data-testid=run-estimate]', 'data-seconds'))).toBeGreaterThan(180);
    await page.click('[data-testid=run-button]');
    await page.click('[data-testid=run-confirm-yes]');
    await page.waitForSelector('[data-testid=run-status][data-phase=running]');
    await page.waitForTimeout(1000);
    await page.click('[data-testid=stop-button]');
    expect(await outcome(page, 60_000)).toBe('stopped');
    expect(await page.textContent('[data-testid=run-notice]')).toMatch(/worker was replaced/);
    await page.screenshot({ path: `${RESULTS_DIR}/stop-replaced.png` });

    await page.goto(baseUrl + linkTo(tinyExperiment(2)));
    await waitForBackend(page, 'wasm');
    await run(page);
    expect(await outcome(page, 120_000)).toBe('done');

    // A comparison job stuck in the same long step: its worker is replaced too, and the view says so.
    await page.goto(baseUrl + linkTo(slowComparison()));
    await waitForBackend(page, 'wasm');
    await stopComparisonAfter(page, 1000);
    expect(await page.textContent('[data-testid=compare-notice]')).toMatch(/One job was still inside one long step after Stop, so its worker was replaced/);
    expect(lab.errors).toEqual([]);
    await page.close();
  });
});

describe('Stop on WebGPU', () => {
  it('stops a recurrent race and a comparison mid-way', async () => {
    const page = await lab.open(baseUrl);
    await page.selectOption('[data-testid=backend-select]', 'webgpu');
    await raceAndComparisonStop(page, 'webgpu');
    expect(lab.errors).toEqual([]);
    await page.close();
  });
});
