import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmInPlaceKernels } from '../../src/engine/kernels/wasm-in-place';
import { stream } from '../../src/engine/random/stream';

beforeAll(async () => {
  registerWasmInPlaceKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
});

/** Element i of a row-major tensor of `shape` at multi-index `at`. */
const flatIndex = (shape: number[], at: number[]) => at.reduce((acc, a, i) => acc * shape[i] + a, 0);

/** The slice by definition: out[j] = x[begin + j] for every multi-index j < size. */
function sliceByDefinition(values: ArrayLike<number>, shape: number[], begin: number[], size: number[]): number[] {
  const out: number[] = [];
  const j = new Array<number>(shape.length).fill(0);
  const count = size.reduce((a, b) => a * b, 1);
  for (let k = 0; k < count; k++) {
    out.push(values[flatIndex(shape, j.map((x, a) => x + begin[a]))]);
    for (let a = shape.length - 1; a >= 0 && ++j[a] === size[a]; a--) j[a] = 0;
  }
  return out;
}

describe('in-place slices on the wasm backend', () => {
  it('are registered in place of the backend kernels, once', () => {
    registerWasmInPlaceKernels();
    expect((tf.getKernel('Slice', 'wasm')!.kernelFunc as { inPlace?: true }).inPlace).toBe(true);
  });

  it('equal the slice by definition for every rank, dtype and a random box', () => {
    const rng = stream(3, 'test', 'wasm-slices');
    const draws = rng.uniforms(new Float64Array(400));
    let d = 0;
    const pick = (n: number) => Math.min(n - 1, Math.floor(draws[d++ % draws.length] * n));
    for (const shape of [[7], [5, 6], [4, 3, 5], [3, 2, 4, 3], [2, 3, 2, 2, 3], [3, 70]]) {
      for (const dtype of ['float32', 'int32', 'bool'] as const) {
        for (let trial = 0; trial < 4; trial++) {
          const count = shape.reduce((a, b) => a * b, 1);
          const values = Array.from({ length: count }, (_, i) => (dtype === 'bool' ? ((i * 7) % 3 === 0 ? 1 : 0) : dtype === 'int32' ? 2 * i - 3 : i * 1.5 - 3));
          const x = tf.tensor(values, shape, dtype);
          const begin = shape.map((s) => pick(s));
          const size = shape.map((s, a) => 1 + pick(s - begin[a]));
          const got = tf.slice(x, begin, size);
          expect(got.shape).toEqual(size);
          expect(Array.from(got.dataSync())).toEqual(sliceByDefinition(values, shape, begin, size));
          tf.dispose([x, got]);
        }
      }
    }
  });

  it('clone by sharing the data, which outlives the original', () => {
    const before = tf.memory().numTensors;
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const y = tf.clone(x);
    expect(y.dataId).toBe(x.dataId);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    y.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('unstack every axis into the slices by definition', () => {
    const shape = [3, 4, 5];
    const values = Array.from({ length: 60 }, (_, i) => i);
    const x = tf.tensor3d(values, shape as [number, number, number]);
    for (let axis = 0; axis < 3; axis++) {
      const parts = tf.unstack(x, axis);
      expect(parts).toHaveLength(shape[axis]);
      parts.forEach((p, i) => {
        const begin = shape.map((_, a) => (a === axis ? i : 0));
        const size = shape.map((s, a) => (a === axis ? 1 : s));
        expect(p.shape).toEqual(shape.filter((_, a) => a !== axis));
        expect(Array.from(p.dataSync())).toEqual(sliceByDefinition(values, shape, begin, size));
      });
      tf.dispose(parts);
    }
    x.dispose();
  });
});

/** Nested arrays joined along `axis` by definition. */
function concatNested(parts: unknown[][], axis: number): unknown[] {
  if (axis === 0) return parts.flat(1);
  return parts[0]!.map((_, i) => concatNested(parts.map((p) => p[i] as unknown[]), axis - 1));
}

describe('in-place concatenation on the wasm backend', () => {
  it('joins along every axis, short runs and long, every dtype, as by definition', () => {
    for (const [shapes, axis] of [
      [[[4, 3], [4, 1]], 1],
      [[[2, 40], [2, 33], [2, 1]], 1],
      [[[3, 2, 5], [1, 2, 5]], 0],
      [[[2, 3, 4], [2, 2, 4], [2, 0, 4]], 1],
      [[[2, 3, 40], [2, 3, 2]], 2],
    ] as [number[][], number][]) {
      for (const dtype of ['float32', 'int32', 'bool'] as const) {
        let next = 0;
        const parts = shapes.map((shape) => {
          const count = shape.reduce((a, b) => a * b, 1);
          const values = Array.from({ length: count }, () => (dtype === 'bool' ? next++ % 3 === 0 : dtype === 'int32' ? 2 * next++ - 5 : 0.5 * next++ - 3));
          return tf.tensor(values as number[], shape, dtype);
        });
        const got = tf.concat(parts, axis);
        // An empty input adds nothing (and its arraySync drops the axes after the empty one).
        const nested = parts.filter((p) => p.size > 0).map((p) => p.arraySync() as unknown[]);
        const want = tf.tensor(concatNested(nested, axis) as number[], undefined, dtype);
        expect(got.shape).toEqual(want.shape);
        expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
        tf.dispose([...parts, got, want]);
      }
    }
  });

  it('returns the one non-empty input shared, and leaves no tensor behind', () => {
    const before = tf.memory().numTensors;
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const empty = tf.zeros([2, 0]);
    const y = tf.concat([x, empty], 1);
    expect(y.dataId).toBe(x.dataId);
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4]);
    tf.dispose([x, empty, y]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
