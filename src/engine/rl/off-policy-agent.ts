/**
 * What DDPG, TD3 and SAC (paper 000 §4.4, eq. 43-45) share, run as Stable-Baselines3 runs them with
 * train_freq 1. Actions live in a normalised space [-1, 1], mapped affinely to the position bounds:
 *   position = min + (a + 1) (max - min) / 2.
 * One update is one episode of every path of the environment (eq. 20-22): at each step t the state
 * s_t = env.state(t, position_{t-1}), the behaviour action a_t, and then `gradientSteps` gradient steps on
 * minibatches of the replay buffer once it holds `learningStarts` transitions (and at least one). The reward
 * is 0 before maturity and rewardScale * (-PV_T^2) at the last step (eq. 21), known only when the episode
 * ends, so the episode's n T transitions enter the buffer then, done = 1 at t = T - 1 (its next state is
 * never used, and stored as zeros). While the buffer holds fewer than `learningStarts` transitions the
 * behaviour actions are uniform on [-1, 1] (Stable-Baselines3's warm-up). The figures are those of the
 * update's last gradient step.
 */
import * as tf from '@tensorflow/tfjs';
import type { AgentFigures } from '../experiment/events';
import type { RlStrategy } from '../experiment/schema';
import type { RandomStream } from '../random/stream';
import type { RlAgent } from './agent';
import type { HedgingEnvironment, PositionBounds } from './hedging-environment';
import { ReplayBuffer, type TransitionBatch } from './replay-buffer';
import { childStream } from '../random/stream';
import { StreamCursor } from './stream-cursor';

/** The replay settings every off-policy agent has (schema.ts offPolicyFields). */
export interface OffPolicySettings {
  buffer: number;
  batchSize: number;
  tau: number;
  learningStarts: number;
  gradientSteps: number;
}

export type RlSettings = RlStrategy['rl'];

/** Figures of one gradient step, as scalars on the device (read once per update). */
export type StepFigures = Partial<Record<keyof AgentFigures, tf.Scalar>>;

/** [m] positions of normalised actions [m, 1]. */
export function positionOf(actions: tf.Tensor2D, bounds: PositionBounds): tf.Tensor1D {
  return tf.tidy(() => tf.add(tf.mul(tf.add(actions, 1), (bounds.max - bounds.min) / 2), bounds.min).reshape([-1]) as tf.Tensor1D);
}

/** The Adam of Stable-Baselines3 (PyTorch's: betas 0.9, 0.999, eps 1e-8). */
export function adam(learningRate: number): tf.AdamOptimizer {
  return tf.train.adam(learningRate, 0.9, 0.999, 1e-8);
}

export abstract class OffPolicyAgent implements RlAgent {
  readonly buffer: ReplayBuffer;
  private last: StepFigures = {};
  private readonly warmUp: StreamCursor;

  constructor(
    protected readonly rl: RlSettings,
    protected readonly settings: OffPolicySettings,
    readonly stateSize: number,
    rng: RandomStream,
  ) {
    this.buffer = new ReplayBuffer(settings.buffer, stateSize, new StreamCursor(childStream(rng, 'replay')));
    this.warmUp = new StreamCursor(childStream(rng, 'warm-up'));
  }

  /** [m, 1] uniform actions on [-1, 1]. */
  private uniformActions(m: number): tf.Tensor2D {
    return tf.tensor2d(Float32Array.from(this.warmUp.uniforms(m), (u) => 2 * u - 1), [m, 1]);
  }

  /** [m, 1] behaviour actions in [-1, 1] for states [m, S] (exploration included). */
  protected abstract explore(states: tf.Tensor2D): tf.Tensor2D;
  /** [m, 1] greedy actions in [-1, 1]. */
  protected abstract greedy(states: tf.Tensor2D): tf.Tensor2D;
  /** One gradient step of the algorithm on a minibatch; its figures stay on the device. */
  abstract gradientStep(batch: TransitionBatch): StepFigures;
  /** Figures that are not a gradient step's (the exploration noise, the temperature). */
  protected abstract ownFigures(): Promise<AgentFigures>;
  /** Every variable and optimiser the algorithm owns. */
  protected abstract disposeNetworks(): void;

  async update(env: HedgingEnvironment, _update: number, rewardScale: number): Promise<AgentFigures> {
    const { paths: n, steps: T, stateSize: S } = env;
    const bounds = env.options.bounds;
    const states: tf.Tensor2D[] = [];
    const actions: tf.Tensor2D[] = [];
    const positions: tf.Tensor1D[] = [];
    const ready = () => this.buffer.size > 0 && this.buffer.size >= this.settings.learningStarts;
    const none = tf.zeros([n]) as tf.Tensor1D;
    try {
      for (let t = 0; t < T; t++) {
        const s = env.state(t, positions[t - 1] ?? none);
        states.push(s);
        const a = this.buffer.size < this.settings.learningStarts ? this.uniformActions(n) : this.explore(s);
        actions.push(a);
        positions.push(positionOf(a, bounds));
        if (!ready()) continue;
        for (let k = 0; k < this.settings.gradientSteps; k++) this.learn();
      }
      const [s, a, r] = tf.tidy(() => [tf.stack(states), tf.stack(actions), tf.mul(env.terminalReward(tf.stack(positions, 1) as tf.Tensor2D), rewardScale)]);
      const [sHost, aHost, rHost] = (await Promise.all([s.data(), a.data(), r.data()])) as Float32Array[];
      tf.dispose([s, a, r]);
      const rewards = new Float32Array(n * T);
      rewards.set(rHost, (T - 1) * n);
      const done = new Float32Array(n * T).fill(1, (T - 1) * n);
      const next = new Float32Array(n * T * S);
      next.set(sHost.subarray(n * S));
      this.buffer.push({ states: sHost, actions: aHost, rewards, next, done });
    } finally {
      tf.dispose([none, ...states, ...actions, ...positions]);
    }
    return this.figures();
  }

  private learn(): void {
    const batch = this.buffer.sample(this.settings.batchSize);
    try {
      const figures = this.gradientStep(batch);
      tf.dispose(Object.values(this.last));
      this.last = figures;
    } finally {
      tf.dispose(Object.values(batch));
    }
  }

  private async figures(): Promise<AgentFigures> {
    const keys = Object.keys(this.last) as (keyof AgentFigures)[];
    const values = await Promise.all(keys.map((k) => this.last[k]!.data()));
    const out: AgentFigures = await this.ownFigures();
    keys.forEach((k, i) => (out[k] = values[i][0]));
    tf.dispose(Object.values(this.last));
    this.last = {};
    return out;
  }

  act(env: HedgingEnvironment): tf.Tensor2D {
    return tf.tidy(() => {
      const columns: tf.Tensor1D[] = [];
      for (let t = 0; t < env.steps; t++) {
        const s = env.state(t, columns[t - 1] ?? tf.zeros([env.paths]));
        columns.push(positionOf(this.greedy(s), env.options.bounds));
      }
      return env.clip(tf.stack(columns, 1) as tf.Tensor2D);
    });
  }

  holding(env: HedgingEnvironment, features: tf.Tensor2D, previous: tf.Tensor1D): tf.Tensor1D {
    return tf.tidy(() => env.clip(positionOf(this.greedy(env.stateOf(features, previous)), env.options.bounds)));
  }

  dispose(): void {
    tf.dispose(Object.values(this.last));
    this.last = {};
    this.disposeNetworks();
  }
}
