/**
 * The holding-surface figure (ui/charts/surface-figure.ts): every panel on ONE colour scale (paper 003
 * fig. 4: zmin / zmax over all the hedgers' surfaces), an empirical surface's empty cells blank with each
 * cell's count for the hover, and panels that never overlap, side by side or stacked at phone width.
 */
import { describe, expect, it } from 'vitest';
import { domains, surfaceFigure, type Surface, type SurfacePanel } from '../../src/ui/charts/surface-figure';

function surface(hedge: number[], count?: number[]): Surface {
  return {
    type: 'surface',
    strategyId: 's',
    logMoneyness: new Float64Array([-0.1, 0, 0.1]),
    timeToMaturity: new Float64Array([2 / 365, 1 / 365]),
    hedge: new Float32Array(hedge),
    reference: null,
    moneynessLabel: 'log(S/K)',
    ...(count ? { count: new Int32Array(count) } : {}),
  };
}

const panel = (name: string, s: Surface): SurfacePanel => ({ name, surface: s, values: s.hedge, count: s.count });

type Heat = { z: (number | null)[][]; customdata?: number[][]; coloraxis: string; zsmooth: unknown; hovertemplate: string; xaxis: string; yaxis: string };

describe('holding-surface figure', () => {
  const rnn = panel('RNN', surface([3, Number.NaN, -2, 1, 0.5, Number.NaN], [4, 0, 2, 1, 3, 0]));
  const sig = panel('SigFormer', surface([0.2, 0.4, 0.6, Number.NaN, 0.1, 0.3], [5, 6, 7, 0, 1, 1]));
  const mlp = panel('MLP', surface([0, 0.5, 1, 0, 0.5, 1]));

  it('puts every panel on one colour axis spanning all their finite values', () => {
    const fig = surfaceFigure([rnn, sig, mlp], false, 365);
    const traces = fig.data as unknown as Heat[];
    expect(traces.map((t) => t.coloraxis)).toEqual(['coloraxis', 'coloraxis', 'coloraxis']);
    expect(traces.map((t) => [t.xaxis, t.yaxis])).toEqual([
      ['x', 'y'],
      ['x2', 'y2'],
      ['x3', 'y3'],
    ]);
    const axis = (fig.layout as { coloraxis: { cmin: number; cmax: number } }).coloraxis;
    expect([axis.cmin, axis.cmax]).toEqual([-2, 3]);
    expect(fig.summary).toContain('on one colour scale from -2.00 to 3.00');
  });

  it('leaves an empirical surface’s empty cells blank and carries the counts; a model surface keeps its values', () => {
    const [r, , m] = surfaceFigure([rnn, sig, mlp], false, 365).data as unknown as Heat[];
    expect(r!.z).toEqual([
      [3, null, -2],
      [1, 0.5, null],
    ]);
    expect(r!.customdata).toEqual([
      [4, 0, 2],
      [1, 3, 0],
    ]);
    expect(r!.zsmooth).toBe(false);
    expect(r!.hovertemplate).toContain('%{customdata} test path-dates');
    expect(m!.customdata).toBeUndefined();
    expect(m!.z[0]).toEqual([0, 0.5, 1]);
    expect(m!.hovertemplate).not.toContain('path-dates');
    expect(surfaceFigure([rnn], false, 365).summary).toContain('RNN from -2.00 to 3.00 (mean over test path-dates, 2 of 6 cells empty)');
  });

  it('lays panels side by side left of the colour bar, or stacked at phone width, never overlapping', () => {
    for (const n of [1, 2, 3, 5]) {
      const row = domains(n, false);
      for (const [k, d] of row.entries()) {
        expect(d.x[0]).toBeLessThan(d.x[1]);
        expect(d.x[1]).toBeLessThanOrEqual(0.92);
        if (k > 0) expect(d.x[0]).toBeGreaterThan(row[k - 1]!.x[1]);
      }
      const column = domains(n, true);
      for (const [k, d] of column.entries()) {
        expect(d.y[0]).toBeLessThan(d.y[1]);
        expect(d.y[0]).toBeGreaterThanOrEqual(0);
        expect(d.y[1]).toBeLessThanOrEqual(1);
        if (k > 0) expect(d.y[1]).toBeLessThan(column[k - 1]!.y[0]);
      }
    }
  });
});
