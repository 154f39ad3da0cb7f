/**
 * Pathwise deep-hedging training (Buehler et al.; paper 001 §3, eq. 9): minimise the risk measure of the
 * terminal P&L over the policy's parameters on the Monte Carlo objective. Each epoch draws its training paths
 * (fresh every epoch or one fixed set), shuffles them with the strategy's own stream and takes one optimiser
 * step per mini-batch: Adam on the exact gradient back-propagated through the whole hedging path
 * (`adamOptimiser`; DHMLP, DHNTB) or DHLNN's nested linearised iterations (trainers/linearised-nested.ts).
 * The paths of an epoch live on the device; one scalar is read back per step, asynchronously, to report the
 * loss and stop on a NaN, whose message names its cause (nonFiniteLossReason): the paths first, then the
 * scale of the problem when it comes before any update, and only then the learning rate.
 */
import * as tf from '@tensorflow/tfjs';
import { LaunchCounter, type LaunchesPerStep } from '../experiment/kernel-launches';
import { PackedAdam } from './packed-adam';
import type { RandomStream } from '../random/stream';

/** One update of a policy on a batch of packed paths [b, columns]. */
export interface Optimiser {
  /** Updates the parameters; resolves to the batch's loss before the update. */
  step(batch: tf.Tensor2D): Promise<number>;
  dispose(): void;
}

/** Adam on the exact pathwise gradient of `loss` (pfhedge's Hedger.fit; paper 001 §5.1: Adam, 1e-3), its parameters packed (packed-adam.ts). */
export function adamOptimiser(loss: (batch: tf.Tensor2D) => tf.Scalar, variables: tf.Variable[], learningRate: number): Optimiser {
  const adam = new PackedAdam(variables, learningRate);
  return {
    async step(batch) {
      const value = tf.tidy(() => adam.minimize(() => loss(batch)));
      const [v] = await value.data();
      value.dispose();
      return v;
    },
    dispose: () => adam.dispose(),
  };
}

export interface PathwiseTraining {
  epochs: number;
  batchSize: number;
  /** Number of training paths per epoch and values per path (its packed row: prices, state...). */
  pathCount: number;
  columns: number;
  /** Training paths of an epoch, row-major [pathCount, columns]; `null` reuses the previous epoch's. */
  paths(epoch: number): Float32Array | null;
  /** Owned by the caller, which disposes it after training. */
  optimiser: Optimiser;
  /** Stream that orders each epoch's mini-batches. */
  shuffle(epoch: number): RandomStream;
  signal?: AbortSignal;
}

export type TrainingEvent =
  | { kind: 'step'; epoch: number; step: number; stepsPerEpoch: number; loss: number }
  | { kind: 'epoch'; epoch: number; loss: number; seconds: number; launches?: LaunchesPerStep };

export class NonFiniteLossError extends Error {}

/**
 * Why a training loss is not finite, the paths checked first: a value of the epoch's paths that is not finite,
 * then a first batch (its loss comes before any update, so the learning rate played no part), else the steps,
 * with `advice` on what to lower (the recurrent race's optimisers have a trust region in place of risk aversion).
 */
export function nonFiniteLossReason(loss: number, epoch: number, step: number, paths: Float32Array, columns: number, advice = 'lower the learning rate or the risk aversion'): string {
  const at = paths.findIndex((v) => !Number.isFinite(v));
  if (at >= 0) {
    const where = `path ${Math.floor(at / columns) + 1}, value ${(at % columns) + 1} of ${columns}`;
    return `the training loss became ${loss} at epoch ${epoch}, step ${step} because the training paths hold ${paths[at]} (${where}): the market's prices are not finite; lower the volatility or the horizon`;
  }
  if (epoch === 1 && step === 1) {
    const top = paths.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    return (
      `the training loss is ${loss} on the first batch, before any update, so not because of the learning rate: the untrained hedge's P&L on these ` +
      `paths (values up to ${top.toPrecision(3)}) overflows float32 in the risk measure; lower the risk aversion, S0, the volatility or the horizon`
    );
  }
  return `the training loss became ${loss} at epoch ${epoch}, step ${step}: ${advice}`;
}

export function stepsPerEpoch(pathCount: number, batchSize: number): number {
  return Math.ceil(pathCount / batchSize);
}

/** A uniformly random permutation of 0..n-1 (Fisher-Yates on the stream's uniforms). */
export function permutation(n: number, rng: RandomStream): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const u = rng.uniforms(new Float64Array(n));
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(u[i] * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

export async function* trainPathwise(spec: PathwiseTraining): AsyncGenerator<TrainingEvent> {
  const batches = stepsPerEpoch(spec.pathCount, spec.batchSize);
  const started = performance.now();
  let epochPaths: tf.Tensor2D | null = null;
  let hostPaths: Float32Array = new Float32Array(0);
  const launches = new LaunchCounter();
  try {
    for (let epoch = 1; epoch <= spec.epochs; epoch++) {
      const fresh = spec.paths(epoch);
      if (fresh) {
        epochPaths?.dispose();
        epochPaths = tf.tensor2d(fresh, [spec.pathCount, spec.columns]);
        hostPaths = fresh;
      }
      const paths = epochPaths!;
      const order = batches > 1 ? permutation(spec.pathCount, spec.shuffle(epoch)) : null;
      let total = 0;
      for (let b = 0; b < batches; b++) {
        if (spec.signal?.aborted) return;
        const batch = order
          ? tf.tidy(() => tf.gather(paths, tf.tensor1d(order.subarray(b * spec.batchSize, (b + 1) * spec.batchSize), 'int32')) as tf.Tensor2D)
          : paths;
        let loss: number;
        try {
          launches.begin();
          loss = await spec.optimiser.step(batch);
          launches.end();
        } finally {
          if (batch !== paths) batch.dispose();
        }
        if (!Number.isFinite(loss)) throw new NonFiniteLossError(nonFiniteLossReason(loss, epoch, b + 1, hostPaths, spec.columns));
        total += loss;
        yield { kind: 'step', epoch, step: b + 1, stepsPerEpoch: batches, loss };
      }
      yield { kind: 'epoch', epoch, loss: total / batches, seconds: (performance.now() - started) / 1000, launches: launches.perStep() };
    }
  } finally {
    epochPaths?.dispose();
  }
}
