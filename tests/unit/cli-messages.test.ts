/**
 * The pieces every CLI message is made of (issue 13, defects 5-7): presets looked up by own name only, one
 * wording of a choice among fixed values for every enum of the experiment schema, and control characters
 * escaped on their way to the terminal.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findPreset, findSweepPreset, PRESETS, SWEEP_PRESETS } from '../../src/engine/experiment/presets';
import { parseExperiment } from '../../src/engine/experiment/schema';
import { parseSweep } from '../../src/engine/experiment/sweep';
import { terminalText } from '../../src/cli/terminal-text';

describe('preset lookup', () => {
  const inherited = [...Object.getOwnPropertyNames(Object.prototype), 'prototype', 'hasOwnProperty'];

  it('finds every preset by its own name and no name an object inherits', () => {
    for (const name of Object.keys(PRESETS)) expect(findPreset(name)).toEqual({ ok: true, value: expect.objectContaining({ version: 2 }) });
    for (const name of Object.keys(SWEEP_PRESETS)) expect(findSweepPreset(name).ok, name).toBe(true);
    for (const name of inherited) {
      expect(findPreset(name), name).toEqual({ ok: false, error: expect.stringMatching(new RegExp(`^unknown preset "${name}"; known: default, `)) });
      expect(findSweepPreset(name), name).toEqual({ ok: false, error: expect.stringMatching(new RegExp(`^unknown sweep preset "${name}"; known: paper001-fig4, `)) });
    }
  });

  it('gives a copy: loading a sweep preset and changing it leaves the table as it was', () => {
    const a = findSweepPreset('paper001-fig4');
    if (!a.ok) throw new Error(a.error);
    (a.value.grid as Record<string, number[]>)['costs.proportional'].push(1);
    a.value.base.seed = 99;
    expect(SWEEP_PRESETS['paper001-fig4'].sweep.grid).toEqual({ 'costs.proportional': [2e-3, 4e-3] });
    expect(SWEEP_PRESETS['paper001-fig4'].sweep.base.seed).not.toBe(99);
  });
});

/** Every [path, value] of the string leaves of `value` (and of the numbers named in `numbers`). */
function leaves(value: unknown, path: (string | number)[] = []): [(string | number)[], unknown][] {
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, Array.isArray(value) ? Number(k) : k]));
  return [[path, value]];
}

function withLeaf(cfg: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(cfg) as Record<string | number, unknown>;
  let at = copy;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  at[path.at(-1)!] = value;
  return copy;
}

describe('schema messages', () => {
  it('word every choice among fixed values alike: the allowed values and the one refused', () => {
    let choices = 0;
    for (const [name, { config }] of Object.entries(PRESETS)) {
      for (const [path, value] of leaves(config)) {
        if (typeof value !== 'string' && path.at(-1) !== 'daysPerYear') continue;
        // A date (a forecaster's split) is a free value, not a choice: schema-markets.test.ts words its refusal.
        if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) continue;
        const r = parseExperiment(withLeaf(config, path, 'nope'));
        if (r.ok) continue; // free text: a name, an id
        const here = r.errors.filter((e) => e.startsWith(`${path.join('.')}: `));
        expect(here, `${name} ${path.join('.')}: ${r.errors.join('; ')}`).toHaveLength(1);
        expect(here[0]).toMatch(/: must be one of ("[A-Za-z0-9-]+"|\d+)(, ("[A-Za-z0-9-]+"|\d+))*, not "nope"$/);
        if (path.at(-1) === 'daysPerYear') expect(here[0]).toBe(`${path.join('.')}: must be one of 250, 252, 365, not "nope"`);
        choices++;
      }
    }
    // claim.type, claim.kind, market.model, risk.measure, premium, strategies.n.type, ... across the presets.
    expect(choices).toBeGreaterThan(50);
  });

  it('name a correlation entry once, in the path', () => {
    const cfg = structuredClone(PRESETS.default.config) as Record<string, unknown>;
    cfg.market = { model: 'correlated-gbm', s0: 1, drift: 0, volatilities: [0.2, 0.2], correlation: [[1, 0.5], [0.3, 1]], maturityDays: 30, steps: 30, daysPerYear: 252 };
    const r = parseExperiment(cfg);
    expect(r).toEqual({ ok: false, errors: ['market.correlation.1.0: 0.3 differs from correlation[0][1] = 0.5'] });
  });

  it('parse any sweep input without throwing, every error naming its field or cell', () => {
    const base = structuredClone(PRESETS.default.config);
    const grid = fc.dictionary(
      fc.oneof(fc.constantFrom('seed', 'costs.proportional', 'claim.strike', 'claim.kind', 'market.daysPerYear', '__proto__', 'constructor.x'), fc.string({ maxLength: 12 })),
      fc.array(fc.oneof(fc.double(), fc.integer(), fc.string({ maxLength: 8 }), fc.boolean()), { minLength: 0, maxLength: 4 }),
      { maxKeys: 3 },
    );
    const input = fc.oneof(fc.record({ name: fc.string({ maxLength: 8 }), base: fc.constant(base), grid }), fc.anything({ maxDepth: 3 }));
    fc.assert(
      fc.property(input, (raw) => {
        const r = parseSweep(raw);
        if (!r.ok) for (const e of r.errors) expect(e).toMatch(/^(sweep|name|base|grid|cell \d+ \(.*\))[.:]/);
      }),
      { numRuns: 300, seed: 13 },
    );
  });
});

describe('terminal text', () => {
  it('escapes C0, DEL, C1, line separators and bidirectional controls, and nothing else', () => {
    expect(terminalText('a\x1b[31mb\x1b]0;t\x07c\r\n\t\x00\x7f\x9b')).toBe('a\\x1b[31mb\\x1b]0;t\\x07c\\x0d\\x0a\\x09\\x00\\x7f\\x9b');
    expect(terminalText('\u202eevil\u2066\u2028')).toBe('\\u202eevil\\u2066\\u2028');
    expect(terminalText('prix: 1,5 € · 株価 — ok')).toBe('prix: 1,5 € · 株価 — ok');
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        const out = terminalText(s);
        expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
        expect(terminalText(out)).toBe(out);
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
