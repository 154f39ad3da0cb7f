import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { lookbackPayoff, lookbackPayoffValue, runningMaximum } from '../../src/engine/claims/lookback';
import { gbmPaths } from '../../src/engine/markets/gbm';
import { bsPrice } from '../../src/engine/pricing/black-scholes';
import { bsLookbackCallDelta, bsLookbackCallPrice, bsLookbackDelta, type LookbackInput } from '../../src/engine/pricing/lookback';
import { monteCarloPrice } from '../../src/engine/pricing/monte-carlo';
import { stream } from '../../src/engine/random/stream';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('lookback payoff (paper 001 eq. 2)', () => {
  it('pays the running maximum over all dates less the strike, floored at zero, by hand', () => {
    expect(lookbackPayoffValue([1, 1.2, 0.9, 1.1], 1)).toBeCloseTo(0.2, 15);
    expect(lookbackPayoffValue([1, 1.2, 0.9, 1.1], 1.3)).toBe(0);
    expect(lookbackPayoffValue([1.5, 1.2, 0.9], 1)).toBe(0.5); // the maximum may be at t = 0
    const before = tf.memory().numTensors;
    const spot = tf.tensor2d([[1, 1.2, 0.9, 1.1], [1, 0.9, 0.8, 0.95], [1.5, 1.2, 0.9, 1.0]]);
    const z = lookbackPayoff(spot, 1);
    expect(z.shape).toEqual([3]);
    const got = z.arraySync();
    [0.2, 0, 0.5].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 6));
    tf.dispose([spot, z]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('tensor and float64 payoffs agree on GBM paths', () => {
    const n = 500, steps = 30;
    const data = gbmPaths({ s0: 1, drift: 0, volatility: 0.2, steps, dt: 1 / 250 }, n, stream(1, 'lookback', 'payoff'));
    const before = tf.memory().numTensors;
    const spot = tf.tensor2d(data, [n, steps + 1]);
    const z = lookbackPayoff(spot, 1.02);
    const got = z.dataSync();
    for (let i = 0; i < n; i++) expect(Math.abs(got[i] - lookbackPayoffValue(data.subarray(i * (steps + 1), (i + 1) * (steps + 1)), 1.02))).toBeLessThan(1e-6);
    tf.dispose([spot, z]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('running maximum by log-step doubling', () => {
  it('equals the column-by-column cumulative maximum for every length', () => {
    const before = tf.memory().numTensors;
    for (const cols of [1, 2, 3, 4, 5, 8, 9, 31, 33, 64]) {
      const n = 7;
      const data = gbmPaths({ s0: 1, drift: 0, volatility: 0.5, steps: cols - 1, dt: 1 / 50 }, n, stream(2, 'cummax', cols));
      const spot = tf.tensor2d(data, [n, cols]);
      const m = runningMaximum(spot);
      expect(m.shape).toEqual([n, cols]);
      const got = m.dataSync();
      for (let i = 0; i < n; i++) {
        let max = -Infinity;
        for (let t = 0; t < cols; t++) {
          max = Math.max(max, data[i * cols + t]);
          expect(got[i * cols + t]).toBe(max);
        }
      }
      tf.dispose([spot, m]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is a new tensor even for a single date (disposing it leaves the input alive)', () => {
    const spot = tf.tensor2d([[1], [2]]);
    const m = runningMaximum(spot);
    m.dispose();
    expect(spot.isDisposed).toBe(false);
    expect(spot.arraySync()).toEqual([[1], [2]]);
    spot.dispose();
  });
});

/** E[(max(M, max_{[0,T]} S) - K)^+] by Monte Carlo with the exact continuous maximum inside every step. */
function continuousLookbackMc(i: LookbackInput, n: number, steps: number, seed: number) {
  const dt = i.maturity / steps;
  const paths = gbmPaths({ s0: i.spot, drift: 0, volatility: i.volatility, steps, dt }, n, stream(seed, 'lookback', 'paths'));
  const u = stream(seed, 'lookback', 'bridge').uniforms(new Float64Array(n * steps));
  const payoffs = new Float64Array(n);
  const v = i.volatility * i.volatility * dt;
  for (let k = 0; k < n; k++) {
    let max = Math.log(Math.max(i.runningMax, i.spot));
    for (let t = 0; t < steps; t++) {
      // Given the log endpoints a, b of a Brownian step with variance v, the maximum over the step is
      // (a + b + sqrt((b - a)^2 - 2 v ln U)) / 2 (reflection principle; the drift drops out given the endpoints).
      // Endpoints recomputed in float64 from the float32 path are exact to float32 rounding (~6e-8).
      const a = Math.log(paths[k * (steps + 1) + t]);
      const b = Math.log(paths[k * (steps + 1) + t + 1]);
      max = Math.max(max, 0.5 * (a + b + Math.sqrt((b - a) ** 2 - 2 * v * Math.log(u[k * steps + t]))));
    }
    payoffs[k] = Math.max(Math.exp(max) - i.strike, 0);
  }
  return monteCarloPrice(payoffs);
}

describe('Black-Scholes lookback call price (zero rate, continuous monitoring)', () => {
  const cases: LookbackInput[] = [
    { spot: 1, runningMax: 1, strike: 1, maturity: 0.5, volatility: 0.2 },
    { spot: 1, runningMax: 1, strike: 1.2, maturity: 0.5, volatility: 0.2 },
    { spot: 1, runningMax: 1.1, strike: 1.05, maturity: 0.25, volatility: 0.3 },
    { spot: 0.9, runningMax: 1, strike: 1.2, maturity: 1, volatility: 0.1 },
  ];

  it('equals the Monte Carlo price with the exact Brownian-bridge maximum within 3 standard errors', () => {
    for (const [k, c] of cases.entries()) {
      const mc = continuousLookbackMc(c, 50_000, 8, 30 + k);
      const price = bsLookbackCallPrice(c);
      expect(Math.abs(mc.price - price), `${JSON.stringify(c)}: mc ${mc.price} +- ${mc.standardError}, formula ${price}`).toBeLessThan(3 * mc.standardError);
    }
  });

  it('is approached by discretely monitored payoffs after the Broadie-Glasserman-Kou shift of the maximum', () => {
    // Discrete monitoring on 100 dates misses the peaks between them: biased low by about
    // beta sigma sqrt(dt) E[M 1{M > K}], beta = -zeta(1/2)/sqrt(2 pi) = 0.5826. Multiplying the discrete maximum
    // by e^{beta sigma sqrt(dt)} (Broadie, Glasserman and Kou 1999) removes the first-order bias.
    const c = cases[0];
    const steps = 100, n = 40_000;
    const dt = c.maturity / steps;
    const paths = gbmPaths({ s0: 1, drift: 0, volatility: c.volatility, steps, dt }, n, stream(8, 'lookback', 'discrete'));
    const shift = Math.exp(0.5826 * c.volatility * Math.sqrt(dt));
    const raw = new Float64Array(n), corrected = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const path = paths.subarray(k * (steps + 1), (k + 1) * (steps + 1));
      raw[k] = lookbackPayoffValue(path, c.strike);
      let max = 0;
      for (const s of path) max = Math.max(max, s);
      corrected[k] = Math.max(max * shift - c.strike, 0);
    }
    const price = bsLookbackCallPrice(c);
    const mcRaw = monteCarloPrice(raw);
    const mcCorrected = monteCarloPrice(corrected);
    expect(price - mcRaw.price).toBeGreaterThan(5 * mcRaw.standardError);
    expect(Math.abs(mcCorrected.price - price)).toBeLessThan(3 * mcCorrected.standardError);
  });

  it('reduces to max(M, S, K) - K at expiry, and exceeds the European call', () => {
    expect(bsLookbackCallPrice({ spot: 1, runningMax: 1.3, strike: 1.1, maturity: 0, volatility: 0.2 })).toBeCloseTo(0.2, 15);
    expect(bsLookbackCallPrice({ spot: 1, runningMax: 1, strike: 1.1, maturity: 0, volatility: 0.2 })).toBe(0);
    for (const c of cases) expect(bsLookbackCallPrice(c)).toBeGreaterThan(bsPrice({ spot: c.spot, strike: c.strike, maturity: c.maturity, rate: 0, sigma: c.volatility, kind: 'call' }));
  });
});

describe('Black-Scholes lookback delta', () => {
  const grid: LookbackInput[] = [];
  for (const spot of [0.8, 0.95, 1, 1.04])
    for (const runningMax of [1.05, 1.2])
      for (const strike of [0.9, 1, 1.1, 1.3])
        for (const maturity of [0.01, 0.2, 1])
          for (const volatility of [0.1, 0.4]) grid.push({ spot, runningMax, strike, maturity, volatility });

  it("matches pfhedge's BSLookbackOption delta values (strike 1, tau 0.1, sigma 0.2)", () => {
    // pfhedge docs: log_moneyness = max_log_moneyness = -0.01, 0, 0.01 give delta 0.9208, 1.0515, 1.0515.
    const at = (x: number) => bsLookbackCallDelta({ spot: Math.exp(x), runningMax: Math.exp(x), strike: 1, maturity: 0.1, volatility: 0.2 });
    expect(at(-0.01)).toBeCloseTo(0.9208, 4);
    expect(at(0)).toBeCloseTo(1.0515, 4);
    expect(at(0.01)).toBeCloseTo(1.0515, 4);
  });

  it('equals the central finite difference of the price at a fixed running maximum', () => {
    for (const c of grid) {
      const h = 1e-4 * c.spot;
      const f = (spot: number) => bsLookbackCallPrice({ ...c, spot });
      const fd = (f(c.spot - 2 * h) - 8 * f(c.spot - h) + 8 * f(c.spot + h) - f(c.spot + 2 * h)) / (12 * h);
      expect(Math.abs(bsLookbackCallDelta(c) - fd), JSON.stringify(c)).toBeLessThan(2e-9);
    }
  });

  it('takes its limits at expiry: 0 below the maximum, 1 at a new maximum above the strike', () => {
    expect(bsLookbackCallDelta({ spot: 1, runningMax: 1.1, strike: 1, maturity: 0, volatility: 0.2 })).toBe(0);
    expect(bsLookbackCallDelta({ spot: 1.1, runningMax: 1.1, strike: 1, maturity: 0, volatility: 0.2 })).toBe(1);
    expect(bsLookbackCallDelta({ spot: 1, runningMax: 1.1, strike: 1, maturity: 1e-300, volatility: 0.2 })).toBe(0);
    expect(bsLookbackCallDelta({ spot: 1.1, runningMax: 1.1, strike: 1, maturity: 1e-12, volatility: 0.2 })).toBeCloseTo(1, 6);
  });

  it('on tensors equals the float64 delta, broadcasting [n, T] prices against [1, T] times, without leaking', () => {
    const n = 64, steps = 20, dt = 1 / 50;
    const data = gbmPaths({ s0: 1, drift: 0, volatility: 0.3, steps, dt }, n, stream(9, 'lookback', 'delta'));
    const before = tf.memory().numTensors;
    const spotAll = tf.tensor2d(data, [n, steps + 1]);
    const maxAll = runningMaximum(spotAll);
    const spot = spotAll.slice([0, 0], [n, steps]);
    const runningMax = maxAll.slice([0, 0], [n, steps]);
    const tau = tf.tidy(() => tf.mul(tf.sub(steps, tf.range(0, steps)), dt).reshape([1, steps]));
    const sigma = tf.fill([n, steps], 0.3);
    const withNumber = bsLookbackDelta(spot, runningMax, 1.02, tau, 0.3);
    const withTensor = bsLookbackDelta(spot, runningMax, 1.02, tau, sigma);
    expect(withNumber.shape).toEqual([n, steps]);
    const [s, m, a, b] = [spot, runningMax, withNumber, withTensor].map((x) => x.dataSync());
    let worst = 0;
    for (let i = 0; i < n; i++)
      for (let t = 0; t < steps; t++) {
        const k = i * steps + t;
        const want = bsLookbackCallDelta({ spot: s[k], runningMax: m[k], strike: 1.02, maturity: (steps - t) * dt, volatility: 0.3 });
        worst = Math.max(worst, Math.abs(a[k] - want), Math.abs(b[k] - want));
      }
    expect(worst).toBeLessThan(2e-6);
    tf.dispose([spotAll, maxAll, spot, runningMax, tau, sigma, withNumber, withTensor]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('on tensors is finite near and at expiry and takes the float64 limits', () => {
    const before = tf.memory().numTensors;
    const spot = tf.tensor2d([[1, 1.1, 1.1, 0.5, 1e-3]]);
    const runningMax = tf.tensor2d([[1.1, 1.1, 1.2, 1.2, 1.2]]);
    for (const t of [0, 1e-30, 1e-12, 1e-6, -1e-3]) {
      const tau = tf.fill([1, 5], t);
      const d = bsLookbackDelta(spot, runningMax, 1, tau, 0.2);
      const got = d.dataSync();
      for (const v of got) expect(Number.isFinite(v)).toBe(true);
      expect(got[0]).toBeCloseTo(0, 5);
      expect(got[1]).toBeCloseTo(1, 3); // a new maximum above the strike: 1 + O(sigma sqrt(tau))
      expect(got[3]).toBeCloseTo(0, 12);
      tf.dispose([tau, d]);
    }
    tf.dispose([spot, runningMax]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
