/**
 * The deep hedger of Buehler et al. (Deep Hedging, 2019) in pfhedge's form (Hedger(MultiLayerPerceptron(),
 * inputs=["log_moneyness", "expiry_time", "volatility", "prev_hedge"])): at each date the position is
 *   delta_t = MLP(log(S_t / K), T - t, sigma, delta_{t-1}),  delta_{-1} = 0.
 * The previous hedge makes the policy sequential in time, so the first layer is split by input: the date
 * terms (expiry_time, volatility and the bias) are one small product for all dates, log_moneyness and
 * prev_hedge enter at each date as per-path products with their rows of the weight, and the deeper layers
 * run step by step. Dates are laid out along the leading axis so that one date's slice is contiguous:
 * tfjs-backend-wasm copies a sliced tensor whole (strided slices row by row in JS), which made cutting an
 * [n, T, units] tensor into dates cost more than the network itself.
 */
import * as tf from '@tensorflow/tfjs';
import { dense, Mlp } from './mlp';
import { rebalancingSpot, timeToMaturity, type HedgingProblem } from '../hedging/problem';
import type { RandomStream } from '../random/stream';

export const DEEP_HEDGER_FEATURES = ['log_moneyness', 'expiry_time', 'volatility', 'prev_hedge'] as const;

export class DeepHedger {
  readonly mlp: Mlp;

  constructor(layers: number, units: number, rng: RandomStream) {
    this.mlp = new Mlp(DEEP_HEDGER_FEATURES.length, layers, units, 1, rng);
  }

  get variables(): tf.Variable[] {
    return this.mlp.variables;
  }

  /** [n, T] positions along every path. */
  positions(p: HedgingProblem): tf.Tensor2D {
    return tf.tidy(() => {
      const [n] = p.spot.shape;
      const steps = p.steps;
      // Rows of W0 in DEEP_HEDGER_FEATURES order: log_moneyness | expiry_time, volatility | prev_hedge.
      const [moneynessW, dateW, prevW] = tf.split(this.mlp.weights[0], [1, 2, 1]) as tf.Tensor2D[];
      const dateFeatures = tf.concat([timeToMaturity(p).reshape([steps, 1]), tf.fill([steps, 1], p.sigma)], 1) as tf.Tensor2D;
      const datePart = tf.unstack(dense(dateFeatures, dateW, this.mlp.biases[0], 'linear'));
      const logMoneyness = tf.unstack(tf.log(tf.div(tf.transpose(rebalancingSpot(p)), p.strike)).reshape([steps, n, 1]));
      let prev: tf.Tensor2D = tf.zeros([n, 1]);
      const held: tf.Tensor2D[] = [];
      for (let t = 0; t < steps; t++) {
        const z = tf.add(tf.add(tf.mul(logMoneyness[t], moneynessW), tf.mul(prev, prevW)), datePart[t]) as tf.Tensor2D;
        prev = this.mlp.fromFirstPreActivation(z);
        held.push(prev);
      }
      return tf.transpose(tf.stack(held).reshape([steps, n]));
    });
  }

  /** Position for given rows of features [m, 4] in DEEP_HEDGER_FEATURES order; returns [m]. */
  holdings(features: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => this.mlp.apply(features).reshape([-1]) as tf.Tensor1D);
  }

  dispose(): void {
    this.mlp.dispose();
  }
}
