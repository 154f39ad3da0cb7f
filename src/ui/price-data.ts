/**
 * The price data the data-driven markets run on (historical windows, regime-switching; paper 003 §3), and the
 * forecaster market on them (paper 000 §2; not on its simulated factor panel, which needs none): the
 * bundled series (data/bundled-series.ts: the S&P 500 2000-2020 and AAPL 2013-2018), each loaded on first
 * use in its own chunk, a `bundled` source's panel built from them on their common dates, and CSV files the person imports, one per
 * asset or one long table, parsed and aligned by the engine (data/csv.ts, data/price-panel.ts). The files
 * never leave the tab: a share link names the imported file and nothing else, so opening one asks for it.
 * Option quotes (date, expiry, strike, call price; data/option-quotes.ts) are imported and kept the same
 * way: they give the implied delta of paper 000 (eq. 24-26) the market's implied volatility.
 */
import { formatCsvErrors, parsePriceCsv } from '../engine/data/csv';
import { parseOptionQuotesCsv, type OptionQuotes } from '../engine/data/option-quotes';
import { alignPanels, type PricePanel } from '../engine/data/price-panel';
import { sp500Panel } from '../engine/data/sp500';
import { aaplPanel, bundledPanel } from '../engine/data/bundled-series';
import { isDataMarket, usesPriceData, type BundledSymbol, type Experiment } from '../engine/experiment/schema';

/** A successful import: the aligned panel, the file name the experiment records, and the parser's warnings. */
export interface ImportedData {
  /** The name the experiment (and a share link) records: the file's name, or the names of several joined. */
  name: string;
  files: string[];
  panel: PricePanel;
  warnings: string[];
}

/** A bundled series, loaded on first use. */
export interface BundledSeriesState {
  status: 'idle' | 'loading' | 'ready' | 'failed';
  panel: PricePanel | null;
  error: string | null;
}

/** Imported option quotes: the file's name (which the experiment records as market.quotes) and the quotes. */
export interface ImportedQuotes {
  name: string;
  quotes: OptionQuotes;
}

export interface DataState {
  /** The bundled S&P 500 series (the `sp500` source, and SPX of a `bundled` one). */
  sp500: BundledSeriesState;
  /** The bundled AAPL series (AAPL of a `bundled` source). */
  aapl: BundledSeriesState;
  imported: ImportedData | null;
  /** Why the last import was refused (each line names the file, line and column); the data loaded before stay. */
  importErrors: string[];
  importing: boolean;
  quotes: ImportedQuotes | null;
  /** Why the last quotes import was refused (file, line and column); the quotes loaded before stay. */
  quoteErrors: string[];
}

export const EMPTY_DATA: DataState = {
  sp500: { status: 'idle', panel: null, error: null },
  aapl: { status: 'idle', panel: null, error: null },
  imported: null,
  importErrors: [],
  importing: false,
  quotes: null,
  quoteErrors: [],
};

/** Larger files are refused before they are read: a tab parses them on the main thread. */
export const MAX_CSV_BYTES = 20 * 1024 * 1024;
const MAX_NAME_CHARS = 120;

/** The bundled series (vega-datasets' sp500-2000.csv), fetched as its own chunk the first time it is needed. */
export async function loadSp500(): Promise<PricePanel> {
  const csv = await import('vega-datasets/data/sp500-2000.csv?raw');
  return sp500Panel(csv.default);
}

/** The bundled AAPL series (@observablehq/sample-datasets' aapl.csv), fetched as its own chunk the first time it is needed. */
export async function loadAapl(): Promise<PricePanel> {
  const csv = await import('@observablehq/sample-datasets/aapl.csv?raw');
  return aaplPanel(csv.default);
}

/** Each bundled symbol's loader and the DataState field that holds it. */
export const BUNDLED_LOADS: Readonly<Record<BundledSymbol, { state: 'sp500' | 'aapl'; load: () => Promise<PricePanel>; name: string }>> = {
  AAPL: { state: 'aapl', load: loadAapl, name: 'AAPL' },
  SPX: { state: 'sp500', load: loadSp500, name: 'S&P 500' },
};

/** The last `bundled` panel built, so one source on the same loaded series gives the same panel object. */
let lastBundled: { symbols: string; series: (PricePanel | null)[]; panel: PricePanel } | null = null;

/** The panel of the bundled series `symbols` on their common dates (data/bundled-series.ts), once each is loaded. */
function bundledSourcePanel(symbols: BundledSymbol[], data: DataState): PricePanel {
  const series = symbols.map((s) => data[BUNDLED_LOADS[s].state].panel);
  const key = symbols.join(',');
  if (lastBundled && lastBundled.symbols === key && lastBundled.series.every((p, i) => p === series[i])) return lastBundled.panel;
  const panel = bundledPanel(symbols, Object.fromEntries(symbols.map((s, i) => [s, series[i]!])));
  lastBundled = { symbols: key, series, panel };
  return panel;
}

/** The name an import of `files` goes by: the file's own, or several joined (cut to the schema's 120 characters). */
export function importName(files: string[]): string {
  const joined = files.join(' + ');
  return joined.length <= MAX_NAME_CHARS ? joined : `${joined.slice(0, MAX_NAME_CHARS - 1)}…`;
}

export type ImportResult = { ok: true; data: ImportedData } | { ok: false; errors: string[] };

/** Parses every file (all of them, so every file's errors are listed at once) and aligns them on their dates. */
export async function importCsvFiles(files: readonly File[]): Promise<ImportResult> {
  if (files.length === 0) return { ok: false, errors: ['no file was chosen'] };
  const errors: string[] = [];
  const panels: PricePanel[] = [];
  const warnings: string[] = [];
  for (const file of files) {
    if (file.size > MAX_CSV_BYTES) {
      errors.push(`${file.name}: the file is ${(file.size / 1024 / 1024).toFixed(1)} MB; at most ${MAX_CSV_BYTES / 1024 / 1024} MB can be imported`);
      continue;
    }
    let text: string;
    try {
      text = await file.text();
    } catch (e) {
      errors.push(`${file.name}: the file could not be read (${e instanceof Error ? e.message : String(e)})`);
      continue;
    }
    const parsed = parsePriceCsv(text, file.name);
    if (!parsed.ok) errors.push(...formatCsvErrors(parsed));
    else {
      panels.push(parsed.panel);
      warnings.push(...parsed.warnings);
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  let panel: PricePanel;
  try {
    panel = panels.length === 1 ? panels[0]! : alignPanels(panels);
  } catch (e) {
    return { ok: false, errors: [e instanceof Error ? e.message : String(e)] };
  }
  const names = files.map((f) => f.name);
  return { ok: true, data: { name: importName(names), files: names, panel, warnings } };
}

/** A file of option quotes, parsed (every error listed with its line and column). */
export async function importQuotesFile(file: File): Promise<{ ok: true; quotes: ImportedQuotes } | { ok: false; errors: string[] }> {
  if (file.size > MAX_CSV_BYTES) return { ok: false, errors: [`${file.name}: the file is ${(file.size / 1024 / 1024).toFixed(1)} MB; at most ${MAX_CSV_BYTES / 1024 / 1024} MB can be imported`] };
  let text: string;
  try {
    text = await file.text();
  } catch (e) {
    return { ok: false, errors: [`${file.name}: the file could not be read (${e instanceof Error ? e.message : String(e)})`] };
  }
  const parsed = parseOptionQuotesCsv(text, file.name);
  if (!parsed.ok) return { ok: false, errors: formatCsvErrors(parsed) };
  return { ok: true, quotes: { name: file.name.slice(0, MAX_NAME_CHARS), quotes: parsed.quotes } };
}

/**
 * What a run of `config` needs of the data: nothing, a loaded panel (with the option quotes its market names,
 * else null), or a sentence saying what to do first.
 */
export type DataNeed = { status: 'none' } | { status: 'ready'; panel: PricePanel; quotes: OptionQuotes | null } | { status: 'waiting'; message: string };

export function dataNeed(config: Experiment | null, data: DataState): DataNeed {
  if (!config || !usesPriceData(config.market)) return { status: 'none' };
  const wanted = (isDataMarket(config.market) && config.market.quotes?.file) || null;
  if (wanted !== null && data.quotes?.name !== wanted) {
    return { status: 'waiting', message: `This experiment uses the option quotes “${wanted}”: import them in the Data panel to run` };
  }
  const quotes = wanted === null ? null : data.quotes!.quotes;
  const source = config.market.data;
  if (source.source === 'sp500' || source.source === 'bundled') {
    const symbols: BundledSymbol[] = source.source === 'sp500' ? ['SPX'] : source.symbols;
    for (const s of symbols) {
      const { state, name } = BUNDLED_LOADS[s];
      if (data[state].status === 'failed') return { status: 'waiting', message: `The ${name} data could not be loaded: ${data[state].error}` };
      if (!data[state].panel) return { status: 'waiting', message: `Loading the ${name} data…` };
    }
    return { status: 'ready', panel: source.source === 'sp500' ? data.sp500.panel! : bundledSourcePanel(symbols, data), quotes };
  }
  if (data.imported && data.imported.name === source.file) return { status: 'ready', panel: data.imported.panel, quotes };
  return { status: 'waiting', message: `This experiment runs on the file “${source.file}”: import it in the Data panel to run` };
}

/** First and last date with a symbol's price, for the symbol list. */
export function coverage(panel: PricePanel): { first: string; last: string; days: number } {
  return { first: panel.dates[0] ?? '', last: panel.dates.at(-1) ?? '', days: panel.dates.length };
}
