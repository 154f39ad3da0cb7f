import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cholesky, lowerTimes } from '../../src/engine/linalg/cholesky';
import { featureLookback, featureRow, regimeFeatures } from '../../src/engine/markets/regime-features';
import { fitRegimeModel, regimeAt, regimePaths } from '../../src/engine/markets/regime-switching';
import { stream } from '../../src/engine/random/stream';

/** The `adjclose` column of the bundled S&P 500 CSV (a minimal parse; the real parser lives in src/engine/data). */
function sp500(): Float64Array {
  const lines = readFileSync('node_modules/vega-datasets/data/sp500-2000.csv', 'utf8').trim().split('\n');
  const column = lines[0].split(',').indexOf('adjclose');
  return Float64Array.from(lines.slice(1), (line) => Number(line.split(',')[column]));
}

/** Prices of r assets over consecutive segments, each with its own vols and one correlation for every pair. */
function segmentedPanel(segments: { days: number; vol: number[]; rho: number }[], seed: number): Float64Array[] {
  const r = segments[0].vol.length;
  const total = segments.reduce((a, s) => a + s.days, 0);
  const close = Array.from({ length: r }, () => new Float64Array(total + 1).fill(100, 0, 1));
  const z = stream(seed, 'test', 'segments').normals(new Float64Array(total * r));
  const y = new Float64Array(r);
  let t = 0;
  for (const s of segments) {
    const cov = s.vol.map((a, i) => s.vol.map((b, j) => (a * b * (i === j ? 1 : s.rho)) / 252));
    const l = cholesky(cov);
    for (let day = 0; day < s.days; day++, t++) {
      lowerTimes(l, z.subarray(t * r, (t + 1) * r), y);
      for (let i = 0; i < r; i++) close[i][t + 1] = close[i][t] * Math.exp(y[i] - cov[i][i] / 2);
    }
  }
  return close;
}

function sampleCorrelation(x: number[], y: number[]): number {
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  x.forEach((v, j) => {
    sxy += (v - mx) * (y[j] - my);
    sxx += (v - mx) ** 2;
    syy += (y[j] - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}

function sampleStd(x: number[]): number {
  const m = x.reduce((a, b) => a + b, 0) / x.length;
  return Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1));
}

describe('regime-switching GBM on the S&P 500 (paper 003 §3.2, appendix 8.1)', () => {
  const close = [sp500()];
  const end = Math.floor(0.7 * close[0].length);
  const model = fitRegimeModel(close, [0, end], { maxRegimes: 6, periodsPerYear: 252, seed: 1 });
  const K = model.regimes;

  it('selects K* >= 2 regimes at the minimum of the BIC curve, ordered by increasing volatility', () => {
    expect(model.featureNames).toEqual(['portfolio return (annualised)', 'portfolio volatility (30-day, annualised)']);
    expect(model.bicByK.length).toBe(6);
    expect(K).toBeGreaterThanOrEqual(2);
    expect(K).toBeLessThanOrEqual(6);
    expect(model.bicByK.indexOf(Math.min(...model.bicByK))).toBe(K - 1);
    expect(model.mixture.weights.length).toBe(K);
    for (let k = 1; k < K; k++) expect(model.regimeVolatility[k][0]).toBeGreaterThan(model.regimeVolatility[k - 1][0]);
    // Calm and turbulent regimes that look like the S&P's: the calmest under 15%, the wildest over 40%.
    expect(model.regimeVolatility[0][0]).toBeLessThan(0.15);
    expect(model.regimeVolatility[K - 1][0]).toBeGreaterThan(0.4);
    expect(model.frequency.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    model.frequency.forEach((f) => expect(f).toBeGreaterThan(0));
    model.cholesky.forEach((l, k) => expect(l[0][0] ** 2).toBeCloseTo(model.covariance[k][0][0], 14));
  });

  it('labels training dates consistently with regimeAt and leaves dates without features at -1', () => {
    expect(model.labels.length).toBe(end);
    const lookback = featureLookback(1) + 1;
    for (let t = 0; t < lookback; t++) expect(model.labels[t]).toBe(-1);
    for (let t = lookback; t < end; t += 37) expect(regimeAt(model, close, t)).toBe(model.labels[t]);
    const counts = new Array<number>(K).fill(0);
    model.labels.forEach((z) => z >= 0 && counts[z]++);
    counts.forEach((c, k) => expect(c / (end - lookback)).toBeCloseTo(model.frequency[k], 12));
    // Each regime's covariance is that of the returns that follow its dates, log(S_{t+1} / S_t), inside the
    // range; the drift is the annualised mean simple return over the same days.
    const following: number[][] = Array.from({ length: K }, () => []);
    let simple = 0;
    for (let t = lookback; t + 1 < end; t++) {
      following[model.labels[t]].push(Math.log(close[0][t + 1] / close[0][t]));
      simple += close[0][t + 1] / close[0][t] - 1;
    }
    following.forEach((r, k) => expect(252 * sampleStd(r) ** 2).toBeCloseTo(model.covariance[k][0][0], 12));
    expect(model.drift[0]).toBeCloseTo((252 * simple) / (end - 1 - lookback), 12);
  });

  it('simulates each regime with the fitted volatility and drift, one regime per path in turn', () => {
    const n = 12_000 * K;
    const steps = 30;
    const dt = 1 / 252;
    const { assets, regime } = regimePaths(model, n, steps, dt, 100, stream(5, 'test', 'regime-paths'));
    const paths = assets[0];
    const returns: number[][] = Array.from({ length: K }, () => []);
    for (let p = 0; p < n; p++) {
      expect(regime[p]).toBe(p % K);
      if (p % 997 === 0) expect(paths[p * (steps + 1)]).toBe(100);
      for (let t = 0; t < steps; t++) returns[regime[p]].push(Math.log(paths[p * (steps + 1) + t + 1] / paths[p * (steps + 1) + t]));
    }
    for (let k = 0; k < K; k++) {
      const sigma = model.regimeVolatility[k][0];
      const m = returns[k].length;
      const vol = sampleStd(returns[k]) / Math.sqrt(dt);
      expect(Math.abs(vol / sigma - 1)).toBeLessThan(4 * Math.sqrt(1 / (2 * m)) + 1e-4);
      const mean = returns[k].reduce((a, b) => a + b, 0) / m;
      expect(Math.abs(mean - (model.drift[0] - sigma ** 2 / 2) * dt)).toBeLessThan(4 * sigma * Math.sqrt(dt / m));
    }
    // Paths are drawn by index: a later batch continues the first one's paths and regimes.
    const tail = regimePaths(model, 3, steps, dt, 100, stream(5, 'test', 'regime-paths'), 7);
    expect([...tail.assets[0]]).toEqual([...paths.subarray(7 * (steps + 1), 10 * (steps + 1))]);
    expect([...tail.regime]).toEqual([7 % K, 8 % K, 9 % K]);
  });

  it('assigns a test date from prices up to that date only', () => {
    for (const t of [end, end + 1, end + 250, close[0].length - 1]) {
      const label = regimeAt(model, close, t);
      expect(label).toBeGreaterThanOrEqual(0);
      const corrupted = Float64Array.from(close[0]);
      for (let s = t + 1; s < corrupted.length; s++) corrupted[s] = s % 2 ? NaN : corrupted[s] * 50;
      expect(regimeAt(model, [corrupted], t)).toBe(label);
      // The row at t does read price t: a different close on that day changes its features.
      corrupted[t] *= 0.9;
      expect(featureRow([corrupted], t, 252)).not.toEqual(featureRow(close, t, 252));
    }
    const gap = Float64Array.from(close[0]);
    gap[end + 100] = NaN;
    // A missing price at s removes the rows that read it: t = s .. s + lookback + 1 (prices t - lookback - 1 .. t).
    const lookback = featureLookback(1);
    expect(regimeAt(model, [gap], end + 99)).toBeGreaterThanOrEqual(0);
    expect(regimeAt(model, [gap], end + 100)).toBe(-1);
    expect(regimeAt(model, [gap], end + 100 + lookback + 1)).toBe(-1);
    expect(regimeAt(model, [gap], end + 100 + lookback + 2)).toBe(regimeAt(model, close, end + 100 + lookback + 2));
  });
});

describe('regime-switching GBM on synthetic regimes', () => {
  it('recovers a calm (10%) and a turbulent (40%) regime of 1,500 days each, without reading past the range', () => {
    const close = segmentedPanel([{ days: 1500, vol: [0.1], rho: 0 }, { days: 1500, vol: [0.4], rho: 0 }], 11);
    const model = fitRegimeModel(close, [0, 3001], { maxRegimes: 4, periodsPerYear: 252, seed: 2 });
    expect(model.regimes).toBe(2);
    expect(Math.abs(model.regimeVolatility[0][0] - 0.1)).toBeLessThan(0.01);
    expect(Math.abs(model.regimeVolatility[1][0] - 0.4)).toBeLessThan(0.03);
    expect(Math.abs(model.frequency[0] - 0.5)).toBeLessThan(0.02);
    let right = 0;
    model.labels.forEach((z, t) => (right += z === (t <= 1500 ? 0 : 1) ? 1 : 0));
    expect(right / 3000).toBeGreaterThan(0.97);

    // Fitting on the first 2,000 dates gives the same model whatever follows them.
    const head = fitRegimeModel(close, [0, 2000], { maxRegimes: 3, periodsPerYear: 252, seed: 2 });
    const scrambled = close.map((c) => c.map((v, t) => (t >= 2000 ? (t % 3 ? NaN : v * 1e3) : v)));
    expect(fitRegimeModel(scrambled, [0, 2000], { maxRegimes: 3, periodsPerYear: 252, seed: 2 })).toEqual(head);
  });

  it('recovers per-regime vols and correlations of three correlated assets', () => {
    const segments = [
      { days: 1500, vol: [0.1, 0.12, 0.15], rho: 0.2 },
      { days: 1500, vol: [0.3, 0.35, 0.4], rho: 0.7 },
    ];
    const close = segmentedPanel(segments, 3);
    const model = fitRegimeModel(close, [0, 3001], { maxRegimes: 4, periodsPerYear: 252, seed: 1 });
    expect(model.featureNames.length).toBe(4);
    expect(model.regimes).toBeGreaterThanOrEqual(2);
    expect(model.labels.slice(0, featureLookback(3) + 1).every((z) => z === -1)).toBe(true);
    // Each regime holds the days of one generating segment (bar the ~60 days of passage)...
    for (let k = 0; k < model.regimes; k++) {
      const days = [0, 0];
      model.labels.forEach((z, t) => z === k && days[t <= 1500 ? 0 : 1]++);
      const g = days[0] > days[1] ? 0 : 1;
      expect(days[g] / (days[0] + days[1])).toBeGreaterThan(0.95);
      // ... and has that segment's vols and pairwise correlations, within sampling error.
      const m = days[g];
      const { vol, rho } = segments[g];
      const cov = model.covariance[k];
      for (let i = 0; i < 3; i++) {
        expect(Math.abs(model.regimeVolatility[k][i] / vol[i] - 1)).toBeLessThan(4 / Math.sqrt(2 * m) + 0.03);
        for (let j = 0; j < i; j++) {
          const correlation = cov[i][j] / Math.sqrt(cov[i][i] * cov[j][j]);
          expect(Math.abs(correlation - rho)).toBeLessThan((4 * (1 - rho * rho)) / Math.sqrt(m) + 0.03);
        }
      }
    }
    expect(model.labels[100]).toBe(0);
    expect(model.regimeVolatility[model.labels[2900]][0]).toBeGreaterThan(0.25);

    // Simulated paths of the most turbulent regime carry its correlations.
    const K = model.regimes;
    const n = 4000 * K;
    const { assets, regime } = regimePaths(model, n, 10, 1 / 252, 100, stream(9, 'test', 'multi-paths'));
    const returns: number[][] = [[], [], []];
    for (let p = 0; p < n; p++) {
      if (regime[p] !== K - 1) continue;
      for (let t = 0; t < 10; t++) for (let i = 0; i < 3; i++) returns[i].push(Math.log(assets[i][p * 11 + t + 1] / assets[i][p * 11 + t]));
    }
    const cov = model.covariance[K - 1];
    for (const [i, j] of [[0, 1], [0, 2], [1, 2]]) {
      const rho = cov[i][j] / Math.sqrt(cov[i][i] * cov[j][j]);
      expect(Math.abs(sampleCorrelation(returns[i], returns[j]) - rho)).toBeLessThan((4 * (1 - rho * rho)) / Math.sqrt(returns[0].length));
    }
  });

  it('refuses a panel whose assets are not aligned, and too short a training range', () => {
    expect(() => fitRegimeModel([new Float64Array(500).fill(1), new Float64Array(400).fill(1)], [0, 400], { maxRegimes: 3, periodsPerYear: 252, seed: 1 })).toThrow(/asset 2 has 400 prices, expected 500/);
    const close = segmentedPanel([{ days: 200, vol: [0.2], rho: 0 }], 1);
    expect(() => fitRegimeModel(close, [0, 60], { maxRegimes: 3, periodsPerYear: 252, seed: 1 })).toThrow(/29 dates with features/);
    expect(() => fitRegimeModel(close, [50, 40], { maxRegimes: 3, periodsPerYear: 252, seed: 1 })).toThrow(/training range \[50, 40\)/);
    expect(regimeFeatures(close, [0, 201], 252).dates[0]).toBe(31);
  });
});
