import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCsvErrors, MAX_CSV_ERRORS, parsePriceCsv, type CsvError, type CsvFailure } from '../../src/engine/data/csv';
import { alignPanels, logReturns, type PricePanel } from '../../src/engine/data/price-panel';
import { SP500_MODULE_PATH, sp500Panel } from '../../src/engine/data/sp500';

const vegaText = readFileSync(join(process.cwd(), 'node_modules', SP500_MODULE_PATH), 'utf8');

function ok(text: string, fileName = 'prices.csv') {
  const r = parsePriceCsv(text, fileName);
  if (!r.ok) throw new Error(`expected a parse, got ${formatCsvErrors(r).join('\n')}`);
  return r;
}

function failed(text: string, fileName = 'prices.csv'): CsvFailure {
  const r = parsePriceCsv(text, fileName);
  if (r.ok) throw new Error('expected errors, got a panel');
  return r;
}

/** The only error of a failed parse. */
function onlyError(text: string): CsvError {
  const r = failed(text);
  expect(r.errors).toHaveLength(1);
  return r.errors[0];
}

const series = (p: PricePanel, symbol: string) => Array.from(p.close[p.symbols.indexOf(symbol)]);

/** Lines as a text editor counts them (CRLF, LF and CR each end one). */
const lineCount = (text: string) => (text.match(/\r\n|\r|\n/g)?.length ?? 0) + 1;

describe('parsePriceCsv: valid files', () => {
  it('reads the bundled vega S&P 500 file: 5,105 days from 2000-01-03 to 2020-04-17, adjusted closes, no warnings', () => {
    const r = ok(vegaText, 'sp500-2000.csv');
    const p = r.panel;
    expect(r.warnings).toEqual([]);
    expect(p.symbols).toEqual(['sp500-2000']);
    expect(p.dates).toHaveLength(5105);
    expect(p.dates[0]).toBe('2000-01-03');
    expect(p.dates[5104]).toBe('2020-04-17');
    expect(p.close[0][0]).toBe(1455.219971);
    expect(p.close[0][1]).toBe(1399.420044);
    expect(p.close[0][5104]).toBe(2874.560059);
    expect(p.close[0].every((x) => x > 500 && x < 4000)).toBe(true);
    for (let i = 1; i < p.dates.length; i++) expect(p.dates[i] > p.dates[i - 1]).toBe(true);
  });

  it('sp500Panel names the series SPX and throws on a corrupt text', () => {
    const p = sp500Panel(vegaText);
    expect(p.symbols).toEqual(['SPX']);
    expect(p.close[0]).toHaveLength(5105);
    expect(() => sp500Panel(vegaText.replace('1455.219971,1455.219971', '1455.219971,-1'))).toThrow(/corrupt.*line 2, column adjclose/);
  });

  it('reads a Yahoo export with BOM, CRLF, quoted fields, a trailing newline and "null" rows, using Adj Close', () => {
    const text =
      '\uFEFFDate,Open,High,Low,Close,Adj Close,Volume\r\n' +
      '2021-01-04,"10.5",11,10,10.8,"5.4",1000\r\n' +
      '2021-01-05,null,null,null,null,null,null\r\n' +
      '"2021-01-06",11,12,10.5,11.6,5.8,"1,200"\r\n';
    // "1,200" is not a number: volume is validated too.
    expect(formatCsvErrors(failed(text, 'AAPL.csv'))).toEqual(['AAPL.csv line 4, column Volume: "1,200" is not a number']);
    const r = ok(text.replace('"1,200"', '1200'), 'AAPL.csv');
    expect(r.panel.symbols).toEqual(['AAPL']);
    expect(r.panel.dates).toEqual(['2021-01-04', '2021-01-05', '2021-01-06']);
    expect(series(r.panel, 'AAPL')).toEqual([5.4, NaN, 5.8]);
    expect(r.warnings).toEqual(['AAPL.csv line 3, column Adj Close: "null" is a missing price; the date is kept with no price']);
  });

  it('matches columns ignoring case, spaces and underscores, and falls back to Close without Adj Close', () => {
    expect(series(ok('DATE,adj_close\n2020-01-02,3\n', 'x.csv').panel, 'x')).toEqual([3]);
    expect(series(ok(' date , CLOSE \n 2020-01-02 , 4 \n', 'x.csv').panel, 'x')).toEqual([4]);
    expect(series(ok('Date,Close,AdjClose\n2020-01-02,4,2\n', 'x.csv').panel, 'x')).toEqual([2]);
  });

  it('sorts rows given in any order, and says so', () => {
    const r = ok('Date,Close\n2020-01-03,3\n2020-01-01,1\n2020-01-02,2\n');
    expect(r.panel.dates).toEqual(['2020-01-01', '2020-01-02', '2020-01-03']);
    expect(series(r.panel, 'prices')).toEqual([1, 2, 3]);
    expect(r.warnings).toEqual(['prices.csv: the rows were not in date order; they were sorted by date']);
  });

  it('names a one-asset file after the file, sanitised', () => {
    expect(ok('Date,Close\n2020-01-02,1\n', 'C:\\data\\^GSPC.csv').panel.symbols).toEqual(['^GSPC']);
    expect(ok('Date,Close\n2020-01-02,1\n', '/tmp/my prices (1).CSV').panel.symbols).toEqual(['my_prices_1']);
    expect(ok('Date,Close\n2020-01-02,1\n', '<script>.csv').panel.symbols).toEqual(['script']);
    expect(ok('Date,Close\n2020-01-02,1\n', '.csv').panel.symbols).toEqual(['ASSET']);
  });

  it('aligns a long table of two symbols with different dates, leaving NaN gaps', () => {
    const text = ['Ticker,Date,Close', 'AAA,2020-01-02,10', 'BBB,2020-01-03,20', 'AAA,2020-01-01,9', 'BBB,2020-01-06,21', 'AAA,2020-01-03,11', 'BBB,2020-01-02,19'].join('\n');
    const p = ok(text).panel;
    expect(p.symbols).toEqual(['AAA', 'BBB']);
    expect(p.dates).toEqual(['2020-01-01', '2020-01-02', '2020-01-03', '2020-01-06']);
    expect(series(p, 'AAA')).toEqual([9, 10, 11, NaN]);
    expect(series(p, 'BBB')).toEqual([NaN, 19, 20, 21]);
  });

  it('keeps the Volume column, missing volumes NaN, and aligns it only when every series has one', () => {
    const text = ['Ticker,Date,Close,Volume', 'AAA,2020-01-02,10,500', 'BBB,2020-01-03,20,', 'AAA,2020-01-01,9,400', 'BBB,2020-01-02,19,700'].join('\n');
    const p = ok(text).panel;
    expect(p.volume!.map((v) => Array.from(v))).toEqual([
      [400, 500, NaN],
      [NaN, 700, NaN],
    ]);
    const noVolume = ok(['Date,Close', '2020-01-01,5', '2020-01-02,6'].join('\n'), 'CCC.csv').panel;
    expect(noVolume.volume).toBeUndefined();
    expect(alignPanels([p, noVolume]).volume).toBeUndefined();
    expect(alignPanels([p]).volume!.map((v) => v.length)).toEqual([3, 3]);
  });

  it("keeps each day's open, high and low on the adjusted close's scale, only when the file has all three", () => {
    const text = ['Date,Open,High,Low,Close,Adj Close', '2020-01-02,10,12,9,11,5.5', '2020-01-03,11,13,10,12,6'].join('\n');
    const p = ok(text).panel;
    // Adj Close / Close = 1/2 on both days: the bars are halved with it.
    expect(p.bars!.open.map((v) => Array.from(v))).toEqual([[5, 5.5]]);
    expect(p.bars!.high.map((v) => Array.from(v))).toEqual([[6, 6.5]]);
    expect(p.bars!.low.map((v) => Array.from(v))).toEqual([[4.5, 5]]);
    expect(ok(['Date,Open,Close', '2020-01-02,10,11'].join('\n')).panel.bars).toBeUndefined();
    const bundled = ok(vegaText, 'SPX.csv').panel;
    expect(bundled.bars!.open[0]![0]).toBeCloseTo(1469.25, 6);
  });

  it('warns about at most 20 missing prices and counts the rest', () => {
    const rows = Array.from({ length: 29 }, (_, i) => `2020-02-${String(i + 1).padStart(2, '0')},${i < 24 ? 'null' : 1}`);
    const r = ok(['Date,Close', ...rows].join('\n'));
    expect(r.warnings).toHaveLength(21);
    expect(r.warnings[20]).toBe('prices.csv: 4 more missing prices not listed');
  });
});

describe('parsePriceCsv: every error names its line and column', () => {
  it('a bad date, and says which format is accepted', () => {
    const e = onlyError('Date,Close\n2020-01-02,1\n01/03/2020,2\n');
    expect(e).toMatchObject({ line: 3, column: 'Date' });
    expect(e.message).toBe('"01/03/2020" is not a date: write dates as yyyy-mm-dd, e.g. 2000-01-03; no other format is accepted (day/month/year and month/day/year are ambiguous)');
    expect(onlyError('Date,Close\n2019-02-29,1\n')).toEqual({ line: 2, column: 'Date', message: '"2019-02-29" is not a calendar date' });
    expect(ok('Date,Close\n2020-02-29,1\n').panel.dates).toEqual(['2020-02-29']);
    expect(onlyError('Date,Close\n2020-01-02T00:00:00Z,1\n')).toMatchObject({ line: 2, column: 'Date' });
  });

  it('a non-positive or non-numeric price, in the column as the file spells it', () => {
    const rows = Array.from({ length: 12 }, (_, i) => `2020-01-${String(i + 1).padStart(2, '0')},${i + 1}`);
    const text = ['Date,Close', ...rows, '2020-01-20,-3'].join('\n');
    expect(formatCsvErrors(failed(text))).toEqual(['prices.csv line 14, column Close: "-3" is not a positive price']);
    expect(onlyError('date,open,close\n2020-01-02,0,1\n')).toEqual({ line: 2, column: 'open', message: '"0" is not a positive price' });
    expect(onlyError('Date,Adj Close\n2020-01-02,abc\n')).toEqual({ line: 2, column: 'Adj Close', message: '"abc" is not a number' });
    expect(onlyError('Date,Close\n2020-01-02,1e999\n')).toEqual({ line: 2, column: 'Close', message: '"1e999" is not a finite number' });
    expect(onlyError('Date,Close\n2020-01-02,"1,5"\n')).toEqual({ line: 2, column: 'Close', message: '"1,5" is not a number' });
  });

  it('a duplicate date, per symbol', () => {
    expect(onlyError('Date,Close\n2020-01-02,1\n2020-01-03,1\n2020-01-02,2\n')).toEqual({ line: 4, column: 'Date', message: '2020-01-02 already appears on line 2' });
    expect(onlyError('Symbol,Date,Close\nA,2020-01-02,1\nB,2020-01-02,1\nA,2020-01-02,2\n')).toEqual({
      line: 4,
      column: 'Date',
      message: '2020-01-02 for A already appears on line 2',
    });
  });

  it('an unknown or repeated column, a column with no name, a semicolon-separated header', () => {
    expect(onlyError('Date,Close,Dividend\n2020-01-02,1,0\n')).toEqual({
      line: 1,
      column: 'Dividend',
      message: '"Dividend" is not a known column (known: Date, Open, High, Low, Close, Adj Close, Volume, Symbol or Ticker)',
    });
    expect(onlyError('Date,Close,close\n2020-01-02,1,1\n')).toEqual({ line: 1, column: 'close', message: 'this column repeats column "Close"' });
    expect(onlyError('Date,Close,\n2020-01-02,1,1\n')).toEqual({ line: 1, column: null, message: 'column 3 of the header has no name' });
    expect(onlyError('Date;Close\n2020-01-02;1\n').message).toMatch(/separated by commas/);
  });

  it('a missing required column (Date, and Close or Adj Close)', () => {
    expect(onlyError('Close\n1\n')).toEqual({ line: 1, column: 'Date', message: 'the header has no Date column' });
    expect(onlyError('\n\nDate,Open\n2020-01-02,1\n')).toEqual({ line: 3, column: 'Close', message: 'the header has neither a Close nor an Adj Close column' });
  });

  it('an empty file, or a header with no rows', () => {
    for (const text of ['', '\uFEFF', '\n\n', '  \r\n\t\r\n']) expect(onlyError(text)).toEqual({ line: 1, column: null, message: 'the file is empty' });
    expect(onlyError('Date,Close\r\n')).toEqual({ line: 1, column: null, message: 'the file has a header but no data rows' });
  });

  it('a row with the wrong number of fields', () => {
    expect(onlyError('Date,Close\n2020-01-02,1\n2020-01-03,1,7\n2020-01-06,1\n')).toEqual({ line: 3, column: null, message: 'this row has 3 fields but the header has 2' });
    expect(onlyError('Date,Close\n2020-01-02\n')).toEqual({ line: 2, column: null, message: 'this row has 1 field but the header has 2' });
  });

  it('High below Low', () => {
    expect(onlyError('Date,High,Low,Close\n2020-01-02,9,10,9.5\n')).toEqual({ line: 2, column: 'High', message: 'High 9 is below Low 10' });
  });

  it('an empty symbol, and a quote that never closes', () => {
    expect(onlyError('Symbol,Date,Close\n ,2020-01-02,1\n')).toEqual({ line: 2, column: 'Symbol', message: 'the symbol is empty' });
    expect(onlyError('Date,Close\n2020-01-02,1\n2020-01-03,"1\n2020-01-06,1\n')).toEqual({ line: 3, column: null, message: 'a quoted field opens on this line and is never closed' });
  });

  it('a price with every value missing', () => {
    expect(onlyError('Date,Close\n2020-01-02,null\n2020-01-03,\n')).toEqual({ line: 2, column: 'Close', message: 'every price of prices is missing' });
  });

  it('counts lines as an editor does, through CRLF, CR and quoted line breaks', () => {
    expect(onlyError('Date,Close\r\n2020-01-02,1\r2020-01-03,x\r\n').line).toBe(3);
    expect(onlyError('Date,Close,"Clo\nsed"\n2020-01-02,1,1\n').message).toMatch(/"Clo\\nsed" is not a known column/);
    expect(onlyError('Symbol,Date,Close\n"A\r\nB",2020-01-02,1\n2020-01-03,x\n')).toMatchObject({ line: 4, column: null });
  });

  it('lists the first 20 errors in line order and counts the rest', () => {
    const rows = Array.from({ length: 50 }, (_, i) => `2020-13-01,${-i}`);
    const r = failed(['Date,Close', ...rows].join('\n'));
    expect(r.errors).toHaveLength(MAX_CSV_ERRORS);
    expect(r.omitted).toBe(80);
    expect(r.errors.map((e) => e.line)).toEqual([2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11]);
    const lines = formatCsvErrors(r);
    expect(lines).toHaveLength(21);
    expect(lines[0]).toBe('prices.csv line 2, column Date: "2020-13-01" is not a calendar date');
    expect(lines[20]).toBe('prices.csv: 80 more errors not listed');
  });
});

describe('price panels', () => {
  it('alignPanels takes the union of dates and refuses a symbol twice', () => {
    const a: PricePanel = { dates: ['2020-01-02', '2020-01-06'], symbols: ['A'], close: [Float64Array.of(1, 2)] };
    const b: PricePanel = { dates: ['2020-01-03', '2020-01-06'], symbols: ['B'], close: [Float64Array.of(3, 4)] };
    const p = alignPanels([a, b]);
    expect(p.dates).toEqual(['2020-01-02', '2020-01-03', '2020-01-06']);
    expect(p.close.map((c) => Array.from(c))).toEqual([
      [1, NaN, 2],
      [NaN, 3, 4],
    ]);
    expect(() => alignPanels([a, b, a])).toThrow('symbol "A" appears in more than one price series (series 1 and 3)');
  });

  it('logReturns are aligned to dates and NaN where either end is missing', () => {
    expect(Array.from(logReturns(Float64Array.of(1, Math.E, NaN, 2, 4)))).toEqual([NaN, 1, NaN, NaN, Math.log(2)]);
  });
});

describe('parsePriceCsv: fuzzing', () => {
  const base = vegaText
    .split('\n')
    .slice(0, 16)
    .map((l, i) => (i === 0 ? 'Date,Open,High,Low,Close,Adj Close,Volume' : l))
    .join('\n');

  const junk = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.string({ unit: 'grapheme', maxLength: 6 }),
    fc.uint8Array({ maxLength: 16 }).map((b) => String.fromCharCode(...b)),
    fc.uint8Array({ maxLength: 16 }).map((b) => new TextDecoder().decode(b)),
    fc.constantFrom('"', '""', ',', '\r', '\n', '\r\n', '\uFEFF', '\uD800', '\uDFFF', 'null', '-1', '0', '1e999', ' ', '2020-02-30', 'Symbol', 'constructor', '__proto__'),
  );
  const mutation = fc.oneof(
    fc.record({ kind: fc.constantFrom('deleteLine', 'duplicateLine', 'truncate'), at: fc.nat(), cell: fc.nat(), text: fc.constant('') }),
    fc.record({ kind: fc.constantFrom('deleteCell', 'duplicateCell'), at: fc.nat(), cell: fc.nat(), text: fc.constant('') }),
    fc.record({ kind: fc.constantFrom('garbleCell', 'insert'), at: fc.nat(), cell: fc.nat(), text: junk }),
  );

  function mutate(text: string, m: { kind: string; at: number; cell: number; text: string }): string {
    if (m.kind === 'insert') {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    if (m.kind === 'truncate') return text.slice(0, m.at % (text.length + 1));
    const lines = text.split('\n');
    const li = m.at % lines.length;
    if (m.kind === 'deleteLine') lines.splice(li, 1);
    else if (m.kind === 'duplicateLine') lines.splice(li, 0, lines[li]);
    else {
      const cells = lines[li].split(',');
      const ci = m.cell % cells.length;
      if (m.kind === 'deleteCell') cells.splice(ci, 1);
      else if (m.kind === 'duplicateCell') cells.splice(ci, 0, cells[ci]);
      else cells[ci] = m.text;
      lines[li] = cells.join(',');
    }
    return lines.join('\n');
  }

  /** Whatever the text, the parse returns a well-formed panel or errors that point inside the file. */
  function checkWellFormed(text: string): void {
    const r = parsePriceCsv(text, 'fuzz.csv');
    if (r.ok) {
      const p = r.panel;
      expect(p.symbols.length).toBeGreaterThan(0);
      for (let i = 0; i < p.dates.length; i++) {
        expect(p.dates[i]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        if (i > 0) expect(p.dates[i] > p.dates[i - 1]).toBe(true);
      }
      for (const c of p.close) {
        expect(c).toHaveLength(p.dates.length);
        for (const x of c) expect(Number.isNaN(x) || (x > 0 && Number.isFinite(x))).toBe(true);
      }
    } else {
      const last = lineCount(text);
      expect(r.errors.length).toBeGreaterThan(0);
      expect(r.errors.length).toBeLessThanOrEqual(MAX_CSV_ERRORS);
      for (const e of r.errors) {
        expect(Number.isInteger(e.line) && e.line >= 1 && e.line <= last).toBe(true);
        expect(e.message.length).toBeGreaterThan(0);
      }
      expect(formatCsvErrors(r).length).toBe(r.errors.length + (r.omitted > 0 ? 1 : 0));
    }
  }

  it('random mutations of a valid file never throw; errors point at lines inside the file', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (ms) => checkWellFormed(ms.reduce(mutate, base))),
      { numRuns: 400 },
    );
  });

  it('random text and random CSV-like token soup never throw', () => {
    const token = fc.constantFrom(',', '"', '\n', '\r\n', '\r', ' ', '1', '-2', '.5', 'null', 'Date', 'Close', 'High', 'Low', 'Symbol', '2020-01-02', '2020-01-03', 'X');
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.array(token, { maxLength: 80 }).map((t) => t.join(''))), checkWellFormed),
      { numRuns: 400 },
    );
  });

  it('a random valid table written as CSV parses back to the same numbers', () => {
    const day0 = Date.UTC(1990, 0, 1);
    const iso = (d: number) => new Date(day0 + d * 86_400_000).toISOString().slice(0, 10);
    const price = fc.double({ min: 1e-6, max: 1e9, noNaN: true, noDefaultInfinity: true });
    const asset = fc.record({
      days: fc.uniqueArray(fc.integer({ min: 0, max: 15_000 }), { minLength: 1, maxLength: 25 }),
      prices: fc.array(fc.tuple(price, price, price, fc.boolean()), { minLength: 25, maxLength: 25 }),
    });
    const table = fc.record({
      assets: fc.uniqueArray(fc.tuple(fc.stringMatching(/^[A-Z]{1,5}$/), asset), { minLength: 1, maxLength: 3, selector: ([s]) => s }),
      longTable: fc.boolean(),
      priceColumn: fc.constantFrom('Adj Close', 'adjclose', 'ADJ_CLOSE', 'Close', 'close'),
      extras: fc.boolean(),
      quoteAll: fc.boolean(),
      eol: fc.constantFrom('\n', '\r\n'),
      bom: fc.boolean(),
      trailing: fc.boolean(),
      order: fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 80, maxLength: 80 }),
    });
    fc.assert(
      fc.property(table, (t) => {
        const long = t.longTable || t.assets.length > 1;
        const header = [...(long ? ['Symbol'] : []), 'Date', ...(t.extras ? ['Open', 'High', 'Low'] : []), t.priceColumn, ...(t.extras ? ['Volume'] : [])];
        const rows: string[][] = [];
        const expected = new Map<string, Map<string, number>>();
        for (const [symbol, a] of t.assets) {
          const byDate = new Map<string, number>();
          a.days.forEach((d, k) => {
            const [p, x, y, missing] = a.prices[k];
            const value = missing && k > 0 ? NaN : p;
            byDate.set(iso(d), value);
            const cells = [...(long ? [symbol] : []), iso(d), ...(t.extras ? [String(p), String(Math.max(x, y)), String(Math.min(x, y))] : []), Number.isNaN(value) ? 'null' : String(value), ...(t.extras ? [String(d * 100)] : [])];
            rows.push(cells);
          });
          expected.set(symbol, byDate);
        }
        const shuffled = rows.map((r, i) => ({ r, key: t.order[i % t.order.length] + i * 1e-9 })).sort((a, b) => a.key - b.key);
        const cell = (c: string) => (t.quoteAll ? `"${c}"` : c);
        const text = (t.bom ? '\uFEFF' : '') + [header, ...shuffled.map((s) => s.r)].map((r) => r.map(cell).join(',')).join(t.eol) + (t.trailing ? t.eol : '');
        const fileName = `${t.assets[0][0]}.csv`;
        const r = parsePriceCsv(text, fileName);
        if (!r.ok) throw new Error(formatCsvErrors(r).join('\n'));
        const p = r.panel;
        const allDates = [...new Set(t.assets.flatMap(([, a]) => a.days))].sort((a, b) => a - b).map(iso);
        expect(p.dates).toEqual(allDates);
        expect([...p.symbols].sort()).toEqual(t.assets.map(([s]) => s).sort());
        for (const [symbol, byDate] of expected) {
          const got = p.close[p.symbols.indexOf(symbol)];
          p.dates.forEach((d, i) => expect(Object.is(got[i], byDate.has(d) ? byDate.get(d) : NaN)).toBe(true));
        }
      }),
      { numRuns: 200 },
    );
  });
});
