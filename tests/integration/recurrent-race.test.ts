import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { strategyDocument } from '../../src/engine/experiment/result-document';
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
    expect(adam.target_loss).toBe(adam.training.validation_loss[2]);
    const firstBelow = adam.training.validation_loss.findIndex((l: number) => l <= adam.target_loss);
    expect(adam.steps_to_target).toBe(adam.training.steps[firstBelow]);
    expect(kfac.target_loss).toBe(adam.target_loss);
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
