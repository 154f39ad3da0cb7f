import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliquetPayoff, cliquetPayoffIfMaturedNow, cliquetPayoffValue, lastResetSpot } from '../../src/engine/claims/cliquet';
import { gbmPaths } from '../../src/engine/markets/gbm';
import { stream } from '../../src/engine/random/stream';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// Paths at dates 0..4, resets every 2 steps (tau = 2, 4), cap 5 %.
const capBinding = [1, 1.1, 1.2, 1.1, 1.32]; // returns +20 %, +10 %: both capped, 0.05 + 0.05
const floorBinding = [1, 0.9, 0.8, 0.85, 0.84]; // returns -20 %, +5 % (= cap): -0.15, floored to 0
const neither = [1, 1.02, 1.03, 1.0, 1.0094]; // returns +3 %, -2 %: 0.01

describe('cliquet payoff (paper 002 §2.1)', () => {
  it('sums the capped period returns and floors the sum at zero, by hand', () => {
    expect(cliquetPayoffValue(capBinding, 2, 0.05)).toBeCloseTo(0.1, 14);
    expect(cliquetPayoffValue(floorBinding, 2, 0.05)).toBe(0);
    expect(cliquetPayoffValue(neither, 2, 0.05)).toBeCloseTo(0.01, 14);
    // Uncapped (cap large) the first path pays 0.2 + 0.1.
    expect(cliquetPayoffValue(capBinding, 2, 1)).toBeCloseTo(0.3, 14);
    // One period covering the whole path is a capped, floored return on S_T / S_0.
    expect(cliquetPayoffValue(neither, 4, 0.05)).toBeCloseTo(0.0094, 14);
    expect(cliquetPayoffValue(neither, 10, 0.05)).toBeCloseTo(0.0094, 14);
  });

  it('ends with a shorter stub period when resetSteps does not divide T (reset dates 0, 2, 4, 5)', () => {
    // 0.05 + 0.05 + min(1.254 / 1.32 - 1, 0.05) = 0.1 - 0.05
    expect(cliquetPayoffValue([...capBinding, 1.254], 2, 0.05)).toBeCloseTo(0.05, 14);
  });

  it('tensor payoff equals the hand values and does not leak', () => {
    const before = tf.memory().numTensors;
    const spot = tf.tensor2d([capBinding, floorBinding, neither]);
    const z = cliquetPayoff(spot, 2, 0.05);
    expect(z.shape).toEqual([3]);
    const got = z.dataSync();
    [0.1, 0, 0.01].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 6));
    const stub = tf.tensor2d([[...capBinding, 1.254]]);
    const zs = cliquetPayoff(stub, 2, 0.05);
    expect(zs.dataSync()[0]).toBeCloseTo(0.05, 6);
    tf.dispose([spot, z, stub, zs]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a reset period that is not a positive integer', () => {
    expect(() => cliquetPayoffValue(capBinding, 0, 0.05)).toThrow('cliquet: resetSteps must be a positive integer, got 0');
    expect(() => cliquetPayoffValue(capBinding, 1.5, 0.05)).toThrow(/got 1.5/);
    const spot = tf.tensor2d([capBinding]);
    expect(() => cliquetPayoff(spot, -1, 0.05)).toThrow(/got -1/);
    expect(() => lastResetSpot(spot, 0)).toThrow(/positive integer/);
    spot.dispose();
  });

  it('tensor and float64 payoffs agree on paper 002 §4.1 dimensions (T = 240, resets every 20, cap 1.5 %)', () => {
    const n = 400, steps = 240;
    const data = gbmPaths({ s0: 1, drift: 0, volatility: 0.25, steps, dt: 1 / 250 }, n, stream(4, 'cliquet', 'paths'));
    const before = tf.memory().numTensors;
    const spot = tf.tensor2d(data, [n, steps + 1]);
    const z = cliquetPayoff(spot, 20, 0.015);
    const got = z.dataSync();
    let positive = 0;
    for (let i = 0; i < n; i++) {
      const want = cliquetPayoffValue(data.subarray(i * (steps + 1), (i + 1) * (steps + 1)), 20, 0.015);
      if (want > 0) positive++;
      expect(Math.abs(got[i] - want)).toBeLessThan(2e-6);
    }
    // The floor binds on most paths (a 1.5 % cap on 25 % volatility), but not on all.
    expect(positive).toBeGreaterThan(4);
    expect(positive).toBeLessThan(n / 2);
    tf.dispose([spot, z]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('cliquet policy features (paper 002 §4.1)', () => {
  it('by hand: payoff if matured at t = 0..T-1 and the spot at the last reset', () => {
    const before = tf.memory().numTensors;
    const spot = tf.tensor2d([capBinding]);
    const now = cliquetPayoffIfMaturedNow(spot, 2, 0.05);
    const reset = lastResetSpot(spot, 2);
    expect(now.shape).toEqual([1, 4]);
    expect(reset.shape).toEqual([1, 4]);
    // t = 0: nothing yet; t = 1: min(0.1, cap); t = 2: first period done; t = 3: 0.05 + (1.1 / 1.2 - 1) < 0.
    const got = now.dataSync();
    [0, 0.05, 0.05, 0].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 6));
    expect([...reset.dataSync()].map((x) => Math.round(x * 1e6) / 1e6)).toEqual([1, 1, 1.2, 1.2]);
    tf.dispose([spot, now, reset]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('at every date t equals the payoff of the path stopped at t, and at T (on a longer path) the payoff', () => {
    const n = 200;
    for (const [steps, resetSteps] of [[24, 5], [24, 6], [240, 20], [7, 10]]) {
      const data = gbmPaths({ s0: 1, drift: 0, volatility: 0.3, steps: steps + resetSteps, dt: 1 / 250 }, n, stream(5, 'cliquet', steps, resetSteps));
      const before = tf.memory().numTensors;
      const longer = tf.tensor2d(data, [n, steps + resetSteps + 1]);
      const spot = longer.slice([0, 0], [n, steps + 1]);
      const payoffTensor = cliquetPayoff(spot, resetSteps, 0.015);
      const payoff = payoffTensor.dataSync();
      const nowLonger = cliquetPayoffIfMaturedNow(longer, resetSteps, 0.015);
      const now = cliquetPayoffIfMaturedNow(spot, resetSteps, 0.015);
      expect(now.shape).toEqual([n, steps]);
      const a = nowLonger.dataSync();
      const b = now.dataSync();
      const cols = steps + resetSteps;
      for (let i = 0; i < n; i++) {
        expect(Math.abs(a[i * cols + steps] - payoff[i])).toBeLessThan(1e-6);
        for (let t = 0; t < steps; t++) {
          expect(b[i * steps + t]).toBe(a[i * cols + t]); // the feature at t does not look ahead
          const stopped = cliquetPayoffValue(data.subarray(i * (cols + 1), i * (cols + 1) + t + 1), resetSteps, 0.015);
          expect(Math.abs(b[i * steps + t] - stopped), `T=${steps} r=${resetSteps} path ${i} t=${t}`).toBeLessThan(2e-6);
        }
      }
      tf.dispose([longer, spot, payoffTensor, nowLonger, now]);
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it('lastResetSpot is the spot at date resetSteps floor(t / resetSteps)', () => {
    const n = 3, steps = 11, resetSteps = 4;
    const data = gbmPaths({ s0: 1, drift: 0, volatility: 0.3, steps, dt: 1 / 250 }, n, stream(6, 'cliquet', 'reset'));
    const spot = tf.tensor2d(data, [n, steps + 1]);
    const reset = lastResetSpot(spot, resetSteps);
    const got = reset.dataSync();
    for (let i = 0; i < n; i++)
      for (let t = 0; t < steps; t++) expect(got[i * steps + t]).toBe(data[i * (steps + 1) + resetSteps * Math.floor(t / resetSteps)]);
    tf.dispose([spot, reset]);
  });
});
