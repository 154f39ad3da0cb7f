/**
 * Historical price paths (paper 003 §3.1): the dates are split chronologically into train, validation and
 * test ranges, and each range is cut into overlapping windows of T trading days, every window re-based so
 * that it starts at S0:  path_k = S0 * S_{i+k} / S_i,  k = 0..T.  A window lies wholly inside its range, so
 * paths built from the training range never see a validation or test price (no look-ahead), and a window in
 * which any selected asset has a missing price is skipped, never filled.
 */
import type { PricePanel } from '../data/price-panel';

/** Date index ranges [start, end), in this order and adjacent: train, then validation, then test. */
export interface ChronologicalSplit {
  train: [number, number];
  validation: [number, number];
  test: [number, number];
}

/** The first `train` fraction of the dates, then the next `validation` fraction; the rest is the test range. */
export function chronologicalSplit(dateCount: number, fractions: { train: number; validation: number }): ChronologicalSplit {
  const { train, validation } = fractions;
  if (!Number.isInteger(dateCount) || dateCount < 0) throw new RangeError(`chronological split: dateCount must be a non-negative integer, not ${dateCount}`);
  if (!(train > 0 && train <= 1)) throw new RangeError(`chronological split: the train fraction must lie in (0, 1], not ${train}`);
  if (!(validation >= 0 && train + validation <= 1))
    throw new RangeError(`chronological split: the validation fraction must be at least 0 and leave train + validation <= 1, not ${validation}`);
  const a = Math.round(dateCount * train);
  const b = Math.min(dateCount, Math.max(a, Math.round(dateCount * (train + validation))));
  return { train: [0, a], validation: [a, b], test: [b, dateCount] };
}

/** Whether a close is a price a window may use: positive and finite (a missing one is NaN). */
export const usablePrice = (close: number): boolean => close > 0 && Number.isFinite(close);

export interface HistoricalWindows {
  /** The date index and the date each window starts on. */
  startIndices: Int32Array;
  startDates: string[];
  count: number;
  /** Windows inside the range left out because some selected symbol has a missing price in them. */
  skipped: number;
  /** The dates inside the range (as indices) on which some selected symbol has no usable price: the gaps that skip windows. */
  gaps: Int32Array;
  /**
   * Per selected symbol, the windows `rows` (indices into startIndices; every window when omitted) as row-major
   * [rows, windowDays + 1] prices, each row starting at s0 (float32). Built on demand, so a long series costs
   * its start indices, not its windows.
   */
  paths(rows?: ArrayLike<number>): Float32Array[];
}

/**
 * Every window of `windowDays` daily steps (windowDays + 1 prices) whose dates lie in `range` = [start, end),
 * starting at start, start + stride, ...: with stride 1 there are end - start - windowDays of them, less
 * those skipped for missing prices.
 */
export function historicalWindows(panel: PricePanel, symbolIndices: number[], range: [number, number], windowDays: number, s0: number, stride = 1): HistoricalWindows {
  const [start, end] = range;
  const n = panel.dates.length;
  if (symbolIndices.length === 0) throw new RangeError('historical windows: no symbol selected');
  for (const s of symbolIndices)
    if (!Number.isInteger(s) || s < 0 || s >= panel.symbols.length) throw new RangeError(`historical windows: symbol index ${s} is not one of the panel's ${panel.symbols.length} symbols`);
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > n || start > end)
    throw new RangeError(`historical windows: range [${start}, ${end}) is not inside the ${n} dates`);
  if (!Number.isInteger(windowDays) || windowDays < 1) throw new RangeError(`historical windows: windowDays must be a positive integer, not ${windowDays}`);
  if (!Number.isInteger(stride) || stride < 1) throw new RangeError(`historical windows: stride must be a positive integer, not ${stride}`);
  if (!(s0 > 0) || !Number.isFinite(s0)) throw new RangeError(`historical windows: s0 must be a positive price, not ${s0}`);

  // missingBefore[t] = number of dates in [start, start + t) where some selected symbol has no usable price.
  const span = end - start;
  const missingBefore = new Int32Array(span + 1);
  for (let t = 0; t < span; t++) {
    const absent = symbolIndices.some((s) => !usablePrice(panel.close[s][start + t]));
    missingBefore[t + 1] = missingBefore[t] + (absent ? 1 : 0);
  }
  const starts: number[] = [];
  let skipped = 0;
  for (let i = start; i + windowDays < end; i += stride) {
    if (missingBefore[i - start + windowDays + 1] - missingBefore[i - start] === 0) starts.push(i);
    else skipped++;
  }
  const gaps: number[] = [];
  for (let t = 0; t < span; t++) if (missingBefore[t + 1] > missingBefore[t]) gaps.push(start + t);

  const cols = windowDays + 1;
  const paths = (rows: ArrayLike<number> = Int32Array.from(starts.keys())) =>
    symbolIndices.map((s) => {
      const close = panel.close[s];
      const out = new Float32Array(rows.length * cols);
      for (let w = 0; w < rows.length; w++) {
        const i = starts[rows[w]];
        const scale = s0 / close[i];
        out[w * cols] = s0;
        for (let k = 1; k < cols; k++) out[w * cols + k] = scale * close[i + k];
      }
      return out;
    });
  return { startIndices: Int32Array.from(starts), startDates: starts.map((i) => panel.dates[i]), count: starts.length, skipped, gaps: Int32Array.from(gaps), paths };
}
