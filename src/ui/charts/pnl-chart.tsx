/**
 * Terminal P&L densities of all strategies on the test paths, overlaid as filled step lines (the engine
 * sends densities, so histograms of different bin widths share one axis). Each step line closes down to
 * zero at both ends and the x-axis reaches a little past the outermost bins, so a spike in an edge bin
 * (no hedge: every option that expires worthless leaves exactly the premium) stands clear of the border.
 */
import { useMemo } from 'react';
import type { Data } from 'plotly.js';
import { useLab } from '../lab-store';
import { useEmptyMessage } from './empty-message';
import { strategyColor, translucent } from './palette';
import { BASE_LAYOUT, Plot, type Figure } from './plot';
import { significant } from './significant';

/** The x-axis reaches this fraction of the bins' span beyond the outermost edges. */
const RANGE_PADDING = 0.05;

export function PnlChart() {
  const pnl = useLab((s) => s.view.pnl);
  const strategies = useLab((s) => s.view.strategies);
  const empty = useEmptyMessage({
    before: 'Press Run: P&L distributions on the test paths appear here',
    during: 'Waiting for the first strategy to be scored…',
  });
  const figure = useMemo((): Figure | null => {
    const scored = strategies.filter((s) => pnl[s.id]);
    if (scored.length === 0) return null;
    const data: Data[] = scored.map((s) => {
      const { edges, density } = pnl[s.id]!.histogram;
      const color = strategyColor(strategies, s.id);
      return {
        type: 'scatter',
        mode: 'lines',
        name: s.label,
        x: [edges[0], ...edges],
        y: [0, ...density, 0],
        line: { shape: 'hv', color, width: 1.5 },
        fill: 'tozeroy',
        fillcolor: translucent(color, 0.18),
        hovertemplate: `${s.label}<br>P&L %{x:.4g}<br>density %{y:.3g}<extra></extra>`,
      };
    });
    const lo = Math.min(...scored.map((s) => pnl[s.id]!.histogram.edges[0]));
    const hi = Math.max(...scored.map((s) => pnl[s.id]!.histogram.edges.at(-1)!));
    const pad = RANGE_PADDING * (hi - lo);
    const stats = scored.map((s) => `${s.label}: mean ${significant(pnl[s.id]!.metrics.mean)}, std ${significant(pnl[s.id]!.metrics.std)}`);
    return {
      data,
      layout: {
        ...BASE_LAYOUT,
        showlegend: true,
        xaxis: { title: { text: 'terminal P&L of the hedged short option' }, range: [lo - pad, hi + pad], zeroline: true, zerolinecolor: '#9ca3af' },
        yaxis: { title: { text: 'density' }, rangemode: 'tozero' },
      },
      summary: `Densities of the terminal P&L on the test paths, from ${significant(lo)} to ${significant(hi)}. ${stats.join('; ')}.`,
    };
  }, [pnl, strategies]);
  return <Plot figure={figure} empty={empty} testId="chart-pnl" height={300} />;
}
