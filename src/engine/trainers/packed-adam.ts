/**
 * Adam (Kingma & Ba 2015, Algorithm 1) with all of a policy's parameters packed in one vector: the first and
 * second moments of every variable live in two vectors and one update serves them all, about twenty kernels a
 * step where tfjs's AdamOptimizer takes about ten per variable (each a dispatch on WebGPU). The arithmetic is
 * tfjs's AdamOptimizer's (bias corrections 1 - beta^t, the backend's epsilon), equal to float32 rounding. A
 * variable the loss does not reach gets a zero gradient (tfjs would leave its moments alone).
 */
import * as tf from '@tensorflow/tfjs';

export class PackedAdam {
  private moments: { first: tf.Tensor1D; second: tf.Tensor1D } | null = null;
  /** beta1^t and beta2^t as tfjs keeps them: float32, multiplied once a step. */
  private powers: [number, number];
  private readonly sizes: number[];
  private readonly epsilon: number;

  constructor(
    private readonly variables: tf.Variable[],
    private readonly learningRate: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    epsilon?: number,
  ) {
    this.sizes = variables.map((v) => v.size);
    this.powers = [Math.fround(beta1), Math.fround(beta2)];
    this.epsilon = epsilon ?? tf.backend().epsilon();
  }

  /** One update along the gradient of `loss`; returns the loss before it (the caller owns it). */
  minimize(loss: () => tf.Scalar): tf.Scalar {
    const { value, grads } = tf.variableGrads(loss, this.variables);
    const { beta1, beta2 } = this;
    const [power1, power2] = this.powers;
    tf.tidy(() => {
      const g = tf.concat(this.variables.map((v) => (grads[v.name] ?? tf.zerosLike(v)).reshape([-1])));
      const x = tf.concat(this.variables.map((v) => v.reshape([-1])));
      const first = tf.add(tf.mul(this.moments?.first ?? tf.zerosLike(g), beta1), tf.mul(g, 1 - beta1)) as tf.Tensor1D;
      const second = tf.add(tf.mul(this.moments?.second ?? tf.zerosLike(g), beta2), tf.mul(tf.square(g), 1 - beta2)) as tf.Tensor1D;
      const step = tf.div(tf.div(first, Math.fround(1 - power1)), tf.add(tf.sqrt(tf.div(second, Math.fround(1 - power2))), this.epsilon));
      const next = tf.add(tf.mul(step, -this.learningRate), x);
      tf.split(next, this.sizes).forEach((part, i) => this.variables[i].assign(part.reshape(this.variables[i].shape)));
      if (this.moments) tf.dispose([this.moments.first, this.moments.second]);
      this.moments = { first: tf.keep(first), second: tf.keep(second) };
    });
    this.powers = [Math.fround(power1 * Math.fround(beta1)), Math.fround(power2 * Math.fround(beta2))];
    tf.dispose(Object.values(grads));
    return value;
  }

  dispose(): void {
    if (this.moments) tf.dispose([this.moments.first, this.moments.second]);
    this.moments = null;
  }
}
