/**
 * No-transaction band: the position is the previous one clamped into [lower_t, upper_t] (Whalley-Wilmott;
 * Imaki et al.'s band network, paper 001's DHNTB; the anchor band of paper 001 eq. 17). The band itself is
 * computed for all dates at once; only the clamp is sequential, starting from an empty position. An
 * inverted band (lower > upper, which a network's raw outputs can produce) gives its midpoint, as pfhedge's
 * clamp(inverted_output="mean").
 */
import * as tf from '@tensorflow/tfjs';

/** Which case of the clamp each element falls in: kept inside the band, clamped to a bound, or an inverted band. */
function clampCases(prev: tf.Tensor, lower: tf.Tensor, upper: tf.Tensor) {
  return tf.tidy(() => {
    const ordered = tf.lessEqual(lower, upper);
    const below = tf.logicalAnd(ordered, tf.less(prev, lower));
    const above = tf.logicalAnd(ordered, tf.greater(prev, upper));
    const inverted = tf.logicalNot(ordered).toFloat();
    return {
      kept: tf.logicalAnd(ordered, tf.logicalNot(tf.logicalOr(below, above))).toFloat(),
      toLower: tf.add(below.toFloat(), tf.mul(inverted, 0.5)),
      toUpper: tf.add(above.toFloat(), tf.mul(inverted, 0.5)),
    };
  });
}

/**
 * The clamp of one date: min(max(prev, lower), upper) when lower <= upper, else (lower + upper) / 2. Its
 * gradient is written out by case (tfjs has none for the comparisons a `where` would put on the tape).
 */
export const clampStep = tf.customGrad((...args) => {
  const [prev, lower, upper, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  const value = tf.where(tf.lessEqual(lower, upper), tf.minimum(tf.maximum(prev, lower), upper), tf.div(tf.add(lower, upper), 2));
  save([prev, lower, upper]);
  return {
    value,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const { kept, toLower, toUpper } = clampCases(saved[0], saved[1], saved[2]);
      return [tf.mul(dy, kept), tf.mul(dy, toLower), tf.mul(dy, toUpper)];
    },
  };
}) as (prev: tf.Tensor, lower: tf.Tensor, upper: tf.Tensor) => tf.Tensor;

/**
 * The columns of x [n, T]. tfjs's unstack gradient fails when there is a single output (the tape hands it a
 * tensor where it expects a list), so one column is taken by reshaping.
 */
export function dateColumns(x: tf.Tensor2D): tf.Tensor1D[] {
  const [n, steps] = x.shape;
  return steps === 1 ? [x.reshape([n])] : (tf.unstack(x, 1) as tf.Tensor1D[]);
}

/** lower, upper: [n, T]. Returns [n, T] positions. */
export function clampIntoBand(lower: tf.Tensor2D, upper: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const lows = dateColumns(lower);
    const highs = dateColumns(upper);
    let prev: tf.Tensor = tf.zerosLike(lows[0]);
    const held: tf.Tensor[] = [];
    for (let t = 0; t < lows.length; t++) {
      prev = clampStep(prev, lows[t], highs[t]);
      held.push(prev);
    }
    return tf.stack(held, 1) as tf.Tensor2D;
  });
}

/**
 * The clamp recursion's first-order expansion around a band [lower, upper] (paper 001 eq. 17 linearised, as
 * DHLNN's inner iterations need): with the case each date fell in held fixed, a change of the band moves the
 * positions by
 *   d delta_t = d delta_{t-1}                (previous position inside the band: kept)
 *             = d lower_t  or  d upper_t     (clamped to a bound)
 *             = (d lower_t + d upper_t) / 2  (inverted band: its midpoint)
 * `tangent` applies this linear map to (d lower, d upper) [n, T]; `adjoint` applies its transpose to a
 * cotangent g on the positions, running the recursion backwards. Owns its tensors until `dispose`.
 */
export class LinearisedClamp {
  /** [n, T] positions at the band. */
  readonly positions: tf.Tensor2D;
  /** Per date [n]: 1 where the case applies. */
  private readonly kept: tf.Tensor1D[] = [];
  private readonly toLower: tf.Tensor1D[] = [];
  private readonly toUpper: tf.Tensor1D[] = [];

  constructor(lower: tf.Tensor2D, upper: tf.Tensor2D) {
    this.positions = tf.tidy(() => {
      const lows = dateColumns(lower);
      const highs = dateColumns(upper);
      let prev: tf.Tensor = tf.zerosLike(lows[0]);
      const held: tf.Tensor[] = [];
      for (let t = 0; t < lows.length; t++) {
        const cases = clampCases(prev, lows[t], highs[t]);
        this.kept.push(tf.keep(cases.kept as tf.Tensor1D));
        this.toLower.push(tf.keep(cases.toLower as tf.Tensor1D));
        this.toUpper.push(tf.keep(cases.toUpper as tf.Tensor1D));
        prev = clampStep(prev, lows[t], highs[t]);
        held.push(prev);
      }
      return tf.stack(held, 1) as tf.Tensor2D;
    });
  }

  /** d positions [n, T] for d lower, d upper [n, T]. */
  tangent(dLower: tf.Tensor2D, dUpper: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const lows = dateColumns(dLower);
      const highs = dateColumns(dUpper);
      let prev: tf.Tensor = tf.zerosLike(lows[0]);
      const moved: tf.Tensor[] = [];
      for (let t = 0; t < lows.length; t++) {
        prev = tf.addN([tf.mul(this.kept[t], prev), tf.mul(this.toLower[t], lows[t]), tf.mul(this.toUpper[t], highs[t])]);
        moved.push(prev);
      }
      return tf.stack(moved, 1) as tf.Tensor2D;
    });
  }

  /** (g lower, g upper) [n, T] for a cotangent g [n, T] on the positions. */
  adjoint(g: tf.Tensor2D): { lower: tf.Tensor2D; upper: tf.Tensor2D } {
    return tf.tidy(() => {
      const gs = dateColumns(g);
      const steps = gs.length;
      const lower: tf.Tensor[] = new Array(steps);
      const upper: tf.Tensor[] = new Array(steps);
      let carried: tf.Tensor = tf.zerosLike(gs[0]);
      for (let t = steps - 1; t >= 0; t--) {
        const total = tf.add(gs[t], carried);
        lower[t] = tf.mul(this.toLower[t], total);
        upper[t] = tf.mul(this.toUpper[t], total);
        carried = tf.mul(this.kept[t], total);
      }
      return { lower: tf.stack(lower, 1) as tf.Tensor2D, upper: tf.stack(upper, 1) as tf.Tensor2D };
    });
  }

  dispose(): void {
    tf.dispose([this.positions, ...this.kept, ...this.toLower, ...this.toUpper]);
  }
}
