import { describe, expect, it } from 'vitest';
import { hestonPaths, type HestonParams } from '../../src/engine/markets/heston';
import { hestonPrice } from '../../src/engine/pricing/heston-fourier';
import { stream } from '../../src/engine/random/stream';

/** Mean and standard error of a sample. */
function meanAndError(x: Float64Array): { mean: number; se: number } {
  let sum = 0;
  for (const a of x) sum += a;
  const mean = sum / x.length;
  let sq = 0;
  for (const a of x) sq += (a - mean) ** 2;
  return { mean, se: Math.sqrt(sq / (x.length - 1) / x.length) };
}

/** Column `t` of a row-major [n, cols] array, in float64. */
function column(a: Float32Array, n: number, cols: number, t: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => a[i * cols + t]);
}

interface Case {
  name: string;
  params: HestonParams;
  n: number;
  strikes: number[];
}

// Step sizes are small enough that the QE-M bias is well inside 3 standard errors at these path counts
// (checked at ten times the paths: bias below 0.7 standard errors of these samples in every case).
const CASES: Case[] = [
  {
    name: "paper 002's Feller-violating set, 20 days",
    params: { s0: 1, drift: 0, v0: 0.0625, kappa: 8, theta: 0.0625, xi: 1, rho: -0.7, steps: 20, dt: 1 / 250 },
    n: 40_000,
    strikes: [0.95, 1, 1.05],
  },
  {
    name: "paper 002's Feller-violating set, 120 days",
    params: { s0: 1, drift: 0, v0: 0.0625, kappa: 8, theta: 0.0625, xi: 1, rho: -0.7, steps: 120, dt: 1 / 250 },
    n: 20_000,
    strikes: [0.9, 1, 1.1],
  },
  {
    name: 'three years, low vol-of-vol',
    params: { s0: 100, drift: 0, v0: 0.04, kappa: 1.5, theta: 0.05, xi: 0.2, rho: -0.5, steps: 75, dt: 0.04 },
    n: 20_000,
    strikes: [80, 100, 130],
  },
  {
    name: 'two years, high vol-of-vol, rho = -0.9',
    params: { s0: 100, drift: 0, v0: 0.05, kappa: 2, theta: 0.09, xi: 1.2, rho: -0.9, steps: 100, dt: 0.02 },
    n: 20_000,
    strikes: [70, 100, 140],
  },
  {
    name: '20 days, low vol-of-vol, v0 above theta',
    params: { s0: 100, drift: 0, v0: 0.09, kappa: 3, theta: 0.04, xi: 0.1, rho: -0.3, steps: 20, dt: 1 / 250 },
    n: 20_000,
    strikes: [95, 100, 105],
  },
  {
    name: 'one year, positive correlation',
    params: { s0: 100, drift: 0, v0: 0.04, kappa: 1, theta: 0.06, xi: 0.8, rho: 0.5, steps: 50, dt: 0.02 },
    n: 20_000,
    strikes: [80, 100, 125],
  },
];

describe('Heston paths by QE-M', () => {
  for (const c of CASES) {
    describe(c.name, () => {
      const { params: p, n } = c;
      const cols = p.steps + 1;
      const T = p.steps * p.dt;
      const { spot, variance } = hestonPaths(p, n, stream(2024, 'heston-test', c.name));
      const spotT = column(spot, n, cols, p.steps);
      const varianceT = column(variance, n, cols, p.steps);

      it('starts at s0 and v0 and stays finite with v >= 0', () => {
        for (let i = 0; i < n; i++) {
          expect(spot[i * cols]).toBe(Math.fround(p.s0));
          expect(variance[i * cols]).toBe(Math.fround(p.v0));
        }
        expect(spot.every((s) => s > 0 && Number.isFinite(s))).toBe(true);
        expect(variance.every((v) => v >= 0 && Number.isFinite(v))).toBe(true);
      });

      it('has E[S_T] = s0 e^{mu T} (martingale correction)', () => {
        const { mean, se } = meanAndError(spotT);
        expect(Math.abs(mean - p.s0 * Math.exp(p.drift * T))).toBeLessThan(3 * se);
      });

      it('has E[v_T] = theta + (v0 - theta) e^{-kappa T} and the exact Var[v_T]', () => {
        const e = Math.exp(-p.kappa * T);
        const { mean, se } = meanAndError(varianceT);
        expect(Math.abs(mean - (p.theta + (p.v0 - p.theta) * e))).toBeLessThan(3 * se);
        const exactVar = ((p.v0 * p.xi ** 2) / p.kappa) * (e - e * e) + ((p.theta * p.xi ** 2) / (2 * p.kappa)) * (1 - e) ** 2;
        const squares = varianceT.map((v) => (v - mean) ** 2);
        const { mean: sampleVar, se: varSe } = meanAndError(squares);
        expect(Math.abs(sampleVar - exactVar)).toBeLessThan(3 * varSe);
      });

      it('prices calls within 3 standard errors of the Fourier price', () => {
        for (const strike of c.strikes) {
          const { mean, se } = meanAndError(spotT.map((s) => Math.max(s - strike, 0)));
          const exact = hestonPrice({ spot: p.s0, strike, maturity: T, rate: 0, v0: p.v0, kappa: p.kappa, theta: p.theta, xi: p.xi, rho: p.rho, kind: 'call' });
          expect(Math.abs(mean - exact), `K=${strike}: MC ${mean} +- ${se}, Fourier ${exact}`).toBeLessThan(3 * se);
          expect(se).toBeLessThan(0.06 * exact);
        }
      });
    });
  }

  it('reaches zero variance under Feller violation without leaving [0, inf)', () => {
    const p = { s0: 100, drift: 0, v0: 0.02, kappa: 1, theta: 0.02, xi: 1.5, rho: -0.8, steps: 50, dt: 1 / 50 };
    const { variance } = hestonPaths(p, 2000, stream(5, 'heston-test', 'feller'));
    expect(variance.some((v) => v === 0)).toBe(true);
    expect(variance.every((v) => v >= 0)).toBe(true);
  });

  it('draws the first k paths of a larger draw identically, and path firstPath + i as path i', () => {
    const p = CASES[0].params;
    const cols = p.steps + 1;
    const big = hestonPaths(p, 10, stream(7, 'heston-test', 'prefix'));
    const small = hestonPaths(p, 4, stream(7, 'heston-test', 'prefix'));
    expect([...small.spot]).toEqual([...big.spot.subarray(0, 4 * cols)]);
    expect([...small.variance]).toEqual([...big.variance.subarray(0, 4 * cols)]);
    const tail = hestonPaths(p, 3, stream(7, 'heston-test', 'prefix'), 6);
    expect([...tail.spot]).toEqual([...big.spot.subarray(6 * cols, 9 * cols)]);
    expect([...tail.variance]).toEqual([...big.variance.subarray(6 * cols, 9 * cols)]);
  });

  it('handles a tiny dt: paths move by sqrt(v dt) and keep E[S_T] = s0 e^{mu T}', () => {
    const p = { s0: 100, drift: 0.05, v0: 0.0625, kappa: 8, theta: 0.0625, xi: 1, rho: -0.7, steps: 40, dt: 1e-8 };
    const n = 20_000;
    const cols = p.steps + 1;
    const { spot, variance } = hestonPaths(p, n, stream(3, 'heston-test', 'tiny-dt'));
    expect(spot.every(Number.isFinite) && variance.every(Number.isFinite)).toBe(true);
    const spotT = column(spot, n, cols, p.steps);
    const { mean, se } = meanAndError(spotT);
    expect(Math.abs(mean - 100 * Math.exp(p.drift * p.steps * p.dt))).toBeLessThan(3 * se);
    // Log-return standard deviation about sqrt(v0 T) = 0.25 * sqrt(4e-7) = 1.58e-4.
    const { mean: sq } = meanAndError(spotT.map((s) => Math.log(s / 100) ** 2));
    expect(Math.sqrt(sq)).toBeGreaterThan(1.5e-4);
    expect(Math.sqrt(sq)).toBeLessThan(1.66e-4);
    for (let i = 0; i < n; i += 101) expect(Math.abs(variance[i * cols + p.steps] - 0.0625)).toBeLessThan(0.01);
  });

  it('tends to deterministic variance as xi -> 0', () => {
    const p = { s0: 100, drift: 0, v0: 0.09, kappa: 2, theta: 0.04, xi: 1e-7, rho: -0.6, steps: 25, dt: 0.02 };
    const n = 4000;
    const cols = p.steps + 1;
    const { spot, variance } = hestonPaths(p, n, stream(4, 'heston-test', 'tiny-xi'));
    const vT = 0.04 + 0.05 * Math.exp(-2 * 0.5);
    for (let i = 0; i < n; i++) expect(Math.abs(variance[i * cols + p.steps] - vT)).toBeLessThan(1e-6);
    const spotT = column(spot, n, cols, p.steps);
    const { mean, se } = meanAndError(spotT);
    expect(Math.abs(mean - 100)).toBeLessThan(3 * se);
    // Log-return variance = integrated variance w.
    const w = 0.04 * 0.5 + (0.05 * (1 - Math.exp(-1))) / 2;
    const logs = spotT.map((s) => Math.log(s / 100));
    const { mean: m1 } = meanAndError(logs);
    const { mean: m2, se: se2 } = meanAndError(logs.map((x) => (x - m1) ** 2));
    expect(Math.abs(m2 - w)).toBeLessThan(3 * se2 + 1e-5);
  });

  it('rejects invalid parameters and a step too long for the martingale correction', () => {
    const p = CASES[0].params;
    const rng = stream(1, 'heston-test', 'errors');
    expect(() => hestonPaths({ ...p, v0: -0.1 }, 1, rng)).toThrow(/v0/);
    expect(() => hestonPaths({ ...p, rho: -1.5 }, 1, rng)).toThrow(/rho/);
    expect(() => hestonPaths({ ...p, steps: 0 }, 1, rng)).toThrow(/steps/);
    expect(() => hestonPaths({ ...p, xi: 0 }, 1, rng)).toThrow(/xi/);
    expect(() => hestonPaths({ s0: 1, drift: 0, v0: 0.04, kappa: 50, theta: 0.04, xi: 5, rho: 0.99, steps: 1, dt: 2 }, 10, rng)).toThrow(/martingale/);
  });
});
