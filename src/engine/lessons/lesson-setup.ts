/**
 * What a lesson step loads (lesson-schema.ts `setup`): its preset, or the experiment on the form, with the
 * step's merge patch (merge-patch.ts) applied and the result validated as any experiment is; and for Compare,
 * the grid checked as a sweep of that experiment. Every refusal names the step and the field.
 */
import { findPreset } from '../experiment/presets';
import { parseExperiment, type Experiment } from '../experiment/schema';
import { parseSweep, type SweepValue } from '../experiment/sweep';
import type { LessonStep } from './lesson-schema';
import { mergePatch } from './merge-patch';

export type StepSetup = { ok: true; experiment: Experiment; grid: Record<string, SweepValue[]> | null } | { ok: false; error: string };

/** The experiment step `index` (0-based) of a lesson loads onto a form holding `current`. */
export function stepExperiment(step: LessonStep, index: number, current: Experiment): StepSetup {
  const where = `step ${index + 1} ("${step.title}")`;
  const setup = step.setup;
  let base: Experiment = current;
  if (setup?.preset) {
    const found = findPreset(setup.preset);
    if (!found.ok) return { ok: false, error: `${where}: setup.preset: ${found.error}` };
    base = found.value;
  }
  let patched: unknown = base;
  try {
    if (setup?.patch) patched = mergePatch(base, setup.patch);
  } catch (e) {
    return { ok: false, error: `${where}: setup.patch.${e instanceof Error ? e.message : String(e)}` };
  }
  const parsed = parseExperiment(patched);
  if (!parsed.ok) return { ok: false, error: `${where}: setup.patch makes an invalid experiment: ${parsed.errors.slice(0, 3).join('; ')}` };
  if (!setup?.grid) return { ok: true, experiment: parsed.value, grid: null };
  const sweep = parseSweep({ name: parsed.value.name, base: parsed.value, grid: setup.grid });
  if (!sweep.ok) return { ok: false, error: `${where}: setup.grid: ${sweep.errors.slice(0, 3).join('; ')}` };
  return { ok: true, experiment: parsed.value, grid: setup.grid };
}

/** The value at dotted `path` of an experiment (undefined where there is none). */
export function valueAt(config: Experiment, path: string): unknown {
  let at: unknown = config;
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object' || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/** `config` with each requirement's field set to its value (what the student is asked to do), validated. */
export function withRequirements(config: Experiment, require: readonly { field: string; value: unknown }[]): StepSetup {
  let patched: unknown = config;
  try {
    for (const r of require) patched = mergePatch(patched, r.field.split('.').reduceRight<unknown>((inner, key) => ({ [key]: inner }), r.value));
  } catch (e) {
    return { ok: false, error: `action.require: ${e instanceof Error ? e.message : String(e)}` };
  }
  const parsed = parseExperiment(patched);
  return parsed.ok ? { ok: true, experiment: parsed.value, grid: null } : { ok: false, error: `action.require makes an invalid experiment: ${parsed.errors.slice(0, 3).join('; ')}` };
}

/** The requirements `config` does not meet yet, each with what the lesson says to do. */
export function unmetRequirements(config: Experiment, require: readonly { field: string; value: unknown; say: string }[]): string[] {
  return require.filter((r) => valueAt(config, r.field) !== r.value).map((r) => r.say);
}
