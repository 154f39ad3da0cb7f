/**
 * The Compare tab's grid as typed (comparison-store.ts): comma-separated numbers per axis (costs, test-path
 * volatilities, strikes, hedge-set sizes, seeds; empty keeps the form's value), and a loaded preset's axes
 * that no field can hold (whole objects: paper 003 fig. 3 sweeps the market over historical windows and the
 * regime model), together the sweep (experiment/sweep.ts) of the form's experiment.
 */
import type { Experiment } from '../engine/experiment/schema';
import type { SweepValue } from '../engine/experiment/sweep';

/** The sweep's axes as typed: comma-separated numbers, empty for the form's value. */
export interface AxesDraft {
  costs: string;
  testVolatilities: string;
  strikes: string;
  /** Paper 003 fig. 3: the first k assets traded. */
  hedgeSets: string;
  seeds: string;
}

/** Axes of a loaded preset whose values no field can hold (whole objects), by path. */
export type PresetAxes = Record<string, SweepValue[]>;

export const EMPTY_AXES: AxesDraft = { costs: '', testVolatilities: '', strikes: '', hedgeSets: '', seeds: '' };

const AXIS_PATHS: Record<keyof AxesDraft, string> = {
  costs: 'costs.proportional',
  testVolatilities: 'market.testVolatility',
  strikes: 'claim.strike',
  hedgeSets: 'instruments.hedgeSet',
  seeds: 'seed',
};

/** "0.002, 0.004" -> [0.002, 0.004], or why a value is not a number. */
function numbers(text: string): { values: number[] } | { error: string } {
  const parts = text
    .split(/[,\s;]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  const values = parts.map(Number);
  const bad = parts.find((_, i) => !Number.isFinite(values[i]));
  return bad === undefined ? { values } : { error: `"${bad}" is not a number` };
}

/** The sweep of the form's experiment over the typed axes and a preset's own, or the errors by axis. */
export function sweepOf(base: Experiment, axes: AxesDraft, presetAxes: PresetAxes = {}): { ok: true; input: unknown } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const grid: Record<string, SweepValue[]> = { ...presetAxes };
  for (const key of Object.keys(AXIS_PATHS) as (keyof AxesDraft)[]) {
    if (axes[key].trim() === '') continue;
    const parsed = numbers(axes[key]);
    if ('error' in parsed) errors[key] = parsed.error;
    else grid[AXIS_PATHS[key]] = parsed.values;
  }
  if (grid['market.testVolatility'] && base.market.model !== 'gbm') errors.testVolatilities = 'test-path volatilities need the GBM market';
  if (grid['claim.strike'] && base.claim.type === 'cliquet') errors.strikes = 'a cliquet has no strike';
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, input: { name: base.name, base, grid } };
}

/** A preset's grid as the tab shows it: its number axes in their fields, the rest kept as they are. */
export function axesOfGrid(grid: Record<string, SweepValue[]>): { axes: AxesDraft; presetAxes: PresetAxes } {
  const axes: AxesDraft = { ...EMPTY_AXES };
  const presetAxes: PresetAxes = {};
  const fields = Object.entries(AXIS_PATHS) as [keyof AxesDraft, string][];
  for (const [path, values] of Object.entries(grid)) {
    const field = fields.find(([, at]) => at === path)?.[0];
    if (field && values.every((v) => typeof v === 'number')) axes[field] = values.join(', ');
    else presetAxes[path] = values;
  }
  return { axes, presetAxes };
}
