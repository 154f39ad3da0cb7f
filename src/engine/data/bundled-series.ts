/**
 * The daily series bundled with the lab, from npm packages, for paper 003's experiments (§3.1: "historical
 * daily adjusted closing prices ... for the set of underlying tickers"; §5 hedges a call on AAPL):
 *   AAPL  Apple Inc., Yahoo Finance adjusted closes, 2013-05-13 to 2018-05-11 (1,260 trading days),
 *         @observablehq/sample-datasets' aapl.csv;
 *   SPX   the S&P 500 index, 2000-01-03 to 2020-04-17 (5,105 trading days), vega-datasets' sp500-2000.csv
 *         (data/sp500.ts).
 * A `bundled` data source takes the chosen series in order (the claim is on the first) on the dates every
 * one of them has a price, so a chronological split (paper 003 §3.1) falls on dates the data really cover:
 * with AAPL among them, AAPL's 1,260 dates. The engine reads no files: the caller loads each text (a bundler
 * import of its module path in the browser, the file system in Node) and passes it in.
 */
import { formatCsvErrors, parsePriceCsv } from './csv';
import { usablePrice } from '../markets/historical-windows';
import type { PricePanel } from './price-panel';
import { SP500_MODULE_PATH, sp500Panel } from './sp500';
import type { BundledSymbol } from '../experiment/schema';

/** The AAPL file's path inside node_modules; the package's `exports` name it, so bare specifiers resolve it. */
export const AAPL_MODULE_PATH = '@observablehq/sample-datasets/aapl.csv';

/** Each bundled series: its file inside node_modules and what it holds, as the page shows it. */
export const BUNDLED_SERIES: Readonly<Record<BundledSymbol, { modulePath: string; description: string }>> = {
  AAPL: { modulePath: AAPL_MODULE_PATH, description: 'Apple (AAPL), adjusted daily closes 2013-05-13 to 2018-05-11, 1,260 trading days' },
  SPX: { modulePath: SP500_MODULE_PATH, description: 'S&P 500 index (SPX), daily closes 2000-01-03 to 2020-04-17, 5,105 trading days' },
};

/** One sentence on the bundled data for the page. */
export const BUNDLED_DATA_DESCRIPTION =
  'Bundled daily prices (Yahoo Finance): Apple (AAPL) 2013-05-13 to 2018-05-11 and the S&P 500 (SPX) 2000-01-03 to 2020-04-17; ' +
  'several series are used on the dates they all have (with AAPL, its 1,260 dates), the claim on the first.';

/** The AAPL series as a one-symbol panel, 'AAPL'. Throws only if the bundled text is not the file it should be. */
export function aaplPanel(csvText: string): PricePanel {
  const parsed = parsePriceCsv(csvText, 'AAPL.csv');
  if (!parsed.ok) throw new Error(`the bundled AAPL file is corrupt: ${formatCsvErrors(parsed).slice(0, 3).join('; ')}`);
  if (parsed.panel.symbols.length !== 1 || parsed.panel.symbols[0] !== 'AAPL')
    throw new Error(`the bundled AAPL file is corrupt: it holds symbols ${parsed.panel.symbols.join(', ')}, not one series`);
  return parsed.panel;
}

/** A bundled series' panel from its file's text. */
export function bundledSeriesPanel(symbol: BundledSymbol, csvText: string): PricePanel {
  return symbol === 'AAPL' ? aaplPanel(csvText) : sp500Panel(csvText);
}

/**
 * The panel of a `bundled` data source: the series `symbols` in that order, on the dates on which every one of
 * them has a usable price (`series` holds each symbol's own panel, as bundledSeriesPanel reads it).
 */
export function bundledPanel(symbols: readonly BundledSymbol[], series: Readonly<Partial<Record<BundledSymbol, PricePanel>>>): PricePanel {
  if (symbols.length === 0) throw new RangeError('bundled panel: no symbol chosen');
  const own = symbols.map((s) => {
    const p = series[s];
    if (!p) throw new RangeError(`bundled panel: the ${s} series is not loaded`);
    return { dates: p.dates, close: p.close[0], volume: p.volume?.[0], bars: p.bars && { open: p.bars.open[0]!, high: p.bars.high[0]!, low: p.bars.low[0]! } };
  });
  const index = own.map(({ dates }) => new Map(dates.map((d, i) => [d, i])));
  const dates: string[] = [];
  const rows: number[][] = [];
  for (const d of own[0].dates) {
    const at = index.map((m) => m.get(d) ?? -1);
    if (at.every((i, k) => i >= 0 && usablePrice(own[k].close[i]))) {
      dates.push(d);
      rows.push(at);
    }
  }
  const close = own.map(({ close: c }, k) => Float64Array.from(rows, (at) => c[at[k]]));
  const picked = (series: Float64Array, k: number) => Float64Array.from(rows, (at) => series[at[k]]);
  const volume = own.every((o) => o.volume) ? { volume: own.map(({ volume: v }, k) => picked(v!, k)) } : {};
  const bar = (b: 'open' | 'high' | 'low') => own.map((o, k) => picked(o.bars![b], k));
  const bars = own.every((o) => o.bars) ? { bars: { open: bar('open'), high: bar('high'), low: bar('low') } } : {};
  return { dates, symbols: [...symbols], close, ...volume, ...bars };
}
