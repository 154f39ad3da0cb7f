/**
 * Signature diffusion for one asset (paper 003 §3.3; SigDiffusions, Barancikova, Huang and Salvi 2024): the
 * asset's prices cut into segments of `segmentDays` log-returns every `stride` days, each embedded as its
 * standardised log-signature (log-signature-embedding.ts), a score Transformer (score-transformer.ts) trained
 * on those vectors by denoising score matching under the VP SDE (vp-sde.ts) with Adam, new segments sampled
 * by the reverse SDE or the probability-flow ODE and inverted to log-returns, and price paths of any length
 * stitched from independent segments, each starting where the last ended (`stitchSegments`): within a segment
 * the path is its chord plus m - 2 harmonics, so its days move smoothly, and the joins are where it turns.
 */
import * as tf from '@tensorflow/tfjs';
import { childStream, type RandomStream } from '../random/stream';
import { permutation } from '../trainers/adam-pathwise';
import { embedSegment, fitEmbedding, logReturnSegments, segmentFromCoordinates, type LogSignatureEmbedding } from './log-signature-embedding';
import { ScoreTransformer, type ScoreTransformerShape } from './score-transformer';
import { sample, scoreMatchingLoss, VP_SDE, type Sampler } from './vp-sde';

/** Training segments below which the score model has nothing to learn from. */
const MIN_SEGMENTS = 64;

export interface SignatureDiffusionSettings {
  /** Log-signature depth m: harmonics 0..m-2 per segment. */
  depth: number;
  segmentDays: number;
  stride: number;
  network: Omit<ScoreTransformerShape, 'coordinates'>;
  training: { epochs: number; batchSize: number; learningRate: number };
  sampling: { steps: number; sampler: Sampler };
}

export interface DiffusionEpoch {
  epoch: number;
  epochs: number;
  /** Mean score-matching loss over the epoch's batches. */
  loss: number;
  seconds: number;
}

/**
 * Price paths from 1 over `days` days from consecutive segments of log-returns: segment k carries the path from
 * day k L on, log S_(kL + i) = log S_(kL) + x^(k)_i; the last segment is cut at `days`.
 */
export function stitchSegments(segments: readonly Float64Array[], days: number): Float64Array {
  const out = new Float64Array(days + 1);
  out[0] = 1;
  let level = 0;
  let day = 0;
  for (const segment of segments) {
    for (let i = 0; i < segment.length && day < days; i++) out[++day] = Math.exp(level + segment[i]!);
    level += segment[segment.length - 1]!;
    if (day === days) break;
  }
  if (day < days) throw new Error(`${segments.length} segments of ${segments[0]?.length ?? 0} days cover ${day} days, not ${days}`);
  return out;
}

export class SignatureDiffusion {
  private constructor(
    readonly settings: SignatureDiffusionSettings,
    readonly embedding: LogSignatureEmbedding,
    readonly net: ScoreTransformer,
  ) {}

  /** Trains on `prices`, yielding each epoch's loss; returns the generator (the caller disposes it). Stops between batches on `signal`. */
  static async *train(prices: ArrayLike<number>, settings: SignatureDiffusionSettings, rng: RandomStream, signal?: AbortSignal): AsyncGenerator<DiffusionEpoch, SignatureDiffusion | null> {
    const segments = logReturnSegments(prices, settings.segmentDays, settings.stride);
    if (segments.length < MIN_SEGMENTS) {
      throw new Error(`${prices.length} prices give ${segments.length} segments of ${settings.segmentDays} days: too few to train on (at least ${MIN_SEGMENTS})`);
    }
    const { embedding, coordinates } = fitEmbedding(segments, settings.depth);
    const d = coordinates[0]!.length;
    const net = new ScoreTransformer({ coordinates: d, ...settings.network }, childStream(rng, 'network'));
    const data = tf.tensor2d(Float32Array.from(coordinates.flatMap((c) => Array.from(c))), [coordinates.length, d]);
    const optimizer = tf.train.adam(settings.training.learningRate);
    const noise = childStream(rng, 'dsm');
    const score = net.score(VP_SDE);
    const { epochs, batchSize } = settings.training;
    const perEpoch = Math.max(1, Math.floor(coordinates.length / batchSize));
    let draw = 0;
    let seconds = 0;
    let done = false;
    try {
      for (let epoch = 1; epoch <= epochs; epoch++) {
        const order = permutation(coordinates.length, childStream(rng, `batch-${epoch}`));
        let total = 0;
        for (let b = 0; b < perEpoch; b++) {
          if (signal?.aborted) return null;
          const started = performance.now();
          const rows = tf.tensor1d(order.subarray(b * batchSize, (b + 1) * batchSize), 'int32');
          const batch = tf.gather(data, rows) as tf.Tensor2D;
          const loss = optimizer.minimize(() => scoreMatchingLoss(VP_SDE, score, batch, noise, draw++), true, net.variables)!;
          const [value] = await loss.data();
          tf.dispose([rows, batch, loss]);
          if (!Number.isFinite(value)) throw new Error(`the score-matching loss became ${value} in epoch ${epoch}: lower the learning rate`);
          total += value!;
          seconds += (performance.now() - started) / 1000;
        }
        yield { epoch, epochs, loss: total / perEpoch, seconds };
      }
      done = true;
      return new SignatureDiffusion(settings, embedding, net);
    } finally {
      tf.dispose(data);
      optimizer.dispose();
      if (!done) net.dispose();
    }
  }

  /** `n` new segments of log-returns; `onStep` after each of the sampler's steps. */
  async sampleSegments(n: number, rng: RandomStream, onStep?: (done: number) => Promise<void> | void): Promise<Float64Array[]> {
    const d = this.net.shape.coordinates;
    const { steps, sampler } = this.settings.sampling;
    const x = await sample(VP_SDE, this.net.score(VP_SDE), n, d, steps, sampler, rng, onStep);
    const values = await x.data();
    x.dispose();
    return Array.from({ length: n }, (_, j) => segmentFromCoordinates(values.subarray(j * d, (j + 1) * d), this.embedding));
  }

  /** `n` price paths from 1 over `days` days, each stitched from fresh segments. */
  async samplePaths(n: number, days: number, rng: RandomStream, onStep?: (done: number) => Promise<void> | void): Promise<Float64Array[]> {
    const per = Math.ceil(days / this.settings.segmentDays);
    const segments = await this.sampleSegments(n * per, rng, onStep);
    return Array.from({ length: n }, (_, j) => stitchSegments(segments.slice(j * per, (j + 1) * per), days));
  }

  /** The standardised coordinates of a segment of real log-returns (for comparing real and generated ones). */
  coordinatesOf(segment: ArrayLike<number>): Float64Array {
    return embedSegment(segment, this.embedding);
  }

  dispose(): void {
    this.net.dispose();
  }
}
