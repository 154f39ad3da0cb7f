/**
 * The action-value network Q(s, a) of DDPG, TD3 and SAC (paper 000 eq. 43-45): an MLP (policies/mlp.ts,
 * ReLU hidden layers) on the state concatenated with the normalised action, one output, as
 * Stable-Baselines3's ContinuousCritic.
 */
import * as tf from '@tensorflow/tfjs';
import { Mlp } from '../policies/mlp';
import type { RandomStream } from '../random/stream';

export class QNetwork {
  readonly mlp: Mlp;

  constructor(stateSize: number, layers: number, units: number, rng: RandomStream) {
    this.mlp = new Mlp(stateSize + 1, layers, units, 1, rng);
  }

  /** [m] Q(s, a) of states [m, S] and actions [m, 1]. */
  value(states: tf.Tensor2D, actions: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => this.mlp.apply(tf.concat([states, actions], 1)).reshape([-1]) as tf.Tensor1D);
  }

  get variables(): tf.Variable[] {
    return this.mlp.variables;
  }

  dispose(): void {
    this.mlp.dispose();
  }
}
