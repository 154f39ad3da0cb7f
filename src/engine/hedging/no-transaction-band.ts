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

/** [n, T] -> T columns [n], through a transpose so that each column is a contiguous slice. */
function byDate(x: tf.Tensor2D): tf.Tensor1D[] {
  const [n, steps] = x.shape;
  return steps === 1 ? [x.reshape([n])] : (tf.unstack(tf.transpose(x)) as tf.Tensor1D[]);
}

/** T columns [n] -> [n, T], stacked by date and transposed (stacking along the inner axis is a strided copy). */
function byPath(columns: tf.Tensor[]): tf.Tensor2D {
  return tf.transpose(tf.stack(columns)) as tf.Tensor2D;
}

/** [n, T] positions before each date's trade: 0, then the positions held up to T - 2. */
function heldBefore(positions: tf.Tensor2D): tf.Tensor2D {
  const [n, steps] = positions.shape;
  return tf.concat([tf.zeros([n, 1]), positions.slice([0, 0], [n, steps - 1])], 1) as tf.Tensor2D;
}

/**
 * lower, upper: [n, T]. Returns [n, T] positions: delta_t = min(max(delta_{t-1}, lower_t), upper_t) from
 * delta_{-1} = 0, the midpoint where lower_t > upper_t. Only the two comparisons of each date run in sequence:
 * the inverted bands are resolved for all dates first, and the gradient (written out: tfjs has none for the
 * comparisons) takes every date's case at once from the positions, leaving one product a date for the chain
 *   g_t = dLoss/d delta_t + kept_{t+1} g_{t+1},   dLoss/d lower_t = toLower_t g_t,   dLoss/d upper_t = toUpper_t g_t.
 */
export const clampIntoBand = tf.customGrad((...args) => {
  const [lower, upper, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  const ordered = tf.lessEqual(lower, upper);
  const middle = tf.div(tf.add(lower, upper), 2);
  const lows = byDate(tf.where(ordered, lower, middle) as tf.Tensor2D);
  const highs = byDate(tf.where(ordered, upper, middle) as tf.Tensor2D);
  let prev: tf.Tensor = tf.zerosLike(lows[0]);
  const held: tf.Tensor[] = [];
  for (let t = 0; t < lows.length; t++) {
    prev = tf.minimum(tf.maximum(prev, lows[t]), highs[t]);
    held.push(prev);
  }
  const positions = byPath(held);
  save([lower, upper, positions]);
  return {
    value: positions,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [lo, hi, x] = saved as tf.Tensor2D[];
      const { kept, toLower, toUpper } = clampCases(heldBefore(x), lo, hi);
      const keptByDate = byDate(kept as tf.Tensor2D);
      const upstream = byDate(dy as tf.Tensor2D);
      const totals: tf.Tensor[] = new Array(upstream.length);
      let carried: tf.Tensor | null = null;
      for (let t = upstream.length - 1; t >= 0; t--) {
        totals[t] = carried ? tf.add(upstream[t], carried) : upstream[t];
        carried = tf.mul(keptByDate[t], totals[t]);
      }
      const total = byPath(totals);
      return [tf.mul(toLower, total), tf.mul(toUpper, total)];
    },
  };
}) as (lower: tf.Tensor2D, upper: tf.Tensor2D) => tf.Tensor2D;

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
    this.positions = clampIntoBand(lower, upper);
    tf.tidy(() => {
      const cases = clampCases(heldBefore(this.positions), lower, upper);
      this.kept.push(...byDate(cases.kept as tf.Tensor2D).map((c) => tf.keep(c)));
      this.toLower.push(...byDate(cases.toLower as tf.Tensor2D).map((c) => tf.keep(c)));
      this.toUpper.push(...byDate(cases.toUpper as tf.Tensor2D).map((c) => tf.keep(c)));
    });
  }

  /** d positions [n, T] for d lower, d upper [n, T]. */
  tangent(dLower: tf.Tensor2D, dUpper: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const lows = byDate(dLower);
      const highs = byDate(dUpper);
      let prev: tf.Tensor = tf.zerosLike(lows[0]);
      const moved: tf.Tensor[] = [];
      for (let t = 0; t < lows.length; t++) {
        prev = tf.addN([tf.mul(this.kept[t], prev), tf.mul(this.toLower[t], lows[t]), tf.mul(this.toUpper[t], highs[t])]);
        moved.push(prev);
      }
      return byPath(moved);
    });
  }

  /** (g lower, g upper) [n, T] for a cotangent g [n, T] on the positions. */
  adjoint(g: tf.Tensor2D): { lower: tf.Tensor2D; upper: tf.Tensor2D } {
    return tf.tidy(() => {
      const gs = byDate(g);
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
      return { lower: byPath(lower), upper: byPath(upper) };
    });
  }

  dispose(): void {
    tf.dispose([this.positions, ...this.kept, ...this.toLower, ...this.toUpper]);
  }
}
