import { describe, expect, it } from 'vitest';
import { ensembleCovers, ensembleCrps, energyScore } from '../../src/engine/forecast/ensemble-scores';
import { gaussianCrps } from '../../src/engine/forecast/gaussian-scores';
import { stream } from '../../src/engine/random/stream';

/** E|X - y| - 0.5 E|X - X'| over the ensemble, every pair visited (the 1/M^2 estimator). */
function crpsByPairs(x: ArrayLike<number>, y: number): number {
  const m = x.length;
  let a = 0, b = 0;
  for (let i = 0; i < m; i++) {
    a += Math.abs(x[i] - y);
    for (let j = 0; j < m; j++) b += Math.abs(x[i] - x[j]);
  }
  return a / m - (0.5 * b) / (m * m);
}

describe('ensemble CRPS (sorted-sample form)', () => {
  it('equals its all-pairs definition for small ensembles, ties and unsorted input included', () => {
    const u = stream(3, 'test', 'ensemble', 'small').normals(new Float64Array(40));
    const cases: [number[], number][] = [
      [[0.3], 0.1],
      [[1, 2], 1.5],
      [[2, -1, 2, 0.5, 2], 0.7],
      [Array.from(u.subarray(0, 7)), 0.2],
      [Array.from(u.subarray(7, 40)), -3],
    ];
    for (const [x, y] of cases) expect(ensembleCrps(Float64Array.from(x), y)).toBeCloseTo(crpsByPairs(x, y), 13);
    // One member: |x - y|; two members 1 and 2 at y = 1.5: 0.5 - 0.5 * (2 / 4) = 0.25.
    expect(ensembleCrps(Float64Array.from([0.3]), 0.1)).toBeCloseTo(0.2, 15);
    expect(ensembleCrps(Float64Array.from([1, 2]), 1.5)).toBeCloseTo(0.25, 15);
  });

  it('converges to the Gaussian closed form for 100,000 Gaussian samples', () => {
    const m = 100_000;
    const z = stream(5, 'test', 'ensemble', 'gaussian').normals(new Float64Array(m));
    for (const [mu, sigma, y] of [
      [0, 1, 0],
      [0.001, 0.02, -0.03],
      [2, 0.5, 3.7],
    ]) {
      const x = z.map((v) => mu + sigma * v);
      // Monte Carlo standard error about 0.002 sigma; the 1/M^2 bias is sigma / (sqrt(pi) M), negligible.
      expect(Math.abs(ensembleCrps(x, y) - gaussianCrps(mu, sigma, y))).toBeLessThan(0.01 * sigma);
    }
  });

  it('refuses an empty ensemble and a non-finite member', () => {
    expect(() => ensembleCrps(new Float64Array(0), 0)).toThrow(/empty/);
    expect(() => ensembleCrps(Float64Array.from([0, NaN]), 0)).toThrow(/sample value 1/);
  });
});

describe('energy score (beta = 1)', () => {
  it('equals the ensemble CRPS in one dimension', () => {
    const x = stream(7, 'test', 'ensemble', 'energy-1d').normals(new Float64Array(60));
    for (const y of [-1.5, 0, 0.4]) expect(energyScore(x, Float64Array.of(y))).toBeCloseTo(ensembleCrps(x, y), 13);
  });

  it('is ||x - y|| for an ensemble of identical paths', () => {
    const path = [0.01, -0.02, 0.005, 0.03];
    const y = Float64Array.from([0, 0.01, -0.01, 0.02]);
    const samples = Float64Array.from([...path, ...path, ...path, ...path, ...path]);
    const norm = Math.hypot(...path.map((v, k) => v - y[k]));
    expect(energyScore(samples, y)).toBeCloseTo(norm, 15);
  });

  it('gives a two-member hand example: (4 + 3)/2 - (2 * 5) / (2 * 4) = 2.25', () => {
    expect(energyScore(Float64Array.from([0, 0, 3, 4]), Float64Array.from([0, 4]))).toBeCloseTo(2.25, 15);
  });

  it('refuses samples that do not make whole vectors', () => {
    expect(() => energyScore(new Float64Array(5), new Float64Array(2))).toThrow(/whole vectors/);
  });
});

describe('ensemble coverage', () => {
  it('uses [x_(ceil(a M)), x_(ceil(b M))]: [3, 8] at 50 % and [1, 10] at 90 % for the members 1..10', () => {
    const x = Float64Array.from([7, 3, 10, 1, 5, 9, 2, 8, 4, 6]);
    expect([2.99, 3, 8, 8.01].map((y) => ensembleCovers(x, y, 0.5))).toEqual([false, true, true, false]);
    expect([0.99, 1, 10, 10.01].map((y) => ensembleCovers(x, y, 0.9))).toEqual([false, true, true, false]);
  });

  it('covers an exchangeable outcome with probability (upper - lower) / (M + 1): 0.4 and 0.8 for M = 9', () => {
    // M = 9: ranks 3..7 at 50 %, 1..9 at 90 %. y's count of members below it is uniform on 0..9 and covered
    // exactly when lower <= count < upper.
    const m = 9, trials = 40_000;
    const z = stream(11, 'test', 'ensemble', 'coverage').normals(new Float64Array(trials * (m + 1)));
    let in50 = 0, in90 = 0;
    for (let k = 0; k < trials; k++) {
      const x = z.subarray(k * (m + 1), k * (m + 1) + m);
      const y = z[k * (m + 1) + m];
      if (ensembleCovers(x, y, 0.5)) in50++;
      if (ensembleCovers(x, y, 0.9)) in90++;
    }
    // Standard errors 0.0024 and 0.002.
    expect(Math.abs(in50 / trials - 0.4)).toBeLessThan(0.01);
    expect(Math.abs(in90 / trials - 0.8)).toBeLessThan(0.01);
  });
});
