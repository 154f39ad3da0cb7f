/**
 * Run files (issue 18): one run, or a list of runs, as JSON. JSON has no typed arrays and no NaN or
 * infinities, so a typed array is written {"$typed": "Float64Array", "values": [...]} (Float32Array and
 * Int32Array alike; every float32 is a double, so its value comes back exactly) and a number JSON cannot hold
 * {"$number": "NaN"} ("Infinity", "-Infinity"). Reading restores both, then checks each run against the
 * record's schema (run-record-schema.ts); a refusal names the run by its place in the file and the field:
 * `runs[0].view.pnl.delta.histogram.density: expected numbers`.
 */
import { issueText } from '../engine/experiment/issue-text';
import { RUN_FORMAT, RUN_FORMAT_VERSION, type RunRecord } from './run-record';
import { runRecordSchema } from './run-record-schema';

/** The typed arrays a RunView holds, by name, each made from its values. */
const TYPED_ARRAYS: Record<string, (values: number[]) => ArrayBufferView> = {
  Float64Array: (values) => Float64Array.from(values),
  Float32Array: (values) => Float32Array.from(values),
  Int32Array: (values) => Int32Array.from(values),
};
const NON_FINITE = ['NaN', 'Infinity', '-Infinity'];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const jsonNumber = (x: number): Json => (Number.isFinite(x) ? x : { $number: String(x) });

/** `value` with its typed arrays and non-finite numbers tagged; undefined fields are left out, as JSON does. */
function tagged(value: unknown): Json {
  if (typeof value === 'number') return jsonNumber(value);
  if (value === null || typeof value !== 'object') return value as Json;
  if (ArrayBuffer.isView(value)) {
    const name = value.constructor.name;
    if (!Object.hasOwn(TYPED_ARRAYS, name)) throw new Error(`a run holds a ${name}, which run files do not carry`);
    const values = Array.from(value as Float64Array);
    return { $typed: name, values: values.every(Number.isFinite) ? values : values.map(jsonNumber) };
  }
  if (Array.isArray(value)) return value.map(tagged);
  return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (v === undefined ? [] : [[k, tagged(v)]])));
}

/** One run's JSON. */
export function runJson(record: RunRecord): string {
  return JSON.stringify(tagged(record));
}

/** A run's JSON (runJson) under another name; nothing else is decoded or written again. */
export function renamedRunJson(json: string, name: string): string {
  return JSON.stringify({ ...(JSON.parse(json) as object), name });
}

/** The text of a run file from its runs' JSON (runJson's, as the history stores them): one run as an object, several as a list. */
export function runFileText(runs: readonly string[]): string {
  return runs.length === 1 ? runs[0]! : `[${runs.join(',')}]`;
}

/** A field of a run file that cannot be restored, at `path` from the run. */
class FileIssue extends Error {
  constructor(readonly path: string, message: string) {
    super(message);
  }
}

const isTag = (v: Json): v is { [key: string]: Json } => v !== null && typeof v === 'object' && !Array.isArray(v);

function restoredNumber(v: Json, path: string): number {
  if (typeof v === 'number') return v;
  if (isTag(v) && typeof v.$number === 'string' && NON_FINITE.includes(v.$number)) return Number(v.$number);
  throw new FileIssue(path, 'expected numbers');
}

/** `value` with its tags restored to typed arrays and numbers (the inverse of `tagged`). */
function restored(value: Json, path: string): unknown {
  if (Array.isArray(value)) return value.map((v, i) => restored(v, `${path}.${i}`));
  if (!isTag(value)) return value;
  if ('$typed' in value) {
    const { $typed: name, values } = value;
    const make = typeof name === 'string' && Object.hasOwn(TYPED_ARRAYS, name) ? TYPED_ARRAYS[name] : undefined;
    if (!make) throw new FileIssue(`${path}.$typed`, `must be one of ${Object.keys(TYPED_ARRAYS).join(', ')}`);
    if (!Array.isArray(values)) throw new FileIssue(path, 'expected numbers');
    return make(values.map((v) => restoredNumber(v, path)));
  }
  if ('$number' in value) return restoredNumber(value, path);
  // Keys defined, not assigned: a "__proto__" key stays a field and never becomes a prototype.
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, restored(v, `${path}.${k}`)]));
}

function readRun(item: Json, root: string): { ok: true; record: RunRecord } | { ok: false; errors: string[] } {
  if (!isTag(item)) return { ok: false, errors: [`${root}: expected a run (an object)`] };
  if (item.format !== RUN_FORMAT) return { ok: false, errors: [`${root}.format: not a HedgeLab run (expected "${RUN_FORMAT}", not ${JSON.stringify(item.format ?? null)})`] };
  if (item.version !== RUN_FORMAT_VERSION) {
    const newer = typeof item.version === 'number' && item.version > RUN_FORMAT_VERSION ? ': it was saved by a newer HedgeLab' : '';
    return { ok: false, errors: [`${root}.version: this HedgeLab reads runs of format version ${RUN_FORMAT_VERSION}, not ${JSON.stringify(item.version ?? null)}${newer}`] };
  }
  let run: unknown;
  try {
    run = restored(item, root);
  } catch (e) {
    if (e instanceof FileIssue) return { ok: false, errors: [`${e.path}: ${e.message}`] };
    throw e;
  }
  const parsed = runRecordSchema.safeParse(run, { reportInput: true });
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((issue) => issueText({ ...issue, path: [root, ...issue.path] }, root)) };
  const record: RunRecord = parsed.data;
  return { ok: true, record };
}

export type RunFileResult = { ok: true; records: RunRecord[] } | { ok: false; errors: string[] };

/** The runs of a run file's text, or why it is refused: every error of every run, each naming its field. */
export function readRunFile(text: string): RunFileResult {
  let json: Json;
  try {
    json = JSON.parse(text) as Json;
  } catch (e) {
    return { ok: false, errors: [`not JSON: ${e instanceof Error ? e.message : String(e)}`] };
  }
  const items = Array.isArray(json) ? json : [json];
  if (items.length === 0) return { ok: false, errors: ['the file holds an empty list: no runs'] };
  const records: RunRecord[] = [];
  const errors: string[] = [];
  items.forEach((item, i) => {
    const run = readRun(item, `runs[${i}]`);
    if (run.ok) records.push(run.record);
    else errors.push(...run.errors);
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, records };
}
