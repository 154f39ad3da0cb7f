/**
 * Whether a test set is large enough for the metrics table's tail metrics. VaR and ES at level alpha
 * (risk/expected-shortfall.ts, paper 001 eq. 28) are read off the n (1 - alpha) worst outcomes of n test
 * paths; with fewer than MIN_TAIL_OUTCOMES of them the estimate is one or two order statistics (15 test
 * windows give VaR 90 = VaR 95 = VaR 99, all the worst window), so the level is flagged as unreliable.
 */
import type { Metrics } from '../experiment/events';

/** The levels of the metrics table, in percent, with their VaR and ES columns. */
export const TAIL_LEVELS = [
  { percent: 90, metrics: ['var90', 'es90'] },
  { percent: 95, metrics: ['var95', 'es95'] },
  { percent: 99, metrics: ['var99', 'es99'] },
] as const satisfies readonly { percent: number; metrics: readonly (keyof Metrics)[] }[];

/** Outcomes beyond a level below which its VaR and ES are flagged. */
export const MIN_TAIL_OUTCOMES = 10;

export interface UnreliableTail {
  /** The level alpha in percent (90, 95, 99). */
  percent: number;
  /** n (1 - alpha): the test outcomes beyond the level. */
  outcomes: number;
  metrics: readonly (keyof Metrics)[];
}

/** The table's tail levels that rest on fewer than MIN_TAIL_OUTCOMES of `testPaths` outcomes, lowest level first. */
export function unreliableTails(testPaths: number): UnreliableTail[] {
  if (!(Number.isInteger(testPaths) && testPaths >= 0)) throw new Error(`testPaths must be a non-negative integer, got ${testPaths}`);
  return TAIL_LEVELS.map(({ percent, metrics }) => ({ percent, outcomes: (testPaths * (100 - percent)) / 100, metrics })).filter(
    (t) => t.outcomes < MIN_TAIL_OUTCOMES,
  );
}
