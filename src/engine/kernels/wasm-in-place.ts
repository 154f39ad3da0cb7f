/**
 * Kernels of tfjs-backend-wasm that read their input in place instead of copying it.
 * - Identity (what tf.clone and every taped kernel's saved tensors run) copies the tensor on this backend alone;
 *   here it shares the data, counted by reference as the cpu backend does (no wasm kernel writes its inputs).
 * - Slices: the backend's own Slice and Unpack (4.22) read
 * the input with readSync, which copies the whole tensor out of the wasm heap for every slice taken, so cutting
 * a date-major [T, n, u] tensor into its T dates copied it T times: 420 ms for a [20, 10000, 32] unstack, more
 * than the network's own work on those dates. These take each slice from a view of the heap, the output
 * allocated first (an allocation may grow the heap, which detaches the views taken before it).
 * - Concat: the backend's own copies each outer index's run of each input with a typed array's set, ~100 ns a
 *   call, so joining a date's features [10000, 3] and last holding [10000, 1] took 3.3 ms; short runs here are
 *   copied element by element (as are short slices).
 * Same values on every dtype the heap holds; strings keep the backend's own kernels.
 */
import * as tf from '@tensorflow/tfjs';

/** What these kernels use of tfjs-backend-wasm's BackendWasm. */
interface WasmHeap {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): HeapArray;
}

type HeapArray = Float32Array | Int32Array | Uint8Array;

/** Below this many elements a run is copied element by element: a typed array's set costs ~100 ns a call. */
const SHORT_RUN = 32;

/** to[toAt ..] = from[fromAt .. fromAt + run]. */
function copyRun(from: HeapArray, fromAt: number, to: HeapArray, toAt: number, run: number): void {
  if (run >= SHORT_RUN) to.set(from.subarray(fromAt, fromAt + run), toAt);
  else for (let e = 0; e < run; e++) to[toAt + e] = from[fromAt + e]!;
}

/** x[begin : begin + size] copied run by run (the innermost axis), from and into views of the heap. */
function sliceInPlace(backend: WasmHeap, x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  const from = backend.typedArrayFromHeap(x);
  const to = backend.typedArrayFromHeap(out);
  const strides = tf.util.computeStrides(x.shape);
  if (tf.slice_util.isSliceContinous(x.shape, begin, size)) {
    const at = tf.slice_util.computeFlatOffset(begin, strides);
    to.set(from.subarray(at, at + to.length));
    return out;
  }
  const rank = x.shape.length;
  const run = size[rank - 1];
  const index = new Array<number>(rank - 1).fill(0);
  for (let written = 0; written < to.length; written += run) {
    let at = begin[rank - 1];
    for (let a = 0; a < rank - 1; a++) at += (begin[a] + index[a]) * strides[a];
    copyRun(from, at, to, written, run);
    for (let a = rank - 2; a >= 0 && ++index[a] === size[a]; a--) index[a] = 0;
  }
  return out;
}

/** The inputs joined along `axis`: for each input, its run of each outer index, into a view of the heap. */
function concatInPlace(backend: WasmHeap & { incRef(dataId: tf.DataId): void }, inputs: tf.TensorInfo[], axis: number): tf.TensorInfo {
  const shape = tf.backend_util.computeOutShape(inputs.map((t) => t.shape), axis);
  const parts = inputs.filter((t) => tf.util.sizeFromShape(t.shape) > 0);
  if (parts.length === 1) return { ...shared(backend, parts[0]!), shape };
  const out = backend.makeOutput(shape, inputs[0]!.dtype);
  const to = backend.typedArrayFromHeap(out);
  const outer = tf.util.sizeFromShape(shape.slice(0, axis));
  const width = tf.util.sizeFromShape(shape.slice(axis));
  let column = 0;
  for (const part of parts) {
    const from = backend.typedArrayFromHeap(part);
    const run = tf.util.sizeFromShape(part.shape.slice(axis));
    for (let b = 0; b < outer; b++) copyRun(from, b * run, to, b * width + column, run);
    column += run;
  }
  return out;
}

/** A tensor sharing x's data. */
function shared(backend: { incRef(dataId: tf.DataId): void }, x: tf.TensorInfo): tf.TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/** Replaces the wasm backend's Identity, Slice, Unpack and Concat by these (idempotent; the backend must be registered). */
export function registerWasmInPlaceKernels(): void {
  const own = tf.getKernel('Slice', 'wasm');
  if (!own || (own.kernelFunc as { inPlace?: true }).inPlace) return;
  const ownUnpack = tf.getKernel('Unpack', 'wasm')!;
  const ownIdentity = tf.getKernel('Identity', 'wasm')!;
  const identity = (args: { inputs: tf.NamedTensorInfoMap; backend: unknown }) =>
    args.inputs.x!.dtype === 'string' ? ownIdentity.kernelFunc(args as Parameters<tf.KernelFunc>[0]) : shared(args.backend as { incRef(dataId: tf.DataId): void }, args.inputs.x!);
  const slice = Object.assign(
    (args: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }) => {
      const x = args.inputs.x!;
      if (x.dtype === 'string') return own.kernelFunc(args as Parameters<tf.KernelFunc>[0]);
      const [begin, size] = tf.slice_util.parseSliceParams(x as tf.TensorInfo as tf.Tensor, args.attrs!.begin as number[], args.attrs!.size as number[]);
      return sliceInPlace(args.backend as WasmHeap, x, begin, size);
    },
    { inPlace: true as const },
  );
  const unpack = (args: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }) => {
    const value = args.inputs.value!;
    if (value.dtype === 'string') return ownUnpack.kernelFunc(args as Parameters<tf.KernelFunc>[0]);
    const rank = value.shape.length;
    const axis = tf.util.parseAxisParam(args.attrs!.axis as number, value.shape)[0];
    const shape = value.shape.filter((_, i) => i !== axis);
    const size = value.shape.map((s, i) => (i === axis ? 1 : s));
    return Array.from({ length: value.shape[axis] }, (_, i) => {
      const begin = new Array<number>(rank).fill(0);
      begin[axis] = i;
      return { ...sliceInPlace(args.backend as WasmHeap, value, begin, size), shape };
    });
  };
  const ownConcat = tf.getKernel('Concat', 'wasm')!;
  const concat = (args: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }) => {
    const inputs = args.inputs as unknown as tf.TensorInfo[];
    if (inputs[0]!.dtype === 'string') return ownConcat.kernelFunc(args as Parameters<tf.KernelFunc>[0]);
    const axis = tf.util.parseAxisParam(args.attrs!.axis as number, inputs[0]!.shape)[0]!;
    tf.backend_util.assertParamsConsistent(inputs.map((t) => t.shape), axis);
    return concatInPlace(args.backend as WasmHeap & { incRef(dataId: tf.DataId): void }, inputs, axis);
  };
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({ kernelName: 'Identity', backendName: 'wasm', kernelFunc: identity as unknown as tf.KernelFunc });
  tf.unregisterKernel('Slice', 'wasm');
  tf.registerKernel({ kernelName: 'Slice', backendName: 'wasm', kernelFunc: slice as unknown as tf.KernelFunc });
  tf.unregisterKernel('Unpack', 'wasm');
  tf.registerKernel({ kernelName: 'Unpack', backendName: 'wasm', kernelFunc: unpack as unknown as tf.KernelFunc });
  tf.unregisterKernel('Concat', 'wasm');
  tf.registerKernel({ kernelName: 'Concat', backendName: 'wasm', kernelFunc: concat as unknown as tf.KernelFunc });
}
