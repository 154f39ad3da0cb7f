/**
 * Property tests of every parser of outside input (issue 13, "Hard to break"): the experiment schema
 * (parseExperiment), the share-link decoder, the sweep parser and the CLI's price request. Random and mutated
 * inputs never throw and never hang; each either parses (and what it parses to parses again, unchanged) or is
 * refused with reasons that each begin with the field they are about ("market.steps: ..."). Runs are bounded
 * (numRuns, sizes) to take seconds, and seeded so that a failure reproduces; each property also counts its
 * outcomes, so that a generator that drifted to refusing everything would fail rather than pass vacuously.
 */
import fc from 'fast-check';
import LZString from 'lz-string';
import { describe, expect, it } from 'vitest';
import { priceRequest } from '../../src/cli/price-request';
import { preset, PRESETS } from '../../src/engine/experiment/presets';
import { parseExperiment } from '../../src/engine/experiment/schema';
import { decodeExperiment, encodeExperiment, URI_ALPHABET } from '../../src/engine/experiment/share-link';
import { parseSweep } from '../../src/engine/experiment/sweep';

const SEED = 13;
const runs = (numRuns: number) => ({ numRuns, seed: SEED });

/** Accepted and refused inputs seen by one property. */
function outcomes() {
  const seen = { accepted: 0, refused: 0 };
  return { seen, count: (ok: boolean) => void (ok ? seen.accepted++ : seen.refused++) };
}

const PRESET_NAMES = Object.keys(PRESETS);
/** The experiment's top-level fields, as the presets spell them. */
const EXPERIMENT_FIELDS = [...new Set(PRESET_NAMES.flatMap((name) => Object.keys(preset(name))))];

/**
 * A reason that names its field: "path: reason", where the path's first segment is `roots` (a field of what
 * was parsed, or the parser's word for the whole input) and any further segments are keys or indices below it.
 */
function namesField(reason: string, roots: readonly string[]): boolean {
  const colon = reason.indexOf(': ');
  if (colon <= 0 || reason.slice(colon + 2).trim() === '') return false;
  const path = reason.slice(0, colon);
  return roots.some((root) => path === root || path.startsWith(`${root}.`));
}
const experimentRoots = ['(experiment)', ...EXPERIMENT_FIELDS];

const anyPreset = fc.constantFrom(...PRESET_NAMES).map((name) => preset(name) as unknown);

/** Keys a hostile input likes: prototype names, a dotted key, control characters and the empty key. */
const hostileKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'a.b', '\u001b[31m', '\n', '');
/** Numbers at and past every bound a schema could set, and non-integers where integers are due. */
const edgeNumber = fc.constantFrom(0, -0, -1, 1, 1.5, 1e-300, 5e-324, 2 ** 31, 2 ** 53 + 2, 1e308, -1e308, 3650, 3651, 500, 501, 100_000);
/** JSON values, small: what a JSON file or a decoded link can hold. */
const json = fc.oneof(fc.jsonValue({ maxDepth: 2 }), edgeNumber, hostileKey);

type Json = unknown;
type Path = (string | number)[];

/** Every path into `value` (objects and arrays), leaves and branches, root excluded. */
function pathsOf(value: Json, at: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...at, k], ...pathsOf(v, [...at, k])]);
}

function getAt(value: Json, path: Path): Json {
  return path.reduce<Json>((v, k) => (v as Record<string | number, Json>)[k], value);
}

/** A mutation of a JSON document: replace the value at a path, delete it, or add a key beside it. */
type Mutation = { kind: 'replace'; value: Json } | { kind: 'delete' } | { kind: 'add'; key: string; value: Json };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  json.map((value) => ({ kind: 'replace' as const, value })),
  fc.constant({ kind: 'delete' as const }),
  fc.record({ key: fc.oneof(hostileKey, fc.string({ maxLength: 8 })), value: json }).map((r) => ({ kind: 'add' as const, ...r })),
);

/**
 * `doc` with `m` applied at the path numbered `pick` (modulo the number of paths). Built with JSON.parse on
 * the result's text, so that a key "__proto__" becomes an own property, as it does in a parsed file or link.
 */
function mutate(doc: Json, pick: number, m: Mutation): { doc: Json; path: Path } {
  const paths = pathsOf(doc);
  const path = paths[pick % paths.length];
  const copy = structuredClone(doc);
  const parent = getAt(copy, path.slice(0, -1)) as Record<string | number, Json>;
  const key = path.at(-1)!;
  if (m.kind === 'replace') parent[key] = m.value;
  else if (m.kind === 'delete') Array.isArray(parent) ? parent.splice(Number(key), 1) : delete parent[key];
  const text = JSON.stringify(copy);
  if (m.kind !== 'add') return { doc: JSON.parse(text), path };
  // Spliced into the text so that "__proto__" stays a key: `{"k":v,` + the rest of the object at `path`'s parent.
  const parsed = JSON.parse(text) as Json;
  const target = getAt(parsed, path.slice(0, -1));
  if (target === null || typeof target !== 'object' || Array.isArray(target)) return { doc: parsed, path };
  const inner = JSON.stringify(target);
  const added = `{${JSON.stringify(m.key)}:${JSON.stringify(m.value)}${inner === '{}' ? '' : ','}${inner.slice(1)}`;
  return { doc: JSON.parse(text.replace(inner, added)), path: [...path.slice(0, -1), m.key] };
}

/** JSON's type of a value, to tell a replacement that changes a leaf's type. */
const jsonType = (v: Json) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const isPrefix = (a: string, b: string) => a === b || b.startsWith(`${a}.`);

describe('parseExperiment', () => {
  it('random JSON values: never throws; parses or names a field on every line', () => {
    fc.assert(
      fc.property(json, (input) => {
        const r = parseExperiment(input);
        if (r.ok) return;
        expect(r.errors.length).toBeGreaterThan(0);
        expect(r.errors.filter((e) => !namesField(e, experimentRoots))).toEqual([]);
      }),
      runs(500),
    );
  });

  it('mutated presets: parse to an experiment that parses again unchanged, or name the field that was changed', () => {
    const { seen, count } = outcomes();
    fc.assert(
      fc.property(anyPreset, fc.nat(), mutation, (base, pick, m) => {
        const { doc, path } = mutate(base, pick, m);
        const r = parseExperiment(doc);
        count(r.ok);
        if (r.ok) {
          expect(parseExperiment(r.value)).toEqual(r);
          return;
        }
        expect(r.errors.length).toBeGreaterThan(0);
        expect(r.errors.filter((e) => !namesField(e, experimentRoots))).toEqual([]);
        // A leaf given a value of another JSON type fails its own check: a line names it or a field that holds it.
        const before = getAt(base, path);
        if (m.kind === 'replace' && before !== null && typeof before !== 'object' && jsonType(before) !== jsonType(m.value)) {
          const changed = path.join('.');
          expect(r.errors.some((e) => isPrefix(e.slice(0, e.indexOf(': ')), changed))).toBe(true);
        }
      }),
      runs(1000),
    );
    expect(seen.accepted).toBeGreaterThan(30);
    expect(seen.refused).toBeGreaterThan(300);
  });
});

describe('share-link decoder', () => {
  const linkChars = fc.string({ unit: fc.constantFrom(...URI_ALPHABET), maxLength: 400 });
  /** The decoder's reasons: about the link itself, or the schema's reasons for its experiment. */
  const reason = /^the link (is|carries|expands) \S|^the link's experiment is invalid: \S/;

  it('random text, random links and random payloads: never throws; opens a valid experiment or says why', () => {
    const input = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'grapheme', maxLength: 100 }),
      linkChars.map((s) => `#x=${s}`),
      linkChars.map((s) => `https://lab.example/#x=C${s}`),
      fc.jsonValue({ maxDepth: 2 }).map((v) => `#x=${LZString.compressToEncodedURIComponent(JSON.stringify(v))}`),
    );
    fc.assert(
      fc.property(input, (link) => {
        const r = decodeExperiment(link);
        if (r.ok) expect(parseExperiment(r.value).ok).toBe(true);
        else expect(r.error).toMatch(reason);
      }),
      runs(500),
    );
  });

  it('a checked link with one to four edits anywhere opens its own experiment or is refused', () => {
    const edit = fc.record({ at: fc.nat(), kind: fc.constantFrom('substitute', 'insert', 'delete'), char: fc.constantFrom(...URI_ALPHABET) });
    fc.assert(
      fc.property(anyPreset, fc.array(edit, { minLength: 1, maxLength: 4 }), (cfg, edits) => {
        const original = encodeExperiment(cfg as ReturnType<typeof preset>);
        let link = original;
        for (const { at, kind, char } of edits) {
          const i = at % (link.length + 1);
          link = link.slice(0, i) + (kind === 'delete' ? '' : char) + link.slice(kind === 'insert' ? i : i + 1);
        }
        const r = decodeExperiment(link);
        if (r.ok) expect(link).toBe(original);
        else expect(r.error).toMatch(reason);
      }),
      runs(400),
    );
  });

  it('unchecked links of mutated presets: open the experiment the schema accepts, or give its reasons', () => {
    const { seen, count } = outcomes();
    fc.assert(
      fc.property(anyPreset, fc.nat(), mutation, (base, pick, m) => {
        const { doc } = mutate(base, pick, m);
        const r = decodeExperiment(`#x=${LZString.compressToEncodedURIComponent(JSON.stringify(doc))}`);
        count(r.ok);
        const parsed = parseExperiment(doc);
        if (parsed.ok) expect(r).toEqual({ ok: true, value: parsed.value, unverified: true });
        else expect(r).toEqual({ ok: false, error: `the link's experiment is invalid: ${parsed.errors.slice(0, 3).join('; ')}` });
      }),
      runs(300),
    );
    expect(seen.accepted).toBeGreaterThan(10);
    expect(seen.refused).toBeGreaterThan(100);
  });
});

describe('parseSweep', () => {
  /** A reason about the sweep's own fields (its base's reasons under "base."), or a cell's, naming its parameters then the experiment's field. */
  const sweepNamesField = (e: string) =>
    namesField(e, ['sweep', 'name', 'base', 'grid']) || (/^cell \d+ \(/.test(e) && e.split('): ').some((_, i, all) => i > 0 && namesField(all.slice(i).join('): '), experimentRoots)));
  const gridPath = fc.oneof(
    fc.constantFrom('seed', 'claim.strike', 'costs.proportional', 'market.volatility', 'market.steps', 'paths.test', 'strategies.0.id', 'name'),
    fc.constantFrom('__proto__', 'constructor.prototype', 'market.__proto__', 'market.nope', 'nope.deeper', 'strategies.99.id', '', '.', 'a..b', 'toString'),
    fc.string({ maxLength: 12 }),
  );
  const gridValue = fc.oneof(fc.double({ noNaN: true }), edgeNumber, fc.string({ maxLength: 8 }), fc.boolean(), fc.constant(null));
  const grid = fc.dictionary(gridPath, fc.array(gridValue, { minLength: 0, maxLength: 4 }), { maxKeys: 3 });

  it('random JSON values: never throws; parses or names a field on every line', () => {
    fc.assert(
      fc.property(json, (input) => {
        const r = parseSweep(input);
        if (!r.ok) expect(r.errors.filter((e) => !sweepNamesField(e))).toEqual([]);
      }),
      runs(300),
    );
  });

  it('a preset swept over random paths and values: cells that parse again unchanged, or reasons naming the field or cell', () => {
    const { seen, count } = outcomes();
    fc.assert(
      fc.property(anyPreset, grid, fc.string({ maxLength: 20 }), (base, g, name) => {
        const r = parseSweep(JSON.parse(JSON.stringify({ name, base, grid: g })));
        count(r.ok);
        if (!r.ok) {
          expect(r.errors.length).toBeGreaterThan(0);
          expect(r.errors.filter((e) => !sweepNamesField(e))).toEqual([]);
          return;
        }
        expect(r.cells.length).toBe(Object.values(g).reduce((n, values) => n * values.length, 1));
        for (const cell of r.cells) expect(parseExperiment(cell.config)).toEqual({ ok: true, value: cell.config });
      }),
      runs(300),
    );
    expect(seen.accepted).toBeGreaterThan(20);
    expect(seen.refused).toBeGreaterThan(100);
  });
});

describe('price request', () => {
  const MODEL_FIELDS: Record<string, string[]> = {
    bs: ['sigma'],
    'bs-implied-vol': ['price'],
    heston: ['v0', 'kappa', 'theta', 'xi', 'rho'],
    merton: ['sigma', 'lambda', 'jumpMean', 'jumpStd'],
  };
  const REQUEST_ROOTS = ['request', 'model', 'kind', 's0', 'strike', 'maturity', 'rate', ...Object.values(MODEL_FIELDS).flat()];
  // Mostly inside every field's bounds (so that many requests reach a pricer), some past them, some not numbers.
  const field = fc.oneof(
    { weight: 20, arbitrary: fc.double({ min: 0.01, max: 1, noNaN: true }) },
    { weight: 2, arbitrary: fc.double({ min: -2, max: 120, noNaN: true }) },
    { weight: 1, arbitrary: edgeNumber },
    { weight: 1, arbitrary: json },
  );
  /** A request with exactly its model's fields, sometimes one field dropped or one added. */
  const request = fc.constantFrom(...Object.keys(MODEL_FIELDS)).chain((model) => {
    const keys = ['s0', 'strike', 'maturity', 'rate', ...MODEL_FIELDS[model]];
    const fields = fc.record(Object.fromEntries(keys.map((k) => [k, field])) as Record<string, typeof field>);
    const kind = fc.oneof({ weight: 9, arbitrary: fc.constantFrom('call', 'put') }, { weight: 1, arbitrary: json });
    const change = fc.oneof({ weight: 8, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...keys) }, { weight: 1, arbitrary: hostileKey });
    return fc.tuple(fields, kind, change).map(([values, k, extra]) => {
      const q: Record<string, unknown> = { model, kind: k, ...values };
      if (extra !== null && keys.includes(extra)) delete q[extra];
      // Defined, not assigned, so that "__proto__" is a key of the request as it is of a parsed file.
      else if (extra !== null) Object.defineProperty(q, extra, { value: 1, enumerable: true, writable: true, configurable: true });
      return JSON.parse(JSON.stringify(q)) as unknown;
    });
  });

  it('random and structured requests: never throws; every answer finite, or every reason names its field', () => {
    const { seen, count } = outcomes();
    fc.assert(
      fc.property(fc.oneof({ weight: 1, arbitrary: json }, { weight: 4, arbitrary: request }), (input) => {
        const r = priceRequest(input);
        count(r.ok);
        if (r.ok) {
          for (const x of Object.values(r.value)) expect(Number.isFinite(x)).toBe(true);
          return;
        }
        // A pricer's refusal names the model; the schema's, each field (one reason per field, joined by '; ').
        if (!namesField(r.error, Object.keys(MODEL_FIELDS).concat('price'))) {
          expect(r.error.split('; ').filter((e) => !namesField(e, REQUEST_ROOTS))).toEqual([]);
        }
      }),
      runs(2000),
    );
    expect(seen.accepted).toBeGreaterThan(150);
    expect(seen.refused).toBeGreaterThan(500);
  });
});
