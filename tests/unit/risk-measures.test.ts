import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Risk } from '../../src/engine/experiment/schema';
import { normInv, normPdf } from '../../src/engine/pricing/normal';
import { entropicLoss, entropicRisk } from '../../src/engine/risk/entropic';
import { expectedShortfall, expectedShortfallLoss, initialThreshold, valueAtRisk } from '../../src/engine/risk/expected-shortfall';
import { meanVarianceLoss, meanVarianceRisk } from '../../src/engine/risk/mean-variance';
import { indifferencePrice, needsThreshold, riskLoss, riskValue } from '../../src/engine/risk/measure';
import { avgR, quadraticLoss, quadraticRisk } from '../../src/engine/risk/quadratic';

/** Deterministic N(mu, sigma^2) sample: quantiles at the stratified grid (i + 0.5) / n. */
function normalSample(n: number, mu: number, sigma: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => mu + sigma * normInv((i + 0.5) / n));
}
/** Deterministic Uniform(a, b) sample on the same grid. */
function uniformSample(n: number, a: number, b: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => a + ((b - a) * (i + 0.5)) / n);
}
/** A scrambled copy, so that nothing relies on sorted input. */
function shuffled(x: Float64Array): Float64Array {
  const out = Float64Array.from(x);
  let state = 12345;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 16807) % 2147483647;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const MEASURES: Risk[] = [
  { measure: 'entropic', lambda: 0.7 },
  { measure: 'expected-shortfall', alpha: 0.9 },
  { measure: 'quadratic' },
  { measure: 'mean-variance', lambda: 2 },
];

describe('risk measures on known distributions (float64)', () => {
  const mu = 0.3;
  const sigma = 1.7;
  const normal = shuffled(normalSample(200_000, mu, sigma));

  it('entropic risk of N(mu, sigma^2) is -mu + lambda sigma^2 / 2', () => {
    for (const lambda of [0.1, 0.5, 1]) {
      expect(entropicRisk(normal, lambda)).toBeCloseTo(-mu + (lambda * sigma * sigma) / 2, 2);
    }
  });

  it('expected shortfall and VaR of N(mu, sigma^2) match -mu + sigma phi(z)/(1-alpha) and -mu + sigma z', () => {
    for (const alpha of [0.5, 0.9, 0.95, 0.99]) {
      const z = normInv(alpha);
      expect(expectedShortfall(normal, alpha)).toBeCloseTo(-mu + (sigma * normPdf(z)) / (1 - alpha), 3);
      expect(valueAtRisk(normal, alpha)).toBeCloseTo(-mu + sigma * z, 3);
      expect(initialThreshold(normal, alpha)).toBe(valueAtRisk(normal, alpha));
    }
  });

  it('mean-variance and quadratic risk of N(mu, sigma^2)', () => {
    expect(meanVarianceRisk(normal, 3)).toBeCloseTo(-mu + (3 / 2) * sigma * sigma, 3);
    expect(quadraticRisk(normal)).toBeCloseTo(mu * mu + sigma * sigma, 3);
    expect(avgR(normal)).toBe(-quadraticRisk(normal));
  });

  it('closed forms for Uniform(a, b)', () => {
    const a = -2;
    const b = 3;
    const u = shuffled(uniformSample(100_000, a, b));
    const lambda = 0.8;
    expect(entropicRisk(u, lambda)).toBeCloseTo(Math.log((Math.exp(-lambda * a) - Math.exp(-lambda * b)) / (lambda * (b - a))) / lambda, 6);
    for (const alpha of [0.9, 0.95, 0.99]) {
      expect(valueAtRisk(u, alpha)).toBeCloseTo(-(a + (b - a) * (1 - alpha)), 4);
      expect(expectedShortfall(u, alpha)).toBeCloseTo(-(a + ((b - a) * (1 - alpha)) / 2), 6);
    }
    expect(meanVarianceRisk(u, 2)).toBeCloseTo(-(a + b) / 2 + ((b - a) ** 2) / 12, 6);
    expect(quadraticRisk(u)).toBeCloseTo((a * a + a * b + b * b) / 3, 6);
  });
});

describe('empirical expected shortfall and VaR, exactly', () => {
  const x = [2, -5, 0.5, -1, 3, 1, -0.5, 4, -2, 0];
  // Sorted losses -X from worst: 5, 2, 1, 0.5, 0, -0.5, -1, -2, -3, -4.

  it('averages the worst (1 - alpha) n outcomes with a fractional boundary weight', () => {
    expect(expectedShortfall(x, 0.9)).toBeCloseTo(5, 14); // k = 1
    expect(expectedShortfall(x, 0.8)).toBeCloseTo((5 + 2) / 2, 14); // k = 2
    expect(expectedShortfall(x, 0.75)).toBeCloseTo((5 + 2 + 0.5 * 1) / 2.5, 14); // k = 2.5
    expect(expectedShortfall(x, 0.95)).toBeCloseTo(5, 14); // k = 0.5 < 1: the worst outcome
    expect(expectedShortfall(x, 0)).toBeCloseTo(-0.2, 14); // the whole mean loss
  });

  it('equals the minimum over w of the OCE objective w + E[(-X - w)^+] / (1 - alpha)', () => {
    const oce = (w: number, alpha: number) => w + x.reduce((s, v) => s + Math.max(-v - w, 0), 0) / x.length / (1 - alpha);
    for (const alpha of [0.5, 0.7, 0.75, 0.8, 0.9]) {
      // The objective is piecewise linear with kinks at the losses: its minimum is at one of them.
      const best = Math.min(...x.map((v) => oce(-v, alpha)));
      expect(expectedShortfall(x, alpha)).toBeCloseTo(best, 12);
    }
    // Where (1 - alpha) n is an integer the lower order statistic (VaR) is a minimiser.
    for (const alpha of [0.5, 0.7, 0.8, 0.9]) {
      const best = Math.min(...x.map((v) => oce(-v, alpha)));
      expect(oce(valueAtRisk(x, alpha), alpha)).toBeCloseTo(best, 12);
    }
  });

  it('takes VaR as the lower order statistic X_(max(1, floor((1 - alpha) n)))', () => {
    expect(valueAtRisk(x, 0.9)).toBe(5); // floor(1) = 1: the worst
    expect(valueAtRisk(x, 0.85)).toBe(5); // floor(1.5) = 1
    expect(valueAtRisk(x, 0.8)).toBe(2); // (1 - 0.8) * 10 = 1.9999999999999996, snapped to 2
    expect(valueAtRisk(x, 0.7)).toBe(1);
    expect(valueAtRisk(x, 0.99)).toBe(5); // k = 0.1 < 1
    expect(valueAtRisk(new Float32Array(x), 0.7)).toBe(1);
  });

  it('rejects alpha outside [0, 1)', () => {
    expect(() => expectedShortfall(x, 1)).toThrow(/alpha/);
    expect(() => valueAtRisk(x, -0.1)).toThrow(/alpha/);
  });

  it('entropic risk stays finite for large losses (log-sum-exp)', () => {
    expect(entropicRisk([-1000, 0], 1)).toBeCloseTo(1000 - Math.log(2), 10);
    expect(entropicRisk([2, 2, 2], 50)).toBeCloseTo(-2, 12);
  });
});

describe('indifference price', () => {
  const x = shuffled(normalSample(5000, -0.4, 0.9));

  it('is cash invariant, price(X + c) = price(X) - c, for every measure', () => {
    for (const risk of MEASURES)
      for (const c of [-3, 0.25, 10]) {
        const shifted = x.map((v) => v + c);
        expect(indifferencePrice(risk, shifted), risk.measure).toBeCloseTo(indifferencePrice(risk, x) - c, 10);
      }
  });

  it('makes the hedged claim as acceptable as no position: rho(X + p) = 0 (cash-invariant measures)', () => {
    for (const risk of MEASURES.filter((r) => r.measure !== 'quadratic')) {
      const p = indifferencePrice(risk, x);
      expect(p).toBe(riskValue(risk, x));
      expect(riskValue(risk, x.map((v) => v + p)), risk.measure).toBeCloseTo(0, 10);
    }
  });

  it('is the quadratic-hedging price -E[X], the minimiser of E[(X + p)^2], for the quadratic measure', () => {
    const risk: Risk = { measure: 'quadratic' };
    const p = indifferencePrice(risk, x);
    expect(p).toBeCloseTo(0.4, 3);
    const objective = (q: number) => quadraticRisk(x.map((v) => v + q));
    expect(objective(p)).toBeLessThan(objective(p + 1e-3));
    expect(objective(p)).toBeLessThan(objective(p - 1e-3));
  });
});

describe('tfjs losses', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  const sample = shuffled(normalSample(4000, 0.1, 0.8));
  const value = (t: tf.Scalar) => {
    const v = t.dataSync()[0];
    t.dispose();
    return v;
  };

  it('agree with the float64 measures', () => {
    const pnl = tf.tensor1d(Float32Array.from(sample));
    const x = Float64Array.from(pnl.dataSync()); // the float32-rounded values the device sees
    expect(value(entropicLoss(pnl, 1.5))).toBeCloseTo(entropicRisk(x, 1.5), 5);
    expect(value(quadraticLoss(pnl))).toBeCloseTo(quadraticRisk(x), 5);
    expect(value(meanVarianceLoss(pnl, 4))).toBeCloseTo(meanVarianceRisk(x, 4), 5);
    const w = tf.scalar(valueAtRisk(x, 0.95));
    expect(value(expectedShortfallLoss(pnl, 0.95, w))).toBeCloseTo(expectedShortfall(x, 0.95), 4);
    for (const risk of MEASURES) {
      // At the minimising threshold (the VaR) the OCE loss is the expected shortfall itself.
      const threshold = risk.measure === 'expected-shortfall' ? tf.scalar(initialThreshold(x, risk.alpha)) : undefined;
      expect(value(riskLoss(risk, pnl, threshold)), risk.measure).toBeCloseTo(riskValue(risk, x), 4);
      threshold?.dispose();
    }
    const big = tf.tensor1d([-1000, 0]);
    expect(value(entropicLoss(big, 1))).toBeCloseTo(1000 - Math.log(2), 3);
    tf.dispose([pnl, w, big]);
  });

  it('needs a threshold exactly for expected shortfall', () => {
    expect(MEASURES.map(needsThreshold)).toEqual([false, true, false, false]);
    const pnl = tf.tensor1d([1, 2]);
    expect(() => riskLoss({ measure: 'expected-shortfall', alpha: 0.9 }, pnl)).toThrow(/expected-shortfall needs the learned threshold/);
    pnl.dispose();
  });

  it('minimising the OCE loss over the threshold with Adam gives the float64 expected shortfall', () => {
    const alpha = 0.9;
    const pnl = tf.tensor1d(Float32Array.from(shuffled(normalSample(2000, 0.1, 0.8))));
    const x = Float64Array.from(pnl.dataSync());
    const w = tf.variable(tf.scalar(0));
    const optimizer = tf.train.adam(0.02);
    let last = Infinity;
    for (let step = 0; step < 800; step++) {
      const loss = optimizer.minimize(() => expectedShortfallLoss(pnl, alpha, w), true, [w]);
      last = loss!.dataSync()[0];
      loss!.dispose();
    }
    expect(last).toBeCloseTo(expectedShortfall(x, alpha), 3);
    expect(w.dataSync()[0]).toBeCloseTo(valueAtRisk(x, alpha), 1);
    optimizer.dispose();
    tf.dispose([pnl, w]);
  });

  it('do not leak tensors across repeated calls and gradient steps', () => {
    const pnl = tf.tensor1d(Float32Array.from(sample.subarray(0, 256)));
    const w = tf.variable(tf.scalar(0.5));
    const optimizer = tf.train.adam(0.01);
    const round = () => {
      for (const risk of MEASURES) tf.dispose(riskLoss(risk, pnl, w));
      tf.dispose([entropicLoss(pnl, 2), quadraticLoss(pnl), meanVarianceLoss(pnl, 1), expectedShortfallLoss(pnl, 0.95, w)]);
      optimizer.minimize(() => expectedShortfallLoss(pnl, 0.95, w), true, [w])?.dispose();
    };
    round(); // Adam allocates its moment slots on the first step
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) round();
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    tf.dispose([pnl, w]);
  });
});
