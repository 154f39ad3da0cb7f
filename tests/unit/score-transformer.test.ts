/** The score network of signature diffusion (src/engine/generators/score-transformer.ts). */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ScoreTransformer } from '../../src/engine/generators/score-transformer';
import { marginal, scoreMatchingLoss, sigmaColumn, VP_SDE } from '../../src/engine/generators/vp-sde';
import { stream } from '../../src/engine/random/stream';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const shape = { coordinates: 3, width: 16, heads: 2, layers: 1, mlpUnits: 32 };

describe('score transformer', () => {
  it('computes sigma_t on the device as the host does', async () => {
    const ts = [0.001, 0.2, 0.7, 1];
    const got = await sigmaColumn(VP_SDE, tf.tensor1d(ts)).data();
    ts.forEach((t, i) => expect(got[i]).toBeCloseTo(marginal(VP_SDE, t).sigma, 5));
  });

  it('predicts a noise per coordinate, the same from the same seed, and leaks no tensor', async () => {
    const [a, b] = [new ScoreTransformer(shape, stream(1, 'score')), new ScoreTransformer(shape, stream(1, 'score'))];
    const x = tf.tensor2d([0.1, -0.2, 0.3, 1, 2, -1], [2, 3]);
    const t = tf.tensor1d([0.1, 0.9]);
    const before = tf.memory().numTensors;
    const [za, zb, score] = [a.noise(x, t), b.noise(x, t), a.score(VP_SDE)(x, t)];
    expect(za.shape).toEqual([2, 3]);
    expect(Array.from(await za.data())).toEqual(Array.from(await zb.data()));
    // The score is -z^ / sigma_t.
    const [s, z] = [await score.data(), await za.data()];
    [0, 1, 2, 3, 4, 5].forEach((i) => expect(s[i]).toBeCloseTo(-z[i]! / marginal(VP_SDE, i < 3 ? 0.1 : 0.9).sigma, 4));
    tf.dispose([za, zb, score]);
    expect(tf.memory().numTensors).toBe(before);
    [a, b].forEach((n) => n.dispose());
  });

  it('learns by denoising score matching: the loss on a correlated Gaussian falls by over 40% in 200 steps', () => {
    const net = new ScoreTransformer(shape, stream(2, 'score'));
    const optimizer = tf.train.adam(3e-3);
    const data = stream(2, 'score', 'data');
    const losses: number[] = [];
    let afterFirst = 0;
    for (let step = 0; step < 200; step++) {
      const z = data.normals(new Float32Array(128 * 3), step * 384);
      // x = (z1, 0.8 z1 + 0.6 z2, 0.5 + 0.3 z3).
      const x0 = tf.tensor2d(Float32Array.from({ length: 384 }, (_, i) => (i % 3 === 0 ? z[i]! : i % 3 === 1 ? 0.8 * z[i - 1]! + 0.6 * z[i]! : 0.5 + 0.3 * z[i]!)), [128, 3]);
      const loss = optimizer.minimize(() => scoreMatchingLoss(VP_SDE, net.score(VP_SDE), x0, stream(2, 'score', 'dsm'), step), true, net.variables)!;
      losses.push(loss.dataSync()[0]!);
      tf.dispose([loss, x0]);
      if (step === 0) afterFirst = tf.memory().numTensors;
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-50))).toBeLessThan(0.6 * mean(losses.slice(0, 20)));
    // After the first step (which creates Adam's moments) no step leaves a tensor behind.
    expect(tf.memory().numTensors).toBe(afterFirst);
    optimizer.dispose();
    net.dispose();
  }, 60_000);
});
