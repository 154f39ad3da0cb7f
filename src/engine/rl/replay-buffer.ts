/**
 * The replay buffer of the off-policy agents (paper 000 §4.4, eq. 43-45: DDPG, TD3, SAC): a ring of the last
 * `capacity` transitions (s_t, a_t, r_t, s_{t+1}, done_t) kept on the host in Float32Arrays, the oldest
 * overwritten first, and minibatches drawn uniformly with replacement over what it holds (Stable-Baselines3's
 * ReplayBuffer.sample), uploaded to the device as tensors. Actions are one-dimensional (the position in the
 * underlying, in the agents' normalised space [-1, 1]).
 */
import * as tf from '@tensorflow/tfjs';
import type { StreamCursor } from './stream-cursor';

/** m transitions on the host: states and next states row-major [m, stateSize], the rest [m]. */
export interface HostTransitions {
  states: Float32Array;
  actions: Float32Array;
  rewards: Float32Array;
  next: Float32Array;
  done: Float32Array;
}

/** A minibatch on the device: states and next [m, S], actions [m, 1], rewards and done [m]. */
export interface TransitionBatch {
  states: tf.Tensor2D;
  actions: tf.Tensor2D;
  rewards: tf.Tensor1D;
  next: tf.Tensor2D;
  done: tf.Tensor1D;
}

export class ReplayBuffer {
  private readonly data: HostTransitions;
  private head = 0;
  /** Transitions held (at most `capacity`). */
  size = 0;

  constructor(
    readonly capacity: number,
    readonly stateSize: number,
    private readonly draws: StreamCursor,
  ) {
    this.data = {
      states: new Float32Array(capacity * stateSize),
      actions: new Float32Array(capacity),
      rewards: new Float32Array(capacity),
      next: new Float32Array(capacity * stateSize),
      done: new Float32Array(capacity),
    };
  }

  /** Appends m transitions, overwriting the oldest once full. */
  push(t: HostTransitions): void {
    const s = this.stateSize;
    const m = t.actions.length;
    for (let j = 0; j < m; j++) {
      const i = this.head;
      this.data.states.set(t.states.subarray(j * s, (j + 1) * s), i * s);
      this.data.next.set(t.next.subarray(j * s, (j + 1) * s), i * s);
      this.data.actions[i] = t.actions[j];
      this.data.rewards[i] = t.rewards[j];
      this.data.done[i] = t.done[j];
      this.head = (i + 1) % this.capacity;
    }
    this.size = Math.min(this.capacity, this.size + m);
  }

  /** `count` slots drawn uniformly with replacement over the `size` held. */
  sampleIndices(count: number): Int32Array {
    if (this.size === 0) throw new Error('the replay buffer is empty');
    const u = this.draws.uniforms(count);
    const idx = new Int32Array(count);
    for (let k = 0; k < count; k++) idx[k] = Math.min(this.size - 1, Math.floor(u[k] * this.size));
    return idx;
  }

  /** A uniform minibatch of `count` transitions on the device (the caller disposes it). */
  sample(count: number): TransitionBatch {
    const s = this.stateSize;
    const idx = this.sampleIndices(count);
    const b: HostTransitions = {
      states: new Float32Array(count * s),
      actions: new Float32Array(count),
      rewards: new Float32Array(count),
      next: new Float32Array(count * s),
      done: new Float32Array(count),
    };
    for (let k = 0; k < count; k++) {
      const i = idx[k];
      b.states.set(this.data.states.subarray(i * s, (i + 1) * s), k * s);
      b.next.set(this.data.next.subarray(i * s, (i + 1) * s), k * s);
      b.actions[k] = this.data.actions[i];
      b.rewards[k] = this.data.rewards[i];
      b.done[k] = this.data.done[i];
    }
    return {
      states: tf.tensor2d(b.states, [count, s]),
      actions: tf.tensor2d(b.actions, [count, 1]),
      rewards: tf.tensor1d(b.rewards),
      next: tf.tensor2d(b.next, [count, s]),
      done: tf.tensor1d(b.done),
    };
  }
}
