/** addAll (src/engine/kernels/add-n.ts): tf.addN in groups WebGPU can bind, the same sum for any count. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADD_N_INPUTS, addAll } from '../../src/engine/kernels/add-n';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('addAll', () => {
  it('sums any number of tensors exactly as one addN would, and keeps none of its partial sums', async () => {
    for (const n of [1, ADD_N_INPUTS, ADD_N_INPUTS + 1, 16, 50]) {
      const xs = Array.from({ length: n }, (_, i) => tf.tensor2d([i, 2 * i, 1, 3 - i], [2, 2]));
      const before = tf.memory().numTensors;
      const sum = addAll(xs);
      expect(tf.memory().numTensors).toBe(before + 1);
      const total = (n * (n - 1)) / 2;
      expect(Array.from(await sum.data())).toEqual([total, 2 * total, n, 3 * n - total]);
      tf.dispose([sum, ...xs]);
    }
  });
});
