/**
 * Daily log-returns of a price panel, paper 000 eq. 1: r_{i,t} = ln S_{i,t+1} - ln S_{i,t}, the return that
 * follows date t. A return is NaN where either price is missing: the forecaster's missing-value layer (eq. 8)
 * learns what to put there, so nothing here fills a gap. The panel carries closes only, so these are eq. 2's
 * close-to-close channel r^C.
 */
import type { PricePanel } from '../data/price-panel';

export interface ReturnPanel {
  /** dates[t]: the date the return r_t starts from (every panel date but the last). */
  dates: string[];
  symbols: string[];
  /** returns[i][t] = r_{i,t}. */
  returns: Float64Array[];
}

export function logReturns(panel: PricePanel): ReturnPanel {
  const days = panel.dates.length - 1;
  const returns = panel.close.map((s) => Float64Array.from({ length: Math.max(0, days) }, (_, t) => Math.log(s[t + 1]!) - Math.log(s[t]!)));
  return { dates: panel.dates.slice(0, Math.max(0, days)), symbols: panel.symbols, returns };
}
