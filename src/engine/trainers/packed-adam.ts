/**
 * Adam (Kingma & Ba 2015, Algorithm 1) with all of a policy's parameters packed in one vector: the first and
 * second moments of every variable live in one vector [m, v] and one update serves them all, about twenty kernels a
 * step where tfjs's AdamOptimizer takes about ten per variable (each a dispatch on WebGPU). The arithmetic is
 * tfjs's AdamOptimizer's (bias corrections 1 - beta^t, the backend's epsilon), equal to float32 rounding. A
 * variable the loss does not reach gets a zero gradient (tfjs would leave its moments alone). On WebGPU, once
 * the lab's programs are checked, the update is one program (kernels/webgpu-packed-adam.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { fusedProgramsOn } from '../kernels/fused-programs';
import { fusedAdamStep, type AdamStepConstants } from '../kernels/webgpu-packed-adam';

/** [m', v'] and x' of one Adam step (webgpu-packed-adam.ts's formulas) on tfjs's ops, in tfjs's AdamOptimizer's order. */
export function adamStepByOps(g: tf.Tensor1D, x: tf.Tensor1D, state: tf.Tensor1D, c: AdamStepConstants): { state: tf.Tensor1D; next: tf.Tensor1D } {
  return tf.tidy(() => {
    const size = g.shape[0];
    const first = tf.add(tf.mul(state.slice(0, size), c.beta1), tf.mul(g, 1 - c.beta1)) as tf.Tensor1D;
    const second = tf.add(tf.mul(state.slice(size, size), c.beta2), tf.mul(tf.square(g), 1 - c.beta2)) as tf.Tensor1D;
    const step = tf.div(tf.div(first, c.correction1), tf.add(tf.sqrt(tf.div(second, c.correction2)), c.epsilon));
    return { state: tf.concat([first, second]) as tf.Tensor1D, next: tf.add(tf.mul(step, -c.learningRate), x) as tf.Tensor1D };
  });
}

export class PackedAdam {
  /** [m, v], the moments of every parameter packed. */
  private moments: tf.Tensor1D | null = null;
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
      const g = tf.concat(this.variables.map((v) => (grads[v.name] ?? tf.zerosLike(v)).reshape([-1]))) as tf.Tensor1D;
      const x = tf.concat(this.variables.map((v) => v.reshape([-1]))) as tf.Tensor1D;
      const c = { learningRate: this.learningRate, beta1, beta2, correction1: Math.fround(1 - power1), correction2: Math.fround(1 - power2), epsilon: this.epsilon };
      const { state, next } = (fusedProgramsOn() ? fusedAdamStep : adamStepByOps)(g, x, this.moments ?? tf.zeros([2 * g.size]), c);
      tf.split(next, this.sizes).forEach((part, i) => this.variables[i].assign(part.reshape(this.variables[i].shape)));
      this.moments?.dispose();
      this.moments = tf.keep(state);
    });
    this.powers = [Math.fround(power1 * Math.fround(beta1)), Math.fround(power2 * Math.fround(beta2))];
    tf.dispose(Object.values(grads));
    return value;
  }

  dispose(): void {
    this.moments?.dispose();
    this.moments = null;
  }
}
