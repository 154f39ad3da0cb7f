/**
 * Market-state features for regime detection (paper 003 appendix 8.1.2, "Feature engineering"). For each date t
 * of a panel of r assets, from prices at dates up to t only:
 *   x1  the portfolio's log-return on day t, annualised (times periods per year),
 *   x2  the portfolio's 30-day rolling volatility: sample std of its daily log-returns on days t - 30 .. t - 1,
 *       annualised,
 *   x3  the 60-day rolling mean pairwise correlation of the assets' daily log-returns on days t - 60 .. t - 1,
 *   x4  the cross-sectional volatility: the (population) std across assets of day t's log-returns, not annualised;
 * then standardised, x̄_t = (x_t - mu_x) / sigma_x, with mu_x and sigma_x fitted on training rows only.
 * The rolling windows end the day before t so that day t's own return, already x1 (and x4), does not also move
 * x2 (and x3): otherwise |x1| and x2 are tied in a V shape inside one volatility state, which a Gaussian mixture
 * can only fit with extra components that split that state by the sign and size of the day's move.
 * The paper's portfolio is value-weighted; the lab has no market caps, so this one is equal-weighted and
 * rebalanced daily (its gross return is the mean of the assets' gross returns). With one asset, x3 and x4 are
 * undefined and left out: `names` then lists x1 and x2 only, and the look-back is 30 days instead of 60.
 * A date has features only if every asset has a positive, finite price on every date of its look-back.
 */

const VOLATILITY_WINDOW = 30;
const CORRELATION_WINDOW = 60;

export interface RegimeFeatures {
  /** One name per column of `values`. */
  names: string[];
  /** The date indices t whose features are all defined, ascending. */
  dates: number[];
  /** One row per entry of `dates`. */
  values: Float64Array[];
}

/** The feature names for a panel of `assets` assets, in column order. */
function regimeFeatureNames(assets: number): string[] {
  const names = ['portfolio return (annualised)', `portfolio volatility (${VOLATILITY_WINDOW}-day, annualised)`];
  if (assets > 1) names.push(`mean pairwise correlation (${CORRELATION_WINDOW}-day)`, 'cross-sectional volatility (daily)');
  return names;
}

/** Length of the rolling windows before t: the row at t reads returns on days t - lookback .. t, prices t - lookback - 1 .. t. */
export function featureLookback(assets: number): number {
  return assets > 1 ? CORRELATION_WINDOW : VOLATILITY_WINDOW;
}

/** The feature row of date t, reading prices t - lookback - 1 .. t only; null where any of them is missing. */
export function featureRow(close: Float64Array[], t: number, periodsPerYear: number): Float64Array | null {
  const r = close.length;
  const w = featureLookback(r) + 1;
  if (t < w || t >= close[0].length) return null;
  // returns[i][j]: log-return of asset i on day t - w + 1 + j; j = w - 1 is day t.
  const returns: Float64Array[] = [];
  for (const c of close) {
    const a = new Float64Array(w);
    for (let j = 0; j < w; j++) {
      const s = t - w + 1 + j;
      const p0 = c[s - 1];
      const p1 = c[s];
      if (!(p0 > 0 && p1 > 0 && Number.isFinite(p0) && Number.isFinite(p1))) return null;
      a[j] = Math.log(p1 / p0);
    }
    returns.push(a);
  }
  const portfolio = new Float64Array(w);
  for (let j = 0; j < w; j++) {
    let gross = 0;
    for (let i = 0; i < r; i++) gross += Math.exp(returns[i][j]);
    portfolio[j] = Math.log(gross / r);
  }
  const before = (series: Float64Array, window: number): Float64Array => series.subarray(w - 1 - window, w - 1);
  const row = [periodsPerYear * portfolio[w - 1], Math.sqrt(periodsPerYear * sampleVariance(before(portfolio, VOLATILITY_WINDOW)))];
  if (r > 1) {
    let sum = 0;
    for (let i = 0; i < r; i++) {
      for (let k = i + 1; k < r; k++) {
        const rho = correlation(before(returns[i], CORRELATION_WINDOW), before(returns[k], CORRELATION_WINDOW));
        if (!Number.isFinite(rho)) return null;
        sum += rho;
      }
    }
    row.push(sum / ((r * (r - 1)) / 2));
    let m = 0;
    for (let i = 0; i < r; i++) m += returns[i][w - 1];
    m /= r;
    let v = 0;
    for (let i = 0; i < r; i++) v += (returns[i][w - 1] - m) ** 2;
    row.push(Math.sqrt(v / r));
  }
  return Float64Array.from(row);
}

/** Feature rows of the dates t in [range[0], range[1]) that have them; each row reads prices up to its t only. */
export function regimeFeatures(close: Float64Array[], range: [number, number], periodsPerYear: number): RegimeFeatures {
  const dates: number[] = [];
  const values: Float64Array[] = [];
  for (let t = range[0]; t < range[1]; t++) {
    const row = featureRow(close, t, periodsPerYear);
    if (row) {
      dates.push(t);
      values.push(row);
    }
  }
  return { names: regimeFeatureNames(close.length), dates, values };
}

/** Column means and population standard deviations (sklearn's StandardScaler); a constant column gets std 1. */
export interface Scaler {
  mean: number[];
  std: number[];
}

/** The scaler of `rows` (fit it on training rows only). */
export function fitScaler(rows: Float64Array[]): Scaler {
  if (rows.length === 0) throw new Error('cannot fit a scaler to no rows');
  const d = rows[0].length;
  const mean = new Array<number>(d).fill(0);
  const std = new Array<number>(d).fill(0);
  for (const row of rows) for (let j = 0; j < d; j++) mean[j] += row[j];
  for (let j = 0; j < d; j++) mean[j] /= rows.length;
  for (const row of rows) for (let j = 0; j < d; j++) std[j] += (row[j] - mean[j]) ** 2;
  for (let j = 0; j < d; j++) std[j] = Math.sqrt(std[j] / rows.length) || 1;
  return { mean, std };
}

/** (row - mean) / std, column by column. */
export function standardise(scaler: Scaler, row: Float64Array): Float64Array {
  return row.map((x, j) => (x - scaler.mean[j]) / scaler.std[j]);
}

function sampleVariance(x: Float64Array): number {
  let m = 0;
  for (const v of x) m += v;
  m /= x.length;
  let s = 0;
  for (const v of x) s += (v - m) ** 2;
  return s / (x.length - 1);
}

/** Pearson correlation; NaN when either series is constant. */
function correlation(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let j = 0; j < n; j++) {
    ma += a[j];
    mb += b[j];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let j = 0; j < n; j++) {
    sab += (a[j] - ma) * (b[j] - mb);
    saa += (a[j] - ma) ** 2;
    sbb += (b[j] - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}
