/**
 * Tick choices that keep short panels legible: a log axis labelled at powers of ten only (plotly's default
 * also labels the 2s and 5s of every decade, which crowd a panel 120 px tall), and a count axis (epochs,
 * iterations) labelled at whole numbers.
 */
import type { LayoutAxis } from 'plotly.js';

/** A log axis over `values` (positive; nulls skipped): one label per decade once they span more than one. */
export function decadeTicks(values: Iterable<number | null>): Partial<LayoutAxis> {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) if (v !== null && v > 0) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  const decades = Math.log10(hi / lo);
  return { type: 'log', exponentformat: 'power', ...(decades > 1 ? { dtick: 1 } : { nticks: 4 }) };
}

/** An axis of counts up to `last`: no fractional ticks, every whole number while there are at most ten. */
export function countTicks(last: number): Partial<LayoutAxis> {
  return { tickformat: 'd', ...(last <= 10 ? { dtick: 1 } : {}) };
}
