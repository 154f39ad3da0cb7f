/**
 * The VP SDE (src/engine/generators/vp-sde.ts): its perturbation kernel, both samplers driven by the exact score
 * of a Gaussian mixture reproducing the mixture, and denoising score matching recovering a Gaussian's score.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { beta, marginal, sampling, scoreMatchingLoss, VP_SDE, type ScoreModel } from '../../src/engine/generators/vp-sde';
import { Mlp } from '../../src/engine/policies/mlp';
import { stream } from '../../src/engine/random/stream';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The exact score at time t of a 1-D mixture sum_k w_k N(mu_k, s_k^2) carried by the VP SDE. */
function mixtureScore(w: number[], mu: number[], s: number[]): ScoreModel {
  return (x, t) =>
    tf.tidy(() => {
      const ts = Array.from(t.dataSync());
      const parts = w.map((wk, k) => {
        const alpha = tf.tensor2d(ts.map((ti) => marginal(VP_SDE, ti).alpha), [ts.length, 1]);
        const v = tf.tensor2d(ts.map((ti) => marginal(VP_SDE, ti).alpha ** 2 * s[k]! ** 2 + marginal(VP_SDE, ti).sigma ** 2), [ts.length, 1]);
        const centred = tf.sub(x, tf.mul(alpha, mu[k]!));
        const density = tf.mul(tf.exp(tf.div(tf.square(centred), tf.mul(v, -2))), tf.div(wk, tf.sqrt(v)));
        return { density, weighted: tf.mul(density, tf.neg(tf.div(centred, v))) };
      });
      return tf.div(tf.addN(parts.map((p) => p.weighted)), tf.addN(parts.map((p) => p.density))) as tf.Tensor2D;
    });
}

describe('the variance-preserving SDE', () => {
  it('has alpha_t = exp(-1/2 int beta) and sigma_t^2 = 1 - alpha_t^2', () => {
    expect(marginal(VP_SDE, 0)).toEqual({ alpha: 1, sigma: 0 });
    for (const t of [0.1, 0.5, 0.9]) {
      const h = 1e-6;
      const slope = (Math.log(marginal(VP_SDE, t + h).alpha) - Math.log(marginal(VP_SDE, t - h).alpha)) / (2 * h);
      expect(slope).toBeCloseTo(-beta(VP_SDE, t) / 2, 5);
    }
    // At t = 1 the data are nearly forgotten: alpha_1 = exp(-19.9 / 4 - 0.05) = exp(-5.025).
    expect(marginal(VP_SDE, 1).alpha).toBeCloseTo(Math.exp(-5.025), 12);
  });

  it('samples a Gaussian mixture from its exact score, by the reverse SDE and by the probability-flow ODE', async () => {
    const [w, mu, s] = [[0.3, 0.7], [-2, 1.5], [0.5, 0.3]];
    const mean = w.reduce((a, wk, k) => a + wk * mu[k]!, 0);
    const variance = w.reduce((a, wk, k) => a + wk * (s[k]! ** 2 + mu[k]! ** 2), 0) - mean ** 2;
    for (const sampler of ['reverse-sde', 'probability-flow'] as const) {
      const before = tf.memory().numTensors;
      const run = sampling(VP_SDE, mixtureScore(w, mu, s), 10000, 1, 200, sampler, stream(1, 'vp-sde', sampler));
      let next = await run.next();
      for (let k = 1; !next.done; k++) {
        expect(next.value).toBe(k);
        next = await run.next();
      }
      const x = next.value;
      const v = Array.from(await x.data());
      x.dispose();
      expect(tf.memory().numTensors).toBe(before);
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      const vv = v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length;
      // Monte Carlo errors: 0.016 for the mean, 0.005 for the weight below 0.
      expect(Math.abs(m - mean), sampler).toBeLessThan(0.05);
      expect(Math.abs(vv - variance), sampler).toBeLessThan(0.08);
      expect(Math.abs(v.filter((y) => y < 0).length / v.length - 0.3), sampler).toBeLessThan(0.015);
      // Each mode is as narrow as the data's: the spread around 1.5 is 0.3.
      const upper = v.filter((y) => y > 0);
      const um = upper.reduce((a, b) => a + b, 0) / upper.length;
      expect(Math.abs(Math.sqrt(upper.reduce((a, b) => a + (b - um) ** 2, 0) / upper.length) - 0.3), sampler).toBeLessThan(0.02);
    }
  });

  it('scores the exact score of a Gaussian at its minimum, E_t[1 - sigma_t^2 / v_t], and a wrong one higher', () => {
    const [mu, s] = [1, 0.5];
    const exact = (scale: number): ScoreModel => (x, t) =>
      tf.tidy(() => {
        const ts = Array.from(t.dataSync(), (ti) => marginal(VP_SDE, ti));
        const alpha = tf.tensor2d(ts.map((m) => m.alpha), [ts.length, 1]);
        const v = tf.tensor2d(ts.map((m) => m.alpha ** 2 * s ** 2 + m.sigma ** 2), [ts.length, 1]);
        return tf.mul(tf.neg(tf.div(tf.sub(x, tf.mul(alpha, mu)), v)), scale) as tf.Tensor2D;
      });
    const n = 100000;
    const x0 = tf.tensor2d(stream(4, 'vp-sde', 'x0').normals(new Float32Array(n)).map((z) => mu + s * z), [n, 1]);
    const loss = (scale: number) => tf.tidy(() => scoreMatchingLoss(VP_SDE, exact(scale), x0, stream(4, 'vp-sde', 'dsm'), 0).dataSync()[0]!);
    // The residual sigma s + z at the exact score is z - E[z | x_t], of variance 1 - sigma_t^2 / v_t.
    const u = stream(4, 'vp-sde', 'dsm').uniforms(new Float32Array(n), 0);
    const minimum = Array.from(u, (ui, i) => {
      const m = marginal(VP_SDE, VP_SDE.eps + ((1 - VP_SDE.eps) * (i + ui)) / n);
      return 1 - m.sigma ** 2 / (m.alpha ** 2 * s ** 2 + m.sigma ** 2);
    }).reduce((a, b) => a + b, 0) / n;
    expect(Math.abs(loss(1) - minimum)).toBeLessThan(0.01);
    expect(loss(0.8)).toBeGreaterThan(loss(1) + 0.005);
    expect(loss(1.2)).toBeGreaterThan(loss(1) + 0.005);
    x0.dispose();
  });

  it('recovers the score of a Gaussian by denoising score matching', async () => {
    const [mu, s] = [1, 0.5];
    const net = new Mlp(2, 2, 32, 1, stream(2, 'vp-sde', 'net'));
    // The network predicts the noise: s(x, t) = -net(x, t) / sigma_t.
    const score: ScoreModel = (x, t) =>
      tf.tidy(() => {
        const sigma = tf.tensor2d(Array.from(t.dataSync(), (ti) => marginal(VP_SDE, ti).sigma), [t.shape[0], 1]);
        return tf.neg(tf.div(net.apply(tf.concat([x, t.reshape([-1, 1])], 1) as tf.Tensor2D), sigma)) as tf.Tensor2D;
      });
    const optimizer = tf.train.adam(2e-3);
    const data = stream(2, 'vp-sde', 'data');
    for (let step = 0; step < 3000; step++) {
      const x0 = tf.tensor2d(data.normals(new Float32Array(256), step * 256).map((z) => mu + s * z), [256, 1]);
      optimizer.minimize(() => scoreMatchingLoss(VP_SDE, score, x0, stream(2, 'vp-sde', 'dsm'), step), false, net.variables);
      x0.dispose();
    }
    // Compare the predicted noise sigma_t s with the exact -(x - alpha mu) sigma_t / (alpha^2 s^2 + sigma^2).
    for (const t of [0.2, 0.5, 0.8]) {
      const { alpha, sigma } = marginal(VP_SDE, t);
      const v = alpha ** 2 * s ** 2 + sigma ** 2;
      const xs = [-1.5, -0.75, 0, 0.75, 1.5].map((k) => alpha * mu + k * Math.sqrt(v));
      const got = tf.tidy(() => tf.mul(score(tf.tensor2d(xs, [xs.length, 1]), tf.fill([xs.length], t) as tf.Tensor1D), sigma).dataSync());
      // The exact noise runs over +-1.5 sigma_t / sqrt(v) (up to 1.5) across these points.
      xs.forEach((x, i) => expect(Math.abs(got[i]! + ((x - alpha * mu) * sigma) / v), `t ${t}, x ${x}`).toBeLessThan(0.15));
    }
    optimizer.dispose();
    net.dispose();
  }, 60_000);
});
