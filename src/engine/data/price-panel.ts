/**
 * A panel of daily prices: several assets on one calendar of trading dates (paper 003 §3.1, "historical daily
 * adjusted closing prices ... for the set of underlying tickers"). Missing prices are NaN and stay NaN: gaps
 * are never filled, so nothing downstream can mistake an invented price for a traded one.
 */

export interface PricePanel {
  /** ISO dates (yyyy-mm-dd), strictly ascending. */
  dates: string[];
  symbols: string[];
  /** Per symbol, the (adjusted) close on each date; NaN where the symbol has no price that day. */
  close: Float64Array[];
  /** Per symbol, the volume traded on each date (NaN where missing); absent when some series has no Volume column. */
  volume?: Float64Array[];
  /**
   * Per symbol, the day's open, high and low, on the close's scale (multiplied by adjusted / raw close where the
   * close is adjusted), NaN where missing: paper 000 eq. 2's other channels; absent when some series has none.
   */
  bars?: { open: Float64Array[]; high: Float64Array[]; low: Float64Array[] };
}

/**
 * The panels on the union of their dates, a symbol's price NaN on a date it has no row for. A symbol may
 * appear in one panel only: a second occurrence is refused with an Error that names it.
 */
export function alignPanels(panels: PricePanel[]): PricePanel {
  const owner = new Map<string, number>();
  panels.forEach((p, k) =>
    p.symbols.forEach((s) => {
      const first = owner.get(s);
      if (first !== undefined) throw new Error(`symbol "${s}" appears in more than one price series (series ${first + 1} and ${k + 1})`);
      owner.set(s, k);
    }),
  );
  const dates = [...new Set(panels.flatMap((p) => p.dates))].sort();
  const row = new Map(dates.map((d, i) => [d, i]));
  const aligned = (p: PricePanel, series: Float64Array) => {
    const out = new Float64Array(dates.length).fill(NaN);
    p.dates.forEach((d, i) => (out[row.get(d)!] = series[i]));
    return out;
  };
  const close = panels.flatMap((p) => p.close.map((series) => aligned(p, series)));
  // Volume only when every series has it: market values (forecast/forecast-setup.ts) compare all assets.
  const volume = panels.every((p) => p.volume) ? panels.flatMap((p) => p.volume!.map((series) => aligned(p, series))) : undefined;
  const bar = (k: 'open' | 'high' | 'low') => panels.flatMap((p) => p.bars![k].map((series) => aligned(p, series)));
  const bars = panels.every((p) => p.bars) ? { open: bar('open'), high: bar('high'), low: bar('low') } : undefined;
  return { dates, symbols: panels.flatMap((p) => p.symbols), close, ...(volume && { volume }), ...(bars && { bars }) };
}

/**
 * Daily log-returns of one price series, aligned to its dates: r[t] = ln(S_t / S_{t-1}), so r[0] is NaN, and
 * r[t] is NaN wherever S_t or S_{t-1} is missing. For a panel, map it over `close`.
 */
export function logReturns(close: Float64Array): Float64Array {
  const r = new Float64Array(close.length);
  if (close.length > 0) r[0] = NaN;
  for (let t = 1; t < close.length; t++) r[t] = Math.log(close[t] / close[t - 1]);
  return r;
}
