import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bundledData, bundledSp500 } from '../../src/cli/price-data';
import { aaplPanel, BUNDLED_DATA_DESCRIPTION, BUNDLED_SERIES, bundledPanel } from '../../src/engine/data/bundled-series';
import type { PricePanel } from '../../src/engine/data/price-panel';

const aaplText = readFileSync('node_modules/@observablehq/sample-datasets/aapl.csv', 'utf8');
const panel = (symbol: string, dates: string[], close: number[]): PricePanel => ({ dates, symbols: [symbol], close: [Float64Array.from(close)] });

describe('bundled series (paper 003 §3.1)', () => {
  it('reads AAPL as one adjusted-close series, its first and last rows as the file writes them', () => {
    const p = aaplPanel(aaplText);
    const rows = aaplText.trim().split('\n');
    expect(p.symbols).toEqual(['AAPL']);
    expect(p.dates).toHaveLength(rows.length - 1);
    // Date,Open,High,Low,Close,Adj Close,Volume: the Adj Close column.
    expect([p.dates[0], p.close[0][0]]).toEqual([rows[1].split(',')[0], Number(rows[1].split(',')[5])]);
    expect([p.dates.at(-1), p.close[0].at(-1)]).toEqual([rows.at(-1)!.split(',')[0], Number(rows.at(-1)!.split(',')[5])]);
    expect(() => aaplPanel('Date,Close\n2020-01-01,x\n')).toThrow(/the bundled AAPL file is corrupt/);
  });

  it('the descriptions state the dates and day counts the files hold', () => {
    const n = (x: number) => x.toLocaleString('en-US');
    const aapl = aaplPanel(aaplText);
    const spx = bundledSp500();
    for (const [symbol, p] of [['AAPL', aapl], ['SPX', spx]] as const) {
      const text = `${p.dates[0]} to ${p.dates.at(-1)}, ${n(p.dates.length)} trading days`;
      expect(BUNDLED_SERIES[symbol].description).toContain(text);
      expect(BUNDLED_DATA_DESCRIPTION).toContain(`${p.dates[0]} to ${p.dates.at(-1)}`);
    }
    expect(BUNDLED_DATA_DESCRIPTION).toContain(`${n(bundledData(['AAPL', 'SPX']).dates.length)} dates`);
  });

  it('a bundled source: the chosen series in order, on the dates every one has a usable price', () => {
    const a = panel('AAPL', ['2020-01-01', '2020-01-02', '2020-01-03', '2020-01-06'], [1, 2, NaN, 4]);
    const s = panel('SPX', ['2019-12-31', '2020-01-02', '2020-01-03', '2020-01-06'], [10, 20, 30, 40]);
    expect(bundledPanel(['SPX', 'AAPL'], { AAPL: a, SPX: s })).toEqual({
      dates: ['2020-01-02', '2020-01-06'],
      symbols: ['SPX', 'AAPL'],
      close: [Float64Array.from([20, 40]), Float64Array.from([2, 4])],
    });
    expect(bundledPanel(['SPX'], { SPX: s }).dates).toEqual(s.dates);
    expect(() => bundledPanel(['AAPL', 'SPX'], { SPX: s })).toThrow(/the AAPL series is not loaded/);
  });

  it('AAPL with the S&P 500: AAPL\'s dates, each price the one its own file gives that date', () => {
    const aapl = aaplPanel(aaplText);
    const spx = bundledSp500();
    const both = bundledData(['AAPL', 'SPX']);
    expect(both.symbols).toEqual(['AAPL', 'SPX']);
    expect(both.dates).toEqual(aapl.dates);
    expect(both.close[0]).toEqual(aapl.close[0]);
    const row = new Map(spx.dates.map((d, i) => [d, i]));
    expect(both.close[1]).toEqual(Float64Array.from(both.dates, (d) => spx.close[0][row.get(d)!]));
  });
});
