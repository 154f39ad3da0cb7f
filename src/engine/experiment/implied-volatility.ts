/**
 * The implied volatility of each path's claim at each rebalancing date, from which paper 000's implied
 * delta (eq. 24-26, §3.3.1) is computed: option quotes where the lab has them, otherwise a stated proxy.
 *
 *   GBM, correlated GBM   the model's sigma (of the claim's underlying)
 *   Merton                its diffusive sigma (the jumps are left out of the proxy)
 *   Heston                the implied vol of the Fourier price (pricing/heston-smile.ts) at the path's
 *                         strike and remaining maturity (T - t) dt on today's smile, from v0: one table
 *                         [strikes, T] per run, sticky strike (a few hundred prices, well under 1 s; the
 *                         schema bounds strikes x steps). A price with no implied vol (far wings at short
 *                         maturities) falls back to sqrt(v0).
 *   regime model          the path's regime vol (the problem's volatility)
 *   historical windows    the trailing 30-day realised vol of the series up to that date (no look-ahead);
 *                         where fewer than 30 returns precede it (or one of them is missing), the
 *                         training dates' realised vol
 *
 * With quotes (data/option-quotes.ts), a path-date of a historical window (or a regime market's test
 * window) whose date has quotes takes the quotes' smile of that date at the path's absolute strike
 * K_abs = K P_start / s0 (windows are re-based to s0) and remaining maturity: linear in strike within an
 * expiry (flat beyond its strikes), total variance sigma^2 tau linear in maturity between expiries (flat
 * sigma beyond them). Other dates keep the proxy.
 */
import { realisedVolatility } from '../data/realised-volatility';
import type { QuotedVolatility } from '../data/option-quotes';
import { hestonSmile } from '../pricing/heston-smile';
import { pathStrikeIndex } from '../claims/claim';

/** How a market gives the implied volatility of a problem's paths (experiment/hedging-problem.ts). */
export type ImpliedVolatilitySource =
  /** One sigma everywhere. */
  | { kind: 'constant'; sigma: number }
  /** Row-major [strikes, T]: strike k at rebalancing date t. */
  | { kind: 'table'; values: Float32Array }
  /** The problem's volatility (a regime path's vol). */
  | { kind: 'volatility' }
  /** Carried by every sample, per path and date (MarketSample.impliedVolatility). */
  | { kind: 'sample' };

/** What the market summary says about it (shown with the results). */
export interface ImpliedVolatilitySummary {
  source: string;
  /** True when no quote is used anywhere. */
  proxy: boolean;
  /** Share of the test path-dates priced from quotes. */
  coverage?: number;
}

/** Returns in the trailing realised vol of historical windows. */
export const TRAILING_RETURNS = 30;

/** The Heston proxy table [strikes, T]: today's implied vol at each strike and time to maturity (T - t) dt. */
export function hestonImpliedVolatilityTable(
  model: { s0: number; v0: number; kappa: number; theta: number; xi: number; rho: number },
  strikes: number[],
  steps: number,
  dt: number,
): Float32Array {
  const maturities = Array.from({ length: steps }, (_, t) => (steps - t) * dt);
  const smile = hestonSmile({ spot: model.s0, rate: 0, v0: model.v0, kappa: model.kappa, theta: model.theta, xi: model.xi, rho: model.rho }, maturities, strikes);
  const out = new Float32Array(strikes.length * steps);
  const fallback = Math.sqrt(model.v0);
  strikes.forEach((_, k) => {
    for (let t = 0; t < steps; t++) {
      const v = smile.impliedVol[t][k];
      out[k * steps + t] = Number.isFinite(v) ? v : fallback;
    }
  });
  return out;
}

/** Per date of `close`: the realised vol of the 30 returns ending there, or `fallback` where they are not all present. */
export function trailingRealisedVolatility(close: Float64Array, periodsPerYear: number, fallback: number): Float64Array {
  return realisedVolatility(close, TRAILING_RETURNS, periodsPerYear).map((v) => (Number.isFinite(v) ? v : fallback));
}

interface Expiry {
  maturity: number;
  strikes: number[];
  sigmas: number[];
}

/** y at `x` on the piecewise-linear curve through (xs, ys), xs increasing (bisection); flat beyond its ends. */
function interpolate(xs: number[], ys: number[], x: number): number {
  if (x <= xs[0]) return ys[0];
  const last = xs.length - 1;
  if (x >= xs[last]) return ys[last];
  let lo = 0;
  let i = last;
  while (i - lo > 1) {
    const mid = (lo + i) >> 1;
    if (xs[mid] < x) lo = mid;
    else i = mid;
  }
  const w = (x - xs[i - 1]) / (xs[i] - xs[i - 1]);
  return ys[i - 1] + w * (ys[i] - ys[i - 1]);
}

/** The quotes' smile of each quoted date, interpolated in strike and maturity. */
export class QuotedSurface {
  private readonly byDate = new Map<number, Expiry[]>();

  constructor(volatilities: QuotedVolatility[]) {
    const grouped = new Map<number, Map<number, { strike: number; sigma: number }[]>>();
    for (const v of volatilities) {
      const date = grouped.get(v.dateIndex) ?? new Map<number, { strike: number; sigma: number }[]>();
      grouped.set(v.dateIndex, date);
      const list = date.get(v.maturity) ?? [];
      date.set(v.maturity, list);
      list.push({ strike: v.strike, sigma: v.sigma });
    }
    for (const [date, expiries] of grouped) {
      const list = [...expiries]
        .sort((a, b) => a[0] - b[0])
        .map(([maturity, points]) => {
          points.sort((a, b) => a.strike - b.strike);
          return { maturity, strikes: points.map((p) => p.strike), sigmas: points.map((p) => p.sigma) };
        });
      this.byDate.set(date, list);
    }
  }

  has(dateIndex: number): boolean {
    return this.byDate.has(dateIndex);
  }

  /** The implied vol on a quoted date at an absolute strike and a maturity in years. */
  at(dateIndex: number, strike: number, maturity: number): number {
    const expiries = this.byDate.get(dateIndex);
    if (!expiries) throw new RangeError(`no quotes on date index ${dateIndex}`);
    const smile = expiries.map((e) => interpolate(e.strikes, e.sigmas, strike));
    const taus = expiries.map((e) => e.maturity);
    if (maturity <= taus[0]) return smile[0];
    if (maturity >= taus[taus.length - 1]) return smile[smile.length - 1];
    const variance = interpolate(
      taus,
      smile.map((s, i) => s * s * taus[i]),
      maturity,
    );
    return Math.sqrt(variance / maturity);
  }
}

/**
 * [n, T] implied vol of the windows starting at the date indices `starts` (path i on strike i mod m): the
 * quotes' smile on quoted dates, else `proxy(path, dateIndex)`; and how many path-dates were quoted.
 */
export function windowImpliedVolatility(o: {
  starts: ArrayLike<number>;
  steps: number;
  dt: number;
  strikes: number[];
  s0: number;
  /** The underlying's closes, by date index. */
  close: ArrayLike<number>;
  surface: QuotedSurface | null;
  proxy: (path: number, dateIndex: number) => number;
}): { values: Float32Array; quoted: number } {
  const { starts, steps, dt, strikes } = o;
  const values = new Float32Array(starts.length * steps);
  let quoted = 0;
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i];
    const strike = (strikes[pathStrikeIndex(i, strikes.length)] * o.close[start]) / o.s0;
    for (let t = 0; t < steps; t++) {
      const date = start + t;
      if (o.surface?.has(date)) {
        values[i * steps + t] = o.surface.at(date, strike, (steps - t) * dt);
        quoted++;
      } else values[i * steps + t] = o.proxy(i, date);
    }
  }
  return { values, quoted };
}
