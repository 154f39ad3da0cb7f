/**
 * The market's fan chart: quantile bands over time of the claim's underlying (engine's marketPreview: paths
 * of the training distribution, or the historical test windows of a data market). Outer quantiles form
 * the light band, inner ones the dark band, the median a line (quantileBandTraces, which the forecaster's fan
 * chart draws too).
 */
import { useMemo } from 'react';
import type { Data } from 'plotly.js';
import { useLab } from '../lab-store';
import { BASE_LAYOUT, Plot, type Figure } from './plot';
import { rounded, significant } from './significant';

const BAND_COLOURS = ['rgba(37,99,235,0.14)', 'rgba(37,99,235,0.30)', 'rgba(37,99,235,0.45)'];
const percent = (q: number) => `${Math.round(100 * q)}%`;

/**
 * Quantile bands as plotly traces: the outer pair of quantiles the light band, the inner ones darker, the
 * median a line. `x` labels the points; `at` says one in a hover ("day %{x:.1f}", "%{x}").
 */
export function quantileBandTraces(x: readonly (number | string)[], quantiles: readonly number[], bands: readonly ArrayLike<number>[], at: string): Data[] {
  const data: Data[] = [];
  const n = quantiles.length;
  for (let k = 0; k < Math.floor(n / 2); k++) {
    const lo = k;
    const hi = n - 1 - k;
    const name = `${percent(quantiles[lo]!)}–${percent(quantiles[hi]!)}`;
    data.push(
      {
        type: 'scatter',
        mode: 'lines',
        name: percent(quantiles[lo]!),
        x: [...x],
        y: Array.from(bands[lo]!),
        line: { width: 0, color: BAND_COLOURS[k] },
        showlegend: false,
        legendgroup: name,
        hovertemplate: `${percent(quantiles[lo]!)} quantile<br>${at}<br>%{y:.4g}<extra></extra>`,
      },
      {
        type: 'scatter',
        mode: 'lines',
        name,
        x: [...x],
        y: Array.from(bands[hi]!),
        line: { width: 0, color: BAND_COLOURS[k] },
        fill: 'tonexty',
        fillcolor: BAND_COLOURS[k],
        legendgroup: name,
        hovertemplate: `${percent(quantiles[hi]!)} quantile<br>${at}<br>%{y:.4g}<extra></extra>`,
      },
    );
  }
  if (n % 2 === 1) {
    const mid = (n - 1) / 2;
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: quantiles[mid] === 0.5 ? 'median' : percent(quantiles[mid]!),
      x: [...x],
      y: Array.from(bands[mid]!),
      line: { width: 2, color: '#1d4ed8' },
      hovertemplate: `median<br>${at}<br>%{y:.4g}<extra></extra>`,
    });
  }
  return data;
}

/** The sentence the market panel shows in place of a chart, given the preview's state. */
export function usePreviewEmptyMessage(what: string): string {
  const status = useLab((s) => s.preview.status);
  const message = useLab((s) => s.preview.message);
  const valid = useLab((s) => s.check.config !== null);
  if (status === 'waiting' || status === 'failed') return message ?? 'The market could not be previewed';
  if (!valid) return `Fix the highlighted fields to see ${what}`;
  return `Simulating ${what}…`;
}

export function FanChart() {
  const preview = useLab((s) => s.preview.preview);
  const config = useLab((s) => s.preview.config);
  const empty = usePreviewEmptyMessage('the market');

  const figure = useMemo((): Figure | null => {
    if (!preview || !config) return null;
    const days = Array.from(preview.times, (t) => t * config.market.daysPerYear);
    const { quantiles, bands } = preview;
    const data = quantileBandTraces(days, quantiles, bands, 'day %{x:.1f}');
    return {
      data,
      layout: {
        ...BASE_LAYOUT,
        showlegend: true,
        xaxis: { title: { text: 'days' }, zeroline: false },
        yaxis: { title: { text: preview.summary.assets.length > 1 ? `${preview.summary.assets[0]} (the claim's underlying)` : 'spot' }, zeroline: false },
      },
      summary:
        `Quantiles of the underlying over ${rounded(days.at(-1) ?? 0)} days: at the end, ` +
        quantiles.map((q, k) => `${percent(q)} ${significant(bands[k]!.at(-1) ?? NaN)}`).join(', ') +
        `, from ${significant(bands[0]![0] ?? NaN)} at the start.`,
    };
  }, [preview, config]);

  return <Plot figure={figure} empty={empty} testId="chart-fan" height={280} />;
}
