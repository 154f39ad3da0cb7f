/**
 * The metrics table and the P&L histogram of a strategy on the test paths, all in float64.
 *
 * mean and std are paper 000 eq. 40's avg_PV and std_PV (the sample standard deviation, divisor n - 1) and
 * avg_r its mean of -PV^2; var / es are paper 001 eq. 28's value at risk and expected shortfall at 90, 95 and
 * 99 % as positive losses (risk/expected-shortfall.ts); entropic is paper 001 eq. 29 (risk/entropic.ts) with
 * the experiment's lambda, or lambda = 1 when it uses another measure; skew and (excess) kurtosis are the
 * population moment ratios m3 / m2^{3/2} and m4 / m2^2 - 3; price is the indifference price of paper 001 eq. 7
 * (risk/measure.ts) of the P&L with the premium taken out; risk is the experiment's measure of the P&L.
 */
import type { Histogram, Metrics } from '../experiment/events';
import type { Risk } from '../experiment/schema';
import { entropicRisk } from './entropic';
import { expectedShortfall, valueAtRisk } from './expected-shortfall';
import { indifferencePrice, riskValue } from './measure';
import { avgR } from './quadratic';

export interface MetricsInput {
  /** Terminal P&L per test path, premium included (positive = gain). */
  pnl: ArrayLike<number>;
  /** Per path sum_t |delta_t - delta_{t-1}|. */
  turnover: ArrayLike<number>;
  /** Per path transaction costs paid. */
  cost: ArrayLike<number>;
  /** Premium received at t = 0, contained in every pnl value. */
  premium: number;
  risk: Risk;
}

function mean(x: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i];
  return sum / x.length;
}

/**
 * Mean, sample standard deviation, skewness and excess kurtosis. The data are shifted by their first value
 * before summing, so a constant sample has a mean equal to that constant and zero deviations exactly
 * (std, skew and kurtosis 0 rather than moments of rounding noise).
 */
export function moments(x: ArrayLike<number>): { mean: number; std: number; skew: number; kurtosis: number } {
  const n = x.length;
  const shift = x[0];
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i] - shift;
  const m = shift + sum / n;
  let m2 = 0;
  for (let i = 0; i < n; i++) m2 += (x[i] - m) ** 2;
  m2 /= n;
  if (!(m2 > 0)) return { mean: m, std: 0, skew: 0, kurtosis: 0 };
  const sd = Math.sqrt(m2);
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const z = (x[i] - m) / sd;
    m3 += z * z * z;
    m4 += z * z * z * z;
  }
  return { mean: m, std: n > 1 ? Math.sqrt((m2 * n) / (n - 1)) : 0, skew: m3 / n, kurtosis: m4 / n - 3 };
}

export function computeMetrics({ pnl, turnover, cost, premium, risk }: MetricsInput): Metrics {
  const n = pnl.length;
  if (n === 0) throw new Error('computeMetrics: no P&L values');
  if (turnover.length !== n || cost.length !== n) {
    throw new Error(`computeMetrics: ${n} P&L values but ${turnover.length} turnover and ${cost.length} cost values`);
  }
  const { mean: pnlMean, std, skew, kurtosis } = moments(pnl);
  const withoutPremium = Float64Array.from(pnl, (v) => v - premium);
  return {
    mean: pnlMean,
    std,
    var90: valueAtRisk(pnl, 0.9),
    var95: valueAtRisk(pnl, 0.95),
    var99: valueAtRisk(pnl, 0.99),
    es90: expectedShortfall(pnl, 0.9),
    es95: expectedShortfall(pnl, 0.95),
    es99: expectedShortfall(pnl, 0.99),
    entropic: entropicRisk(pnl, risk.measure === 'entropic' ? risk.lambda : 1),
    avg_r: avgR(pnl),
    skew,
    kurtosis,
    turnover: mean(turnover),
    cost: mean(cost),
    price: indifferencePrice(risk, withoutPremium, cost),
    risk: riskValue(risk, pnl, cost),
  };
}

/** Linearly interpolated empirical quantile of sorted data (the usual "type 7" definition). */
function quantile(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const i = Math.floor(h);
  const j = Math.min(i + 1, sorted.length - 1);
  return sorted[i] + (h - i) * (sorted[j] - sorted[i]);
}

/**
 * Density histogram over `bins` equal bins between the 0.5 % and 99.5 % empirical quantiles (a range of at
 * least 1e-6 x max(1, |edge|) around them when they coincide). density = count / (n * width), where values
 * outside the range are not counted but n is the whole sample, so the bars integrate to the covered fraction.
 */
export function histogram(x: ArrayLike<number>, bins = 60): Histogram {
  const n = x.length;
  if (n === 0) throw new Error('histogram: no values');
  if (!(Number.isInteger(bins) && bins >= 1)) throw new Error(`histogram: bins must be a positive integer, got ${bins}`);
  const sorted = Float64Array.from(x).sort();
  let lo = quantile(sorted, 0.005);
  let hi = quantile(sorted, 0.995);
  const minSpan = 1e-6 * Math.max(1, Math.abs(lo), Math.abs(hi));
  if (hi - lo < minSpan) {
    const centre = 0.5 * (lo + hi);
    lo = centre - 0.5 * minSpan;
    hi = centre + 0.5 * minSpan;
  }
  const width = (hi - lo) / bins;
  const edges = new Float64Array(bins + 1);
  for (let b = 0; b <= bins; b++) edges[b] = lo + b * width;
  edges[bins] = hi;
  const counts = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v < lo || v > hi) continue;
    counts[Math.min(bins - 1, Math.floor((v - lo) / width))] += 1;
  }
  const density = counts.map((c) => c / (n * width));
  return { edges, density };
}
