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
 * read each parameter once for four (the default experiment's step on SwiftShader: 1.60 s -> 0.69 s; the
 * forward program with its parameters as constants takes 5% of the time it takes reading them). The numbers
 * of paths and dates are uniforms, so a network's three pipelines are compiled once and serve every batch.
 * The parameters travel packed in one buffer (W_0 .. W_L row-major, then b_0 .. b_L). Every program reads only
 * whole buffers at offsets it is given, so nothing is sliced per date. The programs are checked against the op
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
 * Each invocation runs a whole network for its paths, serially, so the programs serve networks of up to
 * this many parameters, weights and biases (4x64 on three features has 12,865); larger ones, whose products
 * keep a GPU busy in their own right, run on tfjs's ops.
 */
export const MAX_FUSED_PARAMETERS = 16_384;

/** Whether a network of these layer widths (inputs first) runs on these programs. */
export function fitsFusedRecurrence(widths: number[]): boolean {
  return recurrenceLayout(widths).parameters <= MAX_FUSED_PARAMETERS;
}

/** Paths per invocation of the forward and backward programs, one per component of a vec4 (see forwardProgram). */
const LANE = ['x', 'y', 'z', 'w'];
const LANES = LANE.length;

/**
 * A program of `source`, which depends on the layer widths alone: the numbers of paths and dates are
 * uniforms, so one pipeline serves every batch (the training batch, the test paths, the check).
 */
function program(source: Source, outputShape: number[], invocations: number, variableNames: string[], uniforms: string): WebGPUProgram {
  return {
    variableNames,
    outputShape,
    shaderKey: source.key,
    dispatchLayout: { x: outputShape.map((_, i) => i) },
    dispatch: [Math.ceil(invocations / WORKGROUP), 1, 1],
    workgroupSize: [WORKGROUP, 1, 1],
    uniforms,
    getUserCode: () => source.body,
  };
}

/** A program's WGSL (and, for the gradient, its number of invocations), generated once per network. */
interface Source {
  key: string;
  body: string;
  invocations?: number;
}

const sources = new Map<string, Source>();

function cached(name: string, widths: number[], generate: (widths: number[], L: Layout) => Omit<Source, 'key'>): Source {
  const key = `hedge_${name}_${widths.join('x')}`;
  let source = sources.get(key);
  if (!source) sources.set(key, (source = { key, ...generate(widths, recurrenceLayout(widths)) }));
  return source;
}

/** A vec4 of one value per path of the invocation, `at(row)` reading it for a row index expression. */
const lanes = (at: (row: string) => string) => `vec4<f32>(${LANE.map((_, a) => at(`r${a}`)).join(', ')})`;

/** Statements writing a vec4 of the invocation's paths, `at(row)` the index of a row's element. */
const storeLanes = (at: (row: string) => string, value: string) => LANE.map((c, a) => `result[${at(`r${a}`)}] = ${value}.${c};`).join(' ');

/**
 * The invocation's paths r0 .. r3 (4q .. 4q + 3), the ones past the last path clamped to it: those lanes
 * repeat the last path's arithmetic and write its values again, from the same invocation.
 */
const pathsOfInvocation = `
    let n = uniforms.paths;
    if (q * ${LANES} >= n) { return; }
    ${LANE.map((_, a) => `let r${a} = min(q * ${LANES} + ${a}, n - 1);`).join(' ')}`;

/**
 * The forward pass of one date into result [T, n, S]: a layer's input h and output o as arrays of vec4s,
 * four paths each, so that each parameter is read once for four paths (reading buffers is what a software
 * adapter spends its time on); loops, not straight-line code, which SwiftShader runs no
 * faster and compiles in 24 s rather than 0.7 s (the default network).
 */
function forwardSource(widths: number[], L: Layout) {
  const d = widths[L.layers];
  const f = widths[0] - d;
  const S = L.width;
  const layers = widths.slice(1).map((outputs, l) => {
    const inputs = widths[l];
    const last = l === L.layers - 1;
    return `
    for (var j = 0; j < ${outputs}; j++) {
      var z = vec4<f32>(params[${L.biasAt[l]} + j]);
      for (var i = 0; i < ${inputs}; i++) { z = z + h[i] * params[${L.weightAt[l]} + i * ${outputs} + j]; }
      ${last ? `z = z * f32(masks[t * ${d} + j]);` : 'z = max(z, vec4<f32>(0.0));'}
      o[j] = z;
      ${storeLanes((r) => `(t * n + ${r}) * ${S} + ${L.outputAt[l]} + j`, 'z')}
    }${last ? '' : `
    for (var j = 0; j < ${outputs}; j++) { h[j] = o[j]; }`}`;
  });
  const body = `
  fn main(q : i32) {${pathsOfInvocation}
    let t = uniforms.date;
    var h : array<vec4<f32>, ${L.widest}>;
    var o : array<vec4<f32>, ${L.widest}>;
    for (var i = 0; i < ${f}; i++) { h[i] = ${lanes((r) => `features[(t * n + ${r}) * ${f} + i]`)}; }
    if (t > 0) {
      for (var k = 0; k < ${d}; k++) { h[${f} + k] = ${lanes((r) => `result[((t - 1) * n + ${r}) * ${S} + ${S - d} + k]`)}; }
    }${layers.join('')}
  }`;
  return { body };
}

/**
 * The backward pass of one date into result [T, n, S + d]: each layer's dz, then the carry c_t, over arrays
 * of vec4s of four paths, like the forward pass (g: the dz of a layer's outputs, p: of its inputs).
 */
function backwardSource(widths: number[], L: Layout) {
  const d = widths[L.layers];
  const f = widths[0] - d;
  const S = L.width;
  const Z = S + d;
  const top = L.layers - 1;
  const dz = (col: string) => (r: string) => `(t * n + ${r}) * ${Z} + ${col}`;
  const layers: string[] = [];
  // Layer l's dz to layer l - 1's through W_l and the relu of layer l - 1's output.
  for (let l = top; l > 0; l--) {
    const [inputs, outputs] = [widths[l], widths[l + 1]];
    layers.push(`
    for (var i = 0; i < ${inputs}; i++) {
      var s = vec4<f32>(0.0);
      for (var j = 0; j < ${outputs}; j++) { s = s + g[j] * params[${L.weightAt[l]} + i * ${outputs} + j]; }
      let z = select(vec4<f32>(0.0), s, ${lanes((r) => `acts[(t * n + ${r}) * ${S} + ${L.outputAt[l - 1]} + i]`)} > vec4<f32>(0.0));
      p[i] = z;
      ${storeLanes(dz(`${L.outputAt[l - 1]} + i`), 'z')}
    }
    for (var i = 0; i < ${inputs}; i++) { g[i] = p[i]; }`);
  }
  const body = `
  fn main(q : i32) {${pathsOfInvocation}
    let t = uniforms.date;
    var g : array<vec4<f32>, ${L.widest}>;
    var p : array<vec4<f32>, ${L.widest}>;
    for (var k = 0; k < ${d}; k++) {
      var c = vec4<f32>(0.0);
      if (t + 1 < uniforms.steps) { c = ${lanes((r) => `result[((t + 1) * n + ${r}) * ${Z} + ${S} + k]`)}; }
      let z = (${lanes((r) => `upstream[(t * n + ${r}) * ${d} + k]`)} + c) * f32(masks[t * ${d} + k]);
      g[k] = z;
      ${storeLanes(dz(`${L.outputAt[top]} + k`), 'z')}
    }${layers.join('')}
    for (var k = 0; k < ${d}; k++) {
      var c = vec4<f32>(0.0);
      for (var j = 0; j < ${widths[1]}; j++) { c = c + g[j] * params[${L.weightAt[0]} + (${f} + k) * ${widths[1]} + j]; }
      ${storeLanes(dz(`${S} + k`), 'c')}
    }
  }`;
  return { body };
}

/**
 * Every parameter's gradient in one pass, into the packed layout of the parameters. Invocation e is a tile
 * of up to 4 x 4 weights (W_l)_{ij} = sum_r h^l_{ri} dz^l_{rj}, or of up to 4 biases (b_l)_j = sum_r dz^l_{rj},
 * summed over all T n rows in turn: a row's 4 + 4 values serve 16 sums. h^0 is [I_t, delta_{t-1}] read from
 * the features and the activations of the date before. Tiles at a layer's edge read its last row or column
 * again and write only their own entries.
 */
function gradientSource(widths: number[], L: Layout) {
  const d = widths[L.layers];
  const f = widths[0] - d;
  const S = L.width;
  const Z = S + d;
  const tiles = (n: number) => Math.ceil(n / LANE.length);
  const input = (l: number, a: number) =>
    l === 0
      ? `if (i${a} < ${f}) { h${a} = features[r * ${f} + i${a}]; } else if (r >= n) { h${a} = acts[(r - n) * ${S} + ${S - d} + i${a} - ${f}]; }`
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
      for (var r = 0; r < uniforms.steps * n; r++) {
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
      for (var r = 0; r < uniforms.steps * n; r++) { s = s + ${dz(l)}; }
      ${LANE.map((c, b) => `if (tj + ${b} < ${outputs}) { result[${L.biasAt[l]} + tj + ${b}] = s.${c}; }`).join(' ')}
    }`);
    first += tiles(outputs);
  }
  const body = `
  fn main(e : i32) {
    if (e >= uniforms.tiles) { return; }
    let n = uniforms.paths;
    ${blocks.join('\n')}
  }`;
  return { body, invocations: first };
}

/**
 * Runs `prog` once per date, in `order`, into one output buffer. Each run gets its own copy of the program:
 * the backend extends a program's shaderKey with the shapes it runs on, so a reused object would compile a
 * new pipeline every date.
 */
function byDate(backend: GpuBackend, prog: WebGPUProgram, inputs: tf.TensorInfo[], order: number[]): tf.TensorInfo {
  const [steps, paths] = prog.outputShape;
  const out = backend.makeTensorInfo(prog.outputShape, 'float32');
  for (const t of order) backend.runWebGPUProgram({ ...prog }, inputs, 'float32', [t, paths, steps].map((v) => ({ type: 'int32', data: [v] })), out);
  return out;
}

const FORWARD = 'HedgeRecurrenceForward';
const BACKWARD = 'HedgeRecurrenceBackward';
const GRADIENT = 'HedgeRecurrenceGradient';
const BY_DATE = 'date : i32, paths : i32, steps : i32,';

/** The three kernels, each reading its named inputs (the first shaped [T, n, .]) and the layer widths. */
const KERNELS: [name: string, inputs: string[], run: (backend: GpuBackend, inputs: tf.TensorInfo[], widths: number[], steps: number, paths: number, names: string[]) => tf.TensorInfo][] = [
  [
    FORWARD,
    ['features', 'params', 'masks'],
    (b, x, w, steps, paths, names) => {
      const prog = program(cached('forward', w, forwardSource), [steps, paths, recurrenceLayout(w).width], Math.ceil(paths / LANES), names, BY_DATE);
      return byDate(b, prog, x, Array.from({ length: steps }, (_, t) => t));
    },
  ],
  [
    BACKWARD,
    ['upstream', 'acts', 'params', 'masks'],
    (b, x, w, steps, paths, names) => {
      const L = recurrenceLayout(w);
      const prog = program(cached('backward', w, backwardSource), [steps, paths, L.width + w[L.layers]], Math.ceil(paths / LANES), names, BY_DATE);
      return byDate(b, prog, x, Array.from({ length: steps }, (_, t) => steps - 1 - t));
    },
  ],
  [
    GRADIENT,
    ['features', 'acts', 'zs'],
    (b, x, w, steps, paths, names) => {
      const source = cached('gradient', w, gradientSource);
      const prog = program(source, [recurrenceLayout(w).parameters], source.invocations!, names, 'tiles : i32, paths : i32, steps : i32,');
      return b.runWebGPUProgram(prog, x, 'float32', [source.invocations!, paths, steps].map((v) => ({ type: 'int32', data: [v] })));
    },
  ],
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
        return run(backend as unknown as GpuBackend, given, attrs!.widths as number[], steps, paths, names);
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
