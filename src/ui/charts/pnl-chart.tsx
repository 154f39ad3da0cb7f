/**
 * Terminal P&L densities of all strategies on the test paths, overlaid as filled step lines (the engine
 * sends densities, so histograms of different bin widths share one axis).
 */
import { useMemo } from 'react';
import type { Data } from 'plotly.js';
import { useLab } from '../lab-store';
import { useEmptyMessage } from './empty-message';
import { strategyColor, translucent } from './palette';
import { BASE_LAYOUT, Plot, type Figure } from './plot';

export function PnlChart() {
  const pnl = useLab((s) => s.view.pnl);
  const strategies = useLab((s) => s.view.strategies);
  const empty = useEmptyMessage({
    before: 'Press Run: P&L distributions on the test paths appear here',
    during: 'Waiting for the first strategy to be scored…',
  });
  const figure = useMemo((): Figure | null => {
    const data: Data[] = strategies
      .filter((s) => pnl[s.id])
      .map((s) => {
        const { edges, density } = pnl[s.id]!.histogram;
        const color = strategyColor(strategies, s.id);
        return {
          type: 'scatter',
          mode: 'lines',
          name: s.label,
          x: Array.from(edges),
          y: [...density, density[density.length - 1] ?? 0],
          line: { shape: 'hv', color, width: 1.5 },
          fill: 'tozeroy',
          fillcolor: translucent(color, 0.18),
          hovertemplate: `${s.label}<br>P&L %{x:.4g}<br>density %{y:.3g}<extra></extra>`,
        };
      });
    if (data.length === 0) return null;
    return {
      data,
      layout: {
        ...BASE_LAYOUT,
        showlegend: true,
        xaxis: { title: { text: 'terminal P&L of the hedged short option' }, zeroline: true, zerolinecolor: '#9ca3af' },
        yaxis: { title: { text: 'density' }, rangemode: 'tozero' },
      },
    };
  }, [pnl, strategies]);
  return <Plot figure={figure} empty={empty} testId="chart-pnl" height={300} />;
}
