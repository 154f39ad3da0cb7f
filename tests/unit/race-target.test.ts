/** Paper 002's race target: the experiment's, else Adam's final smoothed validation loss, and none while Adam trains; a sweep's steps ratios. */
import { describe, expect, it } from 'vitest';
import type { StrategyResult, ValidationRecord } from '../../src/engine/experiment/events';
import { raceOutcome, raceTarget, ratioSpread, smoothedLoss, stepsRatio, targetReached } from '../../src/engine/experiment/race-target';
import { raceDocument } from '../../src/engine/experiment/result-document';
import { tinyRace } from '../fixtures/tiny-race';

const record = (loss: number[]): ValidationRecord => ({ steps: loss.map((_, k) => 2 * k), loss, seconds: loss.map((_, k) => k / 2) });

describe('raceTarget', () => {
  const cfg = tinyRace({ testPaths: 32, kfacId: 'kfac' });

  it('has no target until Adam has finished, then Adam’s last smoothed validation loss', () => {
    expect(raceTarget(cfg, new Map())).toBeNull();
    expect(raceTarget(cfg, new Map([['kfac', record([3, 1])]]))).toBeNull();
    // (3 + 2.5 + 1) / 3, which Adam's smoothed curve reaches at its last point.
    expect(raceTarget(cfg, new Map([['adam', record([3, 2.5, 1])]]))).toBeCloseTo(6.5 / 3, 12);
  });

  it('takes the experiment’s target loss from the start', () => {
    expect(raceTarget({ ...cfg, targetLoss: 0.5 }, new Map())).toBe(0.5);
  });
});

describe('smoothedLoss', () => {
  it('is the running minimum of the trailing 3-point average', () => {
    expect(smoothedLoss([3, 1, 2, 6, 0])).toEqual([3, 2, 2, 2, 2]);
    expect(smoothedLoss([6, 3, 0, 3])).toEqual([6, 4.5, 3, 2]);
    expect(smoothedLoss([4, 2, 3, 1, 2])).toEqual([4, 3, 3, 2, 2]);
  });
});

describe('targetReached', () => {
  it('counts the steps and seconds to the first smoothed validation loss at or below the target', () => {
    // Smoothed: 3, 2.75, 2.5, 1.83...
    expect(targetReached(record([3, 2.5, 2, 1]), 2)).toEqual({ targetLoss: 2, steps: 6, seconds: 1.5 });
    expect(targetReached(record([3, 2.5]), 2)).toEqual({ targetLoss: 2, steps: null, seconds: null });
  });

  it('does not end the race on one lucky validation point', () => {
    expect(targetReached(record([3, 1.9, 3, 3]), 2).steps).toBeNull();
    expect(targetReached(record([1.5, 3]), 2).steps).toBe(0);
  });
});

describe('stepsRatio', () => {
  it('divides the fastest DH-KFAC’s steps by the fastest Adam’s, the tuned learning rate among several', () => {
    const reached = [
      { optimizer: 'adam' as const, steps: 400 },
      { optimizer: 'adam' as const, steps: 240 },
      { optimizer: 'adam' as const, steps: null },
      { optimizer: 'dh-kfac' as const, steps: 60 },
    ];
    expect(stepsRatio(reached)).toBe(0.25);
    expect(stepsRatio(reached.filter((r) => r.optimizer === 'adam'))).toBeNull();
    expect(stepsRatio([{ optimizer: 'adam', steps: null }, { optimizer: 'dh-kfac', steps: 10 }])).toBeNull();
  });
});

describe('a sweep’s race', () => {
  const hedger = (id: string, optimizer: 'adam' | 'dh-kfac', steps: number | null, seconds: number | null): StrategyResult =>
    ({ id, type: 'recurrent', label: id, trainable: true, optimizer, metrics: {} as StrategyResult['metrics'], target: { targetLoss: 0.1155, steps, seconds } });

  it('names the fastest hedger of each optimiser and their steps ratio, per run', () => {
    const race = raceOutcome([
      { id: 'no-hedge', type: 'no-hedge', label: 'No hedge', trainable: false, metrics: {} as StrategyResult['metrics'] },
      hedger('adam-3e-4', 'adam', 80, 70.5),
      hedger('adam-1e-3', 'adam', 64, 60),
      hedger('adam-3e-3', 'adam', null, null),
      hedger('dh-kfac', 'dh-kfac', 24, 31),
    ])!;
    expect(raceDocument(race)).toEqual({
      target_loss: 0.1155,
      fastest_adam: { id: 'adam-1e-3', steps_to_target: 64, seconds_to_target: 60 },
      fastest_dh_kfac: { id: 'dh-kfac', steps_to_target: 24, seconds_to_target: 31 },
      steps_ratio: 0.375,
    });
    expect(raceOutcome([hedger('dh-kfac', 'dh-kfac', null, null)])!.fastest['dh-kfac']).toBeNull();
    expect(raceOutcome([{ id: 'no-hedge', type: 'no-hedge', label: 'No hedge', trainable: false, metrics: {} as StrategyResult['metrics'] }])).toBeNull();
  });

  it('gives the median and range of the ratios over the runs where both optimisers reached the target', () => {
    expect(ratioSpread([0.5, null, 0.25, 0.3])).toEqual({ median: 0.3, min: 0.25, max: 0.5, runs: 3 });
    expect(ratioSpread([0.5, 0.25])).toEqual({ median: 0.375, min: 0.25, max: 0.5, runs: 2 });
    expect(ratioSpread([null])).toBeNull();
  });
});
