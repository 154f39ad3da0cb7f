/**
 * Training the forecaster (paper 000 §2): Adam on the Gaussian NLL of eq. 6 over windows of L context days and
 * H target days (teacher forcing), Market Value Dropout (eq. 7) drawn afresh for each batch, on a
 * chronological split: training windows have every day in the training range; validation windows have their
 * targets in the validation range (their context may reach back into training, as a forecast would). After
 * each epoch the validation NLL is measured; training stops when it has not improved for `patience` epochs, and
 * the weights of the best epoch are restored (early stopping). Each batch yields a turn (the caller's chance to
 * let a Stop through and show progress), each epoch its NLLs. A non-finite loss ends training with a message;
 * an aborted signal ends it after the current batch.
 */
import * as tf from '@tensorflow/tfjs';
import { stream } from '../random/stream';
import { PackedAdam } from '../trainers/packed-adam';
import type { ReturnSplit } from './baseline-forecasts';
import { gaussianNllLoss } from './gaussian-likelihood';
import { marketValueDropoutMask } from './market-value-dropout';
import { returnWindows } from './return-windows';
import type { SpatioTemporalForecaster } from './spatio-temporal-forecaster';

export interface ForecasterTraining {
  context: number;
  horizon: number;
  batchSize: number;
  epochs: number;
  learningRate: number;
  patience: number;
  /** Market Value Dropout's p and tau (eq. 7), and each asset's market value (equal when the data have no volume). */
  dropout: { p: number; tau: number; marketValue: number[] };
  seed: number;
}

export interface ForecasterEpoch {
  kind: 'epoch';
  epoch: number;
  trainNll: number;
  validationNll: number;
  best: boolean;
}

/** A batch done: the caller's turn to let messages through (a Stop), and to show progress within the epoch. */
export interface ForecasterBatch {
  kind: 'batch';
  epoch: number;
  batch: number;
  batches: number;
}

/** Window starts s of [s, s + L + H) whose targets s + L .. s + L + H - 1 lie in [from, to). */
function windowStarts(from: number, to: number, context: number, horizon: number): number[] {
  const starts: number[] = [];
  for (let s = Math.max(0, from - context); s + context + horizon <= to; s++) starts.push(s);
  return starts;
}

export async function* trainForecaster(
  model: SpatioTemporalForecaster,
  /** channels[i][k][t]: eq. 2's channels of every asset (log-returns.ts). */
  channels: Float64Array[][],
  split: ReturnSplit,
  o: ForecasterTraining,
  signal?: AbortSignal,
): AsyncGenerator<ForecasterEpoch | ForecasterBatch> {
  const { context, horizon } = o;
  const length = context + horizon;
  const trainStarts = windowStarts(0, split.trainEnd, context, horizon);
  const validationStarts = windowStarts(split.trainEnd, split.validationEnd, context, horizon);
  if (!trainStarts.length || !validationStarts.length) {
    throw new RangeError(`forecaster training: ${context} context and ${horizon} target days need more training and validation days than the split gives`);
  }
  // Adam on every weight at once: a handful of kernels a step, not ten per variable (a dispatch each on WebGPU).
  const optimiser = new PackedAdam(model.variables, o.learningRate);
  const order = stream(o.seed, 'forecaster', 'batches');
  const masks = stream(o.seed, 'forecaster', 'dropout');
  const validation = returnWindows(channels, validationStarts, length);
  const validationTargets = validation.slice([0, context, 0, 0], [-1, -1, -1, -1]);
  let best = Infinity;
  let bestWeights: tf.Tensor[] | null = null;
  let waited = 0;
  let batchIndex = 0;
  try {
    for (let epoch = 1; epoch <= o.epochs && !signal?.aborted; epoch++) {
      const u = order.uniforms(new Float64Array(trainStarts.length), (epoch - 1) * trainStarts.length);
      const shuffled = trainStarts.map((s, k) => [u[k]!, s] as const).sort((a, b) => a[0] - b[0]).map(([, s]) => s);
      let sum = 0;
      let batches = 0;
      for (let b = 0; b < shuffled.length && !signal?.aborted; b += o.batchSize) {
        const batch = returnWindows(channels, shuffled.slice(b, b + o.batchSize), length);
        const mask = tf.tensor1d(marketValueDropoutMask(o.dropout.marketValue, o.dropout.p, o.dropout.tau, masks, batchIndex++));
        const cost = optimiser.minimize(() => {
          const { mu, sigma } = model.apply(batch, context, { mask, dropoutSeed: o.seed * 1_000_003 + batchIndex });
          return gaussianNllLoss(mu, sigma, batch.slice([0, context, 0, 0], [-1, -1, -1, -1]));
        });
        const value = (await cost.data())[0]!;
        tf.dispose([batch, mask, cost]);
        if (!Number.isFinite(value)) throw new Error(`forecaster training: the loss became ${value} at epoch ${epoch}; try a smaller learning rate`);
        sum += value;
        batches++;
        yield { kind: 'batch', epoch, batch: batches, batches: Math.ceil(shuffled.length / o.batchSize) };
      }
      // Stopped mid-epoch: no score for a partial epoch.
      if (signal?.aborted) break;
      const { mu, sigma } = model.apply(validation, context);
      const nll = gaussianNllLoss(mu, sigma, validationTargets);
      const validationNll = (await nll.data())[0]!;
      tf.dispose([mu, sigma, nll]);
      const improved = validationNll < best;
      if (improved) {
        best = validationNll;
        tf.dispose(bestWeights ?? []);
        bestWeights = model.variables.map((v) => tf.clone(v));
        waited = 0;
      } else waited++;
      yield { kind: 'epoch', epoch, trainNll: sum / Math.max(1, batches), validationNll, best: improved };
      if (waited >= o.patience) break;
    }
    if (bestWeights) model.variables.forEach((v, k) => v.assign(bestWeights![k]!));
  } finally {
    tf.dispose([validation, validationTargets, ...(bestWeights ?? [])]);
    optimiser.dispose();
  }
}
