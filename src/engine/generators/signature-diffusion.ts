/**
 * Signature diffusion for one asset (paper 003 §3.3; SigDiffusions, Barancikova, Huang and Salvi 2024): the
 * asset's prices cut into segments of `segmentDays` log-returns every `stride` days, each embedded as its
 * standardised log-signature (log-signature-embedding.ts), a score Transformer (score-transformer.ts) trained
 * on those vectors by denoising score matching under the VP SDE (vp-sde.ts) with Adam (and an exponential
 * moving average of its weights, which the generator keeps), new segments sampled
 * by the reverse SDE or the probability-flow ODE and inverted to log-returns, and price paths of any length
 * stitched from independent segments, each starting where the last ended (`stitchSegments`).
 *
 * Resolution: within a segment the inverted path is its chord plus harmonics 1..m-2, so its days move
 * smoothly. With `residuals: 'bootstrap'` each generated segment also gets the daily residuals of a training
 * segment drawn at random: that segment's daily log-returns less those of the inversion of its own embedding,
 * which sum to zero over the segment (the chord is exact; centred where clipping moved it), so the generated
 * increment is kept and the days get the training data's own roughness. `'none'` keeps the smooth inversion.
 */
import * as tf from '@tensorflow/tfjs';
import { childStream, type RandomStream } from '../random/stream';
import { permutation } from '../trainers/adam-pathwise';
import { embedSegment, fitEmbedding, logReturnSegments, segmentFromCoordinates, type LogSignatureEmbedding } from './log-signature-embedding';
import { ScoreTransformer, type ScoreTransformerShape } from './score-transformer';
import { sampling as samplingSteps, scoreMatchingLoss, VP_SDE, type Sampler } from './vp-sde';

/** Training segments below which the score model has nothing to learn from. */
const MIN_SEGMENTS = 64;
/**
 * The generator keeps an exponential moving average of its network's weights over the Adam steps, as score
 * models are usually sampled from (Song et al. 2021; SigDiffusions): the last step's weights alone vary too much
 * from seed to seed (on AAPL, the generated daily std 1.1% or 1.6% against the real 1.6%). About the last 200
 * steps count.
 */
const EMA_DECAY = 0.995;
/** Segments sampled side by side: one chunk is one turn of the sampler between progress reports and Stops. */
const SAMPLE_CHUNK = 512;

/** Training refused the data or diverged: the message says what to change. */
export class GeneratorTrainingError extends Error {}

export interface SignatureDiffusionSettings {
  /** Log-signature depth m: harmonics 0..m-2 per segment. */
  depth: number;
  segmentDays: number;
  stride: number;
  network: Omit<ScoreTransformerShape, 'coordinates'>;
  training: { epochs: number; batchSize: number; learningRate: number };
  residuals: 'bootstrap' | 'none';
}

export interface SamplingSettings {
  steps: number;
  sampler: Sampler;
}

/** What training yields: a turn after every batch (progress, Stop), and each epoch's mean loss. */
export type DiffusionProgress =
  | { kind: 'batch'; epoch: number; batch: number; batches: number }
  | { kind: 'epoch'; epoch: number; epochs: number; /** Mean score-matching loss over the epoch's batches. */ loss: number; seconds: number };

/** What a generator is, less its network's weights: enough to rebuild it (generator files). */
export interface SignatureDiffusionState {
  settings: SignatureDiffusionSettings;
  embedding: LogSignatureEmbedding;
  /** The training segments' daily residuals, one row of `segmentDays` per segment. */
  residuals: Float64Array;
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

/** Segments of `prices` with a price on each of their days (a gap in imported data breaks the segments across it). */
export function completeSegments(prices: ArrayLike<number>, settings: Pick<SignatureDiffusionSettings, 'segmentDays' | 'stride'>): Float64Array[] {
  return logReturnSegments(prices, settings.segmentDays, settings.stride).filter((s) => s.every(Number.isFinite));
}

export class SignatureDiffusion {
  private constructor(
    readonly state: SignatureDiffusionState,
    readonly net: ScoreTransformer,
  ) {}

  get settings(): SignatureDiffusionSettings {
    return this.state.settings;
  }

  /** A generator from its state and its network's variables' values, in `net.variables` order (generator files). */
  static restore(state: SignatureDiffusionState, weights: readonly Float32Array[], rng: RandomStream): SignatureDiffusion {
    const net = new ScoreTransformer({ coordinates: state.embedding.varying.length, ...state.settings.network }, rng);
    const variables = net.variables;
    if (weights.length !== variables.length || weights.some((w, i) => w.length !== variables[i]!.size)) {
      net.dispose();
      throw new Error(`the weights do not fit a score network of this shape (${variables.length} variables of ${variables.map((v) => v.size).join(', ')} values)`);
    }
    variables.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(weights[i]!, v.shape))));
    return new SignatureDiffusion(state, net);
  }

  /** Trains on `prices`, yielding after each batch and each epoch's loss; returns the generator (the caller disposes it). Stops between batches on `signal`. */
  static async *train(prices: ArrayLike<number>, settings: SignatureDiffusionSettings, rng: RandomStream, signal?: AbortSignal): AsyncGenerator<DiffusionProgress, SignatureDiffusion | null> {
    const segments = completeSegments(prices, settings);
    if (segments.length < MIN_SEGMENTS) {
      throw new GeneratorTrainingError(`${prices.length} prices give ${segments.length} complete segments of ${settings.segmentDays} days: too few to train on (at least ${MIN_SEGMENTS})`);
    }
    const { embedding, coordinates } = fitEmbedding(segments, settings.depth);
    const residuals = new Float64Array(segments.length * settings.segmentDays);
    segments.forEach((s, j) => {
      const smooth = segmentFromCoordinates(coordinates[j]!, embedding);
      const row = residuals.subarray(j * s.length, (j + 1) * s.length);
      s.forEach((x, i) => (row[i] = x - (i > 0 ? s[i - 1]! : 0) - (smooth[i]! - (i > 0 ? smooth[i - 1]! : 0))));
      // A clipped segment's inversion misses its increment: its residuals are centred to sum to zero all the same.
      const mean = row.reduce((a, b) => a + b, 0) / row.length;
      row.forEach((r, i) => (row[i] = r - mean));
    });
    const d = coordinates[0]!.length;
    const net = new ScoreTransformer({ coordinates: d, ...settings.network }, childStream(rng, 'network'));
    const data = tf.tensor2d(Float32Array.from(coordinates.flatMap((c) => Array.from(c))), [coordinates.length, d]);
    const optimizer = tf.train.adam(settings.training.learningRate);
    const noise = childStream(rng, 'dsm');
    const score = net.score(VP_SDE);
    const { epochs, batchSize } = settings.training;
    const perEpoch = Math.max(1, Math.floor(coordinates.length / batchSize));
    const average = net.variables.map((v) => tf.tidy(() => tf.variable(v.clone(), false)));
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
          // Bias-free from the start: the first steps weigh as much as their count allows.
          const decay = Math.min(EMA_DECAY, draw / (draw + 9));
          tf.tidy(() => net.variables.forEach((v, i) => average[i]!.assign(tf.add(tf.mul(average[i]!, decay), tf.mul(v, 1 - decay)))));
          const [value] = await loss.data();
          tf.dispose([rows, batch, loss]);
          if (!Number.isFinite(value)) throw new GeneratorTrainingError(`the score-matching loss became ${value} in epoch ${epoch}: lower the learning rate`);
          total += value!;
          seconds += (performance.now() - started) / 1000;
          yield { kind: 'batch', epoch, batch: b + 1, batches: perEpoch };
        }
        yield { kind: 'epoch', epoch, epochs, loss: total / perEpoch, seconds };
      }
      net.variables.forEach((v, i) => v.assign(average[i]!));
      done = true;
      return new SignatureDiffusion({ settings, embedding, residuals }, net);
    } finally {
      tf.dispose([data, ...average]);
      optimizer.dispose();
      if (!done) net.dispose();
    }
  }

  /**
   * `n` new segments of log-returns, sampled SAMPLE_CHUNK at a time; yields the sampler steps done so far, over
   * every chunk, after each step (a consumer that stops reading stops the sampling there). Chunk k draws from
   * `rng`'s child `chunk-k`.
   */
  async *sampleSegments(n: number, sampling: SamplingSettings, rng: RandomStream): AsyncGenerator<number, Float64Array[]> {
    const d = this.net.shape.coordinates;
    const L = this.settings.segmentDays;
    const rows = this.state.residuals.length / L;
    const out: Float64Array[] = [];
    let steps = 0;
    for (let chunk = 0; out.length < n; chunk++) {
      const m = Math.min(SAMPLE_CHUNK, n - out.length);
      const draws = childStream(rng, `chunk-${chunk}`);
      const run = samplingSteps(VP_SDE, this.net.score(VP_SDE), m, d, sampling.steps, sampling.sampler, childStream(draws, 'sampler'));
      let next = await run.next();
      try {
        for (; !next.done; next = await run.next()) yield ++steps;
      } finally {
        // Stopped between steps: the sampler frees its state.
        if (!next.done) await run.return(undefined as never);
      }
      const values = await next.value.data();
      next.value.dispose();
      const picks = childStream(draws, 'residuals').uniforms(new Float64Array(m));
      for (let j = 0; j < m; j++) {
        const segment = segmentFromCoordinates(values.subarray(j * d, (j + 1) * d), this.state.embedding);
        if (this.settings.residuals === 'bootstrap') {
          const r = Math.floor(picks[j]! * rows) * L;
          let level = 0;
          for (let i = 0; i < L; i++) segment[i] += level += this.state.residuals[r + i]!;
        }
        out.push(segment);
      }
    }
    return out;
  }

  /** Sampler steps `sampleSegments(n)` takes over all its chunks. */
  static samplingSteps(n: number, sampling: SamplingSettings): number {
    return Math.ceil(n / SAMPLE_CHUNK) * sampling.steps;
  }

  /** Segments of every `per` consecutive ones stitched into price paths from 1 over `days` days. */
  static pathsFrom(segments: readonly Float64Array[], per: number, days: number): Float64Array[] {
    return Array.from({ length: Math.floor(segments.length / per) }, (_, j) => stitchSegments(segments.slice(j * per, (j + 1) * per), days));
  }

  /** Segments a path of `days` days takes. */
  segmentsPerPath(days: number): number {
    return Math.ceil(days / this.settings.segmentDays);
  }

  /** The standardised coordinates of a segment of real log-returns (for comparing real and generated ones). */
  coordinatesOf(segment: ArrayLike<number>): Float64Array {
    return embedSegment(segment, this.state.embedding);
  }

  dispose(): void {
    this.net.dispose();
  }
}
