/**
 * PPO of paper 000 eq. 42 (Schulman et al. 2017), the feed-forward baseline of §4.4, in Stable-Baselines3's
 * form: each update rolls out every episode with the current policy (rollout.ts), estimates GAE advantages
 * and lambda-returns (advantage.ts, eq. 33/38), then makes `epochs` shuffled passes over the transitions in
 * minibatches, each one Adam step (SB3's eps 1e-5) on
 *   L = -E[min(rho A^, clip(rho, 1 - eps, 1 + eps) A^)] - c_ent E[H(pi)] + c_vf E[(V(s) - V^target)^2],
 * rho = pi(a | s) / pi_old(a | s), A^ the advantages normalised within the minibatch (SB3's
 * normalize_advantage), the gradient clipped to max_grad_norm. No value-function clipping (SB3's
 * clip_range_vf = None). The clipped surrogate is shared with RPPO (rppo.ts), the rollout and the ratio
 * diagnostics (approximate KL as SB3's (rho - 1) - ln rho, clip fraction) with every on-policy agent (on-policy.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { AgentFigures } from '../experiment/events';
import type { RlStrategy } from '../experiment/schema';
import { clippedStep, FeedForwardActorCritic, type AgentStreams } from './actor-critic';
import type { HedgingEnvironment } from './hedging-environment';
import { gatherTransitions, logProbAndEntropy, OnPolicyAgent } from './on-policy';
import { minibatches } from './rollout';

type Ppo = Extract<RlStrategy, { type: 'ppo' }>;

/** -E[min(rho A, clip(rho, 1 - eps, 1 + eps) A)] with rho = exp(ln pi - ln pi_old) (eq. 36/42). */
export function clippedSurrogate(logProb: tf.Tensor1D, oldLogProb: tf.Tensor1D, advantages: tf.Tensor1D, clip: number): tf.Scalar {
  return tf.tidy(() => {
    const ratio = tf.exp(tf.sub(logProb, oldLogProb));
    const clipped = tf.clipByValue(ratio, 1 - clip, 1 + clip);
    return tf.neg(tf.mean(tf.minimum(tf.mul(ratio, advantages), tf.mul(clipped, advantages)))) as tf.Scalar;
  });
}

/** (A - mean A) / (std A + 1e-8) over a minibatch (SB3's normalize_advantage; unchanged for one sample). */
export function normaliseAdvantages(a: tf.Tensor1D): tf.Tensor1D {
  if (a.shape[0] < 2) return a.clone();
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(a);
    const n = a.shape[0];
    return tf.div(tf.sub(a, mean), tf.add(tf.sqrt(tf.mul(variance, n / (n - 1))), 1e-8)) as tf.Tensor1D;
  });
}

export class PpoAgent extends OnPolicyAgent {
  private readonly optimizer: tf.AdamOptimizer;

  constructor(
    private readonly s: Ppo,
    stateSize: number,
    streams: AgentStreams,
  ) {
    const { min, max } = s.rl.bounds;
    super(new FeedForwardActorCritic(stateSize, s.network.layers, s.network.units, (min + max) / 2, streams), streams, s.rl.gamma);
    this.optimizer = tf.train.adam(s.rl.learningRate, 0.9, 0.999, 1e-5);
  }

  update(env: HedgingEnvironment, update: number, rewardScale: number): Promise<AgentFigures> {
    const { ppo } = this.s;
    return this.learnFrom(env, update, rewardScale, ppo.lambda, ppo.clip, (t) => {
      const variables = [...this.net.actorVariables, ...this.net.criticVariables];
      for (let epoch = 1; epoch <= ppo.epochs; epoch++) {
        for (const index of minibatches(env.steps * env.paths, ppo.minibatch, this.streams('batch', update, epoch))) {
          tf.tidy(() => {
            const b = gatherTransitions(t, index);
            const advantages = normaliseAdvantages(b.advantages);
            clippedStep(
              this.optimizer,
              () => {
                const { logProb, entropy } = logProbAndEntropy(this.net, b);
                const policyLoss = clippedSurrogate(logProb, b.logProbs, advantages, ppo.clip);
                const valueLoss = tf.mean(tf.square(tf.sub(this.net.value(b.inputs), b.returns)));
                return tf.addN([policyLoss, tf.mul(-ppo.entropy, tf.mean(entropy)), tf.mul(ppo.valueCoef, valueLoss)]) as tf.Scalar;
              },
              variables,
              ppo.maxGradNorm,
            );
          });
        }
      }
    });
  }

  protected disposeOptimisers(): void {
    this.optimizer.dispose();
  }
}
