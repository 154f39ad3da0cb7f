import { describe, expect, it } from 'vitest';
import type { Risk } from '../../src/engine/experiment/schema';
import { normInv, normPdf } from '../../src/engine/pricing/normal';
import { entropicRisk } from '../../src/engine/risk/entropic';
import { expectedShortfall, valueAtRisk } from '../../src/engine/risk/expected-shortfall';
import { riskValue } from '../../src/engine/risk/measure';
import { computeMetrics, histogram } from '../../src/engine/risk/metrics';

/** Deterministic N(mu, sigma^2) sample: quantiles at the stratified grid (i + 0.5) / n. */
const normalSample = (n: number, mu: number, sigma: number) =>
  Float64Array.from({ length: n }, (_, i) => mu + sigma * normInv((i + 0.5) / n));

const ENTROPIC: Risk = { measure: 'entropic', lambda: 0.5 };
const MEASURES: Risk[] = [ENTROPIC, { measure: 'expected-shortfall', alpha: 0.95 }, { measure: 'quadratic' }, { measure: 'mean-variance', lambda: 3 }];

describe('computeMetrics', () => {
  const n = 50_000;
  const mu = 0.2;
  const sigma = 1.5;
  const pnl = normalSample(n, mu, sigma);
  const turnover = Float64Array.from({ length: n }, (_, i) => (i % 4) + 1); // mean 2.5
  const cost = Float64Array.from({ length: n }, (_, i) => 0.01 * (i % 2)); // mean 0.005

  it('summarises a normal P&L by its closed forms', () => {
    const m = computeMetrics({ pnl, turnover, cost, premium: 1.25, risk: ENTROPIC });
    expect(m.mean).toBeCloseTo(mu, 10);
    expect(m.std).toBeCloseTo(sigma, 3);
    for (const [alpha, v, es] of [
      [0.9, m.var90, m.es90],
      [0.95, m.var95, m.es95],
      [0.99, m.var99, m.es99],
    ]) {
      const z = normInv(alpha);
      expect(v).toBeCloseTo(-mu + sigma * z, 2);
      expect(es).toBeCloseTo(-mu + (sigma * normPdf(z)) / (1 - alpha), 2);
    }
    expect(m.entropic).toBeCloseTo(-mu + (0.5 * sigma * sigma) / 2, 2); // the experiment's lambda = 0.5
    expect(m.avg_r).toBeCloseTo(-(mu * mu + sigma * sigma), 2);
    expect(m.skew).toBeCloseTo(0, 10);
    expect(m.kurtosis).toBeCloseTo(0, 2);
    expect(m.turnover).toBeCloseTo(2.5, 12);
    expect(m.cost).toBeCloseTo(0.005, 12);
    expect(m.risk).toBe(entropicRisk(pnl, 0.5));
    expect(m.price).toBeCloseTo(m.risk + 1.25, 10); // cash invariance: rho(X - premium) = rho(X) + premium
    for (const value of Object.values(m)) expect(Number.isFinite(value)).toBe(true);
  });

  it('reports VaR / ES as the float64 risk functions and entropic with lambda 1 under other measures', () => {
    const x = normalSample(1000, -0.1, 0.4).reverse();
    const zeros = new Float64Array(x.length);
    for (const risk of MEASURES) {
      const m = computeMetrics({ pnl: x, turnover: zeros, cost: zeros, premium: 0.3, risk });
      expect(m.var95).toBe(valueAtRisk(x, 0.95));
      expect(m.es99).toBe(expectedShortfall(x, 0.99));
      expect(m.entropic).toBe(entropicRisk(x, risk.measure === 'entropic' ? risk.lambda : 1));
      expect(m.risk).toBe(riskValue(risk, x));
      const expectedPrice = risk.measure === 'quadratic' ? -(m.mean - 0.3) : riskValue(risk, x) + 0.3;
      expect(m.price, risk.measure).toBeCloseTo(expectedPrice, 12);
    }
  });

  it('matches independently computed moments of a small sample (scipy: skew, excess kurtosis, ddof=1 std)', () => {
    const x = [-3.0, -1.0, 0.5, 2.0, 2.5, 4.0, -0.5, 1.0];
    const zeros = new Array(x.length).fill(0);
    const m = computeMetrics({ pnl: x, turnover: zeros, cost: zeros, premium: 0, risk: { measure: 'quadratic' } });
    expect(m.mean).toBeCloseTo(0.6875, 14);
    expect(m.std).toBeCloseTo(2.202879608927499, 13);
    expect(m.skew).toBeCloseTo(-0.17194018031540165, 13);
    expect(m.kurtosis).toBeCloseTo(-0.7178573574628313, 13);
    expect(m.avg_r).toBeCloseTo(-x.reduce((s, v) => s + v * v, 0) / x.length, 13);
    const skewed = [1, 2, 3, 4, 10];
    const z5 = [0, 0, 0, 0, 0];
    const s = computeMetrics({ pnl: new Float32Array(skewed), turnover: z5, cost: z5, premium: 0, risk: ENTROPIC });
    expect(s.skew).toBeCloseTo(1.1384199576606167, 13);
    expect(s.kurtosis).toBeCloseTo(-0.21199999999999974, 13);
    expect(s.std).toBeCloseTo(3.5355339059327378, 13);
  });

  it('never returns NaN for a constant P&L: std, skew and kurtosis are 0', () => {
    const x = new Float64Array(1001).fill(0.1);
    const zeros = new Float64Array(x.length);
    for (const risk of MEASURES) {
      const m = computeMetrics({ pnl: x, turnover: zeros, cost: zeros, premium: 0.1, risk });
      for (const [key, value] of Object.entries(m)) expect(Number.isFinite(value), key).toBe(true);
      expect(m).toMatchObject({ mean: 0.1, std: 0, skew: 0, kurtosis: 0, turnover: 0, cost: 0 });
      expect(m.var99).toBeCloseTo(-0.1, 15);
      expect(m.es90).toBeCloseTo(-0.1, 15);
      expect(m.price).toBeCloseTo(0, 15);
    }
    const single = computeMetrics({ pnl: [3], turnover: [1], cost: [0.5], premium: 0, risk: ENTROPIC });
    expect(single).toMatchObject({ mean: 3, std: 0, skew: 0, kurtosis: 0, turnover: 1, cost: 0.5 });
  });

  it('rejects empty or mismatched inputs', () => {
    expect(() => computeMetrics({ pnl: [], turnover: [], cost: [], premium: 0, risk: ENTROPIC })).toThrow(/no P&L/);
    expect(() => computeMetrics({ pnl: [1, 2], turnover: [1], cost: [1, 2], premium: 0, risk: ENTROPIC })).toThrow(/1 turnover/);
  });
});

describe('histogram', () => {
  it('spans the 0.5 % to 99.5 % quantiles with densities that integrate to the covered fraction', () => {
    const n = 20_000;
    const x = Float64Array.from({ length: n }, (_, i) => -1 + (4 * (i + 0.5)) / n); // Uniform(-1, 3)
    const h = histogram(x, 40);
    expect(h.edges).toBeInstanceOf(Float64Array);
    expect(h.density).toBeInstanceOf(Float64Array);
    expect(h.edges.length).toBe(41);
    expect(h.density.length).toBe(40);
    expect(h.edges[0]).toBeCloseTo(-1 + 4 * 0.005, 3);
    expect(h.edges[40]).toBeCloseTo(3 - 4 * 0.005, 3);
    let mass = 0;
    for (let b = 0; b < 40; b++) {
      const width = h.edges[b + 1] - h.edges[b];
      expect(width).toBeGreaterThan(0);
      expect(h.density[b]).toBeCloseTo(0.25, 2); // the uniform density 1 / (b - a)
      mass += h.density[b] * width;
    }
    expect(mass).toBeCloseTo(0.99, 3);
  });

  it('counts a normal sample like its density and excludes values outside the range', () => {
    const n = 100_000;
    const x = normalSample(n, 0, 1);
    x[0] = -1e6; // an outlier far outside the range still counts in n
    const h = histogram(x);
    expect(h.density.length).toBe(60);
    for (let b = 0; b < 60; b++) {
      const mid = 0.5 * (h.edges[b] + h.edges[b + 1]);
      expect(Math.abs(h.density[b] - normPdf(mid)), `bin ${b}`).toBeLessThan(0.01);
    }
  });

  it('widens a degenerate range and stays finite for a constant sample', () => {
    const h = histogram(new Float64Array(500).fill(7), 10);
    expect(h.edges[10]).toBeGreaterThan(h.edges[0]);
    const width = h.edges[1] - h.edges[0];
    let mass = 0;
    for (const d of h.density) {
      expect(Number.isFinite(d)).toBe(true);
      mass += d * width;
    }
    expect(mass).toBeCloseTo(1, 9);
  });

  it('rejects an empty sample and a bad bin count', () => {
    expect(() => histogram([])).toThrow(/no values/);
    expect(() => histogram([1, 2], 0)).toThrow(/bins/);
  });
});
