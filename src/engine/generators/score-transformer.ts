/**
 * The score network of signature diffusion: a Transformer over the D coordinates of a log-signature, one token
 * per coordinate (SigDiffusions' model.py, after Diffusion-TS): each coordinate's value projected to `width`
 * (their 1x1 convolution) plus a learned positional embedding of its index; `layers` blocks of
 *   h <- h + Attention(AdaLN(h, t)),   AdaLN(h, t) = LayerNorm(h) (1 + scale(t)) + shift(t),
 *   (scale, shift) = Linear(SiLU(sinusoidal(t)))                     (the time-conditioned layer norm),
 *   h <- h + Linear(GELU(Linear(LayerNorm(h))))                       (per token),
 * and a per-token projection back to one value. Attention over tokens is unmasked, multi-head, each head of
 * the full width (sigformer.ts's LevelAttention; theirs uses heads of 8). The network predicts the noise z of
 * x_t = alpha_t x_0 + sigma_t z and the score is s = -z^ / sigma_t (vp-sde.ts), where they predict s itself:
 * the same loss, || sigma_t s + z ||^2, on a target of unit scale at every t. The sinusoidal embedding reads
 * 1000 t (t in [0, 1]) so that its frequencies resolve the time. Variables start as sigformer.ts's Linear.
 */
import * as tf from '@tensorflow/tfjs';
import { childStream, type RandomStream } from '../random/stream';
import { gelu, layerNorm, LevelAttention, Linear } from '../policies/sigformer';
import { sigmaColumn, type ScoreModel, type VpSde } from './vp-sde';

export interface ScoreTransformerShape {
  /** Log-signature coordinates, the tokens. */
  coordinates: number;
  width: number;
  heads: number;
  layers: number;
  mlpUnits: number;
}

/** sin and cos of 1000 t at `width / 2` frequencies from 1 down to 1 / 10000: [n, width]. */
function sinusoidal(t: tf.Tensor1D, width: number): tf.Tensor2D {
  const half = width / 2;
  const freqs = tf.tensor2d(Float32Array.from({ length: half }, (_, j) => Math.exp((-j * Math.log(10000)) / Math.max(1, half - 1))), [1, half]);
  const angles = tf.matMul(tf.mul(t, 1000).reshape([-1, 1]), freqs);
  return tf.concat([tf.sin(angles), tf.cos(angles)], 1) as tf.Tensor2D;
}

class ScoreBlock {
  readonly condition: Linear;
  readonly attention: LevelAttention;
  readonly norm: { gamma: tf.Variable<tf.Rank.R1>; beta: tf.Variable<tf.Rank.R1> };
  readonly hidden: Linear;
  readonly back: Linear;

  constructor(readonly width: number, heads: number, mlpUnits: number, rng: RandomStream) {
    this.condition = new Linear(width, 2 * width, childStream(rng, 'ada-ln'));
    this.attention = new LevelAttention(width, heads, childStream(rng, 'attention'));
    this.norm = tf.tidy(() => ({ gamma: tf.variable(tf.ones([width])) as tf.Variable<tf.Rank.R1>, beta: tf.variable(tf.zeros([width])) as tf.Variable<tf.Rank.R1> }));
    this.hidden = new Linear(width, mlpUnits, childStream(rng, 'mlp-in'));
    this.back = new Linear(mlpUnits, width, childStream(rng, 'mlp-out'));
  }

  get variables(): tf.Variable[] {
    return [...this.condition.variables, ...this.attention.variables, this.norm.gamma, this.norm.beta, ...this.hidden.variables, ...this.back.variables];
  }

  /** h [n, D, width], the time embedding [n, width]. Inside the caller's tidy. */
  apply(h: tf.Tensor3D, embedded: tf.Tensor2D): tf.Tensor3D {
    const w = this.width;
    const [n] = h.shape;
    const conditioned = this.condition.apply(tf.mul(embedded, tf.sigmoid(embedded)).reshape([n, 1, w]) as tf.Tensor3D); // SiLU
    const [scale, shift] = tf.split(conditioned, 2, 2) as [tf.Tensor3D, tf.Tensor3D];
    const plain = layerNorm(h, tf.ones([w]), tf.zeros([w]));
    const adaptive = tf.add(tf.mul(plain, tf.add(scale, 1)), shift) as tf.Tensor3D;
    const attended = tf.add(h, this.attention.attend(adaptive, adaptive, false, (x) => x)) as tf.Tensor3D;
    const mlp = this.back.apply(gelu(this.hidden.apply(layerNorm(attended, this.norm.gamma, this.norm.beta))));
    return tf.add(attended, mlp) as tf.Tensor3D;
  }
}

export class ScoreTransformer {
  readonly input: Linear;
  readonly positions: tf.Variable<tf.Rank.R2>;
  readonly blocks: ScoreBlock[];
  readonly output: Linear;

  constructor(readonly shape: ScoreTransformerShape, rng: RandomStream) {
    if (shape.width % 2 !== 0) throw new Error('the score network’s width must be even (the sinusoidal time embedding)');
    this.input = new Linear(1, shape.width, childStream(rng, 'input'));
    // equinox's Embedding starts at N(0, 1).
    const z = childStream(rng, 'positions').normals(new Float32Array(shape.coordinates * shape.width));
    this.positions = tf.tidy(() => tf.variable(tf.tensor2d(z, [shape.coordinates, shape.width])));
    this.blocks = Array.from({ length: shape.layers }, (_, l) => new ScoreBlock(shape.width, shape.heads, shape.mlpUnits, childStream(rng, `block-${l}`)));
    this.output = new Linear(shape.width, 1, childStream(rng, 'output'));
  }

  get variables(): tf.Variable[] {
    return [...this.input.variables, this.positions, ...this.blocks.flatMap((b) => b.variables), ...this.output.variables];
  }

  /** The predicted noise z^ [n, D] of points x [n, D] at times t [n]. */
  noise(x: tf.Tensor2D, t: tf.Tensor1D): tf.Tensor2D {
    return tf.tidy(() => {
      const [n, d] = x.shape;
      const embedded = sinusoidal(t, this.shape.width);
      let h = tf.add(this.input.apply(x.reshape([n, d, 1]) as tf.Tensor3D), this.positions) as tf.Tensor3D;
      for (const block of this.blocks) h = block.apply(h, embedded);
      return this.output.apply(h).reshape([n, d]) as tf.Tensor2D;
    });
  }

  /** The score s = -z^ / sigma_t under `sde`. */
  score(sde: VpSde): ScoreModel {
    return (x, t) =>
      tf.tidy(() => {
        return tf.neg(tf.div(this.noise(x, t), sigmaColumn(sde, t))) as tf.Tensor2D;
      });
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
