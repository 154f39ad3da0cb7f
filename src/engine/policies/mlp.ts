/**
 * Multi-layer perceptron: `layers` hidden layers of `units` ReLU units and a linear output, as pfhedge's
 * MultiLayerPerceptron. Parameters start as PyTorch's nn.Linear does, U(-1/sqrt(fan_in), 1/sqrt(fan_in)),
 * drawn from the strategy's own random stream so initialisation is reproducible on every backend.
 * Hidden layers use fused matMul + bias + ReLU kernels.
 */
import * as tf from '@tensorflow/tfjs';
import type { RandomStream } from '../random/stream';

export class Mlp {
  readonly weights: tf.Variable[] = [];
  readonly biases: tf.Variable[] = [];

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

  /** The network after its first layer's pre-activation z = x W0 + b0 has been formed by the caller. */
  fromFirstPreActivation(z: tf.Tensor2D): tf.Tensor2D {
    let h: tf.Tensor2D = tf.relu(z);
    const last = this.weights.length - 1;
    for (let l = 1; l < last; l++) {
      h = tf.fused.matMul({ a: h, b: this.weights[l], bias: this.biases[l], activation: 'relu' }) as tf.Tensor2D;
    }
    return tf.fused.matMul({ a: h, b: this.weights[last], bias: this.biases[last] }) as tf.Tensor2D;
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.fromFirstPreActivation(tf.add(tf.matMul(x, this.weights[0]), this.biases[0]) as tf.Tensor2D));
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
