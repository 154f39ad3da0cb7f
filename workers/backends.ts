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

/** What `init` settled on, why each backend tried before it was passed over, and the WebGPU adapter seen. */
export interface BackendReport {
  active: BackendName;
  failures: BackendFailure[];
  adapter: AdapterInfo | null;
}
