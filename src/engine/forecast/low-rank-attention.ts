/**
 * The low-rank attention of paper 000 eq. 9, the spatial half of its spatio-temporal Transformer (§2.2.2):
 * for the n assets' embeddings E in R^(n x d) of one date,
 *   LowRankAttn(E) = Softmax(W_Q E^T / sqrt(d)) E   in R^(k x d),   W_Q in R^(k x d) trained,
 * each of the k rows a weighting over the assets (the softmax runs over the n assets): k latent assets, the
 * attention map A = Softmax(W_Q E^T / sqrt(d)) in R^(k x n) saying which assets each one gathers. Permuting
 * the assets leaves the latent assets unchanged. The decoder maps the k latent rows H back to the n assets by
 * the same attention read the other way, each asset attending over the latents with its own embedding as the
 * query: Softmax(E H^T / sqrt(d)) H in R^(n x d), which permutes with the assets. W_Q starts as PyTorch's
 * nn.Linear weights do, U(-1/sqrt(d), 1/sqrt(d)), drawn from the layer's stream.
 */
import * as tf from '@tensorflow/tfjs';
import type { RandomStream } from '../random/stream';

export class LowRankAttention {
  readonly queries: tf.Variable<tf.Rank.R2>;

  constructor(readonly latents: number, readonly width: number, rng: RandomStream) {
    const bound = 1 / Math.sqrt(width);
    const u = rng.uniforms(new Float32Array(latents * width));
    this.queries = tf.tidy(() => tf.variable(tf.tensor2d(u.map((x) => (2 * x - 1) * bound), [latents, width])));
  }

  get variables(): tf.Variable[] {
    return [this.queries];
  }

  /** A = Softmax(W_Q E^T / sqrt(d)) over the assets, for E [batch, n, d]: [batch, k, n]. */
  attention(e: tf.Tensor3D): tf.Tensor3D {
    return tf.tidy(() => {
      const [batch, n, d] = e.shape;
      const scores = tf.matMul(e.reshape([batch * n, d]), tf.transpose(this.queries)).reshape([batch, n, this.latents]);
      return tf.softmax(tf.div(tf.transpose(scores, [0, 2, 1]), Math.sqrt(this.width))) as tf.Tensor3D;
    });
  }

  /** The k latent assets A E for E [batch, n, d]: [batch, k, d]. */
  encode(e: tf.Tensor3D): tf.Tensor3D {
    return tf.tidy(() => tf.matMul(this.attention(e), e));
  }

  /** The n assets' rows Softmax(E H^T / sqrt(d)) H for latents H [batch, k, d] and embeddings E [batch, n, d]: [batch, n, d]. */
  decode(h: tf.Tensor3D, e: tf.Tensor3D): tf.Tensor3D {
    return tf.tidy(() => {
      const weights = tf.softmax(tf.div(tf.matMul(e, h, false, true), Math.sqrt(this.width)));
      return tf.matMul(weights, h);
    });
  }

  dispose(): void {
    tf.dispose(this.variables);
  }
}
