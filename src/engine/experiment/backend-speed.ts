/**
 * How fast the current tfjs backend trains, measured on the lab's own code path: the default deep hedger (an
 * MLP 3x32 on 20 daily steps, Adam) run by runExperiment for a few optimiser steps at two batch sizes. The
 * first steps of each size (kernel compilation, allocation) are left out; the medians of the rest fit
 * seconds per step = overhead + perPath x batch (speed-calibration.ts), the two numbers that calibrate the
 * run-cost model (run-cost.ts). Work is bounded by a budget: a backend too slow to finish its steps in it is
 * reported with what it managed (`complete: false`; its first step, compilation included, when that is all
 * it did), enough to rank it behind a faster one.
 */
import { defaultConfig } from './presets';
import { runExperiment } from './run-experiment';
import { CALIBRATION_BATCHES as BATCHES, fitCalibration, TIMED_STEPS, WARM_UP_STEPS, type SpeedCalibration } from './speed-calibration';
import type { Experiment } from './schema';

/** The calibration problem: the default experiment's deep hedger alone on 1,024 training paths. */
export const CALIBRATION_PATHS = 1024;

/** The calibration experiment at one batch size: epochs enough for the warm-up step and the timed ones. */
export function calibrationExperiment(batchSize: number): Experiment {
  const cfg = defaultConfig();
  cfg.name = `Backend speed, batch ${batchSize}`;
  cfg.paths = { train: CALIBRATION_PATHS, test: 16 };
  cfg.strategies = cfg.strategies.filter((s) => s.type === 'deep-mlp');
  const steps = (WARM_UP_STEPS + TIMED_STEPS) * batchSize;
  for (const s of cfg.strategies) {
    if (s.type === 'deep-mlp') s.training = { ...s.training, batchSize, epochs: Math.ceil(steps / CALIBRATION_PATHS) };
  }
  return cfg;
}

/** Seconds of each optimiser step after the warm-up, at most `TIMED_STEPS`, until `deadline` (ms, performance.now()). */
async function stepSeconds(batchSize: number, deadline: number, signal?: AbortSignal): Promise<number[]> {
  const stop = new AbortController();
  const abort = () => stop.abort();
  signal?.addEventListener('abort', abort);
  const seconds: number[] = [];
  const begun = performance.now();
  let previous: number | null = null;
  let step = 0;
  try {
    for await (const ev of runExperiment(calibrationExperiment(batchSize), { signal: stop.signal, liveEvaluations: 0 })) {
      if (ev.type === 'error') throw new Error(ev.message);
      if (ev.type !== 'progress' || !ev.phase.startsWith('training')) continue;
      const now = performance.now();
      if (++step > WARM_UP_STEPS) seconds.push((now - previous!) / 1000);
      previous = now;
      if (seconds.length >= TIMED_STEPS || now > deadline) break;
    }
  } finally {
    signal?.removeEventListener('abort', abort);
  }
  // A backend whose first step outlasted the budget is charged that step (compilation included): rough, but
  // enough to rank it.
  if (seconds.length === 0 && previous !== null) seconds.push((previous - begun) / 1000);
  return seconds;
}

/** Measures the current backend within about `budgetSeconds` (a step in flight always finishes). */
export async function measureSpeed(backend: string, budgetSeconds: number, signal?: AbortSignal): Promise<SpeedCalibration> {
  const started = performance.now();
  const small = await stepSeconds(BATCHES[0], started + 500 * budgetSeconds, signal);
  const large = signal?.aborted ? [] : await stepSeconds(BATCHES[1], started + 1000 * budgetSeconds, signal);
  const complete = small.length === TIMED_STEPS && large.length === TIMED_STEPS;
  return fitCalibration(backend, small, large, complete);
}
