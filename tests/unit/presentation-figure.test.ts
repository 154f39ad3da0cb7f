/** The Present view's figure (src/ui/charts/presentation-figure.ts): sizes scaled, the rest as it was. */
import { describe, expect, it } from 'vitest';
import type { Figure } from '../../src/ui/charts/figure';
import { PRESENTATION_SCALE, presentationFigure } from '../../src/ui/charts/presentation-figure';

const x = Float64Array.from([0, 1, 2]);

/** A figure with a size of every kind the lab's charts set, and data that must not move. */
function figure(): Figure {
  return {
    data: [
      { type: 'scatter', mode: 'lines+markers', name: 'Deep hedger', x, y: [1, 2, 3], line: { color: '#2563eb', width: 1.5, shape: 'hv' }, marker: { size: 4 }, hoverlabel: { font: { size: 11 } } },
      // A bar's width is in data units: it stays.
      { type: 'bar', x: [0, 1], y: [3, 4], width: [0.5, 0.5], marker: { color: 'red', line: { color: 'blue', width: 0.5 } } },
      { type: 'heatmap', z: [[1, 2], [3, 4]], colorbar: { title: { text: 'hedge', side: 'right', font: { size: 13 } }, thickness: 14, x: 0.96, tickfont: { size: 10 } } },
    ],
    layout: {
      autosize: true,
      margin: { l: 56, r: 16, t: 8, b: 44 },
      font: { family: 'system-ui', size: 12, color: '#1f2937' },
      legend: { orientation: 'h', x: 0, y: 1.02 },
      xaxis: { title: { text: 'terminal P&L' }, range: [-1, 1] },
      yaxis: { title: { text: 'density', font: { size: 14 } }, tickfont: { size: 10 } },
      annotations: [{ text: 'epoch 10', x: 0.5, y: 1, xref: 'paper', yref: 'paper', showarrow: false, font: { size: 11 } }],
      shapes: [{ type: 'line', x0: 1, x1: 1, y0: 0, y1: 1, line: { color: '#111827', width: 1.5, dash: 'dot' } }],
    },
    summary: 'Densities of the terminal P&L.',
  };
}

describe('presentation figure', () => {
  it('scales every font, margin, line and marker by the presentation scale', () => {
    const k = PRESENTATION_SCALE;
    expect(k).toBe(2);
    const big = presentationFigure(figure());
    const [line, bar, heatmap] = big.data as Record<string, unknown>[];
    expect(big.layout.font).toEqual({ family: 'system-ui', size: 24, color: '#1f2937' });
    expect(big.layout.margin).toEqual({ l: 112, r: 32, t: 16, b: 88 });
    expect(big.layout.yaxis?.title).toEqual({ text: 'density', font: { size: 28 } });
    expect(big.layout.yaxis?.tickfont).toEqual({ size: 20 });
    expect(big.layout.annotations?.[0]?.font).toEqual({ size: 22 });
    expect(big.layout.shapes?.[0]?.line).toEqual({ color: '#111827', width: 3, dash: 'dot' });
    expect(line!.line).toEqual({ color: '#2563eb', width: 3, shape: 'hv' });
    expect(line!.marker).toEqual({ size: 8 });
    expect(line!.hoverlabel).toEqual({ font: { size: 22 } });
    expect(bar!.marker).toEqual({ color: 'red', line: { color: 'blue', width: 1 } });
    expect(heatmap!.colorbar).toEqual({ title: { text: 'hedge', side: 'right', font: { size: 26 } }, thickness: 28, x: 0.96, tickfont: { size: 20 } });
  });

  it('gives a figure without a font size twice Plotly’s 12 px', () => {
    const f = figure();
    delete f.layout.font;
    expect(presentationFigure(f).layout.font).toEqual({ size: 24 });
  });

  it('changes nothing else, and leaves its input as it was', () => {
    const input = figure();
    const before = structuredClone(input);
    const big = presentationFigure(input);
    expect(input).toEqual(before);
    // Scaled back, the figure is the input: only the sizes above moved.
    expect(presentationFigure(big, 1 / PRESENTATION_SCALE)).toEqual(before);
    expect(big.summary).toBe(before.summary);
    expect(big.data[1]).toMatchObject({ width: [0.5, 0.5], x: [0, 1], y: [3, 4] });
    expect(big.layout.xaxis).toEqual(before.layout.xaxis);
    // Objects are copies (Plotly writes ranges into a layout it draws); data arrays are shared, unwritten.
    expect(big.layout.xaxis).not.toBe(input.layout.xaxis);
    expect(big.data[0]).not.toBe(input.data[0]);
    expect((big.data[0] as { x: unknown }).x).toBe(x);
  });
});
