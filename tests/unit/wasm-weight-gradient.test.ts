/**
 * The dense layer's parameter gradient as one wasm kernel (kernels/wasm-weight-gradient.ts): [x^T dz; 1^T dz]
 * against its definition summed in float64, over row counts around its chunk of 128 rows and the widths it
 * serves; the dense layer's gradient through it against tfjs's autodiff on the same backend; no tensor left.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmInPlaceKernels } from '../../src/engine/kernels/wasm-in-place';
import { servesWeightGradient, weightGradient } from '../../src/engine/kernels/wasm-weight-gradient';
import { dense } from '../../src/engine/policies/mlp';
import { stream } from '../../src/engine/random/stream';

beforeAll(async () => {
  registerWasmInPlaceKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
});

function normals(count: number, seed: number): Float32Array {
  return stream(seed, 'weight-gradient').normals(new Float32Array(count), 0);
}

/** [x^T dz; 1^T dz] by definition, in float64. */
function byDefinition(x: Float32Array, dz: Float32Array, k: number, a: number, n: number): Float64Array {
  const out = new Float64Array((a + 1) * n);
  for (let r = 0; r < k; r++) {
    for (let j = 0; j < n; j++) {
      const d = dz[r * n + j]!;
      for (let i = 0; i < a; i++) out[i * n + j] += x[r * a + i]! * d;
      out[a * n + j] += d;
    }
  }
  return out;
}

describe('the wasm weight-gradient kernel', () => {
  for (const [k, a, n] of [
    [1, 4, 16],
    [127, 4, 32],
    [128, 8, 16],
    [129, 32, 32],
    [1000, 12, 48],
  ] as const) {
    it(`${k} rows, x of ${a} columns, dz of ${n}: x^T dz and the column sums of dz`, () => {
      expect(servesWeightGradient(a, n)).toBe(true);
      const [xv, dzv] = [normals(k * a, 1), normals(k * n, 2)];
      const before = tf.memory().numTensors;
      const got = tf.tidy(() => weightGradient(tf.tensor2d(xv, [k, a]), tf.tensor2d(dzv, [k, n])));
      expect(got.shape).toEqual([a + 1, n]);
      const values = got.dataSync();
      got.dispose();
      expect(tf.memory().numTensors).toBe(before);
      const want = byDefinition(xv, dzv, k, a, n);
      const scale = Math.sqrt(k); // each sum adds k terms of unit size
      for (let e = 0; e < want.length; e++) expect(Math.abs(values[e]! - want[e]!)).toBeLessThan(1e-5 * scale + 1e-6);
    });
  }

  it('serves only widths its tiles divide, and only on wasm', () => {
    expect(servesWeightGradient(3, 32)).toBe(false);
    expect(servesWeightGradient(32, 2)).toBe(false);
    expect(servesWeightGradient(32, 24)).toBe(false);
    expect(servesWeightGradient(32, 32)).toBe(true);
  });

  it("runs the dense layer's gradient on wasm as tfjs's autodiff computes it", () => {
    const [k, a, n] = [300, 4, 32];
    const x = tf.tensor2d(normals(k * a, 3), [k, a]);
    const w = tf.tensor2d(normals(a * n, 4), [a, n]);
    const b = tf.tensor1d(normals(n, 5));
    const r = tf.tensor2d(normals(k * n, 6), [k, n]);
    const plain = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(tf.relu(tf.add(tf.matMul(xx as tf.Tensor2D, ww as tf.Tensor2D), bb)), r));
    const written = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(dense(xx as tf.Tensor2D, ww as tf.Tensor2D, bb as tf.Tensor1D, 'relu'), r));
    const want = tf.grads(plain)([x, w, b]);
    const got = tf.grads(written)([x, w, b]);
    got.forEach((g, i) => {
      expect(g.shape).toEqual(want[i]!.shape);
      const gap = tf.max(tf.abs(tf.sub(g, want[i]!))).dataSync()[0]!;
      expect(gap).toBeLessThan(1e-4);
    });
  });
});

describe('on another backend', () => {
  it('is not served', async () => {
    await tf.setBackend('cpu');
    expect(servesWeightGradient(32, 32)).toBe(false);
    expect(await tf.setBackend('wasm')).toBe(true);
  });
});
