import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { strategyDocument } from '../../src/engine/experiment/result-document';
import { smoothedLoss } from '../../src/engine/experiment/race-target';
import type { RunEvent } from '../../src/engine/experiment/events';
import { tinyRace as tinyRaceFixture } from '../fixtures/tiny-race';
import { runExperiment } from '../../src/engine/experiment/run-experiment';
import { parseExperiment, type Experiment } from '../../src/engine/experiment/schema';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const tinyRace = () => tinyRaceFixture({ testPaths: 48, kfacId: 'kfac' });

async function collect(cfg: Experiment): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  for await (const e of runExperiment(cfg)) events.push(e);
  return events;
}

describe('the recurrent race end to end', () => {
  it('streams validation curves, diagnostics and the test figures, and times both optimisers against the target', async () => {
    const before = tf.memory().numTensors;
    const events = await collect(tinyRace());
    expect(events.find((e) => e.type === 'error')).toBeUndefined();
    expect(tf.memory().numTensors).toBe(before);
    const validation = events.filter((e): e is Extract<RunEvent, { type: 'validation' }> => e.type === 'validation');
    expect(validation.filter((e) => e.strategyId === 'adam').map((e) => e.step)).toEqual([0, 2, 4]);
    // Same weights at the start: both score the same loss before training.
    expect(validation.find((e) => e.strategyId === 'kfac' && e.step === 0)!.loss).toBeCloseTo(validation.find((e) => e.strategyId === 'adam' && e.step === 0)!.loss, 6);
    const curvature = events.filter((e): e is Extract<RunEvent, { type: 'curvature' }> => e.type === 'curvature');
    expect(curvature.filter((e) => e.strategyId === 'adam').every((e) => e.maxEigenvalue === null && e.gradientVariance > 0)).toBe(true);
    expect(curvature.filter((e) => e.strategyId === 'kfac').every((e) => e.maxEigenvalue! > 0)).toBe(true);
    expect(curvature.filter((e) => e.strategyId === 'adam').every((e) => e.kappa === null)).toBe(true);
    const kappas = curvature.filter((e) => e.strategyId === 'kfac').map((e) => e.kappa!);
    expect(kappas.length).toBeGreaterThan(0);
    for (const k of kappas) {
      expect(k.map((b) => b.block)).toEqual(['input', 'lstm 1', 'output', 'gains']);
      expect(k.every((b) => b.kappa !== null && Number.isFinite(b.kappa) && b.kappa > 0)).toBe(true);
    }
    const variants = events.find((e): e is Extract<RunEvent, { type: 'pnl-variants' }> => e.type === 'pnl-variants')!;
    expect(variants.variants.map((v) => v.label)).toEqual(['learned hedge', 'without options', 'unhedged']);
    const bands = events.find((e): e is Extract<RunEvent, { type: 'hedge-bands' }> => e.type === 'hedge-bands')!;
    expect(bands.bands.map((b) => b.quantity)).toEqual(['position', 'trade']);
    expect(bands.resetSteps).toEqual([4]);
    // The 4-step call cannot trade after date 4: every quantile is 0 there.
    expect(bands.bands[1].quantiles.every((q) => q.slice(5).every((x) => x === 0))).toBe(true);

    const done = events.find((e): e is Extract<RunEvent, { type: 'done' }> => e.type === 'done')!;
    const [adam, kfac] = done.result.strategies.map(strategyDocument) as Record<string, any>[];
    expect(adam.optimizer).toBe('adam');
    expect(kfac.optimizer).toBe('dh-kfac');
    expect(adam.training.steps).toEqual([0, 2, 4]);
    expect(adam.training.validation_loss).toHaveLength(3);
    // Without a target in the config, Adam's last smoothed loss is the target, which Adam reaches by its end.
    const smoothed = smoothedLoss(adam.training.validation_loss);
    expect(adam.target_loss).toBe(smoothed[2]);
    expect(adam.steps_to_target).toBe(adam.training.steps[smoothed.findIndex((l: number) => l <= adam.target_loss)]);
    expect(adam.steps_to_target).not.toBeNull();
    expect(kfac.target_loss).toBe(adam.target_loss);
    expect(adam.curvature.kappa).toEqual({});
    expect(kfac.curvature.steps).toEqual(kappas.map((_, i) => curvature.filter((e) => e.strategyId === 'kfac')[i].step));
    expect(kfac.curvature.kappa['lstm 1']).toEqual(kappas.map((k) => k[1].kappa));
    expect(adam.metrics_without_options.std).toBeGreaterThan(0);
    expect(adam.hedging_error.map((v: { label: string }) => v.label)).toEqual(['learned hedge', 'without options', 'unhedged']);
    // The unhedged variant is the claim alone: its hedging error is minus the payoff, whose std it has.
    expect(variants.variants[2].std).toBeGreaterThan(0);
    expect(variants.variants[2].skew).toBeLessThan(0);
  });

  it('gives the same curves for the same experiment', async () => {
    const curve = async () =>
      (await collect(tinyRace())).filter((e): e is Extract<RunEvent, { type: 'validation' }> => e.type === 'validation').map((e) => [e.strategyId, e.step, e.loss]);
    expect(await curve()).toEqual(await curve());
  });

  it('stops each hedger once its smoothed validation loss reaches a fixed target (paper 002 §4.2)', async () => {
    const curves = (events: RunEvent[], id: string) => events.filter((e): e is Extract<RunEvent, { type: 'validation' }> => e.type === 'validation' && e.strategyId === id);
    const full = curves(await collect(tinyRace()), 'adam');
    const smoothed = smoothedLoss(full.map((e) => e.loss));
    expect(smoothed[1]).toBeLessThan(smoothed[0]);
    const events = await collect({ ...tinyRace(), targetLoss: smoothed[1] });
    // Adam stops at iteration 2, scored there with the same loss as without a target.
    expect(curves(events, 'adam').map((e) => [e.step, e.loss])).toEqual(full.slice(0, 2).map((e) => [e.step, e.loss]));
    const done = events.find((e): e is Extract<RunEvent, { type: 'done' }> => e.type === 'done')!;
    const adam = strategyDocument(done.result.strategies[0]) as Record<string, any>;
    expect([adam.target_loss, adam.steps_to_target]).toEqual([smoothed[1], 2]);
  });

  it('stops within an iteration when cancelled and frees every tensor', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const seen: string[] = [];
    for await (const e of runExperiment(tinyRace(), { signal: controller.signal })) {
      seen.push(e.type);
      if (e.type === 'validation' && e.step === 2) controller.abort();
    }
    expect(seen).not.toContain('done');
    expect(seen.filter((t) => t === 'validation')).toHaveLength(2);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('asks for the variance + costs objective by name', () => {
    const cfg = tinyRace();
    const r = parseExperiment({ ...cfg, risk: { measure: 'entropic', lambda: 1 } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('; ')).toMatch(/^risk\.measure: recurrent hedgers minimise paper 002 eq\. 3/);
  });
});
