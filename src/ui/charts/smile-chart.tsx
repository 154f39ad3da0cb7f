/**
 * The Heston model's implied-volatility smile (engine's marketPreview, from the Fourier price): one line
 * per maturity, strike on x, Black-Scholes implied volatility on y. Strikes with no price are gaps.
 */
import { useMemo } from 'react';
import type { Data } from 'plotly.js';
import { useLab } from '../lab-store';
import { usePreviewEmptyMessage } from './fan-chart';
import { BASE_LAYOUT, Plot, type Figure } from './plot';
import { rounded, significant } from './significant';

const LINE_COLOURS = ['#93c5fd', '#3b82f6', '#1d4ed8', '#1e3a8a', '#0f172a'];
const percentOf = (v: number) => `${(100 * v).toFixed(1)}%`;

export function SmileChart() {
  const smile = useLab((s) => s.preview.preview?.smile ?? null);
  const daysPerYear = useLab((s) => s.preview.config?.market.daysPerYear ?? 365);
  const empty = usePreviewEmptyMessage('the smile');

  const figure = useMemo((): Figure | null => {
    if (!smile) return null;
    const data: Data[] = smile.maturities.map((t, k) => ({
      type: 'scatter',
      mode: 'lines+markers',
      name: `${rounded(t * daysPerYear)} days`,
      x: smile.strikes,
      y: smile.impliedVol[k]!.map((v) => (Number.isFinite(v) ? v : null)),
      line: { color: LINE_COLOURS[Math.min(k, LINE_COLOURS.length - 1)], width: 2 },
      marker: { size: 4 },
      hovertemplate: `maturity ${rounded(t * daysPerYear)} days<br>strike %{x:.4g}<br>implied vol %{y:.1%}<extra></extra>`,
    }));
    return {
      data,
      layout: {
        ...BASE_LAYOUT,
        showlegend: true,
        xaxis: { title: { text: 'strike K' }, zeroline: false },
        yaxis: { title: { text: 'implied volatility' }, tickformat: '.0%', zeroline: false },
      },
      summary:
        `Implied volatility by strike from ${significant(smile.strikes[0] ?? NaN)} to ${significant(smile.strikes.at(-1) ?? NaN)}: ` +
        smile.maturities
          .map((t, k) => {
            const vols = smile.impliedVol[k]!.filter(Number.isFinite);
            return `${rounded(t * daysPerYear)} days from ${percentOf(Math.min(...vols))} to ${percentOf(Math.max(...vols))}`;
          })
          .join('; ') +
        '.',
    };
  }, [smile, daysPerYear]);

  return <Plot figure={figure} empty={empty} testId="chart-smile" height={280} />;
}
