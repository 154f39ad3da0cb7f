/**
 * What the on-policy agents (PPO, A2C, BC-RPPO) share. An update (paper 000 Algorithm 2) rolls out every
 * episode with the stochastic policy (rollout.ts), estimates GAE advantages (eq. 33) and lambda-returns (eq.
 * 38) with the rollout's critic (advantage.ts), learns from those transitions as the algorithm does, and
 * reports the policy's figures on the whole rollout. The greedy policy, for scoring and holding surfaces, is
 * the Gaussian's mean clipped to the bounds.
 */
import * as tf from '@tensorflow/tfjs';
import type { AgentFigures } from '../experiment/events';
import { generalisedAdvantages } from './advantage';
import type { AgentStreams, GaussianActorCritic } from './actor-critic';
import type { RlAgent } from './agent';
import { gaussianEntropy, gaussianLogDensity, normalNoise } from './gaussian-policy';
import type { HedgingEnvironment } from './hedging-environment';
import { dateMajor, greedyPositions, rollout } from './rollout';

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

/** An on-policy agent: its Gaussian actor-critic, acting greedily, and the rollout-then-learn update. */
export abstract class OnPolicyAgent implements RlAgent {
  constructor(
    readonly net: GaussianActorCritic,
    protected readonly streams: AgentStreams,
    private readonly gamma: number,
  ) {}

  abstract update(env: HedgingEnvironment, update: number, rewardScale: number): Promise<AgentFigures>;

  /** Rolls out `env`, runs `learn` on its transitions (GAE with `lambda`), then the figures (`clip`: the PPO family's ratio diagnostics). */
  protected async learnFrom(env: HedgingEnvironment, update: number, rewardScale: number, lambda: number, clip: number | null, learn: (t: Transitions) => void): Promise<AgentFigures> {
    const t = collect(env, this.net, normalNoise(this.streams('noise', update), env.steps * env.paths), rewardScale, this.gamma, lambda);
    try {
      learn(t);
      return await updateFigures(this.net, t, clip);
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

  /** Frees the optimiser state the agent owns besides its networks. */
  protected abstract disposeOptimisers(): void;

  dispose(): void {
    this.net.dispose();
    this.disposeOptimisers();
  }
}
