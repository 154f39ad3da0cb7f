/**
 * The loaded price data: each symbol's close by date (gaps where a price is missing) and, on the right
 * axis, the first symbol's 30-day realised volatility (data/realised-volatility.ts, the rolling vol of
 * paper 003 §3.2), with the train, validation and test dates of the market's split shaded once the engine has split them (the market
 * preview's summary; the page does not split dates itself).
 */
import { useMemo } from 'react';
import type { Data, Layout } from 'plotly.js';
import type { PricePanel } from '../../engine/data/price-panel';
import { realisedVolatility } from '../../engine/data/realised-volatility';
import { BASE_LAYOUT, Plot, type Figure } from './plot';
import { significant } from './significant';

const SYMBOL_COLOURS = ['#111827', '#2563eb', '#dc2626', '#059669', '#7c3aed', '#b45309', '#db2777', '#0891b2'];
/** Trading days in the realised-volatility window and per year. */
const VOL_WINDOW = 30;
const VOL_PERIODS_PER_YEAR = 252;
const SPLIT_COLOURS = { train: 'rgba(37,99,235,0.10)', validation: 'rgba(217,119,6,0.14)', test: 'rgba(5,150,105,0.13)' };

/** The dates of each part of a chronological split (the market preview's summary, or a forecast's report), and the test windows where known. */
export interface PriceSplit {
  train: [string, string];
  validation: [string, string] | null;
  test: [string, string];
  testWindows?: number;
}

export function PriceChart({ panel, split, empty }: { panel: PricePanel | null; split: PriceSplit | null | undefined; empty: string }) {
  const figure = useMemo((): Figure | null => {
    if (!panel || panel.dates.length === 0) return null;
    const data: Data[] = panel.symbols.map((symbol, k) => ({
      type: 'scatter',
      mode: 'lines',
      name: symbol,
      x: panel.dates,
      y: Array.from(panel.close[k]!, (v) => (Number.isFinite(v) ? v : null)),
      line: { color: SYMBOL_COLOURS[k % SYMBOL_COLOURS.length], width: 1.2 },
      hovertemplate: `${symbol}<br>%{x}<br>%{y:.4g}<extra></extra>`,
    }));
    const vol = realisedVolatility(panel.close[0]!, VOL_WINDOW, VOL_PERIODS_PER_YEAR);
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: `${panel.symbols[0]} ${VOL_WINDOW}-day realised vol`,
      x: panel.dates,
      y: Array.from(vol, (v) => (Number.isFinite(v) ? v : null)),
      yaxis: 'y2',
      line: { color: 'rgba(217,119,6,0.75)', width: 1 },
      hovertemplate: `realised vol<br>%{x}<br>%{y:.1%}<extra></extra>`,
    });
    const shapes: NonNullable<Partial<Layout>['shapes']> = [];
    const annotations: NonNullable<Partial<Layout>['annotations']> = [];
    if (split) {
      const ranges: [keyof typeof SPLIT_COLOURS, [string, string] | null][] = [
        ['train', split.train],
        ['validation', split.validation],
        ['test', split.test],
      ];
      for (const [name, range] of ranges) {
        if (!range) continue;
        shapes.push({ type: 'rect', xref: 'x', yref: 'paper', x0: range[0], x1: range[1], y0: 0, y1: 1, fillcolor: SPLIT_COLOURS[name], line: { width: 0 }, layer: 'below' });
        annotations.push({ text: name, xref: 'x', yref: 'paper', x: range[0], y: 1, xanchor: 'left', yanchor: 'top', showarrow: false, font: { size: 11, color: '#4b5563' } });
      }
    }
    return {
      data,
      layout: {
        ...BASE_LAYOUT,
        showlegend: true,
        margin: { l: 56, r: 56, t: 24, b: 44 },
        xaxis: { type: 'date', zeroline: false },
        yaxis: { title: { text: 'close' }, type: panel.symbols.length > 1 ? 'log' : 'linear', zeroline: false },
        yaxis2: { title: { text: 'realised vol' }, overlaying: 'y', side: 'right', tickformat: '.0%', rangemode: 'tozero', showgrid: false, zeroline: false },
        shapes,
        annotations,
      },
      summary:
        `Daily closes from ${panel.dates[0]} to ${panel.dates.at(-1)} (${panel.dates.length} dates): ` +
        panel.symbols.map((symbol, k) => `${symbol} last ${significant(panel.close[k]!.findLast(Number.isFinite) ?? NaN)}`).join(', ') +
        (split ? `. Test dates ${split.test[0]} to ${split.test[1]}${split.testWindows !== undefined ? `, ${split.testWindows} test windows` : ''}.` : '.'),
    };
  }, [panel, split]);
  return <Plot figure={figure} empty={empty} testId="chart-prices" height={260} />;
}
