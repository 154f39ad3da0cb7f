/**
 * Multi-layer perceptron: `layers` hidden layers of `units` ReLU units and a linear output, as pfhedge's
 * MultiLayerPerceptron. Parameters start as PyTorch's nn.Linear does, U(-1/sqrt(fan_in), 1/sqrt(fan_in)),
 * drawn from the strategy's own random stream so initialisation is reproducible on every backend.
 *
 * Each layer y = act(x W + b) carries its own gradient, the textbook one (Goodfellow et al., Deep Learning,
 * §6.5): dz = dy * 1[y > 0] (ReLU; dz = dy when linear), dx = dz W^T, dW = x^T dz, db = 1^T dz. It is
 * written with explicit transposes because tf.matMul's own gradient asks for transposed products, which
 * tfjs-backend-wasm runs on a naive scalar loop (~10x slower than its XNNPACK path for untransposed ones).
 * XNNPACK repacks a product's right operand whenever that tensor is new, and over thousands of rows the
 * packing costs twice the product (200,000 x 32: ~75 ms against ~35 ms): so on wasm dW and db are one kernel
 * of the lab's own where the shapes allow (kernels/wasm-weight-gradient.ts, no packing); elsewhere dW packs
 * the narrower of x and dz (dW = (dz^T x)^T for the input layer's few features), and db = 1^T dz reuses dz's
 * packing when dW made one (a column sum, which transposes before reducing, otherwise). Same values up to
 * float32 summation order. The forward is one fused kernel (fusedDense): tf.fused.matMul itself splits into product,
 * bias and activation whenever a gradient is being recorded, which is always so in training.
 */
import * as tf from '@tensorflow/tfjs';
import type { RandomStream } from '../random/stream';
import { servesWeightGradient, weightGradient } from '../kernels/wasm-weight-gradient';

type Activation = 'relu' | 'linear';

/**
 * act(x W + b) as one fused kernel even while a gradient is being recorded, for callers that write the
 * gradient themselves (a customGrad): x [m, in], W [in, out], b [out].
 */
export function fusedDense(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, activation: Activation): tf.Tensor2D {
  const [m, k] = x.shape;
  const n = w.shape[1];
  const inputs = { a: x.reshape([1, m, k]), b: w.reshape([1, k, n]), bias: b };
  const y = tf.engine().runKernel('_FusedMatMul', inputs, { transposeA: false, transposeB: false, activation, leakyreluAlpha: 0 }) as tf.Tensor3D;
  return y.reshape([m, n]);
}

function denseLayer(activation: Activation) {
  return tf.customGrad((...args) => {
    const [x, w, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    const y = fusedDense(x, w, b, activation);
    save([x, w, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ws, ys] = saved as tf.Tensor2D[];
        const dz = (activation === 'relu' ? tf.mul(dy, tf.step(ys)) : dy) as tf.Tensor2D;
        const dx = tf.matMul(dz, tf.transpose(ws));
        if (servesWeightGradient(xs.shape[1], dz.shape[1])) {
          const [dw, db] = tf.split(weightGradient(xs, dz), [xs.shape[1], 1], 0);
          return [dx, dw!, db!.reshape([-1])];
        }
        if (xs.shape[1] < dz.shape[1]) return [dx, tf.transpose(tf.matMul(tf.transpose(dz), xs)), tf.sum(dz, 0)];
        return [dx, tf.matMul(tf.transpose(xs), dz), tf.matMul(tf.ones([1, xs.shape[0]]), dz).reshape([-1])];
      },
    };
  });
}

const reluLayer = denseLayer('relu');
const linearLayer = denseLayer('linear');

/** act(x W + b) for x [m, in], W [in, out], b [out]. */
export function dense(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, activation: Activation): tf.Tensor2D {
  return (activation === 'relu' ? reluLayer : linearLayer)(x, w, b) as tf.Tensor2D;
}

export class Mlp {
  readonly weights: tf.Variable<tf.Rank.R2>[] = [];
  readonly biases: tf.Variable<tf.Rank.R1>[] = [];

  constructor(readonly inputs: number, layers: number, units: number, readonly outputs: number, rng: RandomStream) {
    const sizes = [inputs, ...Array<number>(layers).fill(units), outputs];
    let drawn = 0;
    const uniform = (count: number, bound: number) => {
      const u = rng.uniforms(new Float32Array(count), drawn);
      drawn += count;
      return u.map((x) => (2 * x - 1) * bound);
    };
    for (let l = 0; l + 1 < sizes.length; l++) {
      const [fanIn, fanOut] = [sizes[l], sizes[l + 1]];
      const bound = 1 / Math.sqrt(fanIn);
      const w = uniform(fanIn * fanOut, bound);
      const b = uniform(fanOut, bound);
      this.weights.push(tf.tidy(() => tf.variable(tf.tensor2d(w, [fanIn, fanOut]))));
      this.biases.push(tf.tidy(() => tf.variable(tf.tensor1d(b))));
    }
  }

  get variables(): tf.Variable[] {
    return [...this.weights, ...this.biases];
  }

  /**
   * The network after its first layer's pre-activation z = x W0 + b0 has been formed by the caller (with no
   * hidden layer, `layers` = 0, z is the output: a model linear in its parameters).
   */
  fromFirstPreActivation(z: tf.Tensor2D): tf.Tensor2D {
    const last = this.weights.length - 1;
    if (last === 0) return z;
    let h: tf.Tensor2D = tf.relu(z);
    for (let l = 1; l < last; l++) h = dense(h, this.weights[l], this.biases[l], 'relu');
    return dense(h, this.weights[last], this.biases[last], 'linear');
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.fromFirstPreActivation(dense(x, this.weights[0], this.biases[0], 'linear')));
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
