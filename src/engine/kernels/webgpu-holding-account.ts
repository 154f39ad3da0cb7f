/**
 * A held instrument's account (hedging/pnl.ts `instrumentAccount`; paper 001 eq. 8, paper 002 §2.1) on WebGPU
 * as one program a way, one invocation per path running through its dates, in place of about sixteen tfjs
 * kernels forward and twenty backward (each its own dispatch). For positions x_t (already masked by the
 * availability a_t), prices P_t and cost bases B_t (rows of at least T + 1 dates), t = 0 .. T - 1, x_{-1} = 0:
 *   gains = sum_t x_t (P_{t+1} - P_t),  trades_t = a_t |x_t - x_{t-1}|  (+ |x_{T-1}| when unwinding),
 *   cost = c sum_t B_t trades_t (+ c B_T |x_{T-1}|),  turnover = sum_t trades_t (+ |x_{T-1}|),
 * into [n, 3] = [gains, cost, turnover], and its adjoint for upstream (g, k, u) per path:
 *   dx_t = g (P_{t+1} - P_t) + a_t s_t (k c B_t + u) - a_{t+1} s_{t+1} (k c B_{t+1} + u)   (t + 1 < T)
 *          + [unwinding, t = T - 1] sgn(x_{T-1}) (k c B_T + u),   s_t = sgn(x_t - x_{t-1}),
 * with tfjs's sign for |.|'s gradient (1 above zero, -1 at and below), so the gradient is the tape's. The pair
 * is checked against the ops on the adapter before it is used (kernels/fused-check.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import type { GpuBackend } from './webgpu-hedge-recurrence';

const WORKGROUP = 64;

function program(name: string, outputShape: number[], paths: number, variableNames: string[], body: string): WebGPUProgram {
  return {
    variableNames,
    outputShape,
    shaderKey: `holding_account_${name}`,
    dispatchLayout: { x: outputShape.map((_, i) => i) },
    dispatch: [Math.ceil(paths / WORKGROUP), 1, 1],
    workgroupSize: [WORKGROUP, 1, 1],
    uniforms: 'paths : i32, dates : i32, priceStride : i32, basisStride : i32, unwind : i32, costRate : f32,',
    getUserCode: () => body,
  };
}

/** [n, 3] gains, cost and turnover of every path. */
function accountProgram(paths: number): WebGPUProgram {
  const body = `
  fn main(row : i32) {
    if (row >= uniforms.paths) { return; }
    let T = uniforms.dates;
    let p0 = row * uniforms.priceStride;
    let b0 = row * uniforms.basisStride;
    var gains = 0.0;
    var charged = 0.0;
    var turnover = 0.0;
    var before = 0.0;
    for (var t = 0; t < T; t++) {
      let x = positions[row * T + t];
      gains = gains + x * (price[p0 + t + 1] - price[p0 + t]);
      let trade = abs(x - before) * f32(available[t]);
      charged = charged + trade * basis[b0 + t];
      turnover = turnover + trade;
      before = x;
    }
    if (uniforms.unwind == 1) {
      charged = charged + abs(before) * basis[b0 + T];
      turnover = turnover + abs(before);
    }
    result[row * 3] = gains;
    result[row * 3 + 1] = charged * uniforms.costRate;
    result[row * 3 + 2] = turnover;
  }`;
  return program('forward', [paths, 3], paths, ['positions', 'price', 'basis', 'available'], body);
}

/** [n, T] gradient of the positions for the upstream [n, 3]. */
function adjointProgram(paths: number, dates: number): WebGPUProgram {
  const body = `
  fn sgn(v : f32) -> f32 { return select(-1.0, 1.0, v > 0.0); }
  fn main(row : i32) {
    if (row >= uniforms.paths) { return; }
    let T = uniforms.dates;
    let p0 = row * uniforms.priceStride;
    let b0 = row * uniforms.basisStride;
    let g = upstream[row * 3];
    let k = upstream[row * 3 + 1] * uniforms.costRate;
    let u = upstream[row * 3 + 2];
    var before = 0.0;
    for (var t = 0; t < T; t++) {
      let x = positions[row * T + t];
      var dx = g * (price[p0 + t + 1] - price[p0 + t]) + f32(available[t]) * sgn(x - before) * (k * basis[b0 + t] + u);
      if (t + 1 < T) { dx = dx - f32(available[t + 1]) * sgn(positions[row * T + t + 1] - x) * (k * basis[b0 + t + 1] + u); }
      else if (uniforms.unwind == 1) { dx = dx + sgn(x) * (k * basis[b0 + T] + u); }
      result[row * T + t] = dx;
      before = x;
    }
  }`;
  return program('adjoint', [paths, dates], paths, ['upstream', 'positions', 'price', 'basis', 'available'], body);
}

const ACCOUNT = 'HoldingAccount';
const ADJOINT = 'HoldingAccountAdjoint';

function registerOnce(): void {
  if (tf.getKernel(ACCOUNT, 'webgpu')) return;
  const uniforms = (positions: tf.TensorInfo, price: tf.TensorInfo, basis: tf.TensorInfo, attrs: tf.NamedAttrMap) => [
    ...[positions.shape[0], positions.shape[1], price.shape[1], basis.shape[1], attrs.unwind ? 1 : 0].map((v) => ({ type: 'int32', data: [v] })),
    { type: 'float32', data: [attrs.costRate as number] },
  ];
  tf.registerKernel({
    kernelName: ACCOUNT,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { positions, price, basis, available } = inputs as Record<string, tf.TensorInfo>;
      const prog = accountProgram(positions.shape[0]);
      return (backend as unknown as GpuBackend).runWebGPUProgram(prog, [positions, price, basis, available], 'float32', uniforms(positions, price, basis, attrs!));
    },
  });
  tf.registerKernel({
    kernelName: ADJOINT,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { upstream, positions, price, basis, available } = inputs as Record<string, tf.TensorInfo>;
      const [paths, dates] = positions.shape;
      const prog = adjointProgram(paths, dates);
      return (backend as unknown as GpuBackend).runWebGPUProgram(prog, [upstream, positions, price, basis, available], 'float32', uniforms(positions, price, basis, attrs!));
    },
  });
}

/**
 * [n, 3] gains, cost and turnover of masked positions x [n, T] held with prices and cost bases [n, T + 1],
 * availability [1, T], cost rate c, unwound at maturity or not; differentiable in x.
 */
export function fusedHoldingAccount(x: tf.Tensor2D, price: tf.Tensor2D, basis: tf.Tensor2D, available: tf.Tensor2D, costRate: number, unwind: boolean): tf.Tensor2D {
  registerOnce();
  const attrs = { costRate, unwind };
  const account = tf.customGrad((positions, save) => {
    (save as tf.GradSaveFunc)([positions as tf.Tensor]);
    return {
      value: tf.engine().runKernel(ACCOUNT, { positions: positions as tf.Tensor, price, basis, available }, attrs) as tf.Tensor2D,
      gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) => tf.engine().runKernel(ADJOINT, { upstream: dy, positions: saved, price, basis, available }, attrs) as tf.Tensor,
    };
  });
  return account(x) as tf.Tensor2D;
}
