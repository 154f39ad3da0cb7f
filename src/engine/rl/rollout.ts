/**
 * Episodes of the hedging environment (hedging-environment.ts) for every path at once (paper 000 Algorithm 2
 * line 2): at each date t the agent sees its last k states stacked (frame stacking, §3.3.2; before the k-th
 * date the first state fills the older frames), samples a_t ~ N(mu, sigma^2) from its Gaussian policy and
 * holds the environment's clip of it; the UNCLIPPED sample and its log-probability are what the learner
 * stores (the ratio of eq. 36/42 is of densities of what was sampled), the held position enters the next
 * state as a_{t-1} (eq. 20). The only reward is -PV_T^2 at maturity (eq. 21), scaled by the family's
 * reward scale. Transitions are laid out date-major (row t n + i is path i at date t).
 */
import * as tf from '@tensorflow/tfjs';
import { permutation } from '../trainers/adam-pathwise';
import type { RandomStream } from '../random/stream';
import type { GaussianActorCritic } from './actor-critic';
import { gaussianLogDensity, gaussianSample } from './gaussian-policy';
import type { HedgingEnvironment } from './hedging-environment';

export interface Rollout {
  /** [T n, k, S] stacked states. */
  inputs: tf.Tensor3D;
  /** [T n] unclipped sampled actions. */
  actions: tf.Tensor1D;
  /** [T n] ln pi_old(a_t | s_t). */
  logProbs: tf.Tensor1D;
  /** [n, T] V_old(s_t). */
  values: tf.Tensor2D;
  /** [n, T] scaled rewards: 0 before maturity, -scale PV_T^2 at the last date. */
  rewards: tf.Tensor2D;
}

/** The last k states [n, k, S], older frames filled with the first state. */
function stack(history: tf.Tensor2D[], frames: number): tf.Tensor3D {
  const t = history.length - 1;
  const window = Array.from({ length: frames }, (_, j) => history[Math.max(0, t - frames + 1 + j)]);
  return tf.stack(window, 1) as tf.Tensor3D;
}

/**
 * Steps the environment with positions chosen from the stacked states; `choose` returns the unclipped action
 * [n] at date t. Returns the stacked inputs of every date and the unclipped actions, [T][n, k, S] and [T][n].
 */
function episode(env: HedgingEnvironment, frames: number, choose: (inputs: tf.Tensor3D, t: number) => tf.Tensor1D): { inputs: tf.Tensor3D[]; actions: tf.Tensor1D[] } {
  const history: tf.Tensor2D[] = [];
  const inputs: tf.Tensor3D[] = [];
  const actions: tf.Tensor1D[] = [];
  let held: tf.Tensor1D = tf.zeros([env.paths]);
  for (let t = 0; t < env.steps; t++) {
    history.push(env.state(t, held));
    const x = stack(history, frames);
    const a = choose(x, t);
    inputs.push(x);
    actions.push(a);
    held = env.clip(a);
  }
  return { inputs, actions };
}

/** [n, T] greedy positions (the policy's mean, clipped) on every path of `env`. */
export function greedyPositions(env: HedgingEnvironment, net: GaussianActorCritic): tf.Tensor2D {
  return tf.tidy(() => {
    const { actions } = episode(env, net.frames, (x) => net.policy(x).mean);
    return env.clip(tf.stack(actions, 1) as tf.Tensor2D);
  });
}

/** [T n, k, S] stacked states of `env` when the positions [n, T] are held (an expert's, for behaviour cloning). */
export function statesAlong(env: HedgingEnvironment, frames: number, positions: tf.Tensor2D): tf.Tensor3D {
  return tf.tidy(() => {
    const held = tf.unstack(env.clip(positions), 1) as tf.Tensor1D[];
    const { inputs } = episode(env, frames, (_x, t) => held[t]);
    return tf.concat(inputs, 0) as tf.Tensor3D;
  });
}

/** One stochastic episode of every path; `noise` holds T n standard normals (date-major). */
export function rollout(env: HedgingEnvironment, net: GaussianActorCritic, noise: Float32Array, rewardScale: number): Rollout {
  const { steps, paths: n } = env;
  if (noise.length !== steps * n) throw new Error(`a rollout needs ${steps * n} normals, got ${noise.length}`);
  return tf.tidy(() => {
    const eps = tf.tensor2d(noise, [steps, n]);
    const logProbs: tf.Tensor1D[] = [];
    const { inputs, actions } = episode(env, net.frames, (x, t) => {
      const { mean, logStd } = net.policy(x);
      const a = gaussianSample(mean, logStd, eps.slice([t, 0], [1, n]).reshape([n])) as tf.Tensor1D;
      logProbs.push(gaussianLogDensity(a.expandDims(1), mean.expandDims(1), logStd.expandDims(1)) as tf.Tensor1D);
      return a;
    });
    const terminal = tf.mul(env.terminalReward(tf.stack(actions, 1) as tf.Tensor2D), rewardScale).reshape([n, 1]);
    const rewards = (steps > 1 ? tf.concat([tf.zeros([n, steps - 1]), terminal], 1) : terminal) as tf.Tensor2D;
    const all = tf.concat(inputs, 0) as tf.Tensor3D;
    return {
      inputs: all,
      actions: tf.concat(actions) as tf.Tensor1D,
      logProbs: tf.concat(logProbs) as tf.Tensor1D,
      values: net.value(all).reshape([steps, n]).transpose() as tf.Tensor2D,
      rewards,
    };
  });
}

/** [n, T] -> [T n] in the rollout's date-major order. */
export function dateMajor(x: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => x.transpose().reshape([-1]) as tf.Tensor1D);
}

/** Index sets of a shuffled pass over `count` transitions in minibatches of `size` (the last may be shorter). */
export function minibatches(count: number, size: number, rng: RandomStream): Int32Array[] {
  const order = permutation(count, rng);
  const out: Int32Array[] = [];
  for (let b = 0; b < count; b += size) out.push(order.subarray(b, Math.min(count, b + size)));
  return out;
}
