/**
 * The learned missing-value layer of paper 000 eq. 8 (ResMissingValue):
 *   x -> w_1          where x is missing (NaN),
 *   x -> w_2 x + x    otherwise,
 * a residual map so that the identity is the layer at w_2 = 0, where it starts; w_1 starts at 0. The paper's
 * w_1 and w_2 are scalars; here there is one pair per input channel (the last axis: eq. 2's O, H, L, C
 * returns), which is the paper's layer for a single channel. Missing entries are zeroed before the product,
 * so neither the value nor the gradient of w_2 ever meets a NaN.
 */
import * as tf from '@tensorflow/tfjs';

export class MissingValueLayer {
  readonly fill: tf.Variable<tf.Rank.R1>;
  readonly scale: tf.Variable<tf.Rank.R1>;

  constructor(channels: number) {
    this.fill = tf.tidy(() => tf.variable(tf.zeros([channels]), true, undefined, 'float32')) as tf.Variable<tf.Rank.R1>;
    this.scale = tf.tidy(() => tf.variable(tf.zeros([channels]), true, undefined, 'float32')) as tf.Variable<tf.Rank.R1>;
  }

  get variables(): tf.Variable[] {
    return [this.fill, this.scale];
  }

  /** x [..., channels] with NaN where missing -> the same shape, every entry finite. */
  apply(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const missing = tf.isNaN(x);
      const present = tf.where(missing, tf.zerosLike(x), x);
      const kept = tf.add(tf.mul(present, this.scale), present);
      // fill + 0 broadcasts by addition: tfjs's broadcastTo is a Tile, whose gradient slices dy once per copy.
      return tf.where(missing, tf.add(tf.zerosLike(x), this.fill), kept);
    });
  }

  dispose(): void {
    tf.dispose(this.variables);
  }
}
