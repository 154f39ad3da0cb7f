/**
 * Which tfjs backend the lab runs on. "auto" measures a short training step on each backend that starts (a
 * GPU one, WebGPU or else WebGL, against WASM; the engine's measureSpeed), picks the faster and remembers the
 * measurements in this browser (localStorage), so later visits start at once. A software WebGPU adapter (SwiftShader
 * on a machine without a GPU) can be tens of times slower than WASM: measuring, not the backend's name, makes
 * the choice. Every measurement is kept as the calibration of run-time estimates (run-cost.ts). A backend the
 * person forces is remembered too.
 */
import { BACKENDS, type AdapterInfo, type BackendName, type BackendReport, type LabClient } from '../client/lab-client';
import { lowerBound, speedRatio, stepTime, type SpeedCalibration } from '../engine/experiment/speed-calibration';
import { localStore } from './browser-storage';

export type BackendChoice = 'auto' | BackendName;

/** The person's choice ('auto' or a backend). */
export const CHOICE_KEY = 'hedgelab.backend';
/** The measurements of this browser: { userAgent, calibrations: { [backend]: SpeedCalibration }, adapter }. */
export const SPEED_KEY = 'hedgelab.speed';

/** Seconds each backend may spend on its measurement (a step in flight always finishes). */
export const MEASURE_BUDGET_SECONDS = 2;
/** Seconds after which a GPU backend still measuring is abandoned (its worker replaced): WASM takes about 2. */
export const GPU_LIMIT_SECONDS = 8;

export interface SpeedMemory {
  calibrations: Partial<Record<BackendName, SpeedCalibration>>;
  adapter: AdapterInfo | null;
}

/** What "auto" settled on and why, in words for the badge. */
export interface AutoPick {
  backend: BackendName;
  reason: string;
}

export function rememberedChoice(): BackendChoice {
  const value = localStore()?.getItem(CHOICE_KEY);
  return value === 'auto' || (BACKENDS as readonly string[]).includes(value ?? '') ? (value as BackendChoice) : 'auto';
}

export function rememberChoice(choice: BackendChoice): void {
  localStore()?.setItem(CHOICE_KEY, choice);
}

const isCalibration = (c: unknown): c is SpeedCalibration => {
  const x = c as SpeedCalibration | null;
  return typeof x === 'object' && x !== null && typeof x.backend === 'string' && [x.overheadSeconds, x.secondsPerPath].every((v) => Number.isFinite(v) && v >= 0) && typeof x.complete === 'boolean';
};

/** This browser's measurements; none when the stored ones are malformed or were made by another browser version. */
export function rememberedSpeed(): SpeedMemory {
  const empty: SpeedMemory = { calibrations: {}, adapter: null };
  try {
    const stored = JSON.parse(localStore()?.getItem(SPEED_KEY) ?? 'null') as { userAgent?: unknown; calibrations?: Record<string, unknown>; adapter?: AdapterInfo | null } | null;
    if (!stored || stored.userAgent !== navigator.userAgent || typeof stored.calibrations !== 'object' || stored.calibrations === null) return empty;
    const calibrations: SpeedMemory['calibrations'] = {};
    for (const b of BACKENDS) if (isCalibration(stored.calibrations[b])) calibrations[b] = stored.calibrations[b];
    const adapter = stored.adapter && typeof stored.adapter.description === 'string' ? { description: stored.adapter.description, software: stored.adapter.software === true } : null;
    return { calibrations, adapter };
  } catch {
    return empty;
  }
}

export function rememberSpeed(memory: SpeedMemory): void {
  localStore()?.setItem(SPEED_KEY, JSON.stringify({ userAgent: navigator.userAgent, ...memory }));
}

const times = (ratio: number) => (ratio >= 10 ? `${Math.round(ratio)}x` : `${ratio.toFixed(1)}x`);

/** "webgpu (software adapter: SwiftShader Device)" where the adapter is known. */
function named(backend: BackendName, adapter: AdapterInfo | null): string {
  if (backend !== 'webgpu' || !adapter) return backend;
  return `${backend} (${adapter.software ? 'software adapter' : 'adapter'}: ${adapter.description})`;
}

/** Why `best` won: "40x faster than webgpu (software adapter: SwiftShader) here". */
export function pickReason(best: SpeedCalibration, others: SpeedCalibration[], adapter: AdapterInfo | null): string {
  const runnerUp = others.filter((c) => c !== best).sort((a, b) => stepTime(a, 1024) - stepTime(b, 1024))[0];
  if (!runnerUp) return 'the only backend that started here';
  const ratio = speedRatio(best, runnerUp);
  const faster = `${runnerUp.complete ? '' : 'at least '}${times(ratio)} faster than`;
  return `${ratio < 1.05 ? 'as fast as' : faster} ${named(runnerUp.backend as BackendName, adapter)} here`;
}

/** The GPU backend worth measuring: the first that starts (WebGPU, else WebGL), or none. */
function gpuCandidate(report: BackendReport): BackendName | null {
  const failed = new Set(report.failures.map((f) => f.backend));
  return (['webgpu', 'webgl'] as const).find((b) => !failed.has(b)) ?? null;
}

/**
 * Auto: starts the first backend that works, measures WASM and the GPU backend (unless remembered) and leaves
 * the worker on the faster. WASM goes first: a GPU backend still measuring after GPU_LIMIT_SECONDS is slower
 * than WASM by then, and is abandoned with its worker, known only by a lower bound on its step time.
 */
export async function pickFastest(client: LabClient, memory: SpeedMemory): Promise<{ report: BackendReport; pick: AutoPick; memory: SpeedMemory }> {
  const first = await client.init(null);
  const adapter = first.adapter ?? memory.adapter;
  const calibrations = { ...memory.calibrations };
  const measured: SpeedCalibration[] = [];
  try {
    calibrations.wasm ??= await client.measure('wasm', MEASURE_BUDGET_SECONDS);
    measured.push(calibrations.wasm);
  } catch {
    // WASM that starts but cannot train is not a candidate; the GPU backend may still be.
  }
  const gpu = gpuCandidate(first);
  if (gpu) {
    const known = calibrations[gpu];
    const fallback = measured.length ? 'wasm' : first.active;
    calibrations[gpu] = known ?? (await client.measureWithin(gpu, MEASURE_BUDGET_SECONDS, GPU_LIMIT_SECONDS, fallback)) ?? lowerBound(gpu, GPU_LIMIT_SECONDS);
    measured.push(calibrations[gpu]!);
  }
  if (measured.length === 0) return { report: first, pick: { backend: first.active, reason: 'the first backend that started here' }, memory: { calibrations, adapter } };
  const best = measured.reduce((a, b) => (stepTime(b, 1024) < stepTime(a, 1024) ? b : a));
  const backend = best.backend as BackendName;
  const report = await client.init(backend);
  return { report: { ...report, failures: first.failures, adapter }, pick: { backend, reason: pickReason(best, measured, adapter) }, memory: { calibrations, adapter } };
}
