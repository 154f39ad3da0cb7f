/**
 * How many small launches a training step costs (issue 16): tfjs kernel calls on every backend and, on
 * WebGPU, the compute passes it dispatches (tfjs-backend-webgpu's runWebGPUProgram; reshapes, casts to the
 * same type and identities dispatch nothing). On a GPU, and far more under a software adapter, a step's time
 * is mostly its launches, so this is the figure the fused kernels and the batching over time cut. The count
 * wraps the engine's runKernel and the active backend's runWebGPUProgram once, with one increment each.
 */
import * as tf from '@tensorflow/tfjs';

export interface LaunchesPerStep {
  /** Mean tfjs kernel calls per optimiser step (forward, backward and update). */
  kernels: number;
  /** Mean WebGPU compute dispatches per step; null on backends that dispatch no GPU programs. */
  dispatches: number | null;
}

const WRAPPED = Symbol('hedgelab.launches');
let kernels = 0;
let dispatches = 0;

type Wrappable = Record<string, unknown> & { [WRAPPED]?: true };

function wrap(target: Wrappable, method: string, count: () => void): void {
  if (target[WRAPPED] || typeof target[method] !== 'function') return;
  const original = (target[method] as (...args: unknown[]) => unknown).bind(target);
  target[method] = (...args: unknown[]) => {
    count();
    return original(...args);
  };
  target[WRAPPED] = true;
}

/** Kernel calls and WebGPU dispatches so far (dispatches null when the active backend is not WebGPU). */
function launchesSoFar(): { kernels: number; dispatches: number | null } {
  wrap(tf.engine() as unknown as Wrappable, 'runKernel', () => kernels++);
  const backend = tf.backend() as unknown as Wrappable;
  const gpu = typeof backend.runWebGPUProgram === 'function';
  if (gpu) wrap(backend, 'runWebGPUProgram', () => dispatches++);
  return { kernels, dispatches: gpu ? dispatches : null };
}

/** Counts the launches of each step between `begin` and `end`; `perStep` is their mean since the last reset. */
export class LaunchCounter {
  private at = launchesSoFar();
  private steps = 0;
  private kernels = 0;
  private dispatches: number | null = 0;

  begin(): void {
    this.at = launchesSoFar();
  }

  end(): void {
    const now = launchesSoFar();
    this.steps++;
    this.kernels += now.kernels - this.at.kernels;
    this.dispatches = now.dispatches === null || this.at.dispatches === null || this.dispatches === null ? null : this.dispatches + now.dispatches - this.at.dispatches;
  }

  /** The mean over the steps counted since the last reset, then starts a new count. */
  perStep(): LaunchesPerStep | undefined {
    if (this.steps === 0) return undefined;
    const mean = { kernels: this.kernels / this.steps, dispatches: this.dispatches === null ? null : this.dispatches / this.steps };
    this.steps = 0;
    this.kernels = 0;
    this.dispatches = 0;
    return mean;
  }
}
