/**
 * A2C of paper 000 eq. 41 (Mnih et al. 2016), a baseline of §4.4, as Stable-Baselines3's A2C: one gradient
 * step per rollout (all its transitions at once) on
 *   L = -E[ln pi(a_t | s_t) A_t] - c_ent E[H(pi)] + c_vf E[(V(s_t) - V_t^target)^2],
 * A_t the GAE advantages (eq. 33; SB3's gae_lambda 1: the Monte Carlo return minus V), not normalised
 * (SB3's normalize_advantage False), the gradient clipped to max_grad_norm, and PyTorch's RMSprop as SB3
 * sets it (alpha 0.99, eps 1e-5 outside the square root, no momentum):
 *   v <- alpha v + (1 - alpha) g^2,   theta <- theta - lr g / (sqrt(v) + eps).
 * (tfjs's rmsprop adds eps inside the square root, which at the tiny squared gradients of a sparse reward
 * is a different step, so the update is written here.)
 */
import * as tf from '@tensorflow/tfjs';
import type { AgentFigures } from '../experiment/events';
import type { RlStrategy } from '../experiment/schema';
import { clipByGlobalNorm, FeedForwardActorCritic, type AgentStreams } from './actor-critic';
import type { HedgingEnvironment } from './hedging-environment';
import { logProbAndEntropy, OnPolicyAgent } from './on-policy';

type A2c = Extract<RlStrategy, { type: 'a2c' }>;

const RMS_ALPHA = 0.99;
const RMS_EPS = 1e-5;

export class A2cAgent extends OnPolicyAgent {
  private readonly variables: tf.Variable[];
  private readonly squares: tf.Variable[];

  constructor(
    private readonly s: A2c,
    stateSize: number,
    streams: AgentStreams,
  ) {
    const { min, max } = s.rl.bounds;
    super(new FeedForwardActorCritic(stateSize, s.network.layers, s.network.units, (min + max) / 2, streams), streams, s.rl.gamma);
    this.variables = [...this.net.actorVariables, ...this.net.criticVariables];
    this.squares = this.variables.map((v) => tf.tidy(() => tf.variable(tf.zerosLike(v), false)));
  }

  update(env: HedgingEnvironment, update: number, rewardScale: number): Promise<AgentFigures> {
    const { a2c, rl } = this.s;
    return this.learnFrom(env, update, rewardScale, a2c.lambda, null, (t) => {
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => {
          const { logProb, entropy } = logProbAndEntropy(this.net, t);
          const policyLoss = tf.neg(tf.mean(tf.mul(logProb, t.advantages)));
          const valueLoss = tf.mean(tf.square(tf.sub(this.net.value(t.inputs), t.returns)));
          return tf.addN([policyLoss, tf.mul(-a2c.entropy, tf.mean(entropy)), tf.mul(a2c.valueCoef, valueLoss)]) as tf.Scalar;
        }, this.variables);
        const clipped = clipByGlobalNorm(grads, a2c.maxGradNorm);
        this.variables.forEach((v, i) => {
          const gi = clipped[v.name];
          const sq = this.squares[i];
          sq.assign(tf.add(tf.mul(RMS_ALPHA, sq), tf.mul(1 - RMS_ALPHA, tf.square(gi))));
          v.assign(tf.sub(v, tf.mul(rl.learningRate, tf.div(gi, tf.add(tf.sqrt(sq), RMS_EPS)))));
        });
      });
    });
  }

  protected disposeOptimisers(): void {
    tf.dispose(this.squares);
  }
}
