/**
 * The deep hedger of Buehler et al. (Deep Hedging, 2019) in pfhedge's form (Hedger(MultiLayerPerceptron(),
 * inputs=["log_moneyness", "expiry_time", "volatility", "prev_hedge"])), for any number d of instruments:
 * at each date the positions are
 *   delta_t = MLP(I_t, delta_{t-1}),  delta_{-1} = 0,
 * I_t the problem's features (experiment/hedging-problem.ts) and delta_{t-1} the previous outputs, masked
 * where an instrument cannot trade (as paper 002 §4.1's masking layer). For floating-grid options the output
 * is the trade u_t, for every other instrument the position held (hedging/instruments.ts).
 * The previous hedge makes the policy sequential in time: the recurrence runs date by date with its gradient
 * written out as back-propagation through time (policies/hedge-recurrence.ts), the weight gradients summed
 * over dates in a few large products. Dates are laid out along the leading axis so that one date's slice is
 * contiguous.
 */
import * as tf from '@tensorflow/tfjs';
import { hedgeRecurrence } from './hedge-recurrence';
import { Mlp } from './mlp';
import type { HedgingProblem } from '../hedging/problem';
import type { RandomStream } from '../random/stream';

export class DeepHedger {
  readonly mlp: Mlp;

  /** `features` inputs besides the `instruments` previous outputs. */
  constructor(readonly features: number, readonly instruments: number, layers: number, units: number, rng: RandomStream) {
    this.mlp = new Mlp(features + instruments, layers, units, instruments, rng);
  }

  get variables(): tf.Variable[] {
    return this.mlp.variables;
  }

  /** One [n, T] position (or trade) tensor per instrument. */
  positions(p: HedgingProblem): tf.Tensor2D[] {
    return tf.tidy(() => {
      const [steps, n] = p.features.shape;
      const masks = tf.concat(p.instruments.map((i) => i.available), 0).transpose() as tf.Tensor2D;
      const held = hedgeRecurrence(p.features, masks, this.mlp.weights, this.mlp.biases);
      // [T, n, d] -> [d, n, T]: one [n, T] tensor per instrument.
      const byInstrument = tf.transpose(held, [2, 1, 0]);
      return Array.from({ length: this.instruments }, (_, i) => byInstrument.slice([i, 0, 0], [1, n, steps]).reshape([n, steps]) as tf.Tensor2D);
    });
  }

  /**
   * Holdings in the underlying for feature rows [m, F] with the previous positions held at `previous` [m] in
   * the underlying (0 when null) and 0 in the other instruments: [m].
   */
  holding(features: tf.Tensor2D, previous: tf.Tensor1D | null): tf.Tensor1D {
    return tf.tidy(() => {
      const [m] = features.shape;
      const prev = Array.from({ length: this.instruments }, (_, i) => (i === 0 && previous ? previous : tf.zeros([m])));
      const inputs = tf.concat([features, tf.stack(prev, 1)], 1) as tf.Tensor2D;
      return this.mlp.apply(inputs).slice([0, 0], [m, 1]).reshape([m]) as tf.Tensor1D;
    });
  }

  dispose(): void {
    this.mlp.dispose();
  }
}
