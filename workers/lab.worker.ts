/**
 * The lab's Web Worker: a thin comlink adapter around the engine's `runExperiment`, `marketPreview`,
 * `measureSpeed` and `estimateRun` (DESIGN.md, "Layers"). It starts tfjs backends, runs one experiment at a
 * time and forwards every event to the main thread; price data (data-driven markets) and option quotes
 * arrive with each call, as the engine takes them. Between two events it yields a macrotask, so that a Stop posted by the page is
 * delivered on every backend (DESIGN.md, "Responsive workers").
 *
 * A forecaster market's trained forecaster (paper 000 §2) is kept for as long as the worker lives, and in
 * IndexedDB across reloads, so that the next run on the same data, split, settings and seed reuses it
 * (RunOptions.kept); it can be saved as a file
 * (tfjs's model JSON and weights, forecast/forecaster-file.ts; the page builds the download, a worker has no
 * DOM) and a file loaded back in its place (DESIGN.md, "Trained models"). So are a signature-diffusion
 * market's generators (paper 003 §3.3), one per traded asset, for as long as the worker lives, saved as one
 * JSON file and loaded back (experiment/generator-files.ts).
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
import { runForecast } from '../src/engine/experiment/run-forecast';
import { runGeneration } from '../src/engine/experiment/run-generation';
import { generatorKey, keepGenerators, type GeneratorHolder, type KeptGenerator } from '../src/engine/experiment/diffusion-phase';
import { generatorFile, GeneratorFileError, generatorsFromFile } from '../src/engine/experiment/generator-files';
import { selectedSymbols } from '../src/engine/experiment/market';
import type { Experiment } from '../src/engine/experiment/schema';
import type { RunEvent } from '../src/engine/experiment/events';
import { measureSpeed } from '../src/engine/experiment/backend-speed';
import { registerWasmInPlaceKernels } from '../src/engine/kernels/wasm-in-place';
import type { SpeedCalibration } from '../src/engine/experiment/speed-calibration';
import { estimateRun, type RunEstimate } from '../src/engine/experiment/run-cost';
import { fanFrom, forecasterKey, forecasterManifest, keepForecaster, type ForecasterHolder, type KeptForecaster } from '../src/engine/experiment/forecaster-phase';
import type { ForecastReport } from '../src/engine/experiment/events';
import { MarketDataError } from '../src/engine/experiment/market';
import { ForecasterFileError, saveForecaster, type ForecasterManifest } from '../src/engine/forecast/forecaster-file';
import { forecasterFiles, forecasterFromFiles, forecasterFromHandler, type ForecasterFiles } from '../src/engine/experiment/forecaster-files';
export type { ForecasterFiles } from '../src/engine/experiment/forecaster-files';
import { BACKENDS, isSoftwareAdapter, type AdapterInfo, type BackendFailure, type BackendName, type BackendReport, type WasmInfo } from './backends';

registerWasmInPlaceKernels();
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
});

/** The run or speed measurement in progress: `stop` aborts it. */
let controller: AbortController | null = null;

/** The forecaster and the generators this worker keeps between runs (runExperiment replaces and disposes them). */
const kept: ForecasterHolder & GeneratorHolder = {};

/** The file each kept generator was loaded from (none: trained here). */
const generatorSource = new WeakMap<KeptGenerator, string>();

/** What the page shows of the kept generators of an experiment's traded assets. */
export interface KeptGeneratorsInfo {
  assets: { asset: string; trainedEpochs: number; loss: number; loadedFrom: string | null }[];
}

/** The kept generators of `config`'s traded assets, in order (empty where it is not a signature-diffusion market, or a generator is missing). */
function generatorsOf(config: Experiment, data: PricePanel | null): KeptGenerator[] {
  const m = config.market;
  if (m.model !== 'signature-diffusion' || !data) return [];
  let symbols: string[];
  try {
    symbols = selectedSymbols(m, data).slice(0, config.instruments.hedgeSet ?? Infinity).map((i) => data.symbols[i]!);
  } catch {
    return [];
  }
  const found = symbols.map((asset) => kept.generators?.find((g) => g.key === generatorKey(config, m, asset)));
  return found.every((g) => g !== undefined) ? (found as KeptGenerator[]) : [];
}

/** The file manifest of the kept forecaster: from the run that trained or reused it, or from the file it was loaded from. */
let keptFile: { of: KeptForecaster; manifest: ForecasterManifest; loadedFrom: string | null } | null = null;

/** What the page shows of the kept forecaster (null: none). */
export interface KeptForecasterInfo {
  /** What it was trained on, as forecasterKey says it (compared with the form's experiment). */
  key: string;
  market: string;
  assets: string[];
  trainedEpochs: number;
  validationNll: number;
  /** The file it was loaded from, or null when a run in this tab trained it. */
  loadedFrom: string | null;
}

function keptInfo(): KeptForecasterInfo | null {
  if (!kept.forecaster || keptFile?.of !== kept.forecaster) return null;
  const { manifest, loadedFrom } = keptFile;
  return { key: kept.forecaster.key, market: manifest.market, assets: manifest.assets, trainedEpochs: manifest.trainedEpochs, validationNll: manifest.validationNll, loadedFrom };
}

/** Where the tab keeps its last trained forecaster across reloads (tfjs's IndexedDB io handler). */
const FORECASTER_STORE = 'indexeddb://hedgelab-forecaster';

/** Keeps the kept forecaster in IndexedDB; a browser without it (or out of quota) keeps it in memory only, as before. */
async function storeForecaster(): Promise<void> {
  if (!kept.forecaster || keptFile?.of !== kept.forecaster) return;
  try {
    await saveForecaster(kept.forecaster.model, keptFile.manifest, tf.io.getSaveHandlers(FORECASTER_STORE)[0]!);
  } catch (e) {
    console.warn(`the forecaster stays in memory only: IndexedDB refused it (${e instanceof Error ? e.message : String(e)})`);
  }
}

/**
 * Before a forecaster market's run with no forecaster kept for it: the one IndexedDB holds, if it was trained on
 * this experiment's data, split, settings and seed (anything else there is left alone and the run trains anew).
 */
async function restoreForecaster(config: Experiment, data: PricePanel | null): Promise<void> {
  const m = config.market;
  if (m.model !== 'forecaster' || kept.forecaster?.key === forecasterKey(config, m)) return;
  const handler = tf.io.getLoadHandlers(FORECASTER_STORE)[0];
  if (!handler) return;
  try {
    const stored = await forecasterFromHandler(handler, config, m, data ?? undefined);
    keepForecaster(kept, stored.kept);
    keptFile = { of: stored.kept, manifest: stored.manifest, loadedFrom: 'this browser’s storage' };
  } catch {
    // Nothing stored, or a forecaster of another experiment: the run trains its own.
  }
}

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
   * Runs one experiment (`firstPhaseOnly`: a forecaster market's forecaster alone, a signature-diffusion market's generators alone), sending every event to the main thread's `onEvent` without waiting for each;
   * resolves when the run has ended and the main thread has received every event.
   */
  async run(config: Experiment, data: PricePanel | null, onEvent: (ev: RunEvent) => unknown, quotes: OptionQuotes | null = null, firstPhaseOnly = false): Promise<void> {
    controller = new AbortController();
    /** The latest delivery: calls on one channel are answered in order, so it settles after all others. */
    let delivered: unknown;
    /** A forecaster market's report: with the run's market it makes the kept forecaster's file manifest. */
    let report: Pick<ForecastReport, 'assets' | 'split'> | null = null;
    try {
      await restoreForecaster(config, data);
      const signal = controller.signal;
      // A forecaster market's Train: its forecaster alone (experiment/run-forecast.ts); a signature-diffusion market's
      // Generate: its generators alone (run-generation.ts); each kept as a run keeps it.
      const alone = config.market.model === 'signature-diffusion' ? runGeneration(config, { signal, data: data ?? undefined, kept }) : runForecast(config, { signal, data: data ?? undefined, kept });
      const events = firstPhaseOnly ? alone : runExperiment(config, { signal, backend: tf.getBackend(), data: data ?? undefined, quotes: quotes ?? undefined, kept });
      for await (const ev of events) {
        if (ev.type === 'forecast') report = { assets: ev.assets, split: ev.split };
        delivered = onEvent(Comlink.transfer(ev, transferables(ev)));
        await macrotask();
      }
    } catch (e) {
      delivered = onEvent({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    } finally {
      controller = null;
      const m = config.market;
      const trained = kept.forecaster;
      // A forecaster the run trained replaced the kept one; one it reused keeps the manifest it had (a loaded file's too).
      if (report && trained && m.model === 'forecaster' && keptFile?.of !== trained && trained.key === forecasterKey(config, m)) {
        keptFile = { of: trained, manifest: forecasterManifest(trained, m, m.forecaster.context, report), loadedFrom: null };
        await storeForecaster();
      }
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

  /**
   * The fan chart of the kept forecaster from the test date `date` (its first trading day on or after it) of
   * `config`'s market (experiment/forecaster-phase.ts fanFrom), or why there is none.
   */
  async forecastFan(config: Experiment, data: PricePanel | null, date: string): Promise<{ ok: true; fan: ForecastReport['fan'] } | { ok: false; message: string }> {
    const m = config.market;
    const model = kept.forecaster;
    if (m.model !== 'forecaster' || !model || model.key !== forecasterKey(config, m)) return { ok: false, message: 'no forecaster of this experiment is kept in this tab: press Run first' };
    try {
      const fan = await fanFrom(config, m, data ?? undefined, model.model, date);
      return Comlink.transfer({ ok: true as const, fan }, [fan.realised.buffer as ArrayBuffer, ...fan.bands.map((b) => b.buffer as ArrayBuffer)]);
    } catch (e) {
      if (e instanceof MarketDataError) return { ok: false, message: e.message };
      throw e;
    }
  },

  /** The forecaster kept for the next run, or null. */
  keptForecaster(): KeptForecasterInfo | null {
    return keptInfo();
  },

  /** The kept forecaster as a file (forecast/forecaster-file.ts), `weightsName` the weights file the JSON names. */
  async saveForecaster(weightsName: string): Promise<ForecasterFiles> {
    const model = kept.forecaster;
    if (!model || keptFile?.of !== model) throw new ForecasterFileError('no forecaster is kept in this tab: run a forecaster market first');
    const files = await forecasterFiles(model, keptFile.manifest, weightsName);
    return Comlink.transfer(files, [files.weights]);
  },

  /**
   * Loads a forecaster file (tfjs's model JSON as text and its weights) in place of the kept one, for the
   * experiment `config` on `data`: refused with a message, the kept forecaster untouched, unless it is a
   * HedgeLab forecaster of the market's assets trained on the same data, split, settings and seed (so that
   * Run reuses it).
   */
  async loadForecaster(name: string, json: string, weights: ArrayBuffer, config: Experiment, data: PricePanel | null): Promise<{ ok: true; info: KeptForecasterInfo } | { ok: false; message: string }> {
    const m = config.market;
    if (m.model !== 'forecaster') return { ok: false, message: 'a forecaster is loaded for the forecaster market: choose it on the form first' };
    try {
      const loaded = await forecasterFromFiles(name, json, weights, config, m, data ?? undefined);
      keepForecaster(kept, loaded.kept);
      keptFile = { of: loaded.kept, manifest: loaded.manifest, loadedFrom: name };
      await storeForecaster();
      return { ok: true, info: keptInfo()! };
    } catch (e) {
      if (e instanceof ForecasterFileError || e instanceof MarketDataError) return { ok: false, message: e.message };
      throw e;
    }
  },

  /** The kept generators of `config`'s traded assets, or null where one is missing. */
  keptGenerators(config: Experiment, data: PricePanel | null): KeptGeneratorsInfo | null {
    const found = generatorsOf(config, data);
    return found.length ? { assets: found.map((g) => ({ asset: g.asset, trainedEpochs: g.trainedEpochs, loss: g.loss, loadedFrom: generatorSource.get(g) ?? null })) } : null;
  },

  /** The kept generators of `config`'s traded assets as one file's text (experiment/generator-files.ts). */
  async saveGenerators(config: Experiment, data: PricePanel | null): Promise<string> {
    const found = generatorsOf(config, data);
    if (!found.length) throw new GeneratorFileError('no generators of this experiment are kept in this tab: press Generate or Run first');
    return generatorFile(found);
  },

  /**
   * Loads a generator file for the experiment `config` on `data`: refused with a message, the kept
   * generators untouched, unless every generator in it is one this experiment would train (so that Run reuses it).
   */
  loadGenerators(name: string, text: string, config: Experiment, data: PricePanel | null): { ok: true; info: KeptGeneratorsInfo | null; loaded: string[] } | { ok: false; message: string } {
    const m = config.market;
    if (m.model !== 'signature-diffusion' || !data) return { ok: false, message: 'generators are loaded for the signature-diffusion market: choose it on the form, with its data, first' };
    try {
      const loaded = generatorsFromFile(name, text, config, m, data);
      loaded.forEach((g) => generatorSource.set(g, name));
      keepGenerators(kept, loaded);
      return { ok: true, info: api.keptGenerators(config, data), loaded: loaded.map((g) => g.asset) };
    } catch (e) {
      if (e instanceof GeneratorFileError || e instanceof MarketDataError) return { ok: false, message: e.message };
      throw e;
    }
  },

  /** Aborts the current run or measurement; the engine stops within one training step. */
  stop(): void {
    controller?.abort();
  },
};

export type LabWorkerApi = typeof api;

Comlink.expose(api);
