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

/** What `init` settled on, and why each backend tried before it was passed over. */
export interface BackendReport {
  active: BackendName;
  failures: BackendFailure[];
}
