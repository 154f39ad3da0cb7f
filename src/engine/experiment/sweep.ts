/**
 * Sweeps: one base experiment run over a grid of values (paper 001's cost x test-vol x strike figures, and
 * seeds for their spread). A sweep names the experiment fields it varies by dotted path ("costs.proportional",
 * "market.testVolatility", "claim.strike", "seed") with the values of each; its cells are the Cartesian
 * product in row-major order (the last axis varies fastest). Every cell is validated as an experiment on its
 * own, so a value the schema refuses is reported with the cell and the field. A value may be a whole object
 * (a market, to sweep paper 003's training data sources: market windows against the regime model), which
 * replaces the field; its cells are named by the object's `model`, `type` or `source`.
 */
import { z } from 'zod';
import { issueLines } from './issue-text';
import { parseExperiment, type Experiment } from './schema';

const MAX_CELLS = 400;
const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);

const axisPath = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$/, 'a dotted path of field names, e.g. costs.proportional')
  .refine((p) => p.split('.').every((k) => !FORBIDDEN.has(k)), 'not a field of an experiment');

export const sweepSchema = z.strictObject({
  name: z.string().max(120),
  base: z.unknown(),
  /** Field path -> the values it takes. */
  grid: z.record(axisPath, z.array(z.union([z.number().finite(), z.string().max(40), z.boolean(), z.record(z.string(), z.unknown())])).min(1).max(50)),
});

export type SweepValue = number | string | boolean | Record<string, unknown>;

/** A sweep value as a cell's name shows it: an object by its `model`, `type` or `source`, else as JSON. */
export function valueLabel(v: SweepValue): string {
  if (typeof v !== 'object') return String(v);
  const tag = v.model ?? v.type ?? v.source;
  return typeof tag === 'string' ? tag : JSON.stringify(v).slice(0, 40);
}
export interface Sweep {
  name: string;
  base: Experiment;
  axes: { path: string; values: SweepValue[] }[];
}

export interface SweepCell {
  index: number;
  /** Axis path -> this cell's value. */
  params: Record<string, SweepValue>;
  config: Experiment;
}

export type SweepParse = { ok: true; sweep: Sweep; cells: SweepCell[] } | { ok: false; errors: string[] };

/** `base` with `path` set to `value`; the path must name a field the base already has. */
function withValue(base: unknown, path: string, value: SweepValue): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  const keys = path.split('.');
  let at: Record<string, unknown> = copy;
  for (const k of keys.slice(0, -1)) {
    const next = Object.hasOwn(at, k) ? at[k] : undefined;
    if (next === null || typeof next !== 'object') throw new Error(`${path}: the experiment has no field ${k}`);
    at = next as Record<string, unknown>;
  }
  at[keys.at(-1)!] = value;
  return copy;
}

export function parseSweep(input: unknown): SweepParse {
  // JSON.parse makes "__proto__" an own key, which a zod record would assign as the prototype and drop.
  const grid = (input as { grid?: unknown } | null)?.grid;
  if (grid !== null && typeof grid === 'object' && Object.hasOwn(grid, '__proto__')) return { ok: false, errors: ['grid.__proto__: not a field of an experiment'] };
  const shape = sweepSchema.safeParse(input, { reportInput: true });
  if (!shape.success) return { ok: false, errors: issueLines(shape.error, 'sweep') };
  const base = parseExperiment(shape.data.base);
  if (!base.ok) return { ok: false, errors: base.errors.map((e) => `base.${e}`) };
  const axes = Object.entries(shape.data.grid).map(([path, values]) => ({ path, values }));
  const count = axes.reduce((n, a) => n * a.values.length, 1);
  if (count > MAX_CELLS) return { ok: false, errors: [`grid: ${count} cells; at most ${MAX_CELLS}`] };
  const cells: SweepCell[] = [];
  const errors: string[] = [];
  for (let index = 0; index < count; index++) {
    let rest = index;
    const params: Record<string, SweepValue> = {};
    for (let a = axes.length - 1; a >= 0; a--) {
      const { path, values } = axes[a];
      params[path] = values[rest % values.length];
      rest = Math.floor(rest / values.length);
    }
    let candidate: unknown = base.value;
    try {
      for (const { path } of axes) candidate = withValue(candidate, path, params[path]);
    } catch (e) {
      errors.push(`grid.${e instanceof Error ? e.message : String(e)}`);
      break;
    }
    const cell = parseExperiment(candidate);
    if (!cell.ok) {
      const where = axes.map(({ path }) => `${path} = ${valueLabel(params[path])}`).join(', ');
      errors.push(...cell.errors.map((e) => `cell ${index + 1} (${where}): ${e}`));
      continue;
    }
    cells.push({ index, params: Object.fromEntries(axes.map(({ path }) => [path, params[path]])), config: cell.value });
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, sweep: { name: shape.data.name, base: base.value, axes }, cells };
}
