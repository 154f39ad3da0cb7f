/**
 * Daily price CSV files into a PricePanel (paper 003 §3.1 works on "historical daily adjusted closing prices").
 *
 * Columns are Yahoo Finance's: Date, Open, High, Low, Close, Adj Close, Volume, matched ignoring case, spaces
 * and underscores (so "adjclose" and "adj_close" are Adj Close); only Date and one of Close / Adj Close are
 * required, and Adj Close is used when present. A Symbol (or Ticker) column makes the file a long table of
 * several assets; without one the file holds one asset, named after the file. Dates are yyyy-mm-dd only, in
 * any order (sorted here); every price cell is a positive number, or missing when empty or "null" (Yahoo's
 * marker: the date is kept with a NaN price and a warning). Quoted fields, CRLF or LF line ends, a trailing
 * newline and a UTF-8 byte order mark are accepted. Problems come back as errors naming the line (1-based,
 * as an editor numbers them) and the column; nothing here throws on any input text. The record reader, the
 * date and number rules and the error list are shared with the option-quote files (data/option-quotes.ts).
 */
import { alignPanels, type PricePanel } from './price-panel';

export interface CsvError {
  /** 1-based line of the file, as a text editor shows it. */
  line: number;
  /** The column's name as the file writes it; null when the problem is the whole row or file. */
  column: string | null;
  message: string;
}

export interface CsvFailure {
  ok: false;
  fileName: string;
  /** The first MAX_CSV_ERRORS errors, by line. */
  errors: CsvError[];
  /** How many further errors were found but not listed. */
  omitted: number;
}

export type CsvResult = { ok: true; panel: PricePanel; warnings: string[] } | CsvFailure;

export const MAX_CSV_ERRORS = 20;
const MAX_LISTED_WARNINGS = 20;
/** Symbols are cut to this many UTF-16 units (the experiment schema's limit). */
const MAX_SYMBOL_LENGTH = 24;

type Field = 'date' | 'open' | 'high' | 'low' | 'close' | 'adjclose' | 'volume' | 'symbol';
const PRICE_FIELDS = ['open', 'high', 'low', 'close', 'adjclose'] as const;
const FIELD_BY_KEY = new Map<string, Field>([
  ['date', 'date'],
  ['open', 'open'],
  ['high', 'high'],
  ['low', 'low'],
  ['close', 'close'],
  ['adjclose', 'adjclose'],
  ['adjustedclose', 'adjclose'],
  ['volume', 'volume'],
  ['symbol', 'symbol'],
  ['ticker', 'symbol'],
]);
const KNOWN_COLUMNS = 'Date, Open, High, Low, Close, Adj Close, Volume, Symbol or Ticker';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const SLASHED_DATE = /^\d{1,4}[/.]\d{1,2}[/.]\d{1,4}$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const MISSING_CELL = /^(null)?$/i;
const LINE_BREAK = /\r\n|\r|\n/g;

/** A cell shown in a message: JSON-quoted (control characters escaped), long ones cut. */
export const quote = (s: string) => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
export const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

export interface CsvRecord {
  /** The line the record starts on. */
  line: number;
  fields: string[];
}

/**
 * RFC 4180 records: comma-separated fields, a field that starts with '"' (after blanks) runs to the next lone
 * '"' and may hold commas, line breaks and '""' for a quote; text after its closing quote is kept as is.
 * Line ends are CRLF, LF or CR. `unclosedQuote` is the line of a quote that never closes (reading stops there).
 */
function readRecords(text: string): { records: CsvRecord[]; unclosedQuote: number | null } {
  const records: CsvRecord[] = [];
  const n = text.length;
  let line = 1;
  let fields: string[] = [];
  let start = 1;
  let i = 0;
  const toDelimiter = (from: number) => {
    let e = from;
    while (e < n && text[e] !== ',' && text[e] !== '\n' && text[e] !== '\r') e++;
    return e;
  };
  for (;;) {
    let j = i;
    while (j < n && (text[j] === ' ' || text[j] === '\t')) j++;
    if (j < n && text[j] === '"') {
      const quoteLine = line;
      let value = '';
      let k = j + 1;
      for (;;) {
        const q = text.indexOf('"', k);
        if (q < 0) return { records, unclosedQuote: quoteLine };
        const chunk = text.slice(k, q);
        line += chunk.match(LINE_BREAK)?.length ?? 0;
        value += chunk;
        if (text[q + 1] !== '"') {
          k = q + 1;
          break;
        }
        value += '"';
        k = q + 2;
      }
      i = toDelimiter(k);
      fields.push(value + text.slice(k, i));
    } else {
      const e = toDelimiter(i);
      fields.push(text.slice(i, e));
      i = e;
    }
    if (i < n && text[i] === ',') {
      i++;
      continue;
    }
    records.push({ line: start, fields });
    if (i >= n) break;
    i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
    line++;
    start = line;
    fields = [];
    if (i >= n) break;
  }
  return { records, unclosedQuote: null };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Why `s` is not a yyyy-mm-dd calendar date, or null when it is one. */
export function dateProblem(s: string): string | null {
  const m = ISO_DATE.exec(s);
  if (!m) {
    const hint = SLASHED_DATE.test(s) ? ' (day/month/year and month/day/year are ambiguous)' : '';
    return `${quote(s)} is not a date: write dates as yyyy-mm-dd, e.g. 2000-01-03; no other format is accepted${hint}`;
  }
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return `${quote(s)} is not a calendar date`;
  return null;
}

/** A cell as a number: null when missing (empty or "null"), a message when it is not a finite number. */
export function readNumber(s: string): number | null | { problem: string } {
  if (MISSING_CELL.test(s)) return null;
  if (!DECIMAL.test(s)) return { problem: `${quote(s)} is not a number` };
  const v = Number(s);
  return Number.isFinite(v) ? v : { problem: `${quote(s)} is not a finite number` };
}

/** A symbol made safe to show and to put in a link: letters, digits and . _ ^ = - only, at most 24 units. */
function sanitiseSymbol(raw: string): string {
  const cleaned = raw
    .trim()
    .replace(/[^\p{L}\p{N}._^=-]+/gu, '_')
    .replace(/^_+|_+$/g, '');
  let out = '';
  for (const ch of cleaned) {
    if (out.length + ch.length > MAX_SYMBOL_LENGTH) break;
    out += ch;
  }
  return out;
}

/** The symbol of a one-asset file: its name without folders and extension, sanitised ("ASSET" if nothing is left). */
function symbolFromFileName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return sanitiseSymbol(dot >= 0 ? base.slice(0, dot) : base) || 'ASSET';
}

export function failure(fileName: string, errors: CsvError[]): CsvFailure {
  const sorted = errors.map((e, k) => ({ e, k })).sort((a, b) => a.e.line - b.e.line || a.k - b.k);
  return { ok: false, fileName, errors: sorted.slice(0, MAX_CSV_ERRORS).map((x) => x.e), omitted: Math.max(0, errors.length - MAX_CSV_ERRORS) };
}

interface PriceRow {
  line: number;
  date: string;
  price: number;
  /** Volume traded that day; NaN where the file has none. */
  volume: number;
  /** Open, high and low on the price's scale; NaN where missing. */
  open: number;
  high: number;
  low: number;
}

/**
 * The records of a CSV text that are not blank lines, a leading UTF-8 byte order mark dropped; an unclosed
 * quote and an empty file are pushed to `errors` (the file is empty when no record is left).
 */
export function tableRows(text: string, errors: CsvError[]): CsvRecord[] {
  const { records, unclosedQuote } = readRecords(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  if (unclosedQuote !== null) errors.push({ line: unclosedQuote, column: null, message: 'a quoted field opens on this line and is never closed' });
  const rows = records.filter((r) => !(r.fields.length === 1 && r.fields[0].trim() === ''));
  if (rows.length === 0 && errors.length === 0) errors.push({ line: 1, column: null, message: 'the file is empty' });
  return rows;
}

/**
 * The header's columns by field, names matched to `byKey` ignoring case, spaces and underscores; a column
 * without a name, an unknown one (`known` lists the names) or a repeated one is pushed to `errors`.
 */
export function headerColumns<F extends string>(head: CsvRecord, byKey: ReadonlyMap<string, F>, known: string, errors: CsvError[]): Map<F, number> {
  const names = head.fields.map((f) => f.trim());
  const columns = new Map<F, number>();
  names.forEach((name, idx) => {
    const field = byKey.get(name.toLowerCase().replace(/[\s_]/g, ''));
    if (name === '') errors.push({ line: head.line, column: null, message: `column ${idx + 1} of the header has no name` });
    else if (field === undefined) errors.push({ line: head.line, column: clip(name), message: `${quote(name)} is not a known column (known: ${known})` });
    else if (columns.has(field)) errors.push({ line: head.line, column: clip(name), message: `this column repeats column ${quote(names[columns.get(field)!])}` });
    else columns.set(field, idx);
  });
  return columns;
}

/** Whether the row has as many fields as the header; when not, its error is pushed to `errors`. */
export function rowFits(r: CsvRecord, columns: number, errors: CsvError[]): boolean {
  if (r.fields.length === columns) return true;
  errors.push({ line: r.line, column: null, message: `this row has ${r.fields.length} field${r.fields.length === 1 ? '' : 's'} but the header has ${columns}` });
  return false;
}

/** Parses a daily price CSV; `fileName` names the file in messages and, for a one-asset file, the symbol. */
export function parsePriceCsv(text: string, fileName: string): CsvResult {
  const errors: CsvError[] = [];
  const rows = tableRows(text, errors);
  if (rows.length === 0) return failure(fileName, errors);

  const [head, ...data] = rows;
  const names = head.fields.map((f) => f.trim());
  if (names.length === 1 && /[;\t|]/.test(names[0])) {
    errors.push({ line: head.line, column: null, message: `the header ${quote(names[0])} has one column: columns must be separated by commas` });
    return failure(fileName, errors);
  }
  const headerErrors = errors.length;
  const columns = headerColumns(head, FIELD_BY_KEY, KNOWN_COLUMNS, errors);
  if (!columns.has('date')) errors.push({ line: head.line, column: 'Date', message: 'the header has no Date column' });
  if (!columns.has('close') && !columns.has('adjclose')) errors.push({ line: head.line, column: 'Close', message: 'the header has neither a Close nor an Adj Close column' });
  if (errors.length > headerErrors) return failure(fileName, errors);
  if (data.length === 0) {
    errors.push({ line: head.line, column: null, message: 'the file has a header but no data rows' });
    return failure(fileName, errors);
  }

  const priceField = columns.has('adjclose') ? 'adjclose' : 'close';
  const columnName = (f: Field) => clip(names[columns.get(f)!]);
  const fileSymbol = symbolFromFileName(fileName);
  const bySymbol = new Map<string, PriceRow[]>();
  const seen = new Map<string, Map<string, number>>();
  const warnings: string[] = [];
  let missing = 0;

  for (const r of data) {
    if (!rowFits(r, names.length, errors)) continue;
    const before = errors.length;
    const cell = (f: Field) => r.fields[columns.get(f)!].trim();
    const problem = (f: Field, message: string) => errors.push({ line: r.line, column: columnName(f), message });

    const date = cell('date');
    const badDate = dateProblem(date);
    if (badDate) problem('date', badDate);

    const value = new Map<Field, number>();
    for (const f of PRICE_FIELDS) {
      if (!columns.has(f)) continue;
      const v = readNumber(cell(f));
      if (v === null) {
        if (f === priceField && ++missing <= MAX_LISTED_WARNINGS)
          warnings.push(`${fileName} line ${r.line}, column ${columnName(f)}: ${quote(cell(f))} is a missing price; the date is kept with no price`);
      } else if (typeof v !== 'number') problem(f, v.problem);
      else if (v <= 0) problem(f, `${quote(cell(f))} is not a positive price`);
      else value.set(f, v);
    }
    let volume = NaN;
    if (columns.has('volume')) {
      const v = readNumber(cell('volume'));
      if (v !== null && typeof v !== 'number') problem('volume', v.problem);
      else if (v !== null && v < 0) problem('volume', `${quote(cell('volume'))} is a negative volume`);
      else if (v !== null) volume = v;
    }
    const high = value.get('high');
    const low = value.get('low');
    if (high !== undefined && low !== undefined && high < low) problem('high', `High ${cell('high')} is below Low ${cell('low')}`);

    let symbol = fileSymbol;
    if (columns.has('symbol')) {
      symbol = sanitiseSymbol(cell('symbol'));
      if (symbol === '') problem('symbol', cell('symbol') === '' ? 'the symbol is empty' : `${quote(cell('symbol'))} is not a usable symbol`);
    }
    if (errors.length > before) continue;

    const dates = seen.get(symbol) ?? new Map<string, number>();
    seen.set(symbol, dates);
    const earlier = dates.get(date);
    if (earlier !== undefined) {
      const whose = columns.has('symbol') ? ` for ${symbol}` : '';
      problem('date', `${date}${whose} already appears on line ${earlier}`);
      continue;
    }
    dates.set(date, r.line);
    const list = bySymbol.get(symbol) ?? [];
    bySymbol.set(symbol, list);
    // Open, high and low on the adjusted close's scale (the day's adjustment factor Adj Close / Close).
    const adjust = priceField === 'adjclose' ? (value.get('adjclose') ?? NaN) / (value.get('close') ?? NaN) : 1;
    const bar = (f: 'open' | 'high' | 'low') => (value.get(f) ?? NaN) * adjust;
    list.push({ line: r.line, date, price: value.get(priceField) ?? NaN, volume, open: bar('open'), high: bar('high'), low: bar('low') });
  }
  if (errors.length > 0) return failure(fileName, errors);

  if (missing > MAX_LISTED_WARNINGS) warnings.push(`${fileName}: ${missing - MAX_LISTED_WARNINGS} more missing prices not listed`);
  const panels: PricePanel[] = [];
  let unordered = false;
  for (const [symbol, list] of bySymbol) {
    if (list.every((row) => Number.isNaN(row.price)))
      errors.push({ line: list[0].line, column: columnName(priceField), message: `every price of ${symbol} is missing` });
    unordered ||= list.some((row, k) => k > 0 && row.date < list[k - 1].date);
    list.sort((a, b) => (a.date < b.date ? -1 : 1));
    const volume = columns.has('volume') ? { volume: [Float64Array.from(list, (row) => row.volume)] } : {};
    const hasBars = columns.has('open') && columns.has('high') && columns.has('low') && (priceField === 'close' || columns.has('close'));
    const bar = (k: 'open' | 'high' | 'low') => [Float64Array.from(list, (row) => row[k])];
    const bars = hasBars ? { bars: { open: bar('open'), high: bar('high'), low: bar('low') } } : {};
    panels.push({ dates: list.map((row) => row.date), symbols: [symbol], close: [Float64Array.from(list, (row) => row.price)], ...volume, ...bars });
  }
  if (errors.length > 0) return failure(fileName, errors);
  if (unordered) warnings.push(`${fileName}: the rows were not in date order; they were sorted by date`);
  return { ok: true, panel: alignPanels(panels), warnings };
}

/** The errors of a failed parse as lines a person can act on, e.g. `prices.csv line 14, column Close: "-3" is not a positive price`. */
export function formatCsvErrors(failure: CsvFailure): string[] {
  const lines = failure.errors.map((e) => `${failure.fileName} line ${e.line}${e.column === null ? '' : `, column ${e.column}`}: ${e.message}`);
  if (failure.omitted > 0) lines.push(`${failure.fileName}: ${failure.omitted} more error${failure.omitted === 1 ? '' : 's'} not listed`);
  return lines;
}
