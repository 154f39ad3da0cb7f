/**
 * A backend's measured training speed (backend-speed.ts measures it) as two numbers, fitted through the
 * median step times of the calibration problem at two batch sizes:
 *
 *     seconds per step = overhead + perPath x batch.
 *
 * No tfjs here: the page reads calibrations (to rank backends and remember them) without loading it.
 */

/** The batch sizes timed. */
export const CALIBRATION_BATCHES = [128, 1024] as const;
/** Steps at each size left out (compilation, allocation, the JavaScript JIT warming up), then steps timed. */
export const WARM_UP_STEPS = 2;
export const TIMED_STEPS = 4;

/**
 * What can be said of a backend that had not finished its measurement after `seconds`: each of its steps
 * took at least seconds / (all the steps of a measurement). A lower bound, marked incomplete.
 */
export function lowerBound(backend: string, seconds: number): SpeedCalibration {
  const steps = CALIBRATION_BATCHES.length * (WARM_UP_STEPS + TIMED_STEPS);
  return { backend, overheadSeconds: seconds / steps, secondsPerPath: 0, complete: false };
}

export interface SpeedCalibration {
  backend: string;
  /** Seconds of an optimiser step that do not grow with the batch (kernel launches, read-backs). */
  overheadSeconds: number;
  /** Seconds per path in a batch, at the calibration problem's size (20 steps, MLP 3x32). */
  secondsPerPath: number;
  /** False when the budget ran out before every timed step: the figures are then rough. */
  complete: boolean;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * The line through (batch, median step seconds) of the two sizes; a negative slope or intercept (noise) is
 * clamped at zero, keeping the larger batch's time.
 */
export function fitCalibration(backend: string, small: number[], large: number[], complete: boolean): SpeedCalibration {
  const [b0, b1] = CALIBRATION_BATCHES;
  const t0 = small.length ? median(small) : 0;
  const t1 = large.length ? median(large) : t0;
  let perPath = (t1 - t0) / (b1 - b0);
  let overhead = t0 - perPath * b0;
  if (perPath < 0 || !large.length) [perPath, overhead] = [0, Math.max(t0, t1)];
  if (overhead < 0) [perPath, overhead] = [t1 / b1, 0];
  return { backend, overheadSeconds: overhead, secondsPerPath: perPath, complete };
}

/** Seconds of one optimiser step of the calibration problem at `batchSize`. */
export function stepTime(c: SpeedCalibration, batchSize: number): number {
  return c.overheadSeconds + c.secondsPerPath * batchSize;
}

/** How many times faster `a` trains the calibration problem's full batch than `b`. */
export function speedRatio(a: SpeedCalibration, b: SpeedCalibration): number {
  return stepTime(b, 1024) / stepTime(a, 1024);
}
