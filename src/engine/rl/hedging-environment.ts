/**
 * The hedging environment of paper 000 §3.1-3.2, vectorised over every path of a hedging problem at once:
 *   state   s_t = (S_t / K, T - t, a_{t-1})                                   (eq. 20)
 *           (plus the market's own features, the problem's third feature on, when asked)
 *   action  a_t = the position in the underlying, clipped to [min, max]      (§4.2: long only, [0, 1])
 *   step    s_{t+1} from the market's path (eq. 22): the paths are the problem's, drawn beforehand
 *   reward  r_t = 0 for t < T - 1 and r_{T-1} = -PV_T^2 at maturity            (eq. 21)
 *   PV_T    = V_0 - V_T + sum_t a_t (S_{t+1} - S_t) - sum_t c S_t |a_t - a_{t-1}|   (eq. 17, hedging/pnl.ts)
 * Inputs are standardised as networks like them, an affine map of eq. 20's state: (S_t/K - 1) / (sigma
 * sqrt(T)), (T - t) / T and a_{t-1}, with sigma the market's reference volatility. For a cliquet "S_t / K"
 * is S_t over the spot at the last reset (the problem's log_moneyness feature). Positions in the other
 * instruments are zero: the agents trade the underlying, as the paper's.
 */
import * as tf from '@tensorflow/tfjs';
import { hedgingPnl } from '../hedging/pnl';
import type { HedgingProblem } from '../hedging/problem';

export interface PositionBounds {
  min: number;
  max: number;
}

export interface EnvironmentOptions {
  bounds: PositionBounds;
  /** Add the problem's features beyond log_moneyness and expiry_time to the state. */
  marketFeatures: boolean;
  /** The market's reference volatility (holding-surface.ts referenceVolatility), for the moneyness input's scale. */
  volatility: number;
}

export class HedgingEnvironment {
  /** Number of paths (episodes) simulated together. */
  readonly paths: number;
  /** T: decisions per episode. */
  readonly steps: number;
  readonly stateSize: number;
  private readonly maturity: number;
  private readonly moneynessScale: number;

  constructor(
    readonly problem: HedgingProblem,
    readonly options: EnvironmentOptions,
  ) {
    const [steps, paths, features] = problem.features.shape;
    this.steps = steps;
    this.paths = paths;
    this.stateSize = 3 + (options.marketFeatures ? features - 2 : 0);
    this.maturity = problem.steps * problem.dt;
    this.moneynessScale = 1 / Math.max(1e-3, options.volatility * Math.sqrt(this.maturity));
  }

  /** [m, stateSize] states of feature rows [m, F] (the problem's feature layout) with previous positions [m]. */
  stateOf(features: tf.Tensor2D, previous: tf.Tensor1D): tf.Tensor2D {
    return tf.tidy(() => {
      const [m, f] = features.shape;
      const moneyness = tf.mul(tf.sub(tf.exp(features.slice([0, 0], [m, 1])), 1), this.moneynessScale);
      const left = tf.div(features.slice([0, 1], [m, 1]), this.maturity);
      const parts = [moneyness, left, previous.reshape([m, 1])];
      if (this.options.marketFeatures && f > 2) parts.push(features.slice([0, 2], [m, f - 2]));
      return tf.concat(parts, 1) as tf.Tensor2D;
    });
  }

  /** [n, stateSize] s_t of every path given a_{t-1} [n] (0 before the first decision). */
  state(t: number, previous: tf.Tensor1D): tf.Tensor2D {
    return tf.tidy(() => {
      const [, n, f] = this.problem.features.shape;
      const rows = this.problem.features.slice([t, 0, 0], [1, n, f]).reshape([n, f]) as tf.Tensor2D;
      return this.stateOf(rows, previous);
    });
  }

  /** Actions clipped to the position bounds (the environment's, never stored by agents as their samples). */
  clip<T extends tf.Tensor>(actions: T): T {
    return tf.clipByValue(actions, this.options.bounds.min, this.options.bounds.max) as T;
  }

  /** [n] PV_T of eq. 17 for positions [n, T] in the underlying (clipped to the bounds first). */
  terminalValue(positions: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => {
      const held = this.clip(positions);
      return hedgingPnl(this.problem, [held, ...this.problem.instruments.slice(1).map(() => tf.zerosLike(held))]).pnl;
    });
  }

  /** [n] the terminal reward -PV_T^2 of eq. 21 (unscaled). */
  terminalReward(positions: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => tf.neg(tf.square(this.terminalValue(positions))) as tf.Tensor1D);
  }
}
