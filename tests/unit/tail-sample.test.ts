/** The metrics table's tail levels flagged when fewer than 10 test outcomes lie beyond them. */
import { describe, expect, it } from 'vitest';
import { MIN_TAIL_OUTCOMES, unreliableTails } from '../../src/engine/risk/tail-sample';

const flagged = (n: number) => unreliableTails(n).map((t) => t.percent);

describe('unreliableTails', () => {
  it('flags every level of a 15-window test set, with the outcomes beyond each', () => {
    expect(unreliableTails(15)).toEqual([
      { percent: 90, outcomes: 1.5, metrics: ['var90', 'es90'] },
      { percent: 95, outcomes: 0.75, metrics: ['var95', 'es95'] },
      { percent: 99, outcomes: 0.15, metrics: ['var99', 'es99'] },
    ]);
  });

  it('flags a level exactly while n (1 - alpha) < 10, with no rounding at the boundary', () => {
    expect(MIN_TAIL_OUTCOMES).toBe(10);
    expect(flagged(99)).toEqual([90, 95, 99]);
    expect(flagged(100)).toEqual([95, 99]);
    expect(flagged(199)).toEqual([95, 99]);
    expect(flagged(200)).toEqual([99]);
    expect(flagged(999)).toEqual([99]);
    expect(flagged(1000)).toEqual([]);
    expect(flagged(100_000)).toEqual([]);
  });

  it('refuses a path count that is not a count', () => {
    expect(() => unreliableTails(-1)).toThrow(/non-negative integer/);
    expect(() => unreliableTails(2.5)).toThrow(/non-negative integer/);
  });
});
