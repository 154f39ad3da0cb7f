/**
 * The tfjs backends the lab worker can run on, fastest first (DESIGN.md, "Speed"): WebGPU, then WebGL,
 * then WASM (SIMD, threads where the page is cross-origin isolated), then plain CPU. Constants and types
 * only, so the main thread can import them without pulling tfjs into its bundle.
 */
export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;

export type BackendName = (typeof BACKENDS)[number];

export interface BackendFailure {
  backend: BackendName;
  reason: string;
}

/** The WebGPU adapter, as the browser names it, and whether it is a software rasteriser (no GPU). */
export interface AdapterInfo {
  description: string;
  software: boolean;
}

/** Adapters that run WebGPU on the CPU: SwiftShader (Chromium), llvmpipe / lavapipe (Mesa), WARP (Windows). */
export function isSoftwareAdapter(description: string): boolean {
  return /swiftshader|llvmpipe|lavapipe|software|basic render|warp/i.test(description);
}

/**
 * How the WASM backend runs: with SIMD or not; on the threaded binary or not (tfjs picks it where SIMD and
 * threads are both supported: threads need SharedArrayBuffer, so a cross-origin isolated page); and on
 * how many threads XNNPACK's pool runs (tfjs-backend-wasm caps it at half the logical cores, at least 1 and
 * at most 8, taking two hardware threads per core: a 2-CPU machine gets 1).
 */
export interface WasmInfo {
  simd: boolean;
  threadedBinary: boolean;
  threads: number;
}

/**
 * What `init` settled on, why each backend tried before it was passed over, the WebGPU adapter seen, and on
 * WASM its SIMD and threads (null on other backends).
 */
export interface BackendReport {
  active: BackendName;
  failures: BackendFailure[];
  adapter: AdapterInfo | null;
  wasm: WasmInfo | null;
}

/** The backend in a few words, for the badge's tooltip: "wasm · SIMD · 2 threads", "webgpu · SwiftShader …". */
export function backendFacts(report: Pick<BackendReport, 'active' | 'adapter' | 'wasm'>): string {
  const { active, adapter, wasm } = report;
  if (active === 'wasm' && wasm) {
    const threads = `${wasm.threads} thread${wasm.threads === 1 ? '' : 's'}${wasm.threadedBinary ? '' : ' (single-threaded binary)'}`;
    return [active, ...(wasm.simd ? ['SIMD'] : []), threads].join(' · ');
  }
  if (active === 'webgpu' && adapter) return `${active} · ${adapter.description}${adapter.software ? ' (software)' : ''}`;
  return active;
}
