/**
 * One step of Adam on packed parameters (trainers/packed-adam.ts) on WebGPU as one program, in place of
 * fourteen elementwise kernels (each its own dispatch): for gradient g, parameters x and moments m, v (the
 * state [m, v], zeros before the first step), with the bias corrections 1 - beta^t given,
 *   m' = beta1 m + (1 - beta1) g,   v' = beta2 v + (1 - beta2) g^2,
 *   x' = x - lr (m' / (1 - beta1^t)) / (sqrt(v' / (1 - beta2^t)) + eps),
 * in tfjs's order of operations, into one buffer [m', v', x']. Checked against the ops on the adapter before
 * it is used (kernels/fused-check.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import type { GpuBackend } from './webgpu-hedge-recurrence';

const WORKGROUP = 64;
const ADAM = 'PackedAdamStep';

/** Adam's constants for one step: the rates, the bias corrections and epsilon. */
export interface AdamStepConstants {
  learningRate: number;
  beta1: number;
  beta2: number;
  correction1: number;
  correction2: number;
  epsilon: number;
}

const CONSTANTS = ['learningRate', 'beta1', 'beta2', 'correction1', 'correction2', 'epsilon'] as const;

function adamProgram(size: number): WebGPUProgram {
  return {
    variableNames: ['g', 'x', 'state'],
    outputShape: [3 * size],
    shaderKey: 'packed_adam_step',
    dispatchLayout: { x: [0] },
    dispatch: [Math.ceil(size / WORKGROUP), 1, 1],
    workgroupSize: [WORKGROUP, 1, 1],
    uniforms: `size : i32, ${CONSTANTS.map((c) => `${c} : f32,`).join(' ')}`,
    getUserCode: () => `
  fn main(e : i32) {
    let P = uniforms.size;
    if (e >= P) { return; }
    let grad = g[e];
    let first = state[e] * uniforms.beta1 + grad * (1.0 - uniforms.beta1);
    let second = state[P + e] * uniforms.beta2 + (grad * grad) * (1.0 - uniforms.beta2);
    let step = (first / uniforms.correction1) / (sqrt(second / uniforms.correction2) + uniforms.epsilon);
    result[e] = first;
    result[P + e] = second;
    result[2 * P + e] = step * -uniforms.learningRate + x[e];
  }`,
  };
}

function registerOnce(): void {
  if (tf.getKernel(ADAM, 'webgpu')) return;
  tf.registerKernel({
    kernelName: ADAM,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { g, x, state } = inputs as Record<string, tf.TensorInfo>;
      const size = g.shape[0];
      const c = attrs as unknown as AdamStepConstants;
      const uniforms = [{ type: 'int32', data: [size] }, ...CONSTANTS.map((k) => ({ type: 'float32', data: [c[k]] }))];
      return (backend as unknown as GpuBackend).runWebGPUProgram(adamProgram(size), [g, x, state], 'float32', uniforms);
    },
  });
}

/** [m', v'] and x' for gradient g [P], parameters x [P] and state [m, v] [2P]. */
export function fusedAdamStep(g: tf.Tensor1D, x: tf.Tensor1D, state: tf.Tensor1D, c: AdamStepConstants): { state: tf.Tensor1D; next: tf.Tensor1D } {
  registerOnce();
  const size = g.shape[0];
  const out = tf.engine().runKernel(ADAM, { g, x, state }, { ...c }) as tf.Tensor1D;
  const parts = { state: out.slice(0, 2 * size), next: out.slice(2 * size, size) };
  out.dispose();
  return parts;
}
