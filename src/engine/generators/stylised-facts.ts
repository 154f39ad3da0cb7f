/**
 * The stylised facts generated paths are judged by against real ones (issue 20; Cont, "Empirical properties
 * of asset returns: stylized facts and statistical issues", Quantitative Finance 2001): the two-sample
 * Kolmogorov-Smirnov statistic between return distributions, excess kurtosis (heavy tails), the
 * autocorrelation of returns (about 0) and of absolute returns (positive and slowly decaying: volatility
 * clustering) at lags 1..10, and the leverage effect, corr(r_t, r_(t+k)^2) (negative for equities: falls
 * raise later volatility). Statistics over many paths pool every path's pairs (r_t, r_(t+k)) within the path,
 * around the pooled mean. Host float64.
 */

/** sup_x |F_a(x) - F_b(x)| of the two samples' empirical distribution functions. */
export function ksStatistic(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length === 0 || b.length === 0) throw new Error('the KS statistic needs two non-empty samples');
  const [x, y] = [Float64Array.from(a).sort(), Float64Array.from(b).sort()];
  let [i, j, sup] = [0, 0, 0];
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i]!, y[j]!);
    while (i < x.length && x[i] === v) i++;
    while (j < y.length && y[j] === v) j++;
    sup = Math.max(sup, Math.abs(i / x.length - j / y.length));
  }
  return sup;
}

/** E[(x - m)^4] / E[(x - m)^2]^2 - 3 (0 for a normal sample, large for heavy tails). */
export function excessKurtosis(x: ArrayLike<number>): number {
  const n = x.length;
  const m = Array.from(x).reduce((a, b) => a + b, 0) / n;
  let [m2, m4] = [0, 0];
  for (let i = 0; i < n; i++) {
    const d = x[i]! - m;
    m2 += d * d;
    m4 += d ** 4;
  }
  return (m4 / n) / (m2 / n) ** 2 - 3;
}

/** corr(f(r_t), g(r_(t+k))) pooled over the paths, each moment around its own pooled mean. */
function laggedCorrelation(paths: readonly ArrayLike<number>[], lag: number, f: (r: number) => number, g: (r: number) => number): number {
  let [n, sx, sy] = [0, 0, 0];
  for (const p of paths) for (let t = 0; t + lag < p.length; t++) [n, sx, sy] = [n + 1, sx + f(p[t]!), sy + g(p[t + lag]!)];
  if (n < 2) return Number.NaN;
  const [mx, my] = [sx / n, sy / n];
  let [cov, vx, vy] = [0, 0, 0];
  for (const p of paths) {
    for (let t = 0; t + lag < p.length; t++) {
      const [dx, dy] = [f(p[t]!) - mx, g(p[t + lag]!) - my];
      [cov, vx, vy] = [cov + dx * dy, vx + dx * dx, vy + dy * dy];
    }
  }
  return cov / Math.sqrt(vx * vy);
}

const identity = (r: number) => r;

export interface StylisedFacts {
  /** KS statistic of all returns against the reference returns; null without a reference. */
  ks: number | null;
  excessKurtosis: number;
  /** Lags 1..10. */
  autocorrelation: number[];
  absoluteAutocorrelation: number[];
  leverage: number[];
}

export const FACT_LAGS = 10;

/** The stylised facts of return series (one per path), the KS statistic against `reference` returns if given. */
export function stylisedFacts(paths: readonly ArrayLike<number>[], reference?: ArrayLike<number>): StylisedFacts {
  const all = paths.flatMap((p) => Array.from(p));
  const lags = Array.from({ length: FACT_LAGS }, (_, k) => k + 1);
  return {
    ks: reference ? ksStatistic(all, reference) : null,
    excessKurtosis: excessKurtosis(all),
    autocorrelation: lags.map((k) => laggedCorrelation(paths, k, identity, identity)),
    absoluteAutocorrelation: lags.map((k) => laggedCorrelation(paths, k, Math.abs, Math.abs)),
    leverage: lags.map((k) => laggedCorrelation(paths, k, identity, (r) => r * r)),
  };
}
