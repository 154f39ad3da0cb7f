import { describe, expect, it } from 'vitest';
import { realisedVolatility, realisedVolatilityOver } from '../../src/engine/data/realised-volatility';
import { stream } from '../../src/engine/random/stream';

/** Exact GBM in float64: S_t = S_{t-1} exp((mu - sigma^2/2) dt + sigma sqrt(dt) Z_t). */
function gbm(n: number, sigma: number, seed: number, mu = 0.05, dt = 1 / 252): Float64Array {
  const z = stream(seed, 'test', 'realised-vol').normals(new Float64Array(n));
  const s = new Float64Array(n);
  s[0] = 100;
  for (let t = 1; t < n; t++) s[t] = s[t - 1] * Math.exp((mu - 0.5 * sigma * sigma) * dt + sigma * Math.sqrt(dt) * z[t]);
  return s;
}

/** The textbook estimator written out plainly: sqrt(P / (w - 1) * (sum r^2 - (sum r)^2 / w)). */
function direct(close: ArrayLike<number>, t: number, window: number, periodsPerYear: number): number {
  const r: number[] = [];
  for (let i = t - window + 1; i <= t; i++) r.push(Math.log(close[i]) - Math.log(close[i - 1]));
  const sum = r.reduce((a, b) => a + b, 0);
  const sumSq = r.reduce((a, b) => a + b * b, 0);
  return Math.sqrt((periodsPerYear / (window - 1)) * (sumSq - (sum * sum) / window));
}

describe('realisedVolatility', () => {
  const close = gbm(600, 0.3, 1);

  it('matches a direct computation at every date, NaN until a full window of returns exists', () => {
    for (const [window, periods] of [
      [2, 252],
      [21, 252],
      [63, 365],
    ]) {
      const v = realisedVolatility(close, window, periods);
      expect(v).toHaveLength(close.length);
      for (let t = 0; t < window; t++) expect(v[t]).toBeNaN();
      for (let t = window; t < close.length; t++) expect(Math.abs(v[t] - direct(close, t, window, periods))).toBeLessThan(1e-10);
    }
  });

  it('uses only past prices: changing the future leaves every earlier value as it was', () => {
    const v = realisedVolatility(close, 21);
    const changed = close.slice();
    for (let t = 301; t < changed.length; t++) changed[t] *= 1 + 0.5 * Math.sin(t);
    const w = realisedVolatility(changed, 21);
    expect(Array.from(w.subarray(0, 301))).toEqual(Array.from(v.subarray(0, 301)));
    expect(w[301]).not.toBe(v[301]);
  });

  it('is NaN exactly while the window holds a missing price', () => {
    const holed = close.slice();
    holed[100] = NaN;
    const v = realisedVolatility(holed, 21);
    const clean = realisedVolatility(close, 21);
    // Returns 100 and 101 touch the gap; the value at t covers returns t - 20 .. t.
    for (let t = 21; t < 100; t++) expect(v[t]).toBe(clean[t]);
    for (let t = 100; t <= 121; t++) expect(v[t]).toBeNaN();
    for (let t = 122; t < close.length; t++) expect(v[t]).toBe(clean[t]);
  });

  it('is zero for a series growing at a constant rate', () => {
    const growth = Float64Array.from({ length: 300 }, (_, t) => 100 * 1.0007 ** t);
    const v = realisedVolatility(growth, 30);
    for (let t = 30; t < 300; t++) expect(v[t]).toBeLessThan(1e-12);
  });

  it('recovers the sigma of a simulated GBM', () => {
    for (const [sigma, seed] of [
      [0.15, 2],
      [0.45, 3],
    ]) {
      const s = gbm(20_001, sigma, seed);
      // One window over all 20,000 returns: standard error sigma / sqrt(2 * 20000) = 0.5% of sigma.
      const whole = realisedVolatility(s, 20_000)[20_000];
      expect(Math.abs(whole / sigma - 1)).toBeLessThan(0.02);
      // The average of one-quarter windows, E[s] ~ sigma (1 - 1 / (4 (w - 1))).
      const rolling = realisedVolatility(s, 63);
      let sum = 0;
      for (let t = 63; t < s.length; t++) sum += rolling[t];
      expect(Math.abs(sum / (s.length - 63) / (sigma * (1 - 1 / 248)) - 1)).toBeLessThan(0.02);
    }
  });

  it('refuses a window that cannot have a sample std', () => {
    expect(() => realisedVolatility(close, 1)).toThrow(RangeError);
    expect(() => realisedVolatility(close, 2.5)).toThrow(RangeError);
    expect(() => realisedVolatility(close, 21, 0)).toThrow(RangeError);
  });
});

describe('realisedVolatilityOver', () => {
  const close = gbm(500, 0.2, 4);

  it('equals the rolling value over the same returns, and reads only prices inside the range', () => {
    const v = realisedVolatility(close, 50);
    expect(realisedVolatilityOver(close, [100, 151])).toBeCloseTo(v[150], 12);
    const poisoned = close.map((x, t) => (t >= 100 && t < 151 ? x : 1e300));
    expect(realisedVolatilityOver(poisoned, [100, 151])).toBeCloseTo(v[150], 12);
  });

  it('skips returns that touch a missing price, and is NaN with fewer than two returns', () => {
    const holed = close.slice();
    holed[200] = NaN;
    const r = Array.from({ length: 299 }, (_, k) => k + 101).filter((t) => t !== 200 && t !== 201).map((t) => Math.log(close[t] / close[t - 1]));
    const mean = r.reduce((a, b) => a + b, 0) / r.length;
    const want = Math.sqrt((252 * r.reduce((a, b) => a + (b - mean) ** 2, 0)) / (r.length - 1));
    expect(realisedVolatilityOver(holed, [100, 400])).toBeCloseTo(want, 12);
    expect(realisedVolatilityOver(close, [10, 12])).toBeNaN();
    expect(realisedVolatilityOver(close, [10, 13])).toBeGreaterThan(0);
    expect(realisedVolatilityOver(holed, [199, 202])).toBeNaN();
  });
});
