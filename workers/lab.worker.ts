/**
 * The lab's Web Worker: a thin comlink adapter around the engine's `runExperiment`, `marketPreview`,
 * `measureSpeed` and `estimateRun` (DESIGN.md, "Layers"). It starts tfjs backends, runs one experiment at a
 * time and forwards every event to the main thread; price data (data-driven markets) and option quotes
 * arrive with each call, as the engine takes them. Between two events it yields a macrotask, so that a Stop posted by the page is
 * delivered on every backend (DESIGN.md, "Responsive workers").
 */
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { PricePanel } from '../src/engine/data/price-panel';
import type { OptionQuotes } from '../src/engine/data/option-quotes';
import { marketPreview, type PreviewResult } from '../src/engine/experiment/market-preview';
import { runExperiment } from '../src/engine/experiment/run-experiment';
import type { Experiment } from '../src/engine/experiment/schema';
import type { RunEvent } from '../src/engine/experiment/events';
import { measureSpeed } from '../src/engine/experiment/backend-speed';
import { registerWasmInPlaceKernels } from '../src/engine/kernels/wasm-in-place';
import type { SpeedCalibration } from '../src/engine/experiment/speed-calibration';
import { estimateRun, type RunEstimate } from '../src/engine/experiment/run-cost';
import { BACKENDS, isSoftwareAdapter, type AdapterInfo, type BackendFailure, type BackendName, type BackendReport, type WasmInfo } from './backends';

registerWasmInPlaceKernels();
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
});

/** The run or speed measurement in progress: `stop` aborts it. */
let controller: AbortController | null = null;

/**
 * One macrotask: on wasm and cpu an awaited tfjs read resolves in a microtask, so a loop of them never lets
 * the worker's message queue run; a MessageChannel round trip does, without setTimeout's 4 ms clamp.
 */
function macrotask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** The WebGPU adapter the browser offers, in its own words (GPUAdapterInfo), or null. */
async function webgpuAdapter(): Promise<AdapterInfo | null> {
  const adapter = await navigator.gpu?.requestAdapter();
  if (!adapter) return null;
  const info = adapter.info;
  const description = [info.description, info.vendor, info.architecture, info.device].filter(Boolean).join(' ').trim() || 'unnamed adapter';
  const fallback = (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter ?? false;
  return { description, software: fallback || isSoftwareAdapter(description) };
}

/** The running WASM backend's SIMD and binary, as tfjs chose them from these flags, and its threads. */
async function wasmInfo(): Promise<WasmInfo> {
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  const threads = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
  return { simd, threadedBinary: simd && threads, threads: getThreadsCount() };
}

/**
 * Activates one backend. tfjs reports a failed initialisation only through console.warn, so the warnings
 * printed meanwhile are kept as the reason a person reads.
 */
async function activate(name: BackendName): Promise<string | null> {
  if (!tf.engine().backendNames().includes(name)) {
    return name === 'webgpu' ? 'this browser exposes no WebGPU (navigator.gpu) to workers' : 'not registered';
  }
  if (name === 'webgpu' && !(await navigator.gpu.requestAdapter())) {
    return 'the browser offers no WebGPU adapter (no GPU, or WebGPU is disabled or blocklisted)';
  }
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => warnings.push(args.map(String).join(' '));
  try {
    if ((await tf.setBackend(name)) && tf.getBackend() === name) {
      await tf.ready();
      return null;
    }
    return warnings.slice(1).join(' ').split('\n')[0] || 'initialisation failed';
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  } finally {
    console.warn = warn;
  }
}

/**
 * Buffers that move to the main thread without a copy: only arrays the engine makes afresh for each event
 * (a surface's grids, a paths event's times and spots). Positions and histograms stay cloned: the engine
 * keeps them between events (each strategy's sample positions are resent in every paths event).
 */
function transferables(ev: RunEvent): ArrayBuffer[] {
  const arrays: ArrayBufferView[] = [];
  if (ev.type === 'surface') arrays.push(ev.logMoneyness, ev.timeToMaturity, ev.hedge, ...(ev.reference ? [ev.reference] : []));
  if (ev.type === 'paths') arrays.push(ev.times, ...ev.spot);
  const buffers = arrays.map((a) => a.buffer).filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
  return [...new Set(buffers)];
}

const api = {
  /**
   * Starts `force`, or the first of `candidates` (BACKENDS by default) that initialises; the report lists the
   * ones passed over and, when WebGPU is among them, its adapter.
   */
  async init(force: BackendName | null, candidates: readonly BackendName[] = BACKENDS): Promise<BackendReport> {
    const failures: BackendFailure[] = [];
    const adapter = (force ? force === 'webgpu' : candidates.includes('webgpu')) ? await webgpuAdapter() : null;
    for (const backend of force ? [force] : candidates) {
      const reason = await activate(backend);
      if (reason === null) return { active: backend, failures, adapter, wasm: backend === 'wasm' ? await wasmInfo() : null };
      failures.push({ backend, reason });
    }
    const list = failures.map((f) => `${f.backend}: ${f.reason}`).join('; ');
    throw new Error(`no tfjs backend could start: ${list}`);
  },

  /** Switches to `backend` (already started by `init`) and measures how fast it trains (engine's measureSpeed). */
  async measure(backend: BackendName, budgetSeconds: number): Promise<SpeedCalibration> {
    controller = new AbortController();
    try {
      const reason = await activate(backend);
      if (reason !== null) throw new Error(`${backend} could not start: ${reason}`);
      return await measureSpeed(backend, budgetSeconds, controller.signal);
    } finally {
      controller = null;
    }
  },

  /** The time `config` should take on the calibrated backend (engine's estimateRun, with the page's live scoring). */
  estimate(config: Experiment, data: PricePanel | null, calibration: SpeedCalibration): RunEstimate {
    return estimateRun(config, calibration, { dataSymbols: data?.symbols.length, dataDates: data?.dates.length });
  },

  /**
   * Runs one experiment, sending every event to the main thread's `onEvent` without waiting for each;
   * resolves when the run has ended and the main thread has received every event.
   */
  async run(config: Experiment, data: PricePanel | null, onEvent: (ev: RunEvent) => unknown, quotes: OptionQuotes | null = null): Promise<void> {
    controller = new AbortController();
    /** The latest delivery: calls on one channel are answered in order, so it settles after all others. */
    let delivered: unknown;
    try {
      for await (const ev of runExperiment(config, { signal: controller.signal, backend: tf.getBackend(), data: data ?? undefined, quotes: quotes ?? undefined })) {
        delivered = onEvent(Comlink.transfer(ev, transferables(ev)));
        await macrotask();
      }
    } catch (e) {
      delivered = onEvent({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    } finally {
      controller = null;
      await delivered;
      // `onEvent` arrives as a comlink proxy (Comlink.proxy on the main thread): close its channel.
      (onEvent as unknown as Comlink.ProxyMethods)[Comlink.releaseProxy]();
    }
  },

  /** The market picker's preview: fan chart bands, the data split and regimes, the Heston smile. */
  preview(config: Experiment, data: PricePanel | null): PreviewResult {
    const result = marketPreview(config, data ?? undefined);
    return result.ok ? Comlink.transfer(result, result.preview.bands.map((b) => b.buffer as ArrayBuffer)) : result;
  },

  /** Aborts the current run or measurement; the engine stops within one training step. */
  stop(): void {
    controller?.abort();
  },
};

export type LabWorkerApi = typeof api;

Comlink.expose(api);
