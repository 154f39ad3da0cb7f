/**
 * Option-quote CSV files: call prices on the claim's underlying, from which paper 000's implied delta
 * (eq. 24-26, §3.3.1) takes the market's implied volatility in place of a proxy.
 *
 * Columns Date, Expiry, Strike, Call Price, matched ignoring case, spaces and underscores as data/csv.ts does
 * ("Expiration" is Expiry, "Call" or "Price" is Call Price); dates yyyy-mm-dd; the strike and the price
 * positive numbers; the expiry after the date; one quote per (date, expiry, strike). Malformed files come back
 * as CsvErrors naming the line and the column, in data/csv.ts's words and with its record reader.
 *
 * quotedVolatilities then inverts each quote with pricing/implied-vol.ts against the underlying's close on
 * its date, zero rate, maturity (expiry - date) in calendar days / 365. A quote outside the no-arbitrage
 * bounds max(S - K, 0) < C < S has no implied volatility: it is an error of its line, column Call Price
 * (the file is refused, as a malformed price is). A quote on a date without a close of the underlying is
 * a warning and is left out.
 */
import { clip, dateProblem, failure, headerColumns, quote, readNumber, rowFits, tableRows, type CsvError, type CsvFailure } from './csv';
import { impliedVol } from '../pricing/implied-vol';

export interface OptionQuote {
  /** The line of the file it is written on. */
  line: number;
  date: string;
  expiry: string;
  strike: number;
  price: number;
}

export interface OptionQuotes {
  fileName: string;
  quotes: OptionQuote[];
  /** The Call Price column's name as the file writes it (later errors name it). */
  priceColumn: string;
}

export type OptionQuotesResult = { ok: true; quotes: OptionQuotes } | CsvFailure;

/** A file holds at most this many quotes. */
export const MAX_OPTION_QUOTES = 200_000;

type Field = 'date' | 'expiry' | 'strike' | 'price';
const FIELD_BY_KEY = new Map<string, Field>([
  ['date', 'date'],
  ['expiry', 'expiry'],
  ['expiration', 'expiry'],
  ['strike', 'strike'],
  ['callprice', 'price'],
  ['call', 'price'],
  ['price', 'price'],
]);
const HEADER_NAMES: Record<Field, string> = { date: 'Date', expiry: 'Expiry', strike: 'Strike', price: 'Call Price' };
const KNOWN_COLUMNS = 'Date, Expiry, Strike, Call Price';

/** Parses an option-quote CSV; `fileName` names the file in messages. */
export function parseOptionQuotesCsv(text: string, fileName: string): OptionQuotesResult {
  const errors: CsvError[] = [];
  const rows = tableRows(text, errors);
  if (rows.length === 0) return failure(fileName, errors);
  const [head, ...data] = rows;
  const names = head.fields.map((f) => f.trim());
  const headerErrors = errors.length;
  const columns = headerColumns(head, FIELD_BY_KEY, KNOWN_COLUMNS, errors);
  for (const f of ['date', 'expiry', 'strike', 'price'] as const) {
    if (!columns.has(f)) errors.push({ line: head.line, column: HEADER_NAMES[f], message: `the header has no ${HEADER_NAMES[f]} column` });
  }
  if (errors.length > headerErrors) return failure(fileName, errors);
  if (data.length === 0) return failure(fileName, [...errors, { line: head.line, column: null, message: 'the file has a header but no data rows' }]);
  if (data.length > MAX_OPTION_QUOTES) {
    const more = data.length.toLocaleString('en-US');
    return failure(fileName, [...errors, { line: data[MAX_OPTION_QUOTES].line, column: null, message: `the file holds ${more} quotes, over the ${MAX_OPTION_QUOTES.toLocaleString('en-US')} a run takes` }]);
  }

  const columnName = (f: Field) => clip(names[columns.get(f)!]);
  const quotes: OptionQuote[] = [];
  const seen = new Map<string, number>();
  for (const r of data) {
    if (!rowFits(r, names.length, errors)) continue;
    const before = errors.length;
    const cell = (f: Field) => r.fields[columns.get(f)!].trim();
    const problem = (f: Field, message: string) => errors.push({ line: r.line, column: columnName(f), message });
    for (const f of ['date', 'expiry'] as const) {
      const bad = dateProblem(cell(f));
      if (bad) problem(f, bad);
    }
    const positive = (f: 'strike' | 'price', what: string): number => {
      const v = readNumber(cell(f));
      if (v === null) problem(f, `the ${what} is missing`);
      else if (typeof v !== 'number') problem(f, v.problem);
      else if (v <= 0) problem(f, `${quote(cell(f))} is not a positive ${what}`);
      return typeof v === 'number' ? v : NaN;
    };
    const strike = positive('strike', 'strike');
    const price = positive('price', 'price');
    if (errors.length > before) continue;
    const date = cell('date');
    const expiry = cell('expiry');
    if (expiry <= date) {
      problem('expiry', `the expiry ${expiry} is not after the quote's date ${date}`);
      continue;
    }
    const key = `${date} ${expiry} ${strike}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      problem('strike', `a quote for strike ${cell('strike')} expiring ${expiry} on ${date} already appears on line ${earlier}`);
      continue;
    }
    seen.set(key, r.line);
    quotes.push({ line: r.line, date, expiry, strike, price });
  }
  if (errors.length > 0) return failure(fileName, errors);
  return { ok: true, quotes: { fileName, quotes, priceColumn: columnName('price') } };
}

/** A quote's Black-Scholes implied volatility. */
export interface QuotedVolatility {
  /** Index of its date in the price series. */
  dateIndex: number;
  /** Years to expiry, calendar days / 365. */
  maturity: number;
  strike: number;
  sigma: number;
}

export type QuotedVolatilitiesResult = { ok: true; volatilities: QuotedVolatility[]; warnings: string[] } | CsvFailure;

const DAY_MS = 86_400_000;
const days = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/**
 * The implied volatility of every quote against the underlying's close `close` on the quote's date (`dates`
 * the series' yyyy-mm-dd dates, `symbol` its name in messages). Quotes outside the no-arbitrage bounds are
 * errors of their line; quotes on dates without a close are left out with a warning.
 */
export function quotedVolatilities(q: OptionQuotes, dates: string[], close: ArrayLike<number>, symbol: string): QuotedVolatilitiesResult {
  const index = new Map(dates.map((d, i) => [d, i]));
  const errors: CsvError[] = [];
  const volatilities: QuotedVolatility[] = [];
  let unpriced = 0;
  let firstUnpriced = 0;
  for (const x of q.quotes) {
    const t = index.get(x.date);
    const spot = t === undefined ? NaN : close[t];
    if (t === undefined || !(spot > 0 && Number.isFinite(spot))) {
      if (unpriced++ === 0) firstUnpriced = x.line;
      continue;
    }
    const maturity = days(x.date, x.expiry) / 365;
    const iv = impliedVol({ price: x.price, spot, strike: x.strike, maturity, rate: 0, kind: 'call' });
    if (iv.ok) volatilities.push({ dateIndex: t, maturity, strike: x.strike, sigma: iv.sigma });
    else errors.push({ line: x.line, column: q.priceColumn, message: `${iv.error} (the close of ${symbol} on ${x.date}): no implied volatility` });
  }
  if (errors.length > 0) return failure(q.fileName, errors);
  if (volatilities.length === 0) {
    return failure(q.fileName, [{ line: firstUnpriced, column: null, message: `no quote falls on a date with a close of ${symbol}` }]);
  }
  const warnings =
    unpriced > 0 ? [`${q.fileName}: ${unpriced} quote${unpriced === 1 ? '' : 's'} on dates without a close of ${symbol} (the first on line ${firstUnpriced}) left out`] : [];
  return { ok: true, volatilities, warnings };
}
