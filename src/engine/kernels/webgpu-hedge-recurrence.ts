/**
 * The deep hedger's recurrence (policies/hedge-recurrence.ts) on WebGPU as three compute programs, one pass a
 * date each way, in place of about seven tfjs kernels a date forward and sixteen backward (each its own
 * dispatch, and on a GPU a step's time is mostly its dispatches):
 * - forward, one invocation per four paths (a vec4 each value): h^0 = [I_t, delta_{t-1}], h^{l+1} =
 *   relu(h^l W_l + b_l), delta_t = m_t (h^L W_L + b_L), every layer's output written to the row's slot of one
 *   [T, n, S] buffer of activations (S = the layers' widths summed); date t reads delta_{t-1} from that
 *   buffer's date t - 1.
 * - backward (the adjoints of hedge-recurrence.ts), one invocation per four paths from t = T - 1 down:
 *   g_t = (dLoss/d delta_t + c_{t+1}) m_t, dz^l = (dz^{l+1} W_{l+1}^T) * 1[h^{l+1} > 0], c_t = dz^0 W_p^T,
 *   into one [T, n, S + d] buffer (each layer's dz in its activation's columns, then c_t).
 * - the parameters' gradients, dW_l = sum over all T n rows of h^l dz^l (and db_l of dz^l), one invocation per
 *   4 x 4 tile of parameters in one pass: no workgroup memory and no barriers, which software adapters run
 *   slowly and which tfjs's products and column sums with a long inner dimension use throughout.
 * A software adapter (SwiftShader) spends its time reading buffers, one read a lane: four paths an invocation
 * read each parameter once for four (SwiftShader, default experiment's step: 1.60 s -> 0.69 s; the forward
 * program with its parameters as constants takes 5% of the time it takes reading them).
 * The parameters travel packed in one buffer (W_0 .. W_L row-major, then b_0 .. b_L). Every program reads only
 * whole buffers at offsets it is given, so nothing is sliced per date. The pair is checked against the op
 * formulation on the adapter in use before it is used (kernels/fused-check.ts); where it disagrees, the ops run.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

/** What these kernels use of tfjs-backend-webgpu's WebGPUBackend. */
export interface GpuBackend {
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

/** Paths per invocation of the forward and backward programs, one per component of a vec4 (see forwardProgram). */
const LANE = ['x', 'y', 'z', 'w'];
const LANES = LANE.length;

function program(name: string, widths: number[], outputShape: number[], invocations: number, variableNames: string[], body: string): WebGPUProgram {
  const dims = outputShape.map((_, i) => i);
  return {
    variableNames,
    outputShape,
    shaderKey: `hedge_${name}_${widths.join('x')}_${outputShape.join('x')}`,
    dispatchLayout: { x: dims },
    dispatch: [Math.ceil(invocations / WORKGROUP), 1, 1],
    workgroupSize: [WORKGROUP, 1, 1],
    uniforms: 'date : i32,',
    getUserCode: () => body,
  };
}

/** sum_i terms(i) for i < count, as one expression. */
const sum = (count: number, term: (i: number) => string) => Array.from({ length: count }, (_, i) => term(i)).join(' + ');

/** A vec4 of one value per path of the invocation, `at(row)` reading it for a row index expression. */
const lanes = (at: (row: string) => string) => `vec4<f32>(${LANE.map((_, a) => at(`r${a}`)).join(', ')})`;

/** Statements writing a vec4 of the invocation's paths, `at(row)` the index of a row's element. */
const storeLanes = (at: (row: string) => string, value: string) => LANE.map((c, a) => `result[${at(`r${a}`)}] = ${value}.${c};`).join(' ');

/**
 * The invocation's paths r0 .. r3 (4q .. 4q + 3), the ones past the last path clamped to it: those lanes
 * repeat the last path's arithmetic and write its values again, from the same invocation.
 */
const pathsOfInvocation = (paths: number) => `
    if (q * ${LANES} >= ${paths}) { return; }
    ${LANE.map((_, a) => `let r${a} = min(q * ${LANES} + ${a}, ${paths - 1});`).join(' ')}`;

/**
 * The forward pass of one date, rows of `paths`, into result [T, n, S], as straight-line code: every unit a
 * named value (x{l}_{i}: layer l's input i), a vec4 of four paths, so that each parameter is read once for
 * four paths (reading the parameters is what a software adapter spends its time on) and nothing is indexed at run time but the buffers.
 */
function forwardProgram(widths: number[], steps: number, paths: number, L: Layout): WebGPUProgram {
  const d = widths[L.layers];
  const f = widths[0] - d;
  const S = L.width;
  const at = (col: number) => (r: string) => `(t * ${paths} + ${r}) * ${S} + ${col}`;
  const lines: string[] = [];
  for (let i = 0; i < f; i++) lines.push(`let x0_${i} = ${lanes((r) => `features[(t * ${paths} + ${r}) * ${f} + ${i}]`)};`);
  for (let k = 0; k < d; k++) lines.push(`var x0_${f + k} = vec4<f32>(0.0);`, `if (t > 0) { x0_${f + k} = ${lanes((r) => `result[((t - 1) * ${paths} + ${r}) * ${S} + ${S - d + k}]`)}; }`);
  for (let l = 0; l < L.layers; l++) {
    const [inputs, outputs] = [widths[l], widths[l + 1]];
    for (let j = 0; j < outputs; j++) {
      const w = (i: number) => L.weightAt[l] + i * outputs + j;
      const z = `params[${L.biasAt[l] + j}] + ${sum(inputs, (i) => `x${l}_${i} * params[${w(i)}]`)}`;
      lines.push(`let x${l + 1}_${j} = ${l === L.layers - 1 ? `(${z}) * f32(masks[t * ${d} + ${j}])` : `max(${z}, vec4<f32>(0.0))`};`);
      lines.push(storeLanes(at(L.outputAt[l] + j), `x${l + 1}_${j}`));
    }
  }
  const body = `
  fn main(q : i32) {${pathsOfInvocation(paths)}
    let t = uniforms.date;
    ${lines.join('\n    ')}
  }`;
  return program('forward', widths, [steps, paths, S], Math.ceil(paths / LANES), ['features', 'params', 'masks'], body);
}

/**
 * The backward pass of one date into result [T, n, S + d]: each layer's dz (z{l}_{j}: layer l's output j),
 * then the carry c_t, as straight-line code over vec4s of four paths, like the forward pass.
 */
function backwardProgram(widths: number[], steps: number, paths: number, L: Layout): WebGPUProgram {
  const d = widths[L.layers];
  const f = widths[0] - d;
  const S = L.width;
  const Z = S + d;
  const top = L.layers - 1;
  const at = (date: string, width: number, col: number) => (r: string) => `(${date} * ${paths} + ${r}) * ${width} + ${col}`;
  const lines: string[] = [];
  for (let k = 0; k < d; k++) {
    lines.push(`var c${k} = vec4<f32>(0.0);`, `if (t + 1 < ${steps}) { c${k} = ${lanes((r) => `result[${at('(t + 1)', Z, S + k)(r)}]`)}; }`);
    lines.push(`let z${top}_${k} = (${lanes((r) => `upstream[(t * ${paths} + ${r}) * ${d} + ${k}]`)} + c${k}) * f32(masks[t * ${d} + ${k}]);`);
    lines.push(storeLanes(at('t', Z, L.outputAt[top] + k), `z${top}_${k}`));
  }
  // Layer l's dz to layer l - 1's through W_l and the relu of layer l - 1's output.
  for (let l = top; l > 0; l--) {
    const [inputs, outputs] = [widths[l], widths[l + 1]];
    for (let i = 0; i < inputs; i++) {
      const w = (j: number) => L.weightAt[l] + i * outputs + j;
      const back = sum(outputs, (j) => `z${l}_${j} * params[${w(j)}]`);
      lines.push(`let z${l - 1}_${i} = select(vec4<f32>(0.0), ${back}, ${lanes((r) => `acts[${at('t', S, L.outputAt[l - 1] + i)(r)}]`)} > vec4<f32>(0.0));`);
      lines.push(storeLanes(at('t', Z, L.outputAt[l - 1] + i), `z${l - 1}_${i}`));
    }
  }
  for (let k = 0; k < d; k++) {
    const w = (j: number) => L.weightAt[0] + (f + k) * widths[1] + j;
    lines.push(`let carry${k} = ${sum(widths[1], (j) => `z0_${j} * params[${w(j)}]`)};`);
    lines.push(storeLanes(at('t', Z, S + k), `carry${k}`));
  }
  const body = `
  fn main(q : i32) {${pathsOfInvocation(paths)}
    let t = uniforms.date;
    ${lines.join('\n    ')}
  }`;
  return program('backward', widths, [steps, paths, Z], Math.ceil(paths / LANES), ['upstream', 'acts', 'params', 'masks'], body);
}

/**
 * Every parameter's gradient in one pass, into the packed layout of the parameters. Invocation e is a tile
 * of up to 4 x 4 weights (W_l)_{ij} = sum_r h^l_{ri} dz^l_{rj}, or of up to 4 biases (b_l)_j = sum_r dz^l_{rj},
 * summed over all T n rows in turn: a row's 4 + 4 values serve 16 sums. h^0 is [I_t, delta_{t-1}] read from
 * the features and the activations of the date before. Tiles at a layer's edge read its last row or column
 * again and write only their own entries.
 */
function gradientProgram(widths: number[], steps: number, paths: number, L: Layout): WebGPUProgram & { tiles: number } {
  const d = widths[L.layers];
  const f = widths[0] - d;
  const S = L.width;
  const Z = S + d;
  const rows = steps * paths;
  const tiles = (n: number) => Math.ceil(n / LANE.length);
  const input = (l: number, a: number) =>
    l === 0
      ? `if (i${a} < ${f}) { h${a} = features[r * ${f} + i${a}]; } else if (r >= ${paths}) { h${a} = acts[(r - ${paths}) * ${S} + ${S - d} + i${a} - ${f}]; }`
      : `h${a} = acts[r * ${S} + ${L.outputAt[l - 1]} + i${a}];`;
  const dz = (l: number) => `vec4<f32>(${LANE.map((_, b) => `zs[r * ${Z} + ${L.outputAt[l]} + j${b}]`).join(', ')})`;
  const columns = (outputs: number, j0: string) => LANE.map((_, b) => `let j${b} = min(${j0} + ${b}, ${outputs - 1});`).join(' ');
  const blocks: string[] = [];
  let first = 0;
  for (let l = 0; l < L.layers; l++) {
    const [inputs, outputs] = [widths[l], widths[l + 1]];
    const count = tiles(inputs) * tiles(outputs);
    blocks.push(`
    if (e >= ${first} && e < ${first + count}) {
      let ti = ((e - ${first}) / ${tiles(outputs)}) * ${LANE.length};
      let tj = ((e - ${first}) % ${tiles(outputs)}) * ${LANE.length};
      ${LANE.map((_, a) => `let i${a} = min(ti + ${a}, ${inputs - 1});`).join(' ')}
      ${columns(outputs, 'tj')}
      ${LANE.map((_, a) => `var s${a} = vec4<f32>(0.0);`).join(' ')}
      for (var r = 0; r < ${rows}; r++) {
        ${LANE.map((_, a) => `var h${a} = 0.0;`).join(' ')}
        ${LANE.map((_, a) => input(l, a)).join('\n        ')}
        let z = ${dz(l)};
        ${LANE.map((_, a) => `s${a} = s${a} + h${a} * z;`).join(' ')}
      }
      ${LANE.map((_, a) => LANE.map((c, b) => `if (ti + ${a} < ${inputs} && tj + ${b} < ${outputs}) { result[${L.weightAt[l]} + (ti + ${a}) * ${outputs} + tj + ${b}] = s${a}.${c}; }`).join(' ')).join('\n      ')}
    }`);
    first += count;
  }
  for (let l = 0; l < L.layers; l++) {
    const outputs = widths[l + 1];
    blocks.push(`
    if (e >= ${first} && e < ${first + tiles(outputs)}) {
      let tj = (e - ${first}) * ${LANE.length};
      ${columns(outputs, 'tj')}
      var s = vec4<f32>(0.0);
      for (var r = 0; r < ${rows}; r++) { s = s + ${dz(l)}; }
      ${LANE.map((c, b) => `if (tj + ${b} < ${outputs}) { result[${L.biasAt[l]} + tj + ${b}] = s.${c}; }`).join(' ')}
    }`);
    first += tiles(outputs);
  }
  const body = `
  fn main(e : i32) {
    if (e >= uniforms.tiles) { return; }
    ${blocks.join('\n')}
  }`;
  return { ...program('gradient', widths, [L.parameters], first, ['features', 'acts', 'zs'], body), uniforms: 'tiles : i32,', tiles: first };
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
  [GRADIENT, ['features', 'acts', 'zs'], (b, x, w, steps, paths) => {
    const prog = gradientProgram(w, steps, paths, recurrenceLayout(w));
    return b.runWebGPUProgram(prog, x, 'float32', [{ type: 'int32', data: [prog.tiles] }]);
  }],
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
