/**
 * The spatio-temporal Transformer of paper 000 §2.2.2 with its conditioning layers (§2.2.1), forecasting the
 * next day's returns of N assets as Gaussians (eq. 5):
 *   1. each return x_{i,t} in R^C (eq. 2's channels; C = 1 for closes) through the missing-value layer (eq. 8),
 *      then, in training, Market Value Dropout's mask over the assets (eq. 7, applied by the caller's mask);
 *   2. an embedding e_{i,t} = Linear(C -> d)(x_{i,t}) + a learned vector of asset i (drawn N(0, 1));
 *   3. per date, the low-rank attention encoder (eq. 9) compresses the N embeddings into k latent assets,
 *      flattened into one token of width D = k d per date;
 *   4. in that latent space, a Transformer encoder-decoder over time: the encoder's causal blocks read the L
 *      context dates; the decoder reads the H dates before each target (teacher forcing: the realised
 *      returns), with causal self-attention and attention over the encoder's output, so the forecast of
 *      day L + j sees the context and days L .. L + j - 1 only;
 *   5. each decoder token back to k latent rows, the low-rank decoder onto the N assets with their embeddings
 *      of the date before as queries, and a Gaussian head per asset and channel: mu, sigma = softplus + floor.
 * Blocks are post-LN (sigformer.ts's LevelBlock for the encoder; the decoder's adds cross-attention), GELU MLPs
 * of width 2 D; dropout only when a seed is given.
 *
 * Each asset's returns are read in units of a fixed scale s_i (setScale: the training returns' standard
 * deviation, as GluonTS's scalers do; paper 000 is silent), x / s_i in and mu s_i, sigma s_i out, so that the
 * network starts near the data's scale instead of learning a 1 %-a-day sigma through softplus from scratch.
 * The scale is a weight of the model (saved with it) that no optimiser moves.
 */
import * as tf from '@tensorflow/tfjs';
import { childStream, type RandomStream } from '../random/stream';
import { gelu, layerNorm, LevelAttention, LevelBlock, Linear, type Dropout } from '../policies/sigformer';
import { gaussianScale } from './gaussian-likelihood';
import { LowRankAttention } from './low-rank-attention';
import { MissingValueLayer } from './missing-value-layer';

export interface ForecasterShape {
  assets: number;
  channels: number;
  /** k, the latent assets of eq. 9. */
  latents: number;
  /** d, the width of an asset's embedding. */
  width: number;
  heads: number;
  /** Blocks in the encoder, and in the decoder. */
  depth: number;
  dropout: number;
}

/** Causal self-attention, attention over the encoder's output, then the MLP; each with dropout, residual and LayerNorm. */
class DecoderBlock {
  readonly self: LevelAttention;
  /** Attention of the decoder's dates over the encoder's output, unmasked: all of it lies before every target. */
  readonly cross: LevelAttention;
  readonly hidden: Linear;
  readonly back: Linear;
  readonly norms: { gamma: tf.Variable<tf.Rank.R1>; beta: tf.Variable<tf.Rank.R1> }[];

  constructor(width: number, heads: number, rng: RandomStream) {
    this.self = new LevelAttention(width, heads, childStream(rng, 'self'));
    this.cross = new LevelAttention(width, heads, childStream(rng, 'cross'));
    this.hidden = new Linear(width, 2 * width, childStream(rng, 'mlp-in'));
    this.back = new Linear(2 * width, width, childStream(rng, 'mlp-out'));
    this.norms = [0, 1, 2].map(() => tf.tidy(() => ({ gamma: tf.variable(tf.ones([width])) as tf.Variable<tf.Rank.R1>, beta: tf.variable(tf.zeros([width])) as tf.Variable<tf.Rank.R1> })));
  }

  get variables(): tf.Variable[] {
    return [...this.self.variables, ...this.cross.variables, ...this.hidden.variables, ...this.back.variables, ...this.norms.flatMap((m) => [m.gamma, m.beta])];
  }

  apply(x: tf.Tensor3D, memory: tf.Tensor3D, dropout: Dropout): tf.Tensor3D {
    const [first, second, third] = this.norms;
    const attended = layerNorm(tf.add(x, dropout(this.self.apply(x, dropout))), first.gamma, first.beta);
    const crossed = layerNorm(tf.add(attended, dropout(this.cross.attend(attended, memory, false, dropout))), second.gamma, second.beta);
    const mlp = this.back.apply(gelu(this.hidden.apply(crossed)));
    return layerNorm(tf.add(crossed, dropout(mlp)), third.gamma, third.beta);
  }
}

export interface GaussianForecast {
  /** [b, H, N, C] each. */
  mu: tf.Tensor4D;
  sigma: tf.Tensor4D;
}

export class SpatioTemporalForecaster {
  readonly missing: MissingValueLayer;
  readonly embed: Linear;
  readonly assetVectors: tf.Variable<tf.Rank.R2>;
  readonly spatial: LowRankAttention;
  readonly encoder: LevelBlock[];
  readonly decoder: DecoderBlock[];
  readonly head: Linear;
  /** s_i per asset [N], not trained. */
  readonly scale: tf.Variable<tf.Rank.R1>;

  constructor(readonly shape: ForecasterShape, rng: RandomStream) {
    const { assets, channels, latents, width, heads, depth } = shape;
    const token = latents * width;
    this.missing = new MissingValueLayer(channels);
    this.embed = new Linear(channels, width, childStream(rng, 'embed'));
    // N(0, 1) as PyTorch's nn.Embedding: at U(+-1/sqrt(d)) the assets looked alike to eq. 9's attention, which
    // stayed uniform, and k = 3 then did no better than k = N on the factor panel.
    const z = childStream(rng, 'assets').normals(new Float32Array(assets * width));
    this.assetVectors = tf.tidy(() => tf.variable(tf.tensor2d(z, [assets, width])));
    this.spatial = new LowRankAttention(latents, width, childStream(rng, 'low-rank'));
    this.encoder = Array.from({ length: depth }, (_, l) => new LevelBlock(token, heads, 2 * token, childStream(rng, `encoder-${l}`)));
    this.decoder = Array.from({ length: depth }, (_, l) => new DecoderBlock(token, heads, childStream(rng, `decoder-${l}`)));
    this.head = new Linear(width, 2 * channels, childStream(rng, 'head'));
    this.scale = tf.tidy(() => tf.variable(tf.ones([assets]), false));
  }

  /** Every weight: the trained variables, then the scale (what a file holds). */
  get weights(): tf.Variable[] {
    return [...this.variables, this.scale];
  }

  /** Sets s_i, the scale each asset's returns are read in (positive and finite). */
  setScale(values: ArrayLike<number>): void {
    if (values.length !== this.shape.assets || !Array.from(values).every((v) => v > 0 && v < Infinity)) {
      throw new RangeError(`forecaster: the scale needs ${this.shape.assets} positive finite values, not [${Array.from(values).join(', ')}]`);
    }
    tf.tidy(() => this.scale.assign(tf.tensor1d(Array.from(values))));
  }

  get variables(): tf.Variable[] {
    return [
      ...this.missing.variables,
      ...this.embed.variables,
      this.assetVectors,
      ...this.spatial.variables,
      ...this.encoder.flatMap((b) => b.variables),
      ...this.decoder.flatMap((b) => b.variables),
      ...this.head.variables,
    ];
  }

  /** The assets' embeddings [b, T, N, d] of returns [b, T, N, C] (NaN where missing), times the dropout mask [N] if given. */
  private embeddings(returns: tf.Tensor4D, mask: tf.Tensor1D | null): tf.Tensor4D {
    const [b, t, n, c] = returns.shape;
    let x = this.missing.apply(tf.div(returns, this.scale.reshape([1, 1, n, 1]))) as tf.Tensor4D;
    if (mask) x = tf.mul(x, mask.reshape([1, 1, n, 1]));
    const e = this.embed.apply(x.reshape([b * t, n, c]) as tf.Tensor3D).reshape([b, t, n, this.shape.width]);
    return tf.add(e, this.assetVectors) as tf.Tensor4D;
  }

  /** One latent token per date: [b, T, k d]. */
  private tokens(e: tf.Tensor4D): tf.Tensor3D {
    const [b, t, n, d] = e.shape;
    return this.spatial.encode(e.reshape([b * t, n, d]) as tf.Tensor3D).reshape([b, t, this.shape.latents * d]);
  }

  /**
   * The Gaussian forecasts of days L .. L + H - 1 of `returns` [b, L + H, N, C] from its first L days and, by
   * teacher forcing, the H - 1 realised days before each target; `mask` is Market Value Dropout's, in training.
   */
  apply(returns: tf.Tensor4D, context: number, options: { mask?: tf.Tensor1D; dropoutSeed?: number } = {}): GaussianForecast {
    return tf.tidy(() => {
      const [b, total, n, c] = returns.shape;
      const horizon = total - context;
      if (!(context >= 1 && horizon >= 1)) throw new RangeError(`forecaster: a window of ${total} days cannot hold ${context} context days and a target`);
      const rate = this.shape.dropout;
      let site = 0;
      const seed = options.dropoutSeed;
      const dropout: Dropout = (x) => (seed === undefined || rate === 0 ? x : (tf.dropout(x, rate, undefined, `${seed}/${site++}`) as typeof x));
      const e = this.embeddings(returns, options.mask ?? null);
      const tokens = this.tokens(e);
      let memory = tokens.slice([0, 0, 0], [b, context, -1]) as tf.Tensor3D;
      for (const block of this.encoder) memory = block.apply(memory, dropout);
      // The decoder's inputs: the H dates before each target, L - 1 .. L + H - 2.
      let y = tokens.slice([0, context - 1, 0], [b, horizon, -1]) as tf.Tensor3D;
      for (const block of this.decoder) y = block.apply(y, memory, dropout);
      const { latents, width } = this.shape;
      const latent = y.reshape([b * horizon, latents, width]) as tf.Tensor3D;
      const queries = e.slice([0, context - 1, 0, 0], [b, horizon, n, width]).reshape([b * horizon, n, width]) as tf.Tensor3D;
      const assets = this.spatial.decode(latent, queries);
      const out = this.head.apply(assets).reshape([b, horizon, n, 2 * c]);
      const scale = this.scale.reshape([1, 1, n, 1]);
      const mu = tf.mul(out.slice([0, 0, 0, 0], [b, horizon, n, c]), scale) as tf.Tensor4D;
      const sigma = tf.mul(gaussianScale(out.slice([0, 0, 0, c], [b, horizon, n, c])), scale) as tf.Tensor4D;
      return { mu, sigma };
    });
  }

  /** Eq. 9's attention map A [b T, k, N] of every date of `returns` [b, T, N, C]: which assets each latent gathers. */
  attentionMap(returns: tf.Tensor4D): tf.Tensor3D {
    return tf.tidy(() => {
      const [b, t, n] = returns.shape;
      return this.spatial.attention(this.embeddings(returns, null).reshape([b * t, n, this.shape.width]) as tf.Tensor3D);
    });
  }

  dispose(): void {
    tf.dispose(this.weights);
  }
}
