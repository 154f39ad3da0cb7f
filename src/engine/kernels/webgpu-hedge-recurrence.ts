/**
 * The deep hedger's recurrence (policies/hedge-recurrence.ts) on WebGPU as two compute programs, one pass a
 * date each way, in place of about seven tfjs kernels a date forward and sixteen backward (each its own
 * dispatch, and on a GPU a step's time is mostly its dispatches):
 * - forward, one invocation per path: h^0 = [I_t, delta_{t-1}], h^{l+1} = relu(h^l W_l + b_l), delta_t =
 *   m_t (h^L W_L + b_L), every layer's output written to the row's slot of one [T, n, S] buffer of activations
 *   (S = the layers' widths summed); date t reads delta_{t-1} from that buffer's date t - 1.
 * - backward (the adjoints of hedge-recurrence.ts), one invocation per path from t = T - 1 down:
 *   g_t = (dLoss/d delta_t + c_{t+1}) m_t, dz^l = (dz^{l+1} W_{l+1}^T) * 1[h^{l+1} > 0], c_t = dz^0 W_p^T,
 *   into one [T, n, S + d] buffer (each layer's dz in its activation's columns, then c_t).
 * - the parameters' gradients, dW_l = sum over all T n rows of h^l dz^l (and db_l of dz^l), one invocation per
 *   parameter in one pass: no workgroup memory and no barriers, which software adapters run slowly and which
 *   tfjs's products and column sums with a long inner dimension use throughout.
 * The parameters travel packed in one buffer (W_0 .. W_L row-major, then b_0 .. b_L). Every program reads only
 * whole buffers at offsets it is given, so nothing is sliced per date. The pair is checked against the op
 * formulation on the adapter in use before it is used (verifyFusedRecurrence); where it disagrees, the ops run.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

/** What these kernels use of tfjs-backend-webgpu's WebGPUBackend. */
interface GpuBackend {
  runWebGPUProgram(program: WebGPUProgram, inputs: tf.TensorInfo[], dtype: tf.DataType, uniforms?: { type: string; data: number[] }[], output?: tf.TensorInfo): tf.TensorInfo;
  makeTensorInfo(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

const WORKGROUP = 64;

/** Column offsets of each layer's output in the activation buffer, and where its weights and biases start in the packed parameters. */
export function recurrenceLayout(widths: number[]) {
  const layers = widths.length - 1;
  const weightAt: number[] = [];
  const biasAt: number[] = [];
  const outputAt: number[] = [];
  let w = 0;
  let col = 0;
  for (let l = 0; l < layers; l++) {
    weightAt.push(w);
    w += widths[l] * widths[l + 1];
    outputAt.push(col);
    col += widths[l + 1];
  }
  for (let l = 0; l < layers; l++) {
    biasAt.push(w);
    w += widths[l + 1];
  }
  return { layers, weightAt, biasAt, outputAt, width: col, parameters: w, widest: Math.max(...widths) };
}

type Layout = ReturnType<typeof recurrenceLayout>;

/**
 * The programs are straight-line code, a statement a unit and a term a weight, so they are compiled for
 * networks of up to this many weights (4x64 has 12,800); larger ones, whose products keep a GPU busy in
 * their own right, run on tfjs's ops.
 */
export const MAX_FUSED_WEIGHTS = 16_384;

/** Whether a network of these layer widths (inputs first) runs on these programs. */
export function fitsFusedRecurrence(widths: number[]): boolean {
  return recurrenceLayout(widths).parameters <= MAX_FUSED_WEIGHTS;
}

function program(name: string, widths: number[], outputShape: number[], paths: number, variableNames: string[], body: string): WebGPUProgram {
  const dims = outputShape.map((_, i) => i);
  return {
    variableNames,
    outputShape,
    shaderKey: `hedge_${name}_${widths.join('x')}_${outputShape.join('x')}`,
    dispatchLayout: { x: dims },
    dispatch: [Math.ceil(paths / WORKGROUP), 1, 1],
    workgroupSize: [WORKGROUP, 1, 1],
    uniforms: 'date : i32,',
    getUserCode: () => body,
  };
}

/** sum_i terms(i) for i < count, as one expression. */
const sum = (count: number, term: (i: number) => string) => Array.from({ length: count }, (_, i) => term(i)).join(' + ');

/**
 * The forward pass of one date, rows of `paths`, into result [T, n, S], as straight-line code: every unit a
 * named value (x{l}_{i}: layer l's input i), so that nothing is indexed at run time but the buffers.
 */
function forwardProgram(widths: number[], steps: number, paths: number, L: Layout): WebGPUProgram {
  const d = widths[L.layers];
  const f = widths[0] - d;
  const S = L.width;
  const lines: string[] = [];
  for (let i = 0; i < f; i++) lines.push(`let x0_${i} = features[(t * ${paths} + row) * ${f} + ${i}];`);
  for (let k = 0; k < d; k++) lines.push(`var x0_${f + k} = 0.0;`, `if (t > 0) { x0_${f + k} = result[row0 - ${paths * S + d} + ${S} + ${k}]; }`);
  for (let l = 0; l < L.layers; l++) {
    const [inputs, outputs] = [widths[l], widths[l + 1]];
    for (let j = 0; j < outputs; j++) {
      const z = `params[${L.biasAt[l] + j}] + ${sum(inputs, (i) => `x${l}_${i} * params[${L.weightAt[l] + i * outputs + j}]`)}`;
      lines.push(`let x${l + 1}_${j} = ${l === L.layers - 1 ? `(${z}) * masks[t * ${d} + ${j}]` : `max(${z}, 0.0)`};`);
      lines.push(`result[row0 + ${L.outputAt[l] + j}] = x${l + 1}_${j};`);
    }
  }
  const body = `
  fn main(row : i32) {
    if (row >= ${paths}) { return; }
    let t = uniforms.date;
    let row0 = (t * ${paths} + row) * ${S};
    ${lines.join('\n    ')}
  }`;
  return program('forward', widths, [steps, paths, S], paths, ['features', 'params', 'masks'], body);
}

/**
 * The backward pass of one date into result [T, n, S + d]: each layer's dz (z{l}_{j}: layer l's output j),
 * then the carry c_t, as straight-line code.
 */
function backwardProgram(widths: number[], steps: number, paths: number, L: Layout): WebGPUProgram {
  const d = widths[L.layers];
  const f = widths[0] - d;
  const S = L.width;
  const Z = S + d;
  const top = L.layers - 1;
  const lines: string[] = [];
  for (let k = 0; k < d; k++) {
    lines.push(`var c${k} = 0.0;`, `if (t + 1 < ${steps}) { c${k} = result[row0 + ${paths * Z + S + k}]; }`);
    lines.push(`let z${top}_${k} = (upstream[(t * ${paths} + row) * ${d} + ${k}] + c${k}) * masks[t * ${d} + ${k}];`);
    lines.push(`result[row0 + ${L.outputAt[top] + k}] = z${top}_${k};`);
  }
  // Layer l's dz to layer l - 1's through W_l and the relu of layer l - 1's output.
  for (let l = top; l > 0; l--) {
    const [inputs, outputs] = [widths[l], widths[l + 1]];
    for (let i = 0; i < inputs; i++) {
      const back = sum(outputs, (j) => `z${l}_${j} * params[${L.weightAt[l] + i * outputs + j}]`);
      lines.push(`let z${l - 1}_${i} = select(0.0, ${back}, acts[act0 + ${L.outputAt[l - 1] + i}] > 0.0);`);
      lines.push(`result[row0 + ${L.outputAt[l - 1] + i}] = z${l - 1}_${i};`);
    }
  }
  for (let k = 0; k < d; k++) lines.push(`result[row0 + ${S + k}] = ${sum(widths[1], (j) => `z0_${j} * params[${L.weightAt[0] + (f + k) * widths[1] + j}]`)};`);
  const body = `
  fn main(row : i32) {
    if (row >= ${paths}) { return; }
    let t = uniforms.date;
    let row0 = (t * ${paths} + row) * ${Z};
    let act0 = (t * ${paths} + row) * ${S};
    ${lines.join('\n    ')}
  }`;
  return program('backward', widths, [steps, paths, Z], paths, ['upstream', 'acts', 'params', 'masks'], body);
}

/**
 * Every parameter's gradient in one pass, the packed layout of the parameters: invocation e is one weight
 * (W_l)_{ij} = sum_r h^l_{ri} dz^l_{rj} or one bias (b_l)_j = sum_r dz^l_{rj}, summed over all T n rows in
 * turn. h^0 is [I_t, delta_{t-1}] read from the features and the activations of the date before.
 */
function gradientProgram(widths: number[], steps: number, paths: number, L: Layout): WebGPUProgram {
  const d = widths[L.layers];
  const f = widths[0] - d;
  const S = L.width;
  const Z = S + d;
  const rows = steps * paths;
  const input = (l: number) =>
    l === 0
      ? `if (i < ${f}) { h = features[r * ${f} + i]; } else if (r >= ${paths}) { h = acts[(r - ${paths}) * ${S} + ${S - d} + i - ${f}]; }`
      : `h = acts[r * ${S} + ${L.outputAt[l - 1]} + i];`;
  const weights = (l: number) => `
    if (e >= ${L.weightAt[l]} && e < ${L.weightAt[l] + widths[l] * widths[l + 1]}) {
      let i = (e - ${L.weightAt[l]}) / ${widths[l + 1]};
      let j = (e - ${L.weightAt[l]}) % ${widths[l + 1]};
      for (var r = 0; r < ${rows}; r++) {
        var h = 0.0;
        ${input(l)}
        s = s + h * zs[r * ${Z} + ${L.outputAt[l]} + j];
      }
    }`;
  const bias = (l: number) => `
    if (e >= ${L.biasAt[l]} && e < ${L.biasAt[l] + widths[l + 1]}) {
      let j = e - ${L.biasAt[l]};
      for (var r = 0; r < ${rows}; r++) { s = s + zs[r * ${Z} + ${L.outputAt[l]} + j]; }
    }`;
  const body = `
  fn main(e : i32) {
    // The bound from the uniforms: a shader that reads none is compiled without their binding, which tfjs still binds.
    if (e >= uniforms.outShape) { return; }
    var s = 0.0;
    ${Array.from({ length: L.layers }, (_, l) => weights(l) + bias(l)).join('\n')}
    result[e] = s;
  }`;
  return { ...program('gradient', widths, [L.parameters], L.parameters, ['features', 'acts', 'zs'], body), uniforms: undefined };
}

/**
 * Runs `prog` once per date, in `order`, into one output buffer. Each run gets its own copy of the program:
 * the backend extends a program's shaderKey with the shapes it runs on, so a reused object would compile a
 * new pipeline every date.
 */
function byDate(backend: GpuBackend, prog: WebGPUProgram, inputs: tf.TensorInfo[], order: number[]): tf.TensorInfo {
  const out = backend.makeTensorInfo(prog.outputShape, 'float32');
  for (const t of order) backend.runWebGPUProgram({ ...prog }, inputs, 'float32', [{ type: 'int32', data: [t] }], out);
  return out;
}

const FORWARD = 'HedgeRecurrenceForward';
const BACKWARD = 'HedgeRecurrenceBackward';
const GRADIENT = 'HedgeRecurrenceGradient';

/** The three kernels, each reading its named inputs (the first shaped [T, n, .]) and the layer widths. */
const KERNELS: [name: string, inputs: string[], run: (backend: GpuBackend, inputs: tf.TensorInfo[], widths: number[], steps: number, paths: number) => tf.TensorInfo][] = [
  [FORWARD, ['features', 'params', 'masks'], (b, x, w, steps, paths) => byDate(b, forwardProgram(w, steps, paths, recurrenceLayout(w)), x, Array.from({ length: steps }, (_, t) => t))],
  [BACKWARD, ['upstream', 'acts', 'params', 'masks'], (b, x, w, steps, paths) => byDate(b, backwardProgram(w, steps, paths, recurrenceLayout(w)), x, Array.from({ length: steps }, (_, t) => steps - 1 - t))],
  [GRADIENT, ['features', 'acts', 'zs'], (b, x, w, steps, paths) => b.runWebGPUProgram(gradientProgram(w, steps, paths, recurrenceLayout(w)), x, 'float32')],
];

function registerOnce(): void {
  if (tf.getKernel(FORWARD, 'webgpu')) return;
  for (const [kernelName, names, run] of KERNELS) {
    tf.registerKernel({
      kernelName,
      backendName: 'webgpu',
      kernelFunc: ({ inputs, attrs, backend }) => {
        const given = names.map((n) => inputs[n]!);
        const [steps, paths] = given[0].shape;
        return run(backend as unknown as GpuBackend, given, attrs!.widths as number[], steps, paths);
      },
    });
  }
}

/**
 * delta [T, n, d] for date-major features [T, n, F], masks [T, d] and the MLP's weights and biases, with the
 * gradient of the parameters written out: hedge-recurrence.ts's formulation, on WebGPU's own programs.
 */
export function fusedHedgeRecurrence(features: tf.Tensor3D, masks: tf.Tensor2D, weights: tf.Tensor2D[], biases: tf.Tensor1D[]): tf.Tensor3D {
  registerOnce();
  const layers = weights.length;
  const widths = [weights[0].shape[0], ...weights.map((w) => w.shape[1])];
  const L = recurrenceLayout(widths);
  const d = widths[layers];
  const recurrence = tf.customGrad((...args) => {
    const save = args.pop() as tf.GradSaveFunc;
    const tensors = args as tf.Tensor[];
    const params = tf.concat([...tensors.slice(0, layers).map((w) => w.reshape([-1])), ...tensors.slice(layers)]);
    const acts = tf.engine().runKernel(FORWARD, { features, params, masks }, { widths }) as tf.Tensor3D;
    const [steps, n] = features.shape;
    save([acts, params, features, masks]);
    return {
      value: acts.slice([0, 0, L.width - d], [steps, n, d]),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [a, p, x, m] = saved as [tf.Tensor3D, tf.Tensor1D, tf.Tensor3D, tf.Tensor2D];
        const zs = tf.engine().runKernel(BACKWARD, { upstream: dy, acts: a, params: p, masks: m }, { widths }) as tf.Tensor3D;
        const packed = tf.engine().runKernel(GRADIENT, { features: x, acts: a, zs }, { widths }) as tf.Tensor1D;
        const sizes = [...widths.slice(1).map((w, l) => widths[l] * w), ...widths.slice(1)];
        const parts = tf.split(packed, sizes);
        const dW = parts.slice(0, layers).map((g, l) => g.reshape([widths[l], widths[l + 1]]));
        const db = parts.slice(layers);
        return [...dW, ...db];
      },
    };
  });
  return recurrence(...weights, ...biases) as tf.Tensor3D;
}
