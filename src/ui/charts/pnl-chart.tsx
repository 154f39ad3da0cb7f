/**
 * Terminal P&L densities of all strategies on the test paths, overlaid as filled step lines (the engine
 * sends densities, so histograms of different bin widths share one axis). Each step line closes down to
 * zero at both ends and the x-axis reaches a little past the outermost bins, so a spike in an edge bin
 * (no hedge: every option that expires worthless leaves exactly the premium) stands clear of the border.
 * The History view's comparison overlays two runs' densities with the same figure (pnlFigure).
 */
import { useMemo } from 'react';
import type { Data } from 'plotly.js';
import type { Histogram, Metrics } from '../../engine/experiment/events';
import { useLab } from '../lab-store';
import { useEmptyMessage } from './empty-message';
import { strategyColor, translucent } from './palette';
import { BASE_LAYOUT, Plot, type Figure } from './plot';
import { significant } from './significant';

/** The x-axis reaches this fraction of the bins' span beyond the outermost edges. */
const RANGE_PADDING = 0.05;

/** One density the P&L chart draws: its legend name, colour, histogram and the metrics its text alternative quotes. */
export interface PnlSeries {
  name: string;
  color: string;
  histogram: Histogram;
  metrics: Metrics;
  /** A dashed line, to tell a second run's density from the first's (history-comparison.tsx). */
  dash?: 'dash';
}

/** The densities overlaid as filled step lines, closed down to zero at both ends, on an x-axis padded past the outermost bins; null for none. */
export function pnlFigure(series: readonly PnlSeries[]): Figure | null {
  if (series.length === 0) return null;
  const data: Data[] = series.map((s) => {
    const { edges, density } = s.histogram;
    return {
      type: 'scatter',
      mode: 'lines',
      name: s.name,
      x: [edges[0], ...edges],
      y: [0, ...density, 0],
      line: { shape: 'hv', color: s.color, width: 1.5, ...(s.dash && { dash: s.dash }) },
      fill: 'tozeroy',
      fillcolor: translucent(s.color, 0.18),
      hovertemplate: `${s.name}<br>P&L %{x:.4g}<br>density %{y:.3g}<extra></extra>`,
    };
  });
  const lo = Math.min(...series.map((s) => s.histogram.edges[0]));
  const hi = Math.max(...series.map((s) => s.histogram.edges.at(-1)!));
  const pad = RANGE_PADDING * (hi - lo);
  const stats = series.map((s) => `${s.name}: mean ${significant(s.metrics.mean)}, std ${significant(s.metrics.std)}`);
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
}

export function PnlChart() {
  const pnl = useLab((s) => s.view.pnl);
  const strategies = useLab((s) => s.view.strategies);
  const empty = useEmptyMessage({
    before: 'Press Run: P&L distributions on the test paths appear here',
    during: 'Waiting for the first strategy to be scored…',
  });
  const figure = useMemo(
    () =>
      pnlFigure(
        strategies.flatMap((s) => {
          const scored = pnl[s.id];
          return scored ? [{ name: s.label, color: strategyColor(strategies, s.id), histogram: scored.histogram, metrics: scored.metrics }] : [];
        }),
      ),
    [pnl, strategies],
  );
  return <Plot figure={figure} empty={empty} testId="chart-pnl" height={300} />;
}
