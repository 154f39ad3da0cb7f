/**
 * The deep hedger of Buehler et al. (Deep Hedging, 2019) in pfhedge's form (Hedger(MultiLayerPerceptron(),
 * inputs=["log_moneyness", "expiry_time", "volatility", "prev_hedge"])): at each date the position is
 *   delta_t = MLP(log(S_t / K), T - t, sigma, delta_{t-1}),  delta_{-1} = 0.
 * The previous hedge makes the policy sequential in time, so the first layer is split: the part that sees
 * the three market features is computed for all dates in one batched product, and only the prev_hedge term
 * and the deeper layers run step by step.
 */
import * as tf from '@tensorflow/tfjs';
import { Mlp } from './mlp';
import { rebalancingSpot, timeToMaturity, type HedgingProblem } from '../hedging/problem';
import type { RandomStream } from '../random/stream';

export const DEEP_HEDGER_FEATURES = ['log_moneyness', 'expiry_time', 'volatility', 'prev_hedge'] as const;
const MARKET_FEATURES = 3;

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
      const spot = rebalancingSpot(p);
      const [n, steps] = spot.shape;
      const w0 = this.mlp.weights[0];
      const units = w0.shape[1]!;
      const marketW = w0.slice([0, 0], [MARKET_FEATURES, units]);
      const prevW = w0.slice([MARKET_FEATURES, 0], [1, units]);
      const features = tf.stack(
        [tf.log(tf.div(spot, p.strike)), tf.broadcastTo(timeToMaturity(p), [n, steps]), tf.fill([n, steps], p.sigma)],
        2,
      );
      const marketPart = tf
        .add(tf.matMul(features.reshape([n * steps, MARKET_FEATURES]), marketW), this.mlp.biases[0])
        .reshape([n, steps, units]);
      const perDate = tf.unstack(marketPart, 1) as tf.Tensor2D[];
      let prev: tf.Tensor2D = tf.zeros([n, 1]);
      const held: tf.Tensor2D[] = [];
      for (let t = 0; t < steps; t++) {
        prev = this.mlp.fromFirstPreActivation(tf.add(perDate[t], tf.matMul(prev, prevW)) as tf.Tensor2D);
        held.push(prev);
      }
      return tf.concat(held, 1) as tf.Tensor2D;
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
