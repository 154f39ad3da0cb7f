import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { stream } from '../../src/engine/random/stream';
import { entropicRisk } from '../../src/engine/risk/entropic';
import { expectedShortfall } from '../../src/engine/risk/expected-shortfall';
import { meanVarianceRisk } from '../../src/engine/risk/mean-variance';
import { oceLoss, oceRisk } from '../../src/engine/risk/oce';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** 2,000 skewed P&L outcomes: a normal body with a fat left tail. */
function sample(): Float64Array {
  const z = stream(9, 'oce').normals(new Float64Array(2000));
  return z.map((x, i) => 0.01 * x - (i % 17 === 0 ? 0.05 * Math.abs(x) : 0));
}

describe('optimized certainty equivalents (paper 001 eq. 37)', () => {
  const x = sample();

  it('with the exponential loss are the entropic risk (eq. 40-45)', () => {
    for (const lambda of [1, 10, 100]) expect(oceRisk(x, { type: 'exponential', lambda }).value).toBeCloseTo(entropicRisk(x, lambda), 12);
  });

  it('with the quadratic loss are the mean-variance risk', () => {
    for (const lambda of [1, 50]) expect(oceRisk(x, { type: 'quadratic', lambda }).value).toBeCloseTo(meanVarianceRisk(x, lambda), 12);
  });

  it('with the shortfall loss are the expected shortfall, the threshold at the value at risk', () => {
    for (const alpha of [0.9, 0.95, 0.99]) {
      const r = oceRisk(x, { type: 'shortfall', alpha });
      expect(r.value).toBeCloseTo(expectedShortfall(x, alpha), 12);
    }
  });

  it('are cash invariant and monotone', () => {
    const l = { type: 'exponential', lambda: 20 } as const;
    const shifted = x.map((v) => v + 0.003);
    expect(oceRisk(shifted, l).value).toBeCloseTo(oceRisk(x, l).value - 0.003, 12);
    const worse = x.map((v, i) => (i % 5 === 0 ? v - 0.01 : v));
    expect(oceRisk(worse, l).value).toBeGreaterThan(oceRisk(x, l).value);
  });

  it('give the training loss its minimum value at the optimal threshold, and more elsewhere', () => {
    for (const l of [{ type: 'exponential', lambda: 10 }, { type: 'quadratic', lambda: 10 }, { type: 'shortfall', alpha: 0.9 }] as const) {
      const { value, threshold } = oceRisk(x, l);
      const pnl = tf.tensor1d(Float32Array.from(x));
      const at = (theta: number) => tf.tidy(() => oceLoss(pnl, l, tf.scalar(theta)).dataSync()[0]);
      expect(at(threshold)).toBeCloseTo(value, 5);
      expect(at(threshold + 0.01)).toBeGreaterThan(at(threshold) - 1e-7);
      expect(at(threshold - 0.01)).toBeGreaterThan(at(threshold) - 1e-7);
      pnl.dispose();
    }
  });
});
