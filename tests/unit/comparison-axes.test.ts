/**
 * The Compare tab's grid (ui/comparison-axes.ts): a preset's number axes land in their fields and its object
 * axes (paper 003 fig. 3 sweeps the market over whole objects) are kept; with typed hedge-set sizes they make
 * the sweep the engine expands.
 */
import { describe, expect, it } from 'vitest';
import { findSweepPreset } from '../../src/engine/experiment/presets';
import { parseSweep } from '../../src/engine/experiment/sweep';
import { axesOfGrid, EMPTY_AXES, sweepOf } from '../../src/ui/comparison-axes';

function hedgeSetPreset() {
  const preset = findSweepPreset('paper003-hedge-sets');
  if (!preset.ok) throw new Error(preset.error);
  return preset.value;
}

describe('comparison axes', () => {
  it('puts the preset’s hedge sets in their field, keeps its markets, and sweeps six cells, every pair once', () => {
    const { base, grid } = hedgeSetPreset();
    const { axes, presetAxes } = axesOfGrid(grid);
    expect(axes).toEqual({ ...EMPTY_AXES, hedgeSets: '1, 2' });
    expect(Object.keys(presetAxes)).toEqual(['market']);
    const sweep = sweepOf(base, axes, presetAxes);
    if (!sweep.ok) throw new Error(JSON.stringify(sweep.errors));
    const parsed = parseSweep(sweep.input);
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    const cells = parsed.cells.map((c) => [c.config.market.model, c.config.instruments.hedgeSet]);
    expect(cells.sort()).toEqual([
      ['historical', 1],
      ['historical', 2],
      ['regime-switching', 1],
      ['regime-switching', 2],
      ['signature-diffusion', 1],
      ['signature-diffusion', 2],
    ]);
  });

  it('says which typed value is not a number; a hedge set larger than the market is refused naming the field', () => {
    const { base } = hedgeSetPreset();
    expect(sweepOf(base, { ...EMPTY_AXES, hedgeSets: '1, two' })).toEqual({ ok: false, errors: { hedgeSets: '"two" is not a number' } });
    const tooMany = sweepOf(base, { ...EMPTY_AXES, hedgeSets: '3' });
    if (!tooMany.ok) throw new Error('expected a sweep');
    const parsed = parseSweep(tooMany.input);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.errors.join('\n')).toMatch(/instruments\.hedgeSet/);
  });
});
