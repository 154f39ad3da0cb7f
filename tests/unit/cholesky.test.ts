import { describe, expect, it } from 'vitest';
import { cholesky, lowerTimes, NotPositiveDefiniteError } from '../../src/engine/linalg/cholesky';

describe('cholesky', () => {
  it('reconstructs a covariance matrix and is lower triangular', () => {
    const a = [
      [0.04, 0.012, -0.006],
      [0.012, 0.09, 0.018],
      [-0.006, 0.018, 0.0625],
    ];
    const l = cholesky(a);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        if (j > i) expect(l[i][j]).toBe(0);
        let s = 0;
        for (let k = 0; k < 3; k++) s += l[i][k] * l[j][k];
        expect(s).toBeCloseTo(a[i][j], 14);
      }
    }
    expect(Array.from(lowerTimes(l, [1, 0, 0], new Float64Array(3)))).toEqual([l[0][0], l[1][0], l[2][0]]);
  });

  it('refuses matrices that are not symmetric or not positive definite, saying which', () => {
    expect(() => cholesky([[1, 0.5], [0.4, 1]])).toThrow(/not symmetric: entry \(2, 1\)/);
    expect(() => cholesky([[1, 2], [2, 1]])).toThrow(NotPositiveDefiniteError);
    expect(() => cholesky([[1, 2], [2, 1]])).toThrow(/pivot 2/);
    expect(() => cholesky([[1, 0], [0]])).toThrow(/row 2 has 1 entries/);
  });
});
