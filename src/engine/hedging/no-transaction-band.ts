/**
 * No-transaction band: the position is the previous one clamped into [lower_t, upper_t] (Whalley-Wilmott;
 * Imaki et al.'s band network). The band itself is computed for all dates at once; only the clamp is
 * sequential, starting from an empty position.
 */
import * as tf from '@tensorflow/tfjs';

/** lower, upper: [n, T]. Returns [n, T] positions. */
export function clampIntoBand(lower: tf.Tensor2D, upper: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const lows = tf.unstack(lower, 1);
    const highs = tf.unstack(upper, 1);
    let prev: tf.Tensor = tf.zerosLike(lows[0]);
    const held: tf.Tensor[] = [];
    for (let t = 0; t < lows.length; t++) {
      prev = tf.minimum(tf.maximum(prev, lows[t]), highs[t]);
      held.push(prev);
    }
    return tf.stack(held, 1) as tf.Tensor2D;
  });
}
