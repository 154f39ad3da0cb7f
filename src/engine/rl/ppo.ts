/**
 * PPO of paper 000 eq. 42 (Schulman et al. 2017), the feed-forward baseline of §4.4, in Stable-Baselines3's
 * form: each update rolls out every episode with the current policy (rollout.ts), estimates GAE advantages
 * and lambda-returns (advantage.ts, eq. 33/38), then makes `epochs` shuffled passes over the transitions in
 * minibatches, each one Adam step (SB3's eps 1e-5) on
 *   L = -E[min(rho A^, clip(rho, 1 - eps, 1 + eps) A^)] - c_ent E[H(pi)] + c_vf E[(V(s) - V^target)^2],
 * rho = pi(a | s) / pi_old(a | s), A^ the advantages normalised within the minibatch (SB3's
 * normalize_advantage), the gradient clipped to max_grad_norm. No value-function clipping (SB3's
 * clip_range_vf = None). The clipped surrogate and the ratio diagnostics (approximate KL as SB3's
 * (rho - 1) - ln rho, clip fraction) are shared with RPPO (rppo.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { AgentFigures } from '../experiment/events';
import type { RlStrategy } from '../experiment/schema';
import { generalisedAdvantages } from './advantage';
import { clippedStep, FeedForwardActorCritic, type AgentStreams, type GaussianActorCritic } from './actor-critic';
import type { RlAgent } from './agent';
import { gaussianEntropy, gaussianLogDensity, normalNoise } from './gaussian-policy';
import type { HedgingEnvironment } from './hedging-environment';
import { dateMajor, greedyPositions, minibatches, rollout } from './rollout';

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

/** A rollout's transitions as a learner reads them, date-major [T n]. */
export interface Transitions {
  inputs: tf.Tensor3D;
  actions: tf.Tensor1D;
  logProbs: tf.Tensor1D;
  advantages: tf.Tensor1D;
  returns: tf.Tensor1D;
}

/** Rolls out `env` with `net` and estimates GAE(gamma, lambda) and the lambda-returns. */
export function collect(env: HedgingEnvironment, net: GaussianActorCritic, noise: Float32Array, rewardScale: number, gamma: number, lambda: number): Transitions {
  const r = rollout(env, net, noise, rewardScale);
  const { advantages, returns } = generalisedAdvantages(r.rewards, r.values, gamma, lambda);
  const out = { inputs: r.inputs, actions: r.actions, logProbs: r.logProbs, advantages: dateMajor(advantages), returns: dateMajor(returns) };
  tf.dispose([r.values, r.rewards, advantages, returns]);
  return out;
}

export function disposeTransitions(t: Transitions): void {
  tf.dispose([t.inputs, t.actions, t.logProbs, t.advantages, t.returns]);
}

/** The rows `index` of every tensor of the transitions. */
export function gatherTransitions(t: Transitions, index: Int32Array): Transitions {
  return tf.tidy(() => {
    const i = tf.tensor1d(index, 'int32');
    return {
      inputs: tf.gather(t.inputs, i) as tf.Tensor3D,
      actions: tf.gather(t.actions, i) as tf.Tensor1D,
      logProbs: tf.gather(t.logProbs, i) as tf.Tensor1D,
      advantages: tf.gather(t.advantages, i) as tf.Tensor1D,
      returns: tf.gather(t.returns, i) as tf.Tensor1D,
    };
  });
}

/** ln pi(a | s) [m] and the entropy [m] of the current policy at the transitions' states. */
export function logProbAndEntropy(net: GaussianActorCritic, t: Pick<Transitions, 'inputs' | 'actions'>): { logProb: tf.Tensor1D; entropy: tf.Tensor1D } {
  return tf.tidy(() => {
    const { mean, logStd } = net.policy(t.inputs);
    const logProb = gaussianLogDensity(t.actions.expandDims(1), mean.expandDims(1), logStd.expandDims(1)) as tf.Tensor1D;
    return { logProb, entropy: gaussianEntropy(logStd.expandDims(1)) as tf.Tensor1D };
  });
}

/**
 * The figures of the policy after an update, on all the rollout's transitions: its mean std, the critic's
 * squared error to the lambda-returns and, with `clip`, the approximate KL from the rollout's policy and the
 * fraction of ratios outside [1 - clip, 1 + clip]. One read.
 */
export async function updateFigures(net: GaussianActorCritic, t: Transitions, clip: number | null): Promise<AgentFigures> {
  const summary = tf.tidy(() => {
    const { mean, logStd } = net.policy(t.inputs);
    const logProb = gaussianLogDensity(t.actions.expandDims(1), mean.expandDims(1), logStd.expandDims(1));
    const logRatio = tf.sub(logProb, t.logProbs);
    const ratio = tf.exp(logRatio);
    return tf.stack([
      tf.mean(tf.exp(logStd)),
      tf.mean(tf.square(tf.sub(net.value(t.inputs), t.returns))),
      tf.mean(tf.sub(tf.sub(ratio, 1), logRatio)),
      tf.mean(tf.cast(tf.greater(tf.abs(tf.sub(ratio, 1)), clip ?? Infinity), 'float32')),
    ]);
  });
  const [std, valueLoss, kl, clipFraction] = await summary.data();
  summary.dispose();
  return clip === null ? { policy_std: std, value_loss: valueLoss } : { policy_std: std, value_loss: valueLoss, approx_kl: kl, clip_fraction: clipFraction };
}

/** [m] greedy position at feature rows [m, F] with `previous` [m] held, every frame the same state. */
export function holdingOf(net: GaussianActorCritic, env: HedgingEnvironment, features: tf.Tensor2D, previous: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const s = env.stateOf(features, previous);
    const inputs = tf.stack(Array.from({ length: net.frames }, () => s), 1) as tf.Tensor3D;
    return env.clip(net.policy(inputs).mean);
  });
}

export class PpoAgent implements RlAgent {
  private readonly net: FeedForwardActorCritic;
  private readonly optimizer: tf.AdamOptimizer;

  constructor(
    private readonly s: Ppo,
    stateSize: number,
    private readonly streams: AgentStreams,
  ) {
    const { min, max } = s.rl.bounds;
    this.net = new FeedForwardActorCritic(stateSize, s.network.layers, s.network.units, (min + max) / 2, streams);
    this.optimizer = tf.train.adam(s.rl.learningRate, 0.9, 0.999, 1e-5);
  }

  async update(env: HedgingEnvironment, update: number, rewardScale: number): Promise<AgentFigures> {
    const { ppo, rl } = this.s;
    const t = collect(env, this.net, normalNoise(this.streams('noise', update), env.steps * env.paths), rewardScale, rl.gamma, ppo.lambda);
    try {
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
      return await updateFigures(this.net, t, ppo.clip);
    } finally {
      disposeTransitions(t);
    }
  }

  act(env: HedgingEnvironment): tf.Tensor2D {
    return greedyPositions(env, this.net);
  }

  holding(env: HedgingEnvironment, features: tf.Tensor2D, previous: tf.Tensor1D): tf.Tensor1D {
    return holdingOf(this.net, env, features, previous);
  }

  dispose(): void {
    this.net.dispose();
    this.optimizer.dispose();
  }
}
