/**
 * Paper 003 fig. 3's series (ui/charts/hedge-set-series.ts) on a comparison record laid out by hand: two
 * training markets x hedge sets {1, 2} x two seeds; each panel's line is the mean over its seeds, per size.
 */
import { describe, expect, it } from 'vitest';
import type { CellRecord, ComparisonRecord, StrategyRecord } from '../../src/engine/experiment/comparison';
import type { Metrics } from '../../src/engine/experiment/events';
import { hedgeSetSeries } from '../../src/ui/charts/hedge-set-series';

const metrics = (mean: number): Metrics => ({ mean, std: 2 * mean, es95: -mean } as unknown as Metrics);

function strategy(id: string, mean: number | null): StrategyRecord {
  return {
    id,
    type: id === 'bs-delta' ? 'bs-delta' : 'sigformer',
    label: id,
    status: mean === null ? 'running' : 'done',
    error: null,
    training: { epochs: [], loss: [], seconds: 0 },
    elapsed: [],
    checkpoints: [],
    metrics: mean === null ? null : metrics(mean),
  };
}

const historical = { model: 'historical', data: { source: 'bundled', symbols: ['AAPL', 'SPX'] } };
const regimes = { model: 'regime-switching', data: { source: 'bundled', symbols: ['AAPL', 'SPX'] } };

/** Cell values: sigformer's mean is 10 * market + size + seed / 10 (market 0 or 1); bs-delta's -size. */
function record(): ComparisonRecord {
  const cells: CellRecord[] = [];
  let index = 0;
  for (const [m, market] of [historical, regimes].entries())
    for (const size of [2, 1])
      for (const seed of [1, 2]) {
        const pending = m === 1 && size === 2;
        cells.push({
          index: index++,
          params: { market, 'instruments.hedgeSet': size, seed },
          strategies: [strategy('bs-delta', -size), strategy('sigformer', pending ? null : 10 * m + size + seed / 10)],
        });
      }
  return { name: 'fig 3', axes: [{ path: 'market', values: [historical, regimes] }, { path: 'instruments.hedgeSet', values: [2, 1] }, { path: 'seed', values: [1, 2] }], cells };
}

describe('paper 003 fig. 3 series', () => {
  it('one panel per training market, named as the paper does, sizes ascending, each line the mean over seeds', () => {
    const series = hedgeSetSeries(record(), 'mean')!;
    expect(series.sizes).toEqual([1, 2]);
    expect(series.panels.map((p) => p.title)).toEqual(['market windows', 'regime model']);
    const [windows, model] = series.panels;
    expect(windows!.lines.map((l) => l.strategy.id)).toEqual(['bs-delta', 'sigformer']);
    expect(windows!.lines[0]!.y).toEqual([-1, -2]);
    expect(windows!.lines[1]!.y[0]).toBeCloseTo(1.15, 12);
    expect(windows!.lines[1]!.y[1]).toBeCloseTo(2.15, 12);
    // A size not yet scored is a gap, not a zero.
    expect(model!.lines[1]!.y[0]).toBeCloseTo(11.15, 12);
    expect(model!.lines[1]!.y[1]).toBeNull();
  });

  it('shows the metric asked for, and nothing for a sweep without a hedge-set axis', () => {
    const std = hedgeSetSeries(record(), 'std')!;
    expect(std.panels[0]!.lines[0]!.y).toEqual([-2, -4]);
    const es = hedgeSetSeries(record(), 'es95')!;
    expect(es.panels[0]!.lines[0]!.y).toEqual([1, 2]);
    const noAxis = { ...record(), axes: [{ path: 'seed', values: [1, 2] }] };
    expect(hedgeSetSeries(noAxis, 'mean')).toBeNull();
  });

  it('names the other axes of a panel by their labels when the market is not swept', () => {
    const r = record();
    for (const c of r.cells) {
      const { market, ...rest } = c.params;
      c.params = { ...rest, 'costs.proportional': market === historical ? 0.001 : 0.002 };
    }
    expect(hedgeSetSeries(r, 'mean')!.panels.map((p) => p.title)).toEqual(['cost 0.001', 'cost 0.002']);
  });
});
