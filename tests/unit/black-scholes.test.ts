import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { bsGreeks, bsPrice, type BlackScholesInput, type OptionKind } from '../../src/engine/pricing/black-scholes';
import { bsDeltaGamma } from '../../src/engine/pricing/black-scholes-tensors';

const KINDS: OptionKind[] = ['call', 'put'];

/** A grid of contracts across moneyness, maturity, rate and volatility. */
function grid(): BlackScholesInput[] {
  const out: BlackScholesInput[] = [];
  for (const kind of KINDS)
    for (const strike of [60, 90, 100, 110, 150])
      for (const maturity of [0.05, 0.5, 2])
        for (const rate of [-0.01, 0, 0.05])
          for (const sigma of [0.1, 0.3, 0.8]) out.push({ spot: 100, strike, maturity, rate, sigma, kind });
  return out;
}

const close = (got: number, want: number, abs: number, rel: number) => Math.abs(got - want) <= abs + rel * Math.abs(want);

describe('Black-Scholes price', () => {
  it("reproduces Hull's textbook example (S=42, K=40, r=10%, sigma=20%, T=0.5)", () => {
    const base = { spot: 42, strike: 40, rate: 0.1, sigma: 0.2, maturity: 0.5 };
    expect(bsPrice({ ...base, kind: 'call' })).toBeCloseTo(4.76, 2);
    expect(bsPrice({ ...base, kind: 'put' })).toBeCloseTo(0.81, 2);
  });

  it('matches 40-digit reference prices (mpmath) to 1e-13 relative', () => {
    const cases: [number, number, number, number, number, number, number][] = [
      // S, K, T, r, sigma, call, put
      [42, 40, 0.5, 0.1, 0.2, 4.7594223928715333951, 0.80859937290009365311],
      [100, 100, 1, 0.05, 0.2, 10.450583572185567346, 5.5735260222569679911],
      [100, 150, 0.25, 0.02, 0.3, 0.02138636302453395156, 49.273258241926880939],
      [100, 50, 2, 0.03, 0.4, 54.518995142334526811, 1.6072218215469623929],
      [100, 100, 1 / 365, 0, 0.15, 0.31322309543062234366, 0.31322309543062234366],
    ];
    for (const [spot, strike, maturity, rate, sigma, call, put] of cases) {
      expect(close(bsPrice({ spot, strike, maturity, rate, sigma, kind: 'call' }), call, 0, 1e-13)).toBe(true);
      expect(close(bsPrice({ spot, strike, maturity, rate, sigma, kind: 'put' }), put, 0, 1e-13)).toBe(true);
    }
  });

  it('satisfies put-call parity C - P = S - K e^{-rT} across the grid', () => {
    for (const i of grid().filter((g) => g.kind === 'call')) {
      const parity = bsPrice(i) - bsPrice({ ...i, kind: 'put' });
      expect(Math.abs(parity - (i.spot - i.strike * Math.exp(-i.rate * i.maturity)))).toBeLessThan(1e-12);
    }
  });

  it('stays within the no-arbitrage bounds', () => {
    for (const i of grid()) {
      const p = bsPrice(i);
      const dk = i.strike * Math.exp(-i.rate * i.maturity);
      if (i.kind === 'call') {
        expect(p).toBeGreaterThanOrEqual(Math.max(i.spot - dk, 0) - 1e-12);
        expect(p).toBeLessThanOrEqual(i.spot);
      } else {
        expect(p).toBeGreaterThanOrEqual(Math.max(dk - i.spot, 0) - 1e-12);
        expect(p).toBeLessThanOrEqual(dk);
      }
    }
  });
});

describe('Black-Scholes greeks', () => {
  it('every greek equals the central finite difference of bsPrice', () => {
    // Five-point central stencils (truncation error O(h^4)).
    const d1 = (f: (x: number) => number, x: number, h: number) => (f(x - 2 * h) - 8 * f(x - h) + 8 * f(x + h) - f(x + 2 * h)) / (12 * h);
    const d2 = (f: (x: number) => number, x: number, h: number) =>
      (-f(x - 2 * h) + 16 * f(x - h) - 30 * f(x) + 16 * f(x + h) - f(x + 2 * h)) / (12 * h * h);
    for (const i of grid()) {
      const g = bsGreeks(i);
      const label = JSON.stringify(i);
      expect(g.price).toBe(bsPrice(i));
      const bySpot = (spot: number) => bsPrice({ ...i, spot });
      expect(close(g.delta, d1(bySpot, i.spot, 1e-3 * i.spot), 1e-9, 1e-7), `delta ${label}`).toBe(true);
      expect(close(g.gamma, d2(bySpot, i.spot, 1e-3 * i.spot), 1e-8, 1e-6), `gamma ${label}`).toBe(true);
      const vega = d1((sigma) => bsPrice({ ...i, sigma }), i.sigma, 1e-4);
      expect(close(g.vega, vega, 1e-8, 1e-7), `vega ${label}`).toBe(true);
      const theta = -d1((maturity) => bsPrice({ ...i, maturity }), i.maturity, 1e-4 * i.maturity);
      expect(close(g.theta, theta, 1e-7, 1e-7), `theta ${label}`).toBe(true);
    }
  });

  it('at expiry: intrinsic value, step delta with 1/2 at the money, zero gamma and vega', () => {
    const at = (spot: number, kind: OptionKind) => bsGreeks({ spot, strike: 100, maturity: 0, rate: 0.05, sigma: 0.2, kind });
    expect(at(110, 'call')).toMatchObject({ price: 10, delta: 1, gamma: 0, vega: 0 });
    expect(at(90, 'call')).toMatchObject({ price: 0, delta: 0, gamma: 0, vega: 0 });
    expect(at(100, 'call')).toMatchObject({ price: 0, delta: 0.5, gamma: 0, vega: 0 });
    expect(at(90, 'put')).toMatchObject({ price: 10, delta: -1, gamma: 0, vega: 0 });
    expect(at(110, 'put')).toMatchObject({ price: 0, delta: 0, gamma: 0, vega: 0 });
    expect(at(100, 'put')).toMatchObject({ price: 0, delta: -0.5, gamma: 0, vega: 0 });
    expect(at(110, 'call').theta).toBeCloseTo(-5, 12); // only the discounting -r K
  });

  it('approaches the zero-volatility limits continuously and never returns NaN', () => {
    for (const kind of KINDS)
      for (const spot of [80, 100, 120])
        for (const sigma of [0, 1e-12, 1e-300]) {
          const g = bsGreeks({ spot, strike: 100, maturity: 1, rate: 0.03, sigma, kind });
          for (const v of Object.values(g)) expect(Number.isNaN(v)).toBe(false);
          const dk = 100 * Math.exp(-0.03);
          expect(g.price).toBeCloseTo(kind === 'call' ? Math.max(spot - dk, 0) : Math.max(dk - spot, 0), 10);
          const step = spot > dk ? 1 : 0;
          expect(g.delta).toBeCloseTo(kind === 'call' ? step : step - 1, 15);
          expect(g.gamma).toBe(0);
        }
  });
});

describe('bsDeltaGamma on tensors', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('agrees with the float64 greeks, broadcasting spot against time to maturity', () => {
    const spots = [50, 80, 95, 100, 105, 120, 200];
    const maturities = [-0.1, 0, 1 / 365, 0.1, 0.5, 2];
    for (const kind of KINDS) {
      const spot = tf.tensor2d(spots, [1, spots.length]);
      const maturity = tf.tensor2d(maturities, [maturities.length, 1]);
      const { delta, gamma } = bsDeltaGamma(spot, 100, maturity, 0.25, 0.02, kind);
      expect(delta.shape).toEqual([maturities.length, spots.length]);
      const d = delta.dataSync();
      const g = gamma.dataSync();
      maturities.forEach((t, a) =>
        spots.forEach((s, b) => {
          const want = bsGreeks({ spot: s, strike: 100, maturity: Math.max(t, 0), rate: 0.02, sigma: 0.25, kind });
          expect(Math.abs(d[a * spots.length + b] - want.delta), `delta ${kind} S=${s} T=${t}`).toBeLessThan(1e-5);
          expect(Math.abs(g[a * spots.length + b] - want.gamma), `gamma ${kind} S=${s} T=${t}`).toBeLessThan(1e-5);
        }),
      );
      tf.dispose([spot, maturity, delta, gamma]);
    }
  });

  it('uses the 1/2 step at the money at expiry and is NaN-free for zero volatility', () => {
    const spot = tf.tensor1d([90, 100, 110]);
    const maturity = tf.zeros([3]);
    const call = bsDeltaGamma(spot, 100, maturity, 0.2, 0.05, 'call');
    const put = bsDeltaGamma(spot, 100, maturity, 0.2, 0.05, 'put');
    expect(Array.from(call.delta.dataSync())).toEqual([0, 0.5, 1]);
    expect(Array.from(put.delta.dataSync())).toEqual([-1, -0.5, 0]);
    expect(Array.from(call.gamma.dataSync())).toEqual([0, 0, 0]);
    const flat = bsDeltaGamma(spot, 100, tf.onesLike(maturity), 0, 0, 'call');
    expect(Array.from(flat.delta.dataSync())).toEqual([0, 0.5, 1]);
    expect(Array.from(flat.gamma.dataSync())).toEqual([0, 0, 0]);
    tf.dispose([spot, maturity, call.delta, call.gamma, put.delta, put.gamma, flat.delta, flat.gamma]);
  });

  it('does not leak tensors', () => {
    const spot = tf.tensor1d([90, 100, 110]);
    const maturity = tf.tensor1d([0.5, 0, 0.1]);
    const run = () => {
      const { delta, gamma } = bsDeltaGamma(spot, 100, maturity, 0.2, 0.01, 'put');
      tf.dispose([delta, gamma]);
    };
    run();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) run();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([spot, maturity]);
  });
});
