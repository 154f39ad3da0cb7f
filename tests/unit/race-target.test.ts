/** Paper 002's race target: the experiment's, else Adam's final validation loss, and none while Adam trains. */
import { describe, expect, it } from 'vitest';
import type { ValidationRecord } from '../../src/engine/experiment/events';
import { raceTarget, smoothedLoss, stepsRatio, targetReached } from '../../src/engine/experiment/race-target';
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
