import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { LinearisedMlp } from '../../src/engine/policies/linearised-mlp';
import { Mlp } from '../../src/engine/policies/mlp';
import { stream } from '../../src/engine/random/stream';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function randomLike(shapes: number[][], seed: number): tf.Tensor[] {
  const rng = stream(seed, 'direction');
  let drawn = 0;
  return shapes.map((shape) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = rng.normals(new Float32Array(size), drawn);
    drawn += size;
    return tf.tensor(values, shape);
  });
}

const dot = (a: tf.Tensor[], b: tf.Tensor[]) => tf.tidy(() => tf.addN(a.map((x, i) => tf.sum(tf.mul(x, b[i])))).dataSync()[0]);

describe('the linearised MLP (paper 001 eq. 9) without a Jacobian', () => {
  const mlp = new Mlp(3, 2, 6, 2, stream(4, 'init'));
  const x = randomLike([[9, 3]], 1)[0] as tf.Tensor2D;
  const shapes = mlp.variables.map((v) => v.shape);

  it('caches the outputs of the forward pass at w^r', () => {
    const lin = new LinearisedMlp(mlp, x);
    expect(Array.from(lin.outputs.dataSync())).toEqual(Array.from(mlp.apply(x).dataSync()));
    lin.dispose();
  });

  it('gives J^T u as backpropagation does', () => {
    const lin = new LinearisedMlp(mlp, x);
    const [u] = randomLike([[9, 2]], 2);
    const ours = lin.vjp(u as tf.Tensor2D);
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(mlp.apply(x), u)) as tf.Scalar, mlp.variables);
    mlp.variables.forEach((v, k) => {
      const want = grads[v.name].dataSync();
      const got = ours[k].dataSync();
      for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i], 5);
    });
    lin.dispose();
  });

  it('gives J d that is the adjoint of J^T and the directional derivative by central differences', () => {
    const lin = new LinearisedMlp(mlp, x);
    const d = randomLike(shapes, 3);
    const [u] = randomLike([[9, 2]], 5);
    const jd = lin.jvp(d);
    expect(dot([jd], [u])).toBeCloseTo(dot(d, lin.vjp(u as tf.Tensor2D)), 3);

    const eps = 1e-3;
    const shifted = (sign: number) => {
      const moved = new Mlp(3, 2, 6, 2, stream(4, 'init'));
      moved.variables.forEach((v, k) => v.assign(tf.add(v, tf.mul(d[k], sign * eps))));
      const out = moved.apply(x);
      moved.dispose();
      return out;
    };
    const fd = tf.div(tf.sub(shifted(1), shifted(-1)), 2 * eps);
    const error = tf.norm(tf.sub(fd, jd)).dataSync()[0] / tf.norm(jd).dataSync()[0];
    expect(error).toBeLessThan(1e-2);
    lin.dispose();
  });

  it('keeps nothing once disposed', () => {
    const before = tf.memory().numTensors;
    const lin = new LinearisedMlp(mlp, x);
    const d = randomLike(shapes, 6);
    tf.dispose([lin.jvp(d), ...lin.vjp(lin.outputs), ...d]);
    lin.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
