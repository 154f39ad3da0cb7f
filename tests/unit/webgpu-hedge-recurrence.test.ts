import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fitsFusedRecurrence, MAX_FUSED_PARAMETERS, recurrenceLayout } from '../../src/engine/kernels/webgpu-hedge-recurrence';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe("the WebGPU recurrence programs' packed layout", () => {
  it('puts every weight and bias where concatenating them flat, weights first, puts it', () => {
    const widths = [4, 5, 3, 2];
    const L = recurrenceLayout(widths);
    const weights = widths.slice(1).map((w, l) => tf.tensor2d(Array.from({ length: widths[l] * w }, (_, k) => 100 * (l + 1) + k), [widths[l], w]));
    const biases = widths.slice(1).map((w, l) => tf.tensor1d(Array.from({ length: w }, (_, k) => -(100 * (l + 1) + k))));
    const packed = tf.concat([...weights.map((w) => w.reshape([-1])), ...biases]).arraySync() as number[];
    expect(L.parameters).toBe(packed.length);
    weights.forEach((w, l) => {
      const [inputs, outputs] = [widths[l], widths[l + 1]];
      const values = w.arraySync();
      for (let i = 0; i < inputs; i++) for (let j = 0; j < outputs; j++) expect(packed[L.weightAt[l] + i * outputs + j]).toBe(values[i][j]);
      biases[l].arraySync().forEach((b, j) => expect(packed[L.biasAt[l] + j]).toBe(b));
    });
    // Each layer's outputs have their own columns of the activations, the output layer last.
    expect(L.outputAt).toEqual([0, 5, 8]);
    expect(L.width).toBe(10);
    expect(L.widest).toBe(5);
  });

  it('compiles networks up to 4x64 and leaves larger ones to the ops', () => {
    const mlp = (layers: number, units: number) => [4, ...Array<number>(layers).fill(units), 1];
    expect(fitsFusedRecurrence(mlp(4, 32))).toBe(true);
    expect(fitsFusedRecurrence(mlp(4, 64))).toBe(true);
    expect(fitsFusedRecurrence(mlp(3, 128))).toBe(false);
    expect(recurrenceLayout(mlp(4, 64)).parameters).toBeLessThanOrEqual(MAX_FUSED_PARAMETERS);
  });
});
