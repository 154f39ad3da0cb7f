/**
 * Behaviour cloning of the expert (paper 000 Algorithm 1, §3.3.1): from the expert's state-action pairs
 * (its positions along the training paths, the states it passes through, stacked k frames as the actor
 * reads them), shuffled minibatches of N_batch pairs, each one Adam step on
 *   Loss_pretrain = Loss_expert + lambda_entropy Loss_entropy                                    (eq. 29)
 *   Loss_expert   = 1/N sum [1/2 ln(2 pi sigma^2(s_i)) + (mu(s_i) - a_i)^2 / (2 sigma^2(s_i))]  (eq. 27)
 *                 = -1/N sum ln pi(a_i | s_i)
 *   Loss_entropy  = -1/(2N) sum ln(2 pi e sigma^2(s_i)) = -1/N sum H(pi(. | s_i))              (eq. 28)
 * The expert's actions are its positions clipped to the bounds (what it holds).
 */
import * as tf from '@tensorflow/tfjs';
import type { AgentFigures } from '../experiment/events';
import type { RandomStream } from '../random/stream';
import type { GaussianActorCritic } from './actor-critic';
import type { ExpertTrajectories } from './agent';
import { gaussianEntropy, gaussianLogDensity } from './gaussian-policy';
import { dateMajor, minibatches, statesAlong } from './rollout';

/** The expert's state-action pairs, date-major [T n]. */
export interface ExpertPairs {
  inputs: tf.Tensor3D;
  actions: tf.Tensor1D;
}

export function expertPairs(expert: ExpertTrajectories, frames: number): ExpertPairs {
  return tf.tidy(() => ({ inputs: statesAlong(expert.env, frames, expert.positions), actions: dateMajor(expert.env.clip(expert.positions)) }));
}

/** Eq. 29 on pairs: -mean ln pi(a | s) - lambda_entropy mean H(pi(. | s)). */
export function behaviourCloningLoss(net: GaussianActorCritic, pairs: ExpertPairs, entropyWeight: number): tf.Scalar {
  return tf.tidy(() => {
    const { mean, logStd } = net.policy(pairs.inputs);
    const logLikelihood = tf.mean(gaussianLogDensity(pairs.actions.expandDims(1), mean.expandDims(1), logStd.expandDims(1)));
    const entropy = tf.mean(gaussianEntropy(logStd.expandDims(1)));
    return tf.neg(tf.add(logLikelihood, tf.mul(entropyWeight, entropy))) as tf.Scalar;
  });
}

/** One epoch of Algorithm 1 over every pair; resolves to the mean minibatch loss and the policy's mean std. */
export async function cloneEpoch(net: GaussianActorCritic, optimizer: tf.Optimizer, pairs: ExpertPairs, batchSize: number, entropyWeight: number, rng: RandomStream): Promise<AgentFigures> {
  const batches = minibatches(pairs.actions.shape[0], batchSize, rng);
  let total: tf.Scalar = tf.scalar(0);
  for (const index of batches) {
    const next = tf.tidy(() => {
      const i = tf.tensor1d(index, 'int32');
      const batch = { inputs: tf.gather(pairs.inputs, i) as tf.Tensor3D, actions: tf.gather(pairs.actions, i) as tf.Tensor1D };
      const loss = optimizer.minimize(() => behaviourCloningLoss(net, batch, entropyWeight), true, net.actorVariables)!;
      return tf.add(total, loss) as tf.Scalar;
    });
    total.dispose();
    total = next;
  }
  const summary = tf.tidy(() => tf.stack([tf.div(total, batches.length), tf.mean(tf.exp(net.policy(pairs.inputs).logStd))]));
  total.dispose();
  const [loss, std] = await summary.data();
  summary.dispose();
  return { bc_loss: loss, policy_std: std };
}
