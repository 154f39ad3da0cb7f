/**
 * Band networks around the Black-Scholes delta, trading the underlying only (paper 001 §4.2 and appendix D):
 * an MLP maps the features x_t of each date to two band widths (f1, f2), the band is
 *   [delta_bs_t - g(f1(x_t)), delta_bs_t + g(f2(x_t))]
 * and the position is the previous one clamped into it (hedging/no-transaction-band.ts, an inverted band
 * giving its midpoint).
 *   - DHNTB, Imaki et al.'s no-transaction band network as pfhedge's NoTransactionBandNet: g = leaky ReLU.
 *   - DHLNN's anchor band (paper 001 eq. 16-17): g = identity, the network's outputs are the widths.
 * The network does not see the previous position, so the widths of every date come from one batched
 * forward pass over [T n, F] rows; only the clamp runs date by date.
 */
import * as tf from '@tensorflow/tfjs';
import { blackScholesDelta } from '../hedging/black-scholes-delta';
import { clampIntoBand } from '../hedging/no-transaction-band';
import type { HedgingProblem } from '../hedging/problem';
import type { RandomStream } from '../random/stream';
import { Mlp } from './mlp';

export type WidthActivation = 'leaky-relu' | 'identity';

export class BandNetwork {
  readonly mlp: Mlp;

  constructor(readonly features: number, layers: number, units: number, readonly width: WidthActivation, rng: RandomStream) {
    this.mlp = new Mlp(features, layers, units, 2, rng);
  }

  get variables(): tf.Variable[] {
    return this.mlp.variables;
  }

  /** The features of every date as rows [T n, F] (date-major, as HedgingProblem.features). */
  static rows(p: HedgingProblem): tf.Tensor2D {
    const [steps, n, f] = p.features.shape;
    return p.features.reshape([steps * n, f]);
  }

  /** Lower and upper band [n, T] from the delta [n, T] and the network's raw outputs [T n, 2]. */
  band(delta: tf.Tensor2D, outputs: tf.Tensor2D): { lower: tf.Tensor2D; upper: tf.Tensor2D } {
    return tf.tidy(() => {
      const [n, steps] = delta.shape;
      const g = this.width === 'leaky-relu' ? tf.leakyRelu(outputs, 0.01) : outputs;
      // [T n, 2] -> [2, n, T]
      const [below, above] = tf.unstack(tf.transpose(g.reshape([steps, n, 2]), [2, 1, 0])) as tf.Tensor2D[];
      return { lower: tf.sub(delta, below), upper: tf.add(delta, above) };
    });
  }

  /** One [n, T] position tensor per instrument: the band hedge in the underlying, nothing in the others. */
  positions(p: HedgingProblem): tf.Tensor2D[] {
    return tf.tidy(() => {
      const { lower, upper } = this.band(blackScholesDelta(p), this.mlp.apply(BandNetwork.rows(p)));
      const held = clampIntoBand(lower, upper);
      return [held, ...p.instruments.slice(1).map(() => tf.zerosLike(held))];
    });
  }

  /** The band's centre delta + (g(f2) - g(f1)) / 2 for feature rows [m, F] and the delta there [m]. */
  centre(features: tf.Tensor2D, delta: tf.Tensor1D): tf.Tensor1D {
    return tf.tidy(() => {
      const outputs = this.mlp.apply(features);
      const g = this.width === 'leaky-relu' ? tf.leakyRelu(outputs, 0.01) : outputs;
      const [below, above] = tf.split(g, 2, 1);
      return tf.add(delta, tf.div(tf.sub(above, below), 2).reshape([-1])) as tf.Tensor1D;
    });
  }

  dispose(): void {
    this.mlp.dispose();
  }
}
