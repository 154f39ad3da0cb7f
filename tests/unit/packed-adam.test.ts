import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { PackedAdam } from '../../src/engine/trainers/packed-adam';
import { stream } from '../../src/engine/random/stream';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Three variables of different shapes and a loss that couples them, with a minimum away from the start. */
function problem() {
  const rng = stream(11, 'test', 'packed-adam');
  const a = tf.variable(tf.tensor2d(rng.normals(new Float32Array(6), 0), [2, 3]));
  const b = tf.variable(tf.tensor1d(rng.normals(new Float32Array(3), 6)));
  const c = tf.variable(tf.scalar(0.7));
  const target = tf.tensor2d(rng.normals(new Float32Array(6), 9), [2, 3]);
  const loss = () => tf.add(tf.sum(tf.square(tf.sub(tf.add(tf.mul(a, c), b), target))), tf.mul(tf.sum(tf.pow(b, 4)), 0.1)) as tf.Scalar;
  return { variables: [a, b, c], loss };
}

describe("Adam on packed parameters", () => {
  it("takes the steps of tfjs's AdamOptimizer, step by step", () => {
    const [mine, theirs] = [problem(), problem()];
    const packed = new PackedAdam(mine.variables, 0.05);
    const adam = tf.train.adam(0.05);
    for (let step = 0; step < 25; step++) {
      const [x, y] = [packed.minimize(mine.loss), adam.minimize(theirs.loss, true, theirs.variables)!];
      expect(x.dataSync()[0]).toBeCloseTo(y.dataSync()[0], 5);
      tf.dispose([x, y]);
    }
    mine.variables.forEach((v, i) => {
      const [p, q] = [v.dataSync(), theirs.variables[i].dataSync()];
      for (let k = 0; k < p.length; k++) expect(p[k]).toBeCloseTo(q[k], 5);
    });
    // It moved: the loss fell well below where it started.
    expect(mine.loss().dataSync()[0]).toBeLessThan(0.5 * problem().loss().dataSync()[0]);
    packed.dispose();
    adam.dispose();
  });

  it('keeps one vector of both moments and nothing else between steps', () => {
    const { variables, loss } = problem();
    const packed = new PackedAdam(variables, 0.01);
    packed.minimize(loss).dispose();
    const after = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) packed.minimize(loss).dispose();
    expect(tf.memory().numTensors).toBe(after);
    packed.dispose();
    expect(tf.memory().numTensors).toBe(after - 1);
  });
});
