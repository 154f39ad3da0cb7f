/**
 * The signature of every prefix of a batch of piecewise-linear paths, in tfjs and differentiable (paper 003
 * §4.2, the SigFormer's input; appendix 8.2). Chen's identity for one more segment with increment a_s,
 *   S_s = S_(s-1) (x) exp(a_s),   level k:  S^k_s = S^k_(s-1) + sum_{j=1..k} S^(k-j)_(s-1) (x) a_s^(x)j / j!,
 * summed over s gives, with S^0 = 1 and S^k_(-1) = 0,
 *   S^k_t = sum_{s<=t} sum_{j=1..k} S^(k-j)_(s-1) (x) a_s^(x)j / j!,
 * so each level is one inclusive cumulative sum over time of terms built from the lower levels shifted by
 * one date (their exclusive cumulative sum) and outer powers of the increments: no loop over dates. Outer
 * products are a reshape and a broadcast multiply; layout as tensor-algebra.ts (first index slowest).
 *
 * Rows, one per point (L of them): with `basepoint` the path starts at the origin, the first increment is
 * x_0 - 0 and row t is the signature of 0, x_0, ..., x_t, exactly signatory's signature(path, m, stream=True,
 * basepoint=True); without, row t is the signature of x_0..x_t, so row 0 (a single point) is zero and rows
 * 1..L-1 are signatory's stream=True output (which has those L - 1 rows only). With `time`, a channel
 * t_i = i / (L - 1) of the whole path (0 for a single point) comes first, as in tensor-algebra.ts, before the
 * basepoint: the last row is then exactly the host `signature(path, m, { time, basepoint })`.
 */
import * as tf from '@tensorflow/tfjs';

/** x (x) y per row: [n, L, p] and [n, L, q] to [n, L, p q], entry i q + j = x_i y_j. */
function outer(x: tf.Tensor3D, y: tf.Tensor3D): tf.Tensor3D {
  const [n, l, p] = x.shape;
  const q = y.shape[2];
  return tf.mul(x.reshape([n, l, p, 1]), y.reshape([n, l, 1, q])).reshape([n, l, p * q]);
}

/**
 * The inclusive cumulative sum over dates (axis 1), with its gradient written out: the reverse inclusive
 * cumulative sum of dy. tfjs 4.22's own Cumsum gradient fails on an axis other than the last (it transposes
 * dy to the last axis and does not transpose it back).
 */
const cumsumOverDates = tf.customGrad((...args) => {
  const [x] = args as [tf.Tensor3D];
  return { value: tf.cumsum(x, 1), gradFunc: (dy: tf.Tensor) => [tf.cumsum(dy, 1, false, true)] };
});

/** Each row moved one date later, the first row zero: the level at s - 1 seen at s. */
function previousDate(x: tf.Tensor3D): tf.Tensor3D {
  const [n, l, w] = x.shape;
  return tf.concat([tf.zeros([n, 1, w]), x.slice([0, 0, 0], [n, l - 1, w])], 1);
}

/** levels[k-1]: [n, L, d^k], the level-k signature of the prefix x_0..x_t (with basepoint: 0, x_0..x_t). */
export function streamingSignature(input: tf.Tensor3D, depth: number, opts: { basepoint?: boolean; time?: boolean } = {}): tf.Tensor3D[] {
  return tf.tidy(() => {
    const [n, l] = input.shape;
    const clock = tf.linspace(0, l > 1 ? 1 : 0, l).reshape([1, l, 1]);
    const path = opts.time ? (tf.concat([tf.tile(clock, [n, 1, 1]), input], 2) as tf.Tensor3D) : input;
    const d = path.shape[2];
    const start = opts.basepoint ? path.slice([0, 0, 0], [n, 1, d]) : tf.zeros([n, 1, d]);
    const later = path.slice([0, 1, 0], [n, l - 1, d]).sub(path.slice([0, 0, 0], [n, l - 1, d]));
    const a = tf.concat([start, later], 1) as tf.Tensor3D;
    // powers[j] = a^(x)j / j!
    const powers: tf.Tensor3D[] = [a];
    for (let j = 2; j <= depth; j++) powers.push(outer(powers[j - 2], a).div(j));
    const levels: tf.Tensor3D[] = [];
    const previous: tf.Tensor3D[] = [];
    for (let k = 1; k <= depth; k++) {
      let term = powers[k - 1];
      for (let j = 1; j < k; j++) term = term.add(outer(previous[k - j - 1], powers[j - 1]));
      const level = cumsumOverDates(term) as tf.Tensor3D;
      levels.push(level);
      if (k < depth) previous.push(previousDate(level));
    }
    return levels;
  });
}
