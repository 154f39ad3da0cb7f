/**
 * Pathwise deep-hedging training (Buehler et al.; paper 001 §3, eq. 9): minimise the risk measure of the
 * terminal P&L over the policy's parameters by Adam on the exact gradient of the Monte Carlo objective,
 * back-propagated through the whole hedging path. Each epoch draws its training paths (fresh every epoch
 * or one fixed set), shuffles them with the strategy's own stream and takes one Adam step per mini-batch.
 * Every step runs inside tf.tidy; the paths of an epoch live on the device; one scalar is read back per
 * step, asynchronously, to report the loss and stop on a NaN.
 */
import * as tf from '@tensorflow/tfjs';
import type { RandomStream } from '../random/stream';

export interface PathwiseTraining {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Number of training paths per epoch and values per path (its packed row: prices, state...). */
  pathCount: number;
  columns: number;
  /** Training paths of an epoch, row-major [pathCount, columns]; `null` reuses the previous epoch's. */
  paths(epoch: number): Float32Array | null;
  /** Scalar loss of a batch of paths [b, columns]. */
  loss(paths: tf.Tensor2D): tf.Scalar;
  variables: tf.Variable[];
  /** Stream that orders each epoch's mini-batches. */
  shuffle(epoch: number): RandomStream;
  signal?: AbortSignal;
}

export type TrainingEvent =
  | { kind: 'step'; epoch: number; step: number; stepsPerEpoch: number; loss: number }
  | { kind: 'epoch'; epoch: number; loss: number; seconds: number };

export class NonFiniteLossError extends Error {}

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
  const optimizer = tf.train.adam(spec.learningRate);
  const batches = stepsPerEpoch(spec.pathCount, spec.batchSize);
  const started = performance.now();
  let epochPaths: tf.Tensor2D | null = null;
  try {
    for (let epoch = 1; epoch <= spec.epochs; epoch++) {
      const fresh = spec.paths(epoch);
      if (fresh) {
        epochPaths?.dispose();
        epochPaths = tf.tensor2d(fresh, [spec.pathCount, spec.columns]);
      }
      const paths = epochPaths!;
      const order = batches > 1 ? permutation(spec.pathCount, spec.shuffle(epoch)) : null;
      let total = 0;
      for (let b = 0; b < batches; b++) {
        if (spec.signal?.aborted) return;
        const lossTensor = tf.tidy(() => {
          const batch = order
            ? tf.gather(paths, tf.tensor1d(order.subarray(b * spec.batchSize, (b + 1) * spec.batchSize), 'int32'))
            : paths;
          return optimizer.minimize(() => spec.loss(batch as tf.Tensor2D), true, spec.variables)!;
        });
        const loss = (await lossTensor.data())[0];
        lossTensor.dispose();
        if (!Number.isFinite(loss)) {
          throw new NonFiniteLossError(
            `the training loss became ${loss} at epoch ${epoch}, step ${b + 1}: lower the learning rate or the risk aversion`,
          );
        }
        total += loss;
        yield { kind: 'step', epoch, step: b + 1, stepsPerEpoch: batches, loss };
      }
      yield { kind: 'epoch', epoch, loss: total / batches, seconds: (performance.now() - started) / 1000 };
    }
  } finally {
    epochPaths?.dispose();
    optimizer.dispose();
  }
}
