/**
 * Lookback call with a fixed strike on the running maximum (paper 001 eq. 2):
 *   Z = max(max_{0 <= t <= T} S_t - K, 0),
 * the maximum taken over the simulated dates t = 0..T (discrete monitoring; pricing/lookback.ts prices the
 * continuously monitored contract, which a fine grid approaches from below).
 *
 * runningMaximum gives M_t = max_{s <= t} S_s at every date, the lookback's state variable (pfhedge's
 * max_log_moneyness). tfjs has no cumulative maximum, so it is a log-step doubling scan (Hillis-Steele): after
 * round r each entry holds the maximum over a window of 2^r dates ending at it, by one elementwise maximum
 * with the array shifted by 2^{r-1} (the first 2^{r-1} columns pass through). ceil(log2(T + 1)) rounds of one
 * maximum and one concat: O(n T log T) elementwise work in O(log T) kernel launches, instead of T launches
 * for a column-by-column scan.
 */
import * as tf from '@tensorflow/tfjs';

/** [n] payoff from spot [n, T + 1]. */
export function lookbackPayoff(spot: tf.Tensor2D, strike: number): tf.Tensor1D {
  return tf.tidy(() => tf.relu(tf.sub(tf.max(spot, 1), strike)) as tf.Tensor1D);
}

/** Float64 payoff of one path of prices at dates 0..T. */
export function lookbackPayoffValue(path: ArrayLike<number>, strike: number): number {
  let max = -Infinity;
  for (let t = 0; t < path.length; t++) max = Math.max(max, path[t]);
  return Math.max(max - strike, 0);
}

/** [n, T + 1] cumulative maximum of spot [n, T + 1] along time. */
export function runningMaximum(spot: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const [n, cols] = spot.shape;
    let m: tf.Tensor2D = spot;
    for (let shift = 1; shift < cols; shift *= 2) {
      const head = m.slice([0, 0], [n, shift]);
      const tail = tf.maximum(m.slice([0, shift], [n, cols - shift]), m.slice([0, 0], [n, cols - shift]));
      m = tf.concat([head, tail], 1) as tf.Tensor2D;
    }
    return m === spot ? spot.clone() : m;
  });
}
