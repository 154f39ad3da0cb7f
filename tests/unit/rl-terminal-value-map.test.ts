/**
 * Paper 000 figs. 7-10 as the RL family bins them (families/rl.ts terminalValueMap): cell (t, j) is the mean
 * PV_T of the paths whose S_t / K lies in bin j at date t, with T - t = (T - t) dt; checked on paths laid out
 * by hand, where every mean and count is known.
 */
import { describe, expect, it } from 'vitest';
import { terminalValueMap } from '../../src/engine/experiment/families/rl';

describe('PV_T map', () => {
  it('averages each path PV_T over the S_t / K bin it is in at each date', () => {
    // Three paths, two dates; S_t / K date-major: t = 0: 0.9, 1.02, 1.1; t = 1: 1.1, 0.9, 0.95.
    const pv = [1, 2, 4];
    const moneyness = [0.9, 1.02, 1.1, 1.1, 0.9, 0.95];
    const map = terminalValueMap(pv, moneyness, 2, 0.5, 2);
    expect(Array.from(map.moneynessEdges)).toEqual([0.9, 1.0, 1.1].map((x, j) => (j === 1 ? expect.closeTo(x, 12) : x)));
    expect(Array.from(map.timeToMaturity)).toEqual([1, 0.5]);
    // t = 0: bin 0 holds path 1 (0.9); bin 1 holds paths 2 (1.02) and 3 (1.1, the top edge, kept in the last bin).
    // t = 1: bin 0 holds paths 2 and 3 (0.9, 0.95); bin 1 holds path 1 (1.1).
    expect(Array.from(map.count)).toEqual([1, 2, 2, 1]);
    expect(Array.from(map.meanPv)).toEqual([1, 3, 3, 1]);
  });

  it('counts every (path, date) once and leaves empty cells at 0', () => {
    const map = terminalValueMap([5, 7], [1, 1, 1.2, 1.2], 2, 0.1, 4);
    expect(map.count.reduce((a, b) => a + b, 0)).toBe(4);
    expect(Array.from(map.count)).toEqual([2, 0, 0, 0, 0, 0, 0, 2]);
    expect(map.meanPv[1]).toBe(0);
    expect(map.meanPv[0]).toBe(6);
    expect(map.meanPv[7]).toBe(6);
  });
});
