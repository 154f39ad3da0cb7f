/** Paper 002's race target: the experiment's, else Adam's final validation loss, and none while Adam trains. */
import { describe, expect, it } from 'vitest';
import type { ValidationRecord } from '../../src/engine/experiment/events';
import { raceTarget, targetReached } from '../../src/engine/experiment/race-target';
import { tinyRace } from '../fixtures/tiny-race';

const record = (loss: number[]): ValidationRecord => ({ steps: loss.map((_, k) => 2 * k), loss, seconds: loss.map((_, k) => k / 2) });

describe('raceTarget', () => {
  const cfg = tinyRace({ testPaths: 32, kfacId: 'kfac' });

  it('has no target until Adam has finished, then Adam’s last validation loss', () => {
    expect(raceTarget(cfg, new Map())).toBeNull();
    expect(raceTarget(cfg, new Map([['kfac', record([3, 1])]]))).toBeNull();
    expect(raceTarget(cfg, new Map([['adam', record([3, 2.5, 2])]]))).toBe(2);
  });

  it('takes the experiment’s target loss from the start', () => {
    expect(raceTarget({ ...cfg, targetLoss: 0.5 }, new Map())).toBe(0.5);
  });
});

describe('targetReached', () => {
  it('counts the steps and seconds to the first validation loss at or below the target', () => {
    expect(targetReached(record([3, 2.5, 2, 1]), 2)).toEqual({ targetLoss: 2, steps: 4, seconds: 1 });
    expect(targetReached(record([3, 2.5]), 2)).toEqual({ targetLoss: 2, steps: null, seconds: null });
  });
});
