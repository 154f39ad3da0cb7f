/**
 * The price data the data-driven markets run on (historical windows, regime-switching; paper 003 §3): the
 * bundled S&P 500 series, loaded on first use in its own chunk, and CSV files the person imports, one per
 * asset or one long table, parsed and aligned by the engine (data/csv.ts, data/price-panel.ts). The files
 * never leave the tab: a share link names the imported file and nothing else, so opening one asks for it.
 * Option quotes (date, expiry, strike, call price; data/option-quotes.ts) are imported and kept the same
 * way: they give the implied delta of paper 000 (eq. 24-26) the market's implied volatility.
 */
import { formatCsvErrors, parsePriceCsv } from '../engine/data/csv';
import { parseOptionQuotesCsv, type OptionQuotes } from '../engine/data/option-quotes';
import { alignPanels, type PricePanel } from '../engine/data/price-panel';
import { sp500Panel } from '../engine/data/sp500';
import { isDataMarket, type Experiment } from '../engine/experiment/schema';

/** A successful import: the aligned panel, the file name the experiment records, and the parser's warnings. */
export interface ImportedData {
  /** The name the experiment (and a share link) records: the file's name, or the names of several joined. */
  name: string;
  files: string[];
  panel: PricePanel;
  warnings: string[];
}

export interface Sp500State {
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
  sp500: Sp500State;
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
  if (!config || !isDataMarket(config.market)) return { status: 'none' };
  const wanted = config.market.quotes?.file ?? null;
  if (wanted !== null && data.quotes?.name !== wanted) {
    return { status: 'waiting', message: `This experiment uses the option quotes “${wanted}”: import them in the Data panel to run` };
  }
  const quotes = wanted === null ? null : data.quotes!.quotes;
  const source = config.market.data;
  if (source.source === 'sp500') {
    if (data.sp500.panel) return { status: 'ready', panel: data.sp500.panel, quotes };
    if (data.sp500.status === 'failed') return { status: 'waiting', message: `The S&P 500 data could not be loaded: ${data.sp500.error}` };
    return { status: 'waiting', message: 'Loading the S&P 500 data…' };
  }
  if (data.imported && data.imported.name === source.file) return { status: 'ready', panel: data.imported.panel, quotes };
  return { status: 'waiting', message: `This experiment runs on the file “${source.file}”: import it in the Data panel to run` };
}

/** First and last date with a symbol's price, for the symbol list. */
export function coverage(panel: PricePanel): { first: string; last: string; days: number } {
  return { first: panel.dates[0] ?? '', last: panel.dates.at(-1) ?? '', days: panel.dates.length };
}
