/**
 * Scores of sampled H-day paths against the realised ones (paper 000 §3.1 eq. 10-11, forecast/path-scores.ts): hand
 * cases for the CRPS, energy score, coverage and NLL, the [starts, M, H, N] layout against ensemble-scores.ts called
 * on each (start, day, asset), and calibration: realised paths from the samples' own law are covered at the nominal
 * rates, realised paths with 3 times the spread are not.
 */
import { describe, expect, it } from 'vitest';
import { ensembleCrps, energyScore } from '../../src/engine/forecast/ensemble-scores';
import { pathScores } from '../../src/engine/forecast/path-scores';
import { stream } from '../../src/engine/random/stream';

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** `starts` random-walk paths of H days and N assets, cumulative: day h's value has sd daily[n] sqrt(h + 1). */
function walks(starts: number, horizon: number, daily: number[], scale: number, seed: string): Float64Array {
  const n = daily.length;
  const eps = stream(11, 'path-scores', seed).normals(new Float64Array(starts * horizon * n));
  const out = new Float64Array(eps.length);
  for (let s = 0; s < starts; s++)
    for (let h = 0; h < horizon; h++)
      for (let a = 0; a < n; a++) {
        const at = (s * horizon + h) * n + a;
        out[at] = (h > 0 ? out[at - n] : 0) + scale * daily[a] * eps[at];
      }
  return out;
}

describe('path scores', () => {
  it('match the hand-computed scores of two samples of one day and asset', () => {
    const shape = { starts: 1, paths: 2, horizon: 1, assets: 1 };
    const r = pathScores(Float64Array.from([0.1, 0.3]), Float64Array.from([0.25]), shape);
    // CRPS = (|0.1 - 0.25| + |0.3 - 0.25|) / 2 - (|0.1 - 0.3| + |0.3 - 0.1|) / (2 * 2^2) = 0.1 - 0.05.
    expect(r.crps).toBeCloseTo(0.05, 15);
    // In one dimension the energy score is the CRPS.
    expect(r.energy).toBeCloseTo(0.05, 15);
    // Both central intervals of two samples are [x_(1), x_(2)] = [0.1, 0.3].
    expect([r.coverage50, r.coverage90]).toEqual([1, 1]);
    // Fitted Gaussian: mean 0.2, sd sqrt((0.1^2 + 0.1^2) / 1) = sqrt(0.02); z = 0.05 / sqrt(0.02).
    expect(r.nll).toBeCloseTo(HALF_LOG_TWO_PI + 0.5 * Math.log(0.02) + 0.5 * (0.05 ** 2 / 0.02), 14);
    expect(r.starts).toBe(1);
    const outside = pathScores(Float32Array.from([0.1, 0.3]), Float64Array.from([0.5]), shape);
    expect([outside.coverage50, outside.coverage90]).toEqual([0, 0]);
  });

  it('count coverage over days and assets by the central sample intervals', () => {
    // Samples 1 .. 10 for each of 4 assets: the 50 % interval is [x_(3), x_(8)] = [3, 8], the 90 % one [1, 10].
    const samples = Float64Array.from({ length: 40 }, (_, e) => Math.floor(e / 4) + 1);
    const r = pathScores(samples, Float64Array.from([0, 2, 5, 9.5]), { starts: 1, paths: 10, horizon: 1, assets: 4 });
    expect(r.coverage50).toBe(1 / 4);
    expect(r.coverage90).toBe(3 / 4);
  });

  it("read [starts, M, H, N] samples: each (start, day, asset)'s ensemble, each start's H N vectors", () => {
    const [starts, paths, horizon, assets] = [3, 6, 2, 3];
    const cells = horizon * assets;
    const samples = stream(11, 'path-scores', 'layout').normals(new Float32Array(starts * paths * cells));
    const realised = stream(12, 'path-scores', 'layout').normals(new Float64Array(starts * cells));
    const r = pathScores(samples, realised, { starts, paths, horizon, assets });
    let crps = 0, energy = 0;
    for (let s = 0; s < starts; s++) {
      const y = realised.subarray(s * cells, (s + 1) * cells);
      energy += energyScore(Float64Array.from(samples.subarray(s * paths * cells, (s + 1) * paths * cells)), y) / starts;
      for (let h = 0; h < horizon; h++)
        for (let n = 0; n < assets; n++) {
          const column = Float64Array.from({ length: paths }, (_, i) => samples[((s * paths + i) * horizon + h) * assets + n]);
          crps += ensembleCrps(column, realised[(s * horizon + h) * assets + n]) / (starts * cells);
        }
    }
    expect(r.crps).toBeCloseTo(crps, 12);
    expect(r.energy).toBeCloseTo(energy, 12);
    // The same values as float64 score the same.
    expect(pathScores(Float64Array.from(samples), realised, { starts, paths, horizon, assets })).toEqual(r);
  });

  it('give the energy score the CRPS when each path is a single number', () => {
    const samples = stream(11, 'path-scores', 'one-d').normals(new Float64Array(4 * 25));
    const realised = stream(12, 'path-scores', 'one-d').normals(new Float64Array(4));
    const r = pathScores(samples, realised, { starts: 4, paths: 25, horizon: 1, assets: 1 });
    expect(r.energy).toBeCloseTo(r.crps, 13);
  });

  it("cover at the nominal rates when the realised paths follow the samples' law, far less when they spread 3 times as wide", () => {
    const [starts, paths, horizon] = [300, 200, 5];
    const daily = [0.01, 0.02];
    const shape = { starts, paths, horizon, assets: daily.length };
    const samples = walks(starts * paths, horizon, daily, 1, 'samples');
    const good = pathScores(samples, walks(starts, horizon, daily, 1, 'realised'), shape);
    const wide = pathScores(samples, walks(starts, horizon, daily, 3, 'realised'), shape);
    // A realised value exchangeable with the M samples has below it a number of samples uniform on 0 .. M, so it lies
    // in [x_(l), x_(u)] with probability (u - l) / (M + 1): l, u = 50, 150 (50 %) and 10, 190 (90 %) for M = 200.
    // Days of one path are correlated, so the binomial error counts starts x assets = 600 independent trials only.
    for (const [level, l, u] of [[0.5, 50, 150], [0.9, 10, 190]] as const) {
      const p = (u - l) / (paths + 1);
      const observed = level === 0.5 ? good.coverage50 : good.coverage90;
      expect(Math.abs(observed - p)).toBeLessThan(3 * Math.sqrt((p * (1 - p)) / (starts * daily.length)));
    }
    // 3 times the spread: P(|Z| < 0.674 / 3) = 0.18 and P(|Z| < 1.645 / 3) = 0.42.
    expect(wide.coverage50).toBeLessThan(0.3);
    expect(wide.coverage90).toBeLessThan(0.55);
    // The calibrated NLL is the Gaussian's entropy, 0.5 ln(2 pi e) + mean ln sd, within Monte Carlo error.
    let logSd = 0;
    for (let h = 0; h < horizon; h++) for (const d of daily) logSd += Math.log(d * Math.sqrt(h + 1)) / (horizon * daily.length);
    expect(Math.abs(good.nll - (HALF_LOG_TWO_PI + 0.5 + logSd))).toBeLessThan(0.1);
    expect(wide.nll).toBeGreaterThan(good.nll + 1);
    expect(wide.crps).toBeGreaterThan(good.crps);
    expect(wide.energy).toBeGreaterThan(good.energy);
    expect(good.starts).toBe(starts);
  });

  it('skip a start whose realised path is missing a value', () => {
    const samples = stream(11, 'path-scores', 'missing').normals(new Float64Array(2 * 5 * 2));
    const realised = Float64Array.from([0.1, NaN, 0.2, -0.3]);
    const both = pathScores(samples, realised, { starts: 2, paths: 5, horizon: 2, assets: 1 });
    const second = pathScores(samples.subarray(10), realised.subarray(2), { starts: 1, paths: 5, horizon: 2, assets: 1 });
    expect(both).toEqual(second);
    expect(both.starts).toBe(1);
  });

  it('name a bad shape, too few paths, or samples that do not spread', () => {
    const x = new Float64Array(8);
    expect(() => pathScores(x, new Float64Array(2), { starts: 2, paths: 2, horizon: 2, assets: 0 })).toThrow(/assets must be a whole number of at least 1, not 0/);
    expect(() => pathScores(x, new Float64Array(2), { starts: 1.5, paths: 2, horizon: 2, assets: 1 })).toThrow(/starts must be a whole number/);
    expect(() => pathScores(x, new Float64Array(8), { starts: 8, paths: 1, horizon: 1, assets: 1 })).toThrow(/at least 2 sampled paths/);
    expect(() => pathScores(x, new Float64Array(2), { starts: 1, paths: 2, horizon: 2, assets: 1 })).toThrow(/8 sample values, not starts x paths x horizon x assets = 4/);
    expect(() => pathScores(x, new Float64Array(3), { starts: 2, paths: 2, horizon: 2, assets: 1 })).toThrow(/3 realised values, not starts x horizon x assets = 4/);
    expect(() => pathScores(x, new Float64Array(4), { starts: 2, paths: 2, horizon: 2, assets: 1 })).toThrow(/start 0, day 0, asset 0: the samples do not spread/);
  });
});
