/** The comparison of data sources with the real test dates (src/engine/experiment/diffusion-report.ts). */
import { describe, expect, it } from 'vitest';
import { compareSources, pathReturns, returnRuns } from '../../src/engine/experiment/diffusion-report';
import { stream } from '../../src/engine/random/stream';

/** `n` GBM paths of `steps` days at daily vol `sigma`, rows of steps + 1 prices from 100. */
function paths(n: number, steps: number, sigma: number, seed: number): Float32Array {
  const z = stream(seed, 'report-test').normals(new Float64Array(n * steps));
  const out = new Float32Array(n * (steps + 1));
  for (let p = 0; p < n; p++) {
    out[p * (steps + 1)] = 100;
    for (let d = 0; d < steps; d++) out[p * (steps + 1) + d + 1] = out[p * (steps + 1) + d]! * Math.exp(sigma * z[p * steps + d]!);
  }
  return out;
}

describe('comparing data sources', () => {
  it('splits the returns of a series at its missing prices, and reads paths row by row', () => {
    const runs = returnRuns([1, 2, 4, NaN, 8, 16, 32], [0, 7]);
    expect(runs.map((r) => Array.from(r))).toEqual([[Math.log(2), Math.log(2)], [Math.log(2), Math.log(2)]]);
    expect(returnRuns([1, 2, 4, 8], [1, 3]).map((r) => Array.from(r))).toEqual([[Math.log(2)]]);
    expect(pathReturns([1, 2, 1, 4, 4, 8], 2, 2).map((r) => Array.from(r))).toEqual([
      [Math.log(2), Math.log(0.5)],
      [0, Math.log(2)],
    ]);
  });

  it('finds a source that is the real test paths themselves indistinguishable, and a wilder one far off; densities integrate to 1', () => {
    const steps = 20;
    const test = { prices: paths(200, steps, 0.01, 1), n: 200 };
    const train = pathReturns(paths(100, steps, 0.01, 2), 100, steps);
    const real = { train, validation: train, test: pathReturns(test.prices, 200, steps), testWindows: test };
    const wild = { prices: paths(200, steps, 0.03, 3), n: 200 };
    const { facts, distribution, fan } = compareSources(steps, real, { market: test, regime: wild, diffusion: test });
    const [, , regime, diffusion] = facts;
    // The market row reads the real training returns; the diffusion row is the test paths: KS 0, and the unbiased
    // MMD^2 of a sample against itself, (2 / n) (mean k(x_i, x_j) - mean k(x_i, x_i)), at most 0.
    expect(diffusion!.ks).toBe(0);
    expect(diffusion!.mmd!).toBeLessThanOrEqual(0);
    expect(regime!.ks!).toBeGreaterThan(0.2);
    expect(regime!.mmd!).toBeGreaterThan(20 * Math.abs(diffusion!.mmd!));
    expect(regime!.dailyStd / diffusion!.dailyStd).toBeCloseTo(3, 0);
    const width = distribution.edges[1]! - distribution.edges[0]!;
    for (const d of [distribution.test, distribution.train.diffusion]) expect(d.reduce((a, b) => a + b, 0) * width).toBeCloseTo(1, 3);
    // The fan's median starts at 100 and both fans have a band per quantile over steps + 1 days.
    expect(fan.generated.map((b) => b.length)).toEqual([21, 21, 21, 21, 21]);
    expect(fan.generated[2]![0]).toBe(100);
    expect(fan.real).toEqual(fan.generated);
  });
});
