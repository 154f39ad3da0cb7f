/**
 * A dense layer's parameter gradient on tfjs-backend-wasm as one kernel: for inputs x [K, A] and the
 * pre-activation gradient dz [K, N] over K rows (paths x dates),
 *   dW = x^T dz   [A, N],   db = 1^T dz   [N]   (policies/mlp.ts),
 * written into one [A + 1, N] output (db its last row). tfjs's own product runs XNNPACK's fully connected
 * operator, which packs its right operand anew whenever that tensor is new: over 200,000 rows of 32 the
 * packing takes twice the product itself (~75 ms against ~35 ms), for a tensor used once. This kernel reads
 * x and dz where they lie in the backend's heap (a WebAssembly module of its own, written here in binary,
 * importing the backend's memory) and accumulates cache-sized chunks of rows into register tiles of 4 x 16
 * outputs with 128-bit SIMD: the same sums in another order, so the same values up to float32 rounding.
 * Shapes it does not serve (A not a multiple of 4, N not of 16) keep tfjs's product.
 */
import * as tf from '@tensorflow/tfjs';

const KERNEL = 'DenseWeightGradient';
/** Rows of the output a register tile holds: 4 x 16 outputs in 16 accumulators (beside 4 of dz and a splat, the fastest of 2, 4 and 8 rows measured). */
const TILE_ROWS = 4;
/** Columns of the output a register tile holds: four 128-bit lanes of four. */
const TILE_COLUMNS = 16;
/** Rows of x and dz taken at a time: 128 x 32 floats of each stay in the first-level cache. */
const CHUNK_ROWS = 128;

// ---- WebAssembly binary encoding (the instructions this kernel uses) ----
const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
};
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(byte & 0x40)) || (n === -1 && byte & 0x40)) return [...out, byte];
    out.push(byte | 0x80);
  }
};
const name = (s: string) => [...uleb(s.length), ...new TextEncoder().encode(s)];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];

const I32 = 0x7f;
const V128 = 0x7b;
const get = (l: number) => [0x20, ...uleb(l)];
const set = (l: number) => [0x21, ...uleb(l)];
const i32 = (n: number) => [0x41, ...sleb(n)];
const ADD = 0x6a;
const MUL = 0x6c;
const SHL = 0x74;
const GE_U = 0x4f;
const LT_U = 0x49;
const SELECT = 0x1b;
const f32Load = (offset: number) => [0x2a, 2, ...uleb(offset)];
const v128Load = (offset: number) => [0xfd, 0x00, 0, ...uleb(offset)];
const v128Store = (offset: number) => [0xfd, 0x0b, 0, ...uleb(offset)];
const F32X4_SPLAT = [0xfd, 0x13];
const F32X4_ADD = [0xfd, ...uleb(228)];
const F32X4_MUL = [0xfd, ...uleb(230)];

/** `for (;;) { if (test) break; body }`: block, loop, the exit test, the body, a branch back. */
const loopUntil = (test: number[], body: number[]) => [0x02, 0x40, 0x03, 0x40, ...test, 0x0d, 1, ...body, 0x0c, 0, 0x0b, 0x0b];
const increment = (l: number, by: number[]) => [...get(l), ...by, ADD, ...set(l)];

// Locals: the parameters, then the loop state, then the vectors.
const [X, DZ, OUT, K, A, N] = [0, 1, 2, 3, 4, 5];
const [K0, KEND, A0, N0, ROW, XP, DP, OP, A4, N4] = [6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
const ACC = 16; // TILE_ROWS x 4 accumulators
const D = ACC + TILE_ROWS * 4; // 4 lanes of a row of dz
const S = D + 4; // one element of x, splat
const LANES = [0, 1, 2, 3];
const TILE = Array.from({ length: TILE_ROWS }, (_, i) => i);

/** The output tile's row i: OP + i * N4 bytes. */
const tileRow = (i: number) => [...get(OP), ...get(N4), ...i32(i), MUL, ADD];

/** Accumulates rows [K0, KEND) of x^T dz into the tile at (A0, N0). */
const productTile = [
  ...get(OUT), ...get(A0), ...get(N4), MUL, ADD, ...get(N0), ...i32(2), SHL, ADD, ...set(OP),
  ...TILE.flatMap((i) => LANES.flatMap((j) => [...tileRow(i), ...v128Load(16 * j), ...set(ACC + 4 * i + j)])),
  ...get(K0), ...set(ROW),
  ...get(X), ...get(K0), ...get(A4), MUL, ADD, ...get(A0), ...i32(2), SHL, ADD, ...set(XP),
  ...get(DZ), ...get(K0), ...get(N4), MUL, ADD, ...get(N0), ...i32(2), SHL, ADD, ...set(DP),
  ...loopUntil([...get(ROW), ...get(KEND), GE_U], [
    ...LANES.flatMap((j) => [...get(DP), ...v128Load(16 * j), ...set(D + j)]),
    ...TILE.flatMap((i) => [
      ...get(XP), ...f32Load(4 * i), ...F32X4_SPLAT, ...set(S),
      ...LANES.flatMap((j) => [...get(ACC + 4 * i + j), ...get(S), ...get(D + j), ...F32X4_MUL, ...F32X4_ADD, ...set(ACC + 4 * i + j)]),
    ]),
    ...increment(XP, get(A4)), ...increment(DP, get(N4)), ...increment(ROW, i32(1)),
  ]),
  ...TILE.flatMap((i) => LANES.flatMap((j) => [...tileRow(i), ...get(ACC + 4 * i + j), ...v128Store(16 * j)])),
];

/** Adds rows [K0, KEND) of dz into the output's last row at N0. */
const sumTile = [
  ...get(OUT), ...get(A), ...get(N4), MUL, ADD, ...get(N0), ...i32(2), SHL, ADD, ...set(OP),
  ...LANES.flatMap((j) => [...get(OP), ...v128Load(16 * j), ...set(ACC + j)]),
  ...get(K0), ...set(ROW),
  ...get(DZ), ...get(K0), ...get(N4), MUL, ADD, ...get(N0), ...i32(2), SHL, ADD, ...set(DP),
  ...loopUntil([...get(ROW), ...get(KEND), GE_U], [
    ...LANES.flatMap((j) => [...get(ACC + j), ...get(DP), ...v128Load(16 * j), ...F32X4_ADD, ...set(ACC + j)]),
    ...increment(DP, get(N4)), ...increment(ROW, i32(1)),
  ]),
  ...LANES.flatMap((j) => [...get(OP), ...get(ACC + j), ...v128Store(16 * j)]),
];

const overColumns = (tile: number[]) => [...i32(0), ...set(N0), ...loopUntil([...get(N0), ...get(N), GE_U], [...tile, ...increment(N0, i32(TILE_COLUMNS))])];

/** weightGradient(x, dz, out, K, A, N): byte addresses and sizes; `out` zeroed, [A + 1, N]. */
const body = [
  ...get(A), ...i32(2), SHL, ...set(A4),
  ...get(N), ...i32(2), SHL, ...set(N4),
  ...i32(0), ...set(K0),
  ...loopUntil([...get(K0), ...get(K), GE_U], [
    // KEND = min(K0 + CHUNK_ROWS, K)
    ...get(K0), ...i32(CHUNK_ROWS), ADD, ...get(K), ...get(K0), ...i32(CHUNK_ROWS), ADD, ...get(K), LT_U, SELECT, ...set(KEND),
    ...i32(0), ...set(A0),
    ...loopUntil([...get(A0), ...get(A), GE_U], [...overColumns(productTile), ...increment(A0, i32(TILE_ROWS))]),
    ...overColumns(sumTile),
    ...get(KEND), ...set(K0),
  ]),
  0x0b,
];

/** The module, importing `env.memory` (shared where the backend's is: its threaded binary). */
function moduleBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  const locals = vec([[...uleb(ACC - K0), I32], [...uleb(S + 1 - ACC), V128]]);
  const code = [...locals, ...body];
  const memoryLimits = shared ? [0x03, ...uleb(0), ...uleb(65536)] : [0x00, ...uleb(0)];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec(Array.from({ length: 6 }, () => [I32])), 0]])),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, ...memoryLimits]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...name('weightGradient'), 0x00, 0]])),
    ...section(10, vec([[...uleb(code.length), ...code]])),
  ]);
}

/** What this kernel uses of tfjs-backend-wasm's BackendWasm and its Emscripten module. */
interface WasmBackend {
  wasm: { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory }; HEAPF32: Float32Array };
  dataIdMap: { get(id: tf.DataId): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
}

type WeightGradientFn = (x: number, dz: number, out: number, k: number, a: number, n: number) => void;
const instances = new WeakMap<WebAssembly.Memory, WeightGradientFn>();

function instanceFor(backend: WasmBackend): WeightGradientFn {
  const memory = backend.wasm.wasmMemory ?? backend.wasm.asm?.memory;
  if (!memory) throw new Error('tfjs-backend-wasm exposes no memory to import');
  let fn = instances.get(memory);
  if (!fn) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes(shared)), { env: { memory } });
    fn = instance.exports.weightGradient as WeightGradientFn;
    instances.set(memory, fn);
  }
  return fn;
}

function registerOnce(): void {
  if (tf.getKernel(KERNEL, 'wasm')) return;
  tf.registerKernel({
    kernelName: KERNEL,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const wasm = backend as unknown as WasmBackend;
      const { x, dz } = inputs as Record<string, tf.TensorInfo>;
      const [rows, a] = x.shape as [number, number];
      const n = dz.shape[1]!;
      const out = wasm.makeOutput([a + 1, n], 'float32');
      wasm.typedArrayFromHeap(out).fill(0); // after makeOutput, which may grow (and detach) the heap
      const at = (t: tf.TensorInfo) => wasm.dataIdMap.get(t.dataId).memoryOffset;
      instanceFor(wasm)(at(x), at(dz), at(out), rows, a, n);
      return out;
    },
  });
}

/** Whether `weightGradient` runs this kernel for x [K, a] and dz [K, n] on the active backend. */
export function servesWeightGradient(a: number, n: number): boolean {
  return tf.getBackend() === 'wasm' && a % TILE_ROWS === 0 && n % TILE_COLUMNS === 0;
}

/** [x^T dz; 1^T dz] for x [K, A] and dz [K, N] as one [A + 1, N] tensor (servesWeightGradient must hold). */
export function weightGradient(x: tf.Tensor2D, dz: tf.Tensor2D): tf.Tensor2D {
  registerOnce();
  return tf.engine().runKernel(KERNEL, { x, dz }) as tf.Tensor2D;
}
