/**
 * Kernels of tfjs-backend-wasm that read their input in place instead of copying it.
 * - Identity (what tf.clone and every taped kernel's saved tensors run) copies the tensor on this backend alone;
 *   here it shares the data, counted by reference as the cpu backend does (no wasm kernel writes its inputs).
 * - Slices: the backend's own Slice and Unpack (4.22) read
 * the input with readSync, which copies the whole tensor out of the wasm heap for every slice taken, so cutting
 * a date-major [T, n, u] tensor into its T dates copied it T times: 420 ms for a [20, 10000, 32] unstack, more
 * than the network's own work on those dates. These take each slice from a view of the heap, the output
 * allocated first (an allocation may grow the heap, which detaches the views taken before it). Same values
 * on every dtype the heap holds; strings keep the backend's own kernel.
 */
import * as tf from '@tensorflow/tfjs';

/** What these kernels use of tfjs-backend-wasm's BackendWasm. */
interface WasmHeap {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
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
    to.set(from.subarray(at, at + run), written);
    for (let a = rank - 2; a >= 0 && ++index[a] === size[a]; a--) index[a] = 0;
  }
  return out;
}

/** A tensor sharing x's data. */
function shared(backend: { incRef(dataId: tf.DataId): void }, x: tf.TensorInfo): tf.TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/** Replaces the wasm backend's Identity, Slice and Unpack by the in-place ones (idempotent; the backend must be registered). */
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
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({ kernelName: 'Identity', backendName: 'wasm', kernelFunc: identity as unknown as tf.KernelFunc });
  tf.unregisterKernel('Slice', 'wasm');
  tf.registerKernel({ kernelName: 'Slice', backendName: 'wasm', kernelFunc: slice as unknown as tf.KernelFunc });
  tf.unregisterKernel('Unpack', 'wasm');
  tf.registerKernel({ kernelName: 'Unpack', backendName: 'wasm', kernelFunc: unpack as unknown as tf.KernelFunc });
}
