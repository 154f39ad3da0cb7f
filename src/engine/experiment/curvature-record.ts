/**
 * A recurrent hedger's curvature diagnostics (paper 002 fig. 4 and kappa by block) gathered from its `curvature`
 * events: the race keeps them for the result, the page for its chart. No tfjs here.
 */
import type { CurvatureRecord, RunEvent } from './events';

export function emptyCurvature(): CurvatureRecord {
  return { steps: [], gradientVariance: [], maxEigenvalue: [], kappa: {} };
}

/** Appends one event's figures to `record` in place. */
export function appendCurvature(record: CurvatureRecord, ev: Extract<RunEvent, { type: 'curvature' }>): void {
  record.steps.push(ev.step);
  record.gradientVariance.push(ev.gradientVariance);
  record.maxEigenvalue.push(ev.maxEigenvalue);
  for (const { block, kappa } of ev.kappa ?? []) (record.kappa[block] ??= []).push(kappa);
}
