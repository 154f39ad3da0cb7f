/**
 * The dense layer's own gradient (policies/mlp.ts: dz = dy * 1[y > 0], dx = dz W^T, dW = x^T dz, db = 1^T dz)
 * against tfjs's automatic gradient of the same expression, on both of its paths: dW packed on dz (as many
 * inputs as outputs or more) and dW = (dz^T x)^T with db a column sum (fewer inputs than outputs).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { dense } from '../../src/engine/policies/mlp';
import { stream } from '../../src/engine/random/stream';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function normals(shape: number[], seed: number): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(stream(seed, 'dense').normals(new Float32Array(size), 0), shape);
}

const maxAbs = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

describe('the dense layer act(x W + b) and its written gradient', () => {
  for (const [inputs, outputs] of [
    [3, 8],
    [8, 8],
    [8, 2],
  ] as const) {
    for (const activation of ['relu', 'linear'] as const) {
      it(`${inputs} -> ${outputs}, ${activation}: value and gradients in x, W and b match tfjs's autodiff`, () => {
        const x = normals([50, inputs], 1) as tf.Tensor2D;
        const w = normals([inputs, outputs], 2) as tf.Tensor2D;
        const b = normals([outputs], 3) as tf.Tensor1D;
        const r = normals([50, outputs], 4); // a random cotangent, so every entry of dy differs
        const affine = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.add(tf.matMul(xx as tf.Tensor2D, ww as tf.Tensor2D), bb);
        const plain = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(activation === 'relu' ? tf.relu(affine(xx, ww, bb)) : affine(xx, ww, bb), r));
        const written = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(dense(xx as tf.Tensor2D, ww as tf.Tensor2D, bb as tf.Tensor1D, activation), r));
        expect(maxAbs(written(x, w, b), plain(x, w, b))).toBeLessThan(1e-4);
        const expected = tf.grads(plain)([x, w, b]);
        const got = tf.grads(written)([x, w, b]);
        got.forEach((g, i) => {
          expect(g.shape).toEqual(expected[i]!.shape);
          expect(maxAbs(g, expected[i]!)).toBeLessThan(1e-4);
        });
        // The relu gradient is not the linear one: the mask matters on this draw.
        if (activation === 'relu') {
          const linearW = tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(affine(xx, ww, bb), r)))([x, w, b])[1]!;
          expect(maxAbs(got[1]!, linearW)).toBeGreaterThan(0.1);
        }
      });
    }
  }
});
