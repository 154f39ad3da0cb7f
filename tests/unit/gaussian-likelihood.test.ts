/**
 * The forecaster's Gaussian loss (paper 000 eq. 6, forecast/gaussian-likelihood.ts): value and gradients in
 * mu and sigma against the closed forms, missing targets ignored, and the head's positive scale.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { gaussianNllLoss, gaussianScale, SIGMA_FLOOR } from '../../src/engine/forecast/gaussian-likelihood';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('the Gaussian negative log-likelihood (eq. 6)', () => {
  const mu = [0.001, -0.002, 0.0, 0.003];
  const sigma = [0.01, 0.02, 0.015, 0.01];
  const r = [0.012, NaN, -0.02, 0.001];
  const present = [0, 2, 3];
  const nll = (i: number) => 0.5 * Math.log(2 * Math.PI) + Math.log(sigma[i]!) + (r[i]! - mu[i]!) ** 2 / (2 * sigma[i]! ** 2);

  it('is the mean over the returns present of 0.5 ln 2 pi + ln sigma + (r - mu)^2 / (2 sigma^2)', () => {
    const got = gaussianNllLoss(tf.tensor1d(mu), tf.tensor1d(sigma), tf.tensor1d(r)).dataSync()[0]!;
    const want = present.reduce((s, i) => s + nll(i), 0) / present.length;
    expect(got).toBeCloseTo(want, 4);
  });

  it('has the closed-form gradients in mu and sigma, zero for a missing target', () => {
    const [gMu, gSigma] = tf.grads((m: tf.Tensor, s: tf.Tensor) => gaussianNllLoss(m, s, tf.tensor1d(r)))([tf.tensor1d(mu), tf.tensor1d(sigma)]).map((g) => g!.dataSync());
    for (let i = 0; i < 4; i++) {
      const isPresent = present.includes(i);
      const d = r[i]! - mu[i]!;
      const wantMu = isPresent ? -d / sigma[i]! ** 2 / present.length : 0;
      const wantSigma = isPresent ? (1 / sigma[i]! - d * d / sigma[i]! ** 3) / present.length : 0;
      expect(Math.abs(gMu![i]! - wantMu)).toBeLessThan(1e-3 * Math.max(1, Math.abs(wantMu)));
      expect(Math.abs(gSigma![i]! - wantSigma)).toBeLessThan(1e-3 * Math.max(1, Math.abs(wantSigma)));
    }
  });

  it('is smallest at the true sigma for returns drawn from it', () => {
    const draws = tf.mul(tf.randomNormal([20000], 0, 1, 'float32', 5), 0.02);
    const at = (s: number) => gaussianNllLoss(tf.zeros([20000]), tf.fill([20000], s), draws).dataSync()[0]!;
    expect(at(0.02)).toBeLessThan(at(0.015));
    expect(at(0.02)).toBeLessThan(at(0.025));
  });
});

describe("the head's scale", () => {
  it('is softplus plus a floor: positive for any input', () => {
    const s = gaussianScale(tf.tensor1d([-100, 0, 3])).dataSync();
    expect(s[0]).toBeGreaterThanOrEqual(Math.fround(SIGMA_FLOOR));
    expect(s[1]).toBeCloseTo(Math.log(2) + SIGMA_FLOOR, 6);
    expect(s[2]).toBeCloseTo(Math.log1p(Math.exp(3)) + SIGMA_FLOOR, 5);
  });
});
