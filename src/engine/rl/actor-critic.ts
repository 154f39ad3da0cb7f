/**
 * The actor-critic networks of paper 000's on-policy agents (§3.3.2 and the baselines of §4.4) as the
 * rollout and the learners see them: a Gaussian policy pi(a | s) = N(mu(s), sigma(s)^2) over the position in
 * the underlying (gaussian-policy.ts) and a state-value critic V(s), both read from the last k states
 * stacked [m, k, S] (k = 1 for a feed-forward agent). The feed-forward pair here is PPO's and A2C's, as
 * Stable-Baselines3's MlpPolicy: separate actor and critic MLPs (policies/mlp.ts, ReLU rather than SB3's
 * tanh) and a state-independent learned log-std; the mean head starts at 0.01 of its drawn weights with the
 * middle of the position bounds as its bias (SB3 scales its policy head by 0.01 too), and the std at
 * INITIAL_STD (SB3 starts at 1, which is the whole long-only range [0, 1]). Optimiser steps clip the
 * gradient to a Euclidean norm, as SB3's max_grad_norm.
 */
import * as tf from '@tensorflow/tfjs';
import { addAll } from '../kernels/add-n';
import { Mlp } from '../policies/mlp';
import type { RandomStream } from '../random/stream';
import { boundedLogStd, rawLogStd } from './gaussian-policy';

/** Standard deviation of a new policy's actions, in units of the claim (positions per option). */
export const INITIAL_STD = 0.2;

/** Named random streams of one agent: stream(seed, 'rl', id, ...parts) (random/stream.ts). */
export type AgentStreams = (...parts: (string | number)[]) => RandomStream;

export interface GaussianActorCritic {
  /** k: states stacked as the input (1: the latest state only). */
  readonly frames: number;
  readonly stateSize: number;
  /** Mean and log-std [m] of the policy at stacked states [m, k, S]. */
  policy(inputs: tf.Tensor3D): { mean: tf.Tensor1D; logStd: tf.Tensor1D };
  /** V(s) [m] at stacked states [m, k, S]. */
  value(inputs: tf.Tensor3D): tf.Tensor1D;
  readonly actorVariables: tf.Variable[];
  readonly criticVariables: tf.Variable[];
  dispose(): void;
}

/** Scales an MLP's output layer by `gain` and sets its bias to `bias` (the starting head of a policy). */
export function initialiseHead(mlp: Mlp, gain: number, bias: number[]): void {
  const last = mlp.weights.length - 1;
  tf.tidy(() => {
    mlp.weights[last].assign(tf.mul(mlp.weights[last], gain));
    mlp.biases[last].assign(tf.tensor1d(bias));
  });
}

export class FeedForwardActorCritic implements GaussianActorCritic {
  readonly frames = 1;
  private readonly actor: Mlp;
  private readonly critic: Mlp;
  private readonly rawStd: tf.Variable<tf.Rank.R0>;

  constructor(readonly stateSize: number, layers: number, units: number, centre: number, streams: AgentStreams) {
    this.actor = new Mlp(stateSize, layers, units, 1, streams('init', 'actor'));
    this.critic = new Mlp(stateSize, layers, units, 1, streams('init', 'critic'));
    initialiseHead(this.actor, 0.01, [centre]);
    this.rawStd = tf.tidy(() => tf.variable(tf.scalar(rawLogStd(INITIAL_STD))));
  }

  get actorVariables(): tf.Variable[] {
    return [...this.actor.variables, this.rawStd];
  }

  get criticVariables(): tf.Variable[] {
    return this.critic.variables;
  }

  policy(inputs: tf.Tensor3D): { mean: tf.Tensor1D; logStd: tf.Tensor1D } {
    return tf.tidy(() => {
      const [m] = inputs.shape;
      const mean = this.actor.apply(inputs.reshape([m, this.stateSize])).reshape([m]) as tf.Tensor1D;
      // Broadcast by addition: tfjs's broadcastTo is a Tile, whose gradient slices dy once per copy (m kernels).
      const logStd = tf.add(tf.zeros([m]), boundedLogStd(this.rawStd)) as tf.Tensor1D;
      return { mean, logStd };
    });
  }

  value(inputs: tf.Tensor3D): tf.Tensor1D {
    return tf.tidy(() => this.critic.apply(inputs.reshape([inputs.shape[0], this.stateSize])).reshape([-1]) as tf.Tensor1D);
  }

  dispose(): void {
    this.actor.dispose();
    this.critic.dispose();
    this.rawStd.dispose();
  }
}

/** Gradients rescaled together to Euclidean norm at most `maxNorm` (0: unchanged), as torch's clip_grad_norm_. */
export function clipByGlobalNorm(grads: tf.NamedTensorMap, maxNorm: number): tf.NamedTensorMap {
  if (maxNorm <= 0) return grads;
  const names = Object.keys(grads);
  const norm = tf.sqrt(addAll(names.map((k) => tf.sum(tf.square(grads[k])))));
  const scale = tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6)));
  return Object.fromEntries(names.map((k) => [k, tf.mul(grads[k], scale)]));
}

/** One optimiser step on `loss` over `variables`, the gradient clipped to norm `maxNorm`. Call inside tf.tidy. */
export function clippedStep(optimizer: tf.Optimizer, loss: () => tf.Scalar, variables: tf.Variable[], maxNorm: number): void {
  const { grads } = tf.variableGrads(loss, variables);
  optimizer.applyGradients(clipByGlobalNorm(grads, maxNorm));
}
