/**
 * Windows of the forecaster's inputs (paper 000 eq. 2's channels of every asset, log-returns.ts) as the
 * tensor its Transformer reads: window w holds days starts[w] .. starts[w] + length - 1, [windows, length, N, C]
 * (NaN where a return is missing, for the missing-value layer of eq. 8). Days from `known` on are zeros: the
 * placeholder of a target the forecast of that day never reads (causality, spatio-temporal-forecaster.ts).
 */
import * as tf from '@tensorflow/tfjs';

export function returnWindows(channels: Float64Array[][], starts: readonly number[], length: number, known = length): tf.Tensor4D {
  const n = channels.length;
  const c = channels[0]?.length ?? 1;
  const values = new Float32Array(starts.length * length * n * c);
  starts.forEach((s, w) => {
    for (let t = 0; t < known; t++)
      for (let i = 0; i < n; i++) for (let k = 0; k < c; k++) values[((w * length + t) * n + i) * c + k] = channels[i]![k]![s + t]!;
  });
  return tf.tensor4d(values, [starts.length, length, n, c]);
}

/** Index of asset `a`'s close (the last channel) on day `d` of path `p` in a [paths, days, N, C] array. */
export function closeIndex(p: number, d: number, a: number, days: number, n: number, c: number): number {
  return ((p * days + d) * n + a) * c + c - 1;
}
