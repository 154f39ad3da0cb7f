/**
 * Paper 002's race in the page on WebGPU (SwiftShader): a tiny recurrent hedger of a short cliquet, trained by
 * Adam and by DH-KFAC from the same weights; both validation curves, raw and smoothed, appear on the race chart
 * with the target, kappa per block on the curvature chart, and the P&L variants and hedge bands of the learned hedge are drawn. While Adam trains (it goes first) the
 * target is Adam's moving latest loss, labelled provisional, and the curvature chart's DH-KFAC panel says
 * what it waits for.
 */
import * as tf from '@tensorflow/tfjs';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { tinyRace as tinyRaceFixture } from '../fixtures/tiny-race';
import { runExperiment } from '../../src/engine/experiment/run-experiment';
import { labForFile, RESULTS_DIR } from './chromium';
import { linkTo, outcome, run, traces, waitForBackend, waitForTraces } from './lab-page';

const baseUrl = inject('baseUrl');
const lab = labForFile();

const tinyRace = () => tinyRaceFixture({ testPaths: 32, kfacId: 'dh-kfac' });

interface RaceState {
  summary: string;
  /** Names of the race chart's target lines. */
  targets: string[];
  curvatureTraces: number;
  /** Curvature traces on the eigenvalue panel. */
  eigenvalueTraces: number;
  /** Names of the traces on the kappa panel. */
  kappaBlocks: string[];
  /** Texts written on the curvature chart: panel titles and messages. */
  notes: string[];
}

/** Records every change of what the race summary says and the race and curvature charts show (polled each 50 ms, far more often than charts redraw). */
async function recordRace(page: Page): Promise<() => Promise<RaceState[]>> {
  await page.evaluate(() => {
    type Chart = { data?: { name?: string; legendgroup?: string; yaxis?: string }[]; layout?: { annotations?: { text?: string }[] } } | null;
    const seen: RaceState[] = [];
    (window as unknown as { raceStates: RaceState[] }).raceStates = seen;
    setInterval(() => {
      const race = document.querySelector('[data-testid=chart-race]') as Chart;
      const curvature = document.querySelector('[data-testid=chart-curvature]') as Chart;
      const state: RaceState = {
        summary: document.querySelector('[data-testid=race-summary]')?.textContent ?? '',
        targets: (race?.data ?? []).filter((t) => t.legendgroup === 'target').map((t) => t.name ?? ''),
        curvatureTraces: curvature?.data?.length ?? 0,
        eigenvalueTraces: (curvature?.data ?? []).filter((t) => t.yaxis === 'y2').length,
        kappaBlocks: (curvature?.data ?? []).filter((t) => t.yaxis === 'y3').map((t) => t.name ?? ''),
        notes: (curvature?.layout?.annotations ?? []).map((a) => a.text ?? ''),
      };
      if (JSON.stringify(seen.at(-1)) !== JSON.stringify(state)) seen.push(state);
    }, 50);
  });
  return () => page.evaluate(() => (window as unknown as { raceStates: RaceState[] }).raceStates);
}

/** DH-KFAC's validation losses in the same race on Node's cpu backend. */
async function cpuKfacCurve(): Promise<number[]> {
  await tf.setBackend('cpu');
  const losses: number[] = [];
  for await (const e of runExperiment(tinyRace())) if (e.type === 'validation' && e.strategyId === 'dh-kfac') losses.push(e.loss);
  return losses;
}

/** The y values of the page's chart traces named `name`, the first of them. */
async function traceValues(page: Page, testId: string, name: string): Promise<(number | null)[][]> {
  return page.evaluate(
    ([id, n]) => ((document.querySelector(`[data-testid=${id}]`) as unknown as { data: { name: string; y: (number | null)[] }[] }).data ?? []).filter((t) => t.name === n).map((t) => [...t.y]),
    [testId, name],
  );
}

const WAITING_FOR_KFAC = 'DH-KFAC’s largest eigenvalue appears here once DH-KFAC trains';

describe('optimiser race', () => {
  it('races Adam and DH-KFAC on WebGPU and shows both validation curves, the P&L variants and the hedge bands', async () => {
    const page = await lab.open(baseUrl + linkTo(tinyRace()));
    await waitForBackend(page, 'webgpu');
    const states = await recordRace(page);
    await run(page);
    expect(await outcome(page)).toBe('done');
    const race = await waitForTraces(page, 'chart-race', 10);
    const raw = race.filter((t) => t.name.endsWith(', each validation'));
    const curves = race.filter((t) => t.name.startsWith('Recurrent') && !raw.includes(t));
    // Each strategy against iterations and against seconds, smoothed and raw: validation at iterations 0, 2 and 4.
    const [adam, kfac] = ['Recurrent 1x4 (Adam, lr 3e-4)', 'Recurrent 1x4 (DH-KFAC, trust region 1e-3)'];
    expect(curves.map((t) => t.name).sort()).toEqual([adam, adam, kfac, kfac]);
    expect(raw.map((t) => t.name).sort()).toEqual([adam, adam, kfac, kfac].map((n) => `${n}, each validation`));
    expect([...curves, ...raw].map((t) => t.points)).toEqual([3, 3, 3, 3, 3, 3, 3, 3]);
    expect(race.filter((t) => t.name.startsWith('target'))).toHaveLength(2);
    expect(await page.textContent('[data-testid=race-summary]')).toMatch(/DH-KFAC.*Adam/);
    // WebGPU computes what the cpu backend does. (DH-KFAC amplifies float32 differences over its steps, so the
    // bound is loose; with an addN of more inputs than WebGPU binds, dropped kernels had put it 4x off.)
    const [pageCurve] = await traceValues(page, 'chart-race', `${kfac}, each validation`);
    const expected = await cpuKfacCurve();
    expect(pageCurve!.length).toBe(expected.length);
    pageCurve!.forEach((l, k) => expect(Math.abs(l! - expected[k]!)).toBeLessThan(0.25 * expected[k]!));
    for (const block of ['input', 'lstm 1', 'output', 'gains']) {
      const [kappa] = await traceValues(page, 'chart-curvature', block);
      expect(kappa!.every((v) => v !== null && Number.isFinite(v) && v > 0)).toBe(true);
    }
    const variants = await waitForTraces(page, 'chart-pnl-variants', 3);
    expect(variants.map((t) => t.name.split(' (')[0]).sort()).toEqual(['learned hedge', 'unhedged', 'without options']);
    expect((await traces(page, 'chart-hedge-bands')).length).toBeGreaterThan(0);
    expect((await traces(page, 'chart-curvature')).length).toBeGreaterThan(0);
    expect(await page.getAttribute('[data-testid=backend-badge]', 'data-backend')).toBe('webgpu');
    await page.waitForTimeout(500);
    const seen = await states();

    // While Adam trains, its latest loss is a provisional target that no one is said to have reached. (The
    // summary is text, drawn at once; the chart redraws a moment later, so a snapshot may pair a provisional
    // chart with the next summary: the provisional summary must be seen with it, and "0 steps" never.)
    const provisional = seen.filter((s) => s.targets.length > 0 && s.targets.every((t) => t === 'Adam’s latest loss (provisional target)'));
    expect(provisional.length).toBeGreaterThan(0);
    expect(provisional.filter((s) => /^No target yet: the dotted line is Adam’s latest smoothed validation loss \(\S+\), provisional until Adam has spent its budget/.test(s.summary)).length).toBeGreaterThan(0);
    for (const s of seen) expect(s.summary).not.toMatch(/reached the target in 0 steps/);
    const last = seen.at(-1)!;
    expect(last.targets).toEqual(['target', 'target']);
    expect(last.summary).toMatch(/DH-KFAC.*Adam/);

    // The curvature chart titles its three panels; while only Adam has curvature, the DH-KFAC panels say why they are empty.
    const titles = ['gradient variance (single paths)', 'largest eigenvalue of DH-KFAC’s preconditioner', 'κ: true / assumed curvature along each step'];
    const adamOnly = seen.filter((s) => s.curvatureTraces > 0 && s.eigenvalueTraces === 0);
    expect(adamOnly.length).toBeGreaterThan(0);
    for (const s of adamOnly) expect(s.notes).toEqual([...titles, WAITING_FOR_KFAC, 'κ appears here once DH-KFAC trains']);
    expect(last.eigenvalueTraces).toBe(1);
    expect(last.kappaBlocks).toEqual(['input', 'lstm 1', 'output', 'gains', 'κ = 1']);
    expect(last.notes).toEqual(titles);

    await page.screenshot({ path: `${RESULTS_DIR}/race.png`, fullPage: true });
    await (await page.$('[data-testid=curvature-card]'))!.screenshot({ path: `${RESULTS_DIR}/race-curvature.png` });
    expect(lab.errors).toEqual([]);
    await page.close();
  });
});
