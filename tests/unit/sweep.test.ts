import { describe, expect, it } from 'vitest';
import { defaultConfig, SWEEP_PRESETS } from '../../src/engine/experiment/presets';
import { parseSweep } from '../../src/engine/experiment/sweep';

describe('sweeps over a grid of experiment fields', () => {
  it('expand to the Cartesian product, the last axis fastest, each cell a valid experiment', () => {
    const r = parseSweep({ name: 'costs x strikes', base: defaultConfig(), grid: { 'costs.proportional': [0.002, 0.004], 'claim.strike': [1, 1.2, 1.4] } });
    if (!r.ok) throw new Error(r.errors.join('; '));
    expect(r.cells.map((c) => c.params)).toEqual([
      { 'costs.proportional': 0.002, 'claim.strike': 1 },
      { 'costs.proportional': 0.002, 'claim.strike': 1.2 },
      { 'costs.proportional': 0.002, 'claim.strike': 1.4 },
      { 'costs.proportional': 0.004, 'claim.strike': 1 },
      { 'costs.proportional': 0.004, 'claim.strike': 1.2 },
      { 'costs.proportional': 0.004, 'claim.strike': 1.4 },
    ]);
    const last = r.cells[5].config;
    expect(last.costs.proportional).toBe(0.004);
    expect(last.claim.type === 'european' && last.claim.strike).toBe(1.4);
    expect(r.cells[0].config.strategies).toEqual(defaultConfig().strategies);
  });

  it('name the cell and the field of a value the schema refuses, and refuse paths that are not fields', () => {
    const bad = parseSweep({ name: 'x', base: defaultConfig(), grid: { 'costs.proportional': [0.001, 5] } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors).toEqual([expect.stringMatching(/^cell 2 \(costs\.proportional = 5\): costs\.proportional: /)]);
    const proto = parseSweep({ name: 'x', base: defaultConfig(), grid: { '__proto__.polluted': [1] } });
    expect(proto.ok).toBe(false);
    const missing = parseSweep({ name: 'x', base: defaultConfig(), grid: { 'nothing.here': [1] } });
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.errors[0]).toMatch(/the experiment has no field nothing/);
    const base = parseSweep({ name: 'x', base: { ...defaultConfig(), seed: -1 }, grid: { seed: [1] } });
    expect(!base.ok && base.errors[0]).toMatch(/^base\.seed/);
  });

  it('ship the paper 001 figure sweeps as valid presets', () => {
    for (const [name, p] of Object.entries(SWEEP_PRESETS).filter(([name]) => name.startsWith('paper001-'))) {
      const r = parseSweep(structuredClone(p.sweep));
      expect(r.ok, name).toBe(true);
      if (r.ok) for (const c of r.cells) expect(c.config.strategies.map((s) => s.type)).toEqual(['bs-delta', 'dhmlp', 'dhntb', 'dhlnn']);
    }
  });

  it('refuse a grid axis named __proto__ (an own key of parsed JSON), a malformed axis by its rule, and unknown fields quoted on one line', () => {
    const text = JSON.stringify({ name: 'x', base: defaultConfig() }).slice(0, -1) + ',"grid":{"__proto__":[1,2]}}';
    expect(parseSweep(JSON.parse(text))).toEqual({ ok: false, errors: ['grid.__proto__: not a field of an experiment'] });
    expect(parseSweep({ name: 'x', base: defaultConfig(), grid: { '': [1] } })).toEqual({ ok: false, errors: ['grid."": a dotted path of field names, e.g. costs.proportional'] });
    expect(parseSweep({ name: 'x', base: defaultConfig(), grid: {}, 'a\nb': 1 })).toEqual({ ok: false, errors: ['sweep: unrecognized field "a\\nb"'] });
  });
});
