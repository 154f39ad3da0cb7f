/**
 * The diagonal Gaussian policy of paper 000 eq. 27-28 (rl/gaussian-policy.ts): its log-density integrates to
 * one and matches the closed form summed over dimensions, its entropy equals -integral p ln p by quadrature
 * and 1/2 ln(2 pi e sigma^2) per dimension, the bounded log-std stays in [-5, 1] and inverts, and samples
 * from the agent's stream have the policy's mean and std.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { stream } from '../../src/engine/random/stream';
import { boundedLogStd, gaussianEntropy, gaussianLogDensity, gaussianSample, LOG_STD_MAX, LOG_STD_MIN, normalNoise, rawLogStd } from '../../src/engine/rl/gaussian-policy';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('diagonal Gaussian policy', () => {
  it('has a log-density that integrates to one and whose entropy is -integral p ln p (quadrature)', async () => {
    const mu = 0.4;
    const sigma = 0.15;
    const h = 1e-4;
    const xs = Float32Array.from({ length: Math.round(2 / h) }, (_, i) => mu - 1 + (i + 0.5) * h);
    const logp = tf.tidy(() => gaussianLogDensity(tf.tensor2d(xs, [xs.length, 1]), tf.scalar(mu), tf.scalar(Math.log(sigma))));
    const lp = await logp.data();
    logp.dispose();
    let mass = 0;
    let entropy = 0;
    for (const l of lp) {
      mass += Math.exp(l) * h;
      entropy -= Math.exp(l) * l * h;
    }
    expect(mass).toBeCloseTo(1, 4);
    const closed = tf.tidy(() => gaussianEntropy(tf.tensor2d([[Math.log(sigma)]])));
    const [e] = await closed.data();
    closed.dispose();
    expect(entropy).toBeCloseTo(0.5 * Math.log(2 * Math.PI * Math.E * sigma * sigma), 4);
    expect(e).toBeCloseTo(entropy, 4);
  });

  it('sums the closed form over action dimensions', async () => {
    const x = [0.3, -1.2];
    const mean = [0.1, 0.5];
    const logStd = [-1.5, 0.2];
    const closed = x.reduce((s, xi, d) => s - 0.5 * ((xi - mean[d]) / Math.exp(logStd[d])) ** 2 - logStd[d] - 0.5 * Math.log(2 * Math.PI), 0);
    const t = tf.tidy(() => tf.stack([gaussianLogDensity(tf.tensor2d([x]), tf.tensor2d([mean]), tf.tensor2d([logStd])), gaussianEntropy(tf.tensor2d([logStd]))]));
    const [logp, entropy] = await t.data();
    t.dispose();
    expect(logp).toBeCloseTo(closed, 5);
    expect(entropy).toBeCloseTo(logStd.reduce((s, l) => s + 0.5 * Math.log(2 * Math.PI * Math.E) + l, 0), 5);
  });

  it('bounds its log-std in [-5, 1], and rawLogStd inverts the bound', async () => {
    const raw = tf.tensor1d([-1e3, -3, 0, 3, 1e3, rawLogStd(0.2)]);
    const bounded = boundedLogStd(raw);
    const b = await bounded.data();
    tf.dispose([raw, bounded]);
    for (const v of b) {
      expect(v).toBeGreaterThanOrEqual(LOG_STD_MIN);
      expect(v).toBeLessThanOrEqual(LOG_STD_MAX);
    }
    expect(b[0]).toBeCloseTo(LOG_STD_MIN, 5);
    expect(b[4]).toBeCloseTo(LOG_STD_MAX, 5);
    expect(Math.exp(b[5])).toBeCloseTo(0.2, 5);
    expect(() => rawLogStd(10)).toThrow(/outside the bounds/);
  });

  it('samples mean + std * noise from the stream with the policy moments', async () => {
    const count = 40_000;
    const noise = normalNoise(stream(5, 'test', 'noise'), count);
    const s = tf.tidy(() => gaussianSample(tf.fill([count], 0.7), tf.fill([count], Math.log(0.3)), tf.tensor1d(noise)));
    const a = Array.from(await s.data());
    s.dispose();
    const m = a.reduce((x, y) => x + y, 0) / count;
    const sd = Math.sqrt(a.reduce((x, y) => x + (y - m) ** 2, 0) / (count - 1));
    expect(Math.abs(m - 0.7)).toBeLessThan((4 * 0.3) / Math.sqrt(count));
    expect(Math.abs(sd - 0.3)).toBeLessThan(0.01);
  });
});
