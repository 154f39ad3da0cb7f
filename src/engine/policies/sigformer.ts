/**
 * The SigFormer (paper 003 §4.2 and appendix 8.3, eq. 8; Tong et al. 2023, "SigFormer: Signature
 * Transformers for Deep Hedging", whose reference implementation sigformer/nn/{layer,model}.py this follows):
 *   1. a Linear projection of each date's inputs x_t in R^F to R^d;
 *   2. the streaming signature of order m of the projected path with basepoint 0 (eq. 8), levels
 *      S^(k)_t in R^(d^k) for every date t (signatures/streaming-signature.ts);
 *   3. B blocks, each per level k (width D = d^k): multi-head causal self-attention (queries and keys
 *      Linear(D -> heads D) without bias, values with bias, per head softmax(q k^T / sqrt(D) + mask) v with
 *      a lower-triangular mask, dropout on the attention weights, output Linear(heads D -> D)), dropout,
 *      residual, LayerNorm over the level's D entries; then a position-wise MLP Linear(D -> mlpUnits) ->
 *      GELU (tanh form, jax.nn.gelu's default) -> Linear(mlpUnits -> D), dropout, residual, LayerNorm;
 *   4. the levels concatenated and a Linear readout to the holdings of every date.
 * Batched over paths and dates: attention is one batched matMul per level over [paths x heads, T, D]; only
 * the attention weights [paths x heads, T, T] are formed, never [paths, T, T, D]. Linear layers start as
 * equinox's and PyTorch's, U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases (mlp.ts's Mlp with no
 * hidden layer, each layer drawn from a stream of its own), LayerNorms at scale 1 and shift 0 (eps 1e-5).
 * Dropout only when apply is given a seed; the same seed drops the same entries.
 */
import * as tf from '@tensorflow/tfjs';
import { childStream, type RandomStream } from '../random/stream';
import { streamingSignature } from '../signatures/streaming-signature';
import { dense, Mlp } from './mlp';
import type { SequenceNetwork, SigFormerShape } from './sequence-network';

const LAYER_NORM_EPS = 1e-5;
/** Added to the scores of later dates: their softmax weight is exactly 0 in float32. */
const MASKED = -1e9;

/** y = x W (+ b) on the last axis of [n, T, in]. */
export class Linear {
  readonly w: tf.Variable<tf.Rank.R2>;
  readonly b: tf.Variable<tf.Rank.R1> | null;

  constructor(fanIn: number, fanOut: number, rng: RandomStream, bias = true) {
    const layer = new Mlp(fanIn, 0, 0, fanOut, rng);
    this.w = layer.weights[0];
    this.b = bias ? layer.biases[0] : null;
    if (!bias) layer.biases[0].dispose();
  }

  get variables(): tf.Variable[] {
    return this.b ? [this.w, this.b] : [this.w];
  }

  apply(x: tf.Tensor3D): tf.Tensor3D {
    const [n, t, width] = x.shape;
    const flat = x.reshape([n * t, width]) as tf.Tensor2D;
    // Without a bias, dense's layer with a constant zero bias: its explicit-transpose gradient (mlp.ts) took a
    // wasm step of the paper's configuration on 16 paths x 30 dates from 17 s to 3 s against tf.matMul's;
    // the zero bias's own gradient is one small product, dropped.
    const y = dense(flat, this.w, this.b ?? tf.zeros([this.w.shape[1]]), 'linear');
    return y.reshape([n, t, this.w.shape[1]]);
  }
}

/** LayerNorm over the last axis: (x - mean) / sqrt(var + eps) * gamma + beta, var the biased variance. */
export function layerNorm(x: tf.Tensor3D, gamma: tf.Tensor1D, beta: tf.Tensor1D): tf.Tensor3D {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, LAYER_NORM_EPS))), gamma), beta);
}

/** GELU, tanh form: x / 2 (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))). */
export function gelu(x: tf.Tensor3D): tf.Tensor3D {
  const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
  return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
}

/** Dropout of one site of the network: inverted dropout (kept entries scaled by 1 / (1 - rate)) when training. */
export type Dropout = <T extends tf.Tensor>(x: T) => T;

/** Multi-head causal self-attention over the dates of one signature level of width D (or attention over a memory). */
export class LevelAttention {
  readonly query: Linear;
  readonly key: Linear;
  readonly value: Linear;
  readonly output: Linear;

  constructor(readonly width: number, readonly heads: number, rng: RandomStream) {
    const hw = heads * width;
    this.query = new Linear(width, hw, childStream(rng, 'query'), false);
    this.key = new Linear(width, hw, childStream(rng, 'key'), false);
    this.value = new Linear(width, hw, childStream(rng, 'value'));
    this.output = new Linear(hw, width, childStream(rng, 'output'));
  }

  get variables(): tf.Variable[] {
    return [this.query, this.key, this.value, this.output].flatMap((l) => l.variables);
  }

  /** [n, T, D] to [n, T, D]; row t attends to rows 0..t. Runs inside the caller's tidy. */
  apply(x: tf.Tensor3D, dropout: Dropout): tf.Tensor3D {
    return this.attend(x, x, true, dropout);
  }

  /**
   * Queries from x [n, T, D], keys and values from memory [n, S, D]; `causal` (S = T): row t sees memory rows
   * 0..t only, else every row (the forecaster's decoder reading its encoder, forecast/). Inside the caller's tidy.
   */
  attend(x: tf.Tensor3D, memory: tf.Tensor3D, causal: boolean, dropout: Dropout): tf.Tensor3D {
    const [n, t, w] = x.shape;
    const h = this.heads;
    // [n, T, h D] (heads slowest, as the reference's "(n_heads out_dim)") to [n h, T, D].
    const perHead = (y: tf.Tensor3D) => tf.transpose(y.reshape([n, y.shape[1], h, w]), [0, 2, 1, 3]).reshape([n * h, y.shape[1], w]) as tf.Tensor3D;
    const q = perHead(this.query.apply(x));
    const [k, v] = [this.key, this.value].map((l) => perHead(l.apply(memory)));
    const scaled = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(w));
    const scores = causal ? tf.add(scaled, tf.linalg.bandPart(tf.ones([t, t]), -1, 0).sub(1).mul(-MASKED)) : scaled;
    const weights = dropout(tf.softmax(scores));
    const heads = tf.transpose(tf.matMul(weights, v).reshape([n, h, t, w]), [0, 2, 1, 3]).reshape([n, t, h * w]) as tf.Tensor3D;
    return this.output.apply(heads);
  }
}

/**
 * One level of one block: attention then the position-wise MLP, each with dropout, residual and LayerNorm: a
 * causal post-LN Transformer block of width D, which the forecaster's temporal encoder reuses (forecast/).
 */
export class LevelBlock {
  readonly attention: LevelAttention;
  readonly hidden: Linear;
  readonly back: Linear;
  readonly norms: { gamma: tf.Variable<tf.Rank.R1>; beta: tf.Variable<tf.Rank.R1> }[];

  constructor(width: number, heads: number, mlpUnits: number, rng: RandomStream) {
    this.attention = new LevelAttention(width, heads, childStream(rng, 'attention'));
    this.hidden = new Linear(width, mlpUnits, childStream(rng, 'mlp-in'));
    this.back = new Linear(mlpUnits, width, childStream(rng, 'mlp-out'));
    this.norms = [0, 1].map(() => tf.tidy(() => ({ gamma: tf.variable(tf.ones([width])) as tf.Variable<tf.Rank.R1>, beta: tf.variable(tf.zeros([width])) as tf.Variable<tf.Rank.R1> })));
  }

  get variables(): tf.Variable[] {
    return [...this.attention.variables, ...this.hidden.variables, ...this.back.variables, ...this.norms.flatMap((m) => [m.gamma, m.beta])];
  }

  apply(x: tf.Tensor3D, dropout: Dropout): tf.Tensor3D {
    const [first, second] = this.norms;
    const attended = layerNorm(tf.add(x, dropout(this.attention.apply(x, dropout))), first.gamma, first.beta);
    const mlp = this.back.apply(gelu(this.hidden.apply(attended)));
    return layerNorm(tf.add(attended, dropout(mlp)), second.gamma, second.beta);
  }
}

export class SigFormer implements SequenceNetwork {
  private readonly project: Linear;
  /** blocks[b][k - 1]: block b at signature level k. */
  private readonly blocks: LevelBlock[][];
  private readonly readout: Linear;

  constructor(readonly inputs: number, readonly outputs: number, readonly shape: SigFormerShape, rng: RandomStream) {
    const { modelDim: d, order, heads, blocks, mlpUnits } = shape;
    this.project = new Linear(inputs, d, childStream(rng, 'project'));
    this.blocks = Array.from({ length: blocks }, (_, b) =>
      Array.from({ length: order }, (_, k) => new LevelBlock(d ** (k + 1), heads, mlpUnits, childStream(rng, `block-${b}/level-${k + 1}`))),
    );
    let features = 0;
    for (let k = 1; k <= order; k++) features += d ** k;
    this.readout = new Linear(features, outputs, childStream(rng, 'readout'));
  }

  get variables(): tf.Variable[] {
    return [...this.project.variables, ...this.blocks.flat().flatMap((l) => l.variables), ...this.readout.variables];
  }

  /** The signature levels [n, T, d^k] after the last block (before the readout). */
  features(inputs: tf.Tensor3D, dropoutSeed: number | null): tf.Tensor3D[] {
    return tf.tidy(() => {
      const rate = this.shape.dropout;
      let site = 0;
      const dropout: Dropout = (x) => (dropoutSeed === null || rate === 0 ? x : tf.dropout(x, rate, undefined, `${dropoutSeed}/${site++}`) as typeof x);
      let levels = streamingSignature(this.project.apply(inputs), this.shape.order, { basepoint: true });
      for (const block of this.blocks) levels = block.map((level, k) => level.apply(levels[k], dropout));
      return levels;
    });
  }

  apply(inputs: tf.Tensor3D, dropoutSeed: number | null): tf.Tensor3D {
    return tf.tidy(() => this.readout.apply(tf.concat(this.features(inputs, dropoutSeed), 2) as tf.Tensor3D));
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
