/**
 * Realised (historical) volatility: the annualised sample standard deviation of daily log-returns,
 *   sigma_t = sqrt(P) * sqrt( sum_{i=t-w+1..t} (r_i - rbar)^2 / (w - 1) ),   r_i = ln(S_i / S_{i-1}),
 * with P periods per year. The value at date t uses the w returns ending at t only (no look-ahead), as the
 * rolling volatility feature of paper 003 (§3.2 and appendix 8.1.2) and the constant volatility that classic
 * hedges need on historical data (§3.1) require.
 */
import { logReturns } from './price-panel';

/** Annualised sample std of r[from .. to - 1]; NaN if any of them is missing or there are fewer than two. */
function annualisedStd(r: Float64Array, from: number, to: number, periodsPerYear: number): number {
  const n = to - from;
  if (n < 2) return NaN;
  let sum = 0;
  for (let i = from; i < to; i++) sum += r[i];
  if (!Number.isFinite(sum)) return NaN;
  const mean = sum / n;
  let squares = 0;
  for (let i = from; i < to; i++) squares += (r[i] - mean) ** 2;
  return Math.sqrt((squares / (n - 1)) * periodsPerYear);
}

function checkPeriodsPerYear(periodsPerYear: number): void {
  if (!(periodsPerYear > 0) || !Number.isFinite(periodsPerYear)) throw new RangeError(`realised volatility: periodsPerYear must be positive, not ${periodsPerYear}`);
}

/**
 * Rolling realised volatility aligned to the dates of `close`: out[t] uses the `window` returns ending at t,
 * so it is NaN for t < window and wherever that window holds a missing price.
 */
export function realisedVolatility(close: Float64Array, window: number, periodsPerYear = 252): Float64Array {
  if (!Number.isInteger(window) || window < 2) throw new RangeError(`realised volatility: window must be an integer of at least 2 returns, not ${window}`);
  checkPeriodsPerYear(periodsPerYear);
  const r = logReturns(close);
  const out = new Float64Array(close.length).fill(NaN);
  for (let t = window; t < close.length; t++) out[t] = annualisedStd(r, t - window + 1, t + 1, periodsPerYear);
  return out;
}

/**
 * One realised volatility over the date range [start, end): every return whose two prices both lie in the
 * range and are present (gaps are skipped, not bridged). NaN when fewer than two such returns exist.
 */
export function realisedVolatilityOver(close: Float64Array, [start, end]: [number, number], periodsPerYear = 252): number {
  checkPeriodsPerYear(periodsPerYear);
  const r = logReturns(close.subarray(Math.max(0, start), Math.min(close.length, end)));
  const present = r.filter((x) => Number.isFinite(x));
  return annualisedStd(present, 0, present.length, periodsPerYear);
}
