/**
 * The clipped surrogate of paper 000 eq. 36/42 (rl/ppo.ts) by tf.grad with respect to ln pi: zero gradient for
 * samples whose ratio is outside [1 - eps, 1 + eps] on the clipped side (A > 0 and rho > 1 + eps, A < 0 and
 * rho < 1 - eps), and elsewhere the ratio-weighted advantage -rho A / N, the gradient of -E[rho A].
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { clippedSurrogate, normaliseAdvantages } from '../../src/engine/rl/ppo';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const clip = 0.2;
const ratios = [0.5, 0.79, 0.9, 1, 1.15, 1.21, 1.6];
const cases = ratios.flatMap((rho) => [1.3, -0.7].map((a) => ({ rho, a })));
const clippedSide = (rho: number, a: number) => (a > 0 && rho > 1 + clip) || (a < 0 && rho < 1 - clip);

describe('clipped surrogate', () => {
  it('has zero gradient on the clipped side and -rho A / N elsewhere', async () => {
    const old = tf.tensor1d(cases.map((_, i) => -0.3 * i));
    const logProb = tf.tensor1d(cases.map(({ rho }, i) => -0.3 * i + Math.log(rho)));
    const adv = tf.tensor1d(cases.map(({ a }) => a));
    const before = tf.memory().numTensors;
    const g = tf.grad((lp: tf.Tensor) => clippedSurrogate(lp as tf.Tensor1D, old, adv, clip))(logProb);
    const grad = await g.data();
    g.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const value = clippedSurrogate(logProb, old, adv, clip);
    const [v] = await value.data();
    tf.dispose([old, logProb, adv, value]);
    const N = cases.length;
    cases.forEach(({ rho, a }, i) => {
      if (clippedSide(rho, a)) expect(grad[i]).toBe(0);
      else expect(grad[i]).toBeCloseTo((-rho * a) / N, 6);
    });
    const closed = -cases.reduce((s, { rho, a }) => s + Math.min(rho * a, Math.min(Math.max(rho, 1 - clip), 1 + clip) * a), 0) / N;
    expect(v).toBeCloseTo(closed, 6);
  });

  it('normalises advantages to mean 0 and unbiased std 1 within a minibatch', async () => {
    const a = tf.tensor1d([3, -1, 4, 1, -5, 9]);
    const z = normaliseAdvantages(a);
    const v = Array.from(await z.data());
    tf.dispose([a, z]);
    const m = v.reduce((s, x) => s + x, 0) / v.length;
    const sd = Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - 1));
    expect(m).toBeCloseTo(0, 6);
    expect(sd).toBeCloseTo(1, 5);
  });
});
