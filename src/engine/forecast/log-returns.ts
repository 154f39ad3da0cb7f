/**
 * Daily log-returns of a price panel, paper 000 eq. 1-2: r_{i,t} = ln S_{i,t+1} - ln S_{i,t}, the return that
 * follows date t, and where the panel has daily bars the four channels of eq. 2, each from the day's close:
 *   r^O = ln O_{t+1} - ln C_t,  r^H = ln H_{t+1} - ln C_t,  r^L = ln L_{t+1} - ln C_t,  r^C = ln C_{t+1} - ln C_t,
 * in that order, close last (path-sampling.ts reads the close as the last channel). A close-only panel gives
 * the close channel alone. A return is NaN where a price it needs is missing: the forecaster's missing-value
 * layer (eq. 8) learns what to put there, so nothing here fills a gap.
 */
import type { PricePanel } from '../data/price-panel';

export interface ReturnPanel {
  /** dates[t]: the date the return r_t starts from (every panel date but the last). */
  dates: string[];
  symbols: string[];
  /** returns[i][t] = r^C_{i,t}, the close-to-close return. */
  returns: Float64Array[];
  /** channels[i][k][t]: eq. 2's channel k of asset i (O, H, L, C with bars; C alone without), close last. */
  channels: Float64Array[][];
}

export function logReturns(panel: PricePanel): ReturnPanel {
  const days = Math.max(0, panel.dates.length - 1);
  /** ln next[t + 1] - ln close[t]. */
  const fromClose = (close: Float64Array, next: Float64Array) => Float64Array.from({ length: days }, (_, t) => Math.log(next[t + 1]!) - Math.log(close[t]!));
  const returns = panel.close.map((c) => fromClose(c, c));
  const bars = panel.bars;
  const channels = returns.map((r, i) => (bars ? [fromClose(panel.close[i]!, bars.open[i]!), fromClose(panel.close[i]!, bars.high[i]!), fromClose(panel.close[i]!, bars.low[i]!), r] : [r]));
  return { dates: panel.dates.slice(0, days), symbols: panel.symbols, returns, channels };
}
