/**
 * An MLP's first-order expansion around its current parameters w^r (paper 001 eq. 9),
 *   f^(x, w) = f(x, w^r) + J(x, w^r) (w - w^r),
 * on a fixed batch of rows X [m, F], without forming J: for DHLNN's 10,000 paths x 30 dates and a 4x64 network
 * J has 300,000 x 2 rows of 12,866 parameters (31 GB in float32). The expansion caches what the forward pass
 * at w^r computed, each layer's input h_{l-1} and ReLU mask m_l = 1[z_l > 0], and gives exact products with J
 * and J^T for any vectors, as the inner iterations of Algorithm 1 need:
 *   jvp(d) = J d     forward mode:  dz_l = dh_{l-1} W_l + h_{l-1} dW_l + db_l,  dh_l = m_l * dz_l
 *                    (dh_0 = 0; the output layer is linear)
 *   vjp(u) = J^T u   reverse mode:  dz_l = m_l * g_l,  dW_l = h_{l-1}^T dz_l,  db_l = 1^T dz_l,
 *                    g_{l-1} = dz_l W_l^T  (g_L = u)
 * Both are plain matrix products over the cached tensors: about two products per layer (the flops of one
 * forward pass, twice), no activation recomputed and no gradient tape, so an inner iteration costs about
 * what one backpropagation does. Parameter vectors are lists of tensors in the order of Mlp.variables
 * (the weights, then the biases).
 */
import * as tf from '@tensorflow/tfjs';
import type { Mlp } from './mlp';

export class LinearisedMlp {
  /** f(X, w^r), [m, outputs]. */
  readonly outputs: tf.Tensor2D;
  /** h_0 = X, h_1 .. h_L: the input of each layer. */
  private readonly layerInputs: tf.Tensor2D[] = [];
  /** m_1 .. m_L: the ReLU masks of the hidden layers. */
  private readonly masks: tf.Tensor2D[] = [];
  /** W_1 .. W_{L+1} at w^r. */
  private readonly weights: tf.Tensor2D[];

  constructor(mlp: Mlp, x: tf.Tensor2D) {
    this.weights = mlp.weights.map((w) => tf.clone(w));
    const last = mlp.weights.length - 1;
    let h = tf.clone(x);
    for (let l = 0; l < last; l++) {
      this.layerInputs.push(h);
      const next = tf.tidy(() => tf.relu(tf.add(tf.matMul(h, mlp.weights[l]), mlp.biases[l])) as tf.Tensor2D);
      this.masks.push(tf.tidy(() => tf.step(next) as tf.Tensor2D));
      h = next;
    }
    this.layerInputs.push(h);
    this.outputs = tf.tidy(() => tf.add(tf.matMul(h, mlp.weights[last]), mlp.biases[last]) as tf.Tensor2D);
  }

  private get layers(): number {
    return this.weights.length;
  }

  /** J d for d = [dW_1 .. dW_{L+1}, db_1 .. db_{L+1}]: [m, outputs]. */
  jvp(d: tf.Tensor[]): tf.Tensor2D {
    const k = this.layers;
    return tf.tidy(() => {
      let dh: tf.Tensor2D | null = null;
      for (let l = 0; l < k; l++) {
        let dz = tf.add(tf.matMul(this.layerInputs[l], d[l] as tf.Tensor2D), d[k + l]) as tf.Tensor2D;
        if (dh) dz = tf.add(dz, tf.matMul(dh, this.weights[l]));
        dh = l < k - 1 ? (tf.mul(this.masks[l], dz) as tf.Tensor2D) : dz;
      }
      return dh!;
    });
  }

  /** J^T u for u [m, outputs]: [dW_1 .. dW_{L+1}, db_1 .. db_{L+1}]. */
  vjp(u: tf.Tensor2D): tf.Tensor[] {
    const k = this.layers;
    return tf.tidy(() => {
      const dw: tf.Tensor[] = new Array(k);
      const db: tf.Tensor[] = new Array(k);
      let g = u;
      for (let l = k - 1; l >= 0; l--) {
        const dz = l < k - 1 ? (tf.mul(this.masks[l], g) as tf.Tensor2D) : g;
        // Explicit transposes and db as a product, for tfjs-backend-wasm's fast path (see mlp.ts).
        dw[l] = tf.matMul(tf.transpose(this.layerInputs[l]), dz);
        db[l] = tf.matMul(tf.ones([1, dz.shape[0]]), dz).reshape([-1]);
        if (l > 0) g = tf.matMul(dz, tf.transpose(this.weights[l]));
      }
      return [...dw, ...db];
    });
  }

  dispose(): void {
    tf.dispose([this.outputs, ...this.layerInputs, ...this.masks, ...this.weights]);
  }
}
