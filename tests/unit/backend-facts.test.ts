/** The backend badge's tooltip line (workers/backends.ts backendFacts): how the active backend runs. */
import { describe, expect, it } from 'vitest';
import { backendFacts } from '../../workers/backends';

describe('backendFacts', () => {
  it('names WASM with SIMD and its threads, and says when the single-threaded binary runs', () => {
    expect(backendFacts({ active: 'wasm', adapter: null, wasm: { simd: true, threadedBinary: true, threads: 2 } })).toBe('wasm · SIMD · 2 threads');
    expect(backendFacts({ active: 'wasm', adapter: null, wasm: { simd: true, threadedBinary: true, threads: 1 } })).toBe('wasm · SIMD · 1 thread');
    expect(backendFacts({ active: 'wasm', adapter: null, wasm: { simd: false, threadedBinary: false, threads: 1 } })).toBe('wasm · 1 thread (single-threaded binary)');
  });

  it('names the WebGPU adapter, and a software one as such; other backends by name', () => {
    expect(backendFacts({ active: 'webgpu', adapter: { description: 'NVIDIA H200', software: false }, wasm: null })).toBe('webgpu · NVIDIA H200');
    expect(backendFacts({ active: 'webgpu', adapter: { description: 'SwiftShader Device', software: true }, wasm: null })).toBe('webgpu · SwiftShader Device (software)');
    expect(backendFacts({ active: 'cpu', adapter: null, wasm: null })).toBe('cpu');
  });
});
