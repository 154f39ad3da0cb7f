import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { hedgeRecurrence, recurrenceByOps } from '../../src/engine/policies/hedge-recurrence';
import { Mlp } from '../../src/engine/policies/mlp';
import { stream } from '../../src/engine/random/stream';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The recurrence as the tape sees it: each date's MLP on [I_t, delta_{t-1}] with tfjs's own gradients. */
function byTape(features: tf.Tensor3D, maskRows: tf.Tensor2D, weights: tf.Tensor2D[], biases: tf.Tensor1D[]): tf.Tensor3D {
  const [steps, n] = features.shape;
  const d = weights.at(-1)!.shape[1];
  const masks = tf.unstack(maskRows);
  let prev: tf.Tensor2D = tf.zeros([n, d]);
  const held: tf.Tensor2D[] = [];
  for (let t = 0; t < steps; t++) {
    let h: tf.Tensor2D = tf.concat([features.slice([t, 0, 0], [1, n, -1]).reshape([n, -1]), prev], 1);
    weights.forEach((w, l) => {
      const z = tf.add(tf.matMul(h, w), biases[l]) as tf.Tensor2D;
      h = l + 1 < weights.length ? tf.relu(z) : z;
    });
    prev = tf.mul(h, masks[t]);
    held.push(prev);
  }
  return tf.stack(held) as tf.Tensor3D;
}

/** Random features [T, n, F], masks with some dates closed, and an MLP with `layers` hidden layers to d outputs. */
function setting(steps: number, n: number, f: number, d: number, layers: number) {
  const rng = stream(7, 'test', 'recurrence', layers, d);
  const features = tf.tensor3d(rng.normals(new Float32Array(steps * n * f)), [steps, n, f]);
  const masks = tf.tensor2d(Array.from({ length: steps * d }, (_, k) => ((Math.floor(k / d) + (k % d)) % 3 === 2 ? 0 : 1)), [steps, d]);
  const mlp = new Mlp(f + d, layers, 6, d, stream(7, 'init', layers, d));
  return { features, masks, mlp };
}

describe('the deep hedger recurrence with its written-out gradient (back-propagation through time)', () => {
  for (const [d, layers, rows] of [
    [1, 3, Infinity],
    [3, 2, 1],
    [2, 0, 14],
  ] as const) {
    it(`matches the tape's positions and parameter gradients (${d} instruments, ${layers} hidden layers, products of ${rows} rows)`, () => {
      const { features, masks, mlp } = setting(5, 7, 3, d, layers);
      // A loss that weighs every date and instrument differently, so that every adjoint matters.
      const weightsOfLoss = tf.tensor3d(stream(7, 'test', 'loss').normals(new Float32Array(5 * 7 * d)), [5, 7, d]);
      const loss = (held: tf.Tensor3D) => tf.sum(tf.mul(tf.square(tf.add(held, 0.3)), weightsOfLoss)) as tf.Scalar;
      const run = (recurrence: typeof byTape) => tf.variableGrads(() => loss(recurrence(features, masks, mlp.weights, mlp.biases)), mlp.variables);
      const mine = run((...args) => recurrenceByOps(...args, rows));
      const tape = run(byTape);
      expect(mine.value.arraySync()).toBeCloseTo(tape.value.arraySync() as number, 4);
      for (const v of mlp.variables) {
        const [a, b] = [mine.grads[v.name].dataSync(), tape.grads[v.name].dataSync()];
        const scale = Math.max(...Array.from(b, Math.abs));
        expect(scale).toBeGreaterThan(0);
        for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-5 * Math.max(1, scale));
      }
      const held = hedgeRecurrence(features, masks, mlp.weights, mlp.biases).arraySync();
      // A closed date holds nothing.
      expect(Math.abs(held[2][0][0])).toBe(0);
    });
  }

  it('keeps no tensor after a gradient step', () => {
    const { features, masks, mlp } = setting(4, 5, 3, 1, 2);
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(() => tf.sum(hedgeRecurrence(features, masks, mlp.weights, mlp.biases)) as tf.Scalar, mlp.variables);
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
