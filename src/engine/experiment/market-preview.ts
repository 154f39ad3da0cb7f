/**
 * What the market picker shows before a run: a fan chart of the claim's underlying (quantile bands over
 * time of paths from the training distribution, or of the historical test windows for data markets), and
 * under Heston the implied-volatility smile by maturity from the Fourier price (pricing/heston-smile.ts).
 */
import { hestonSmile } from '../pricing/heston-smile';
import { stream } from '../random/stream';
import type { PricePanel } from '../data/price-panel';
import { marketPaths, MarketDataError, type MarketSummary } from './market';
import { maturityYears, stepYears, type Experiment } from './schema';

export const FAN_QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95];
const PREVIEW_PATHS = 2000;

export interface MarketPreview {
  summary: MarketSummary;
  /** Years since the start, steps + 1 values. */
  times: Float64Array;
  quantiles: number[];
  /** One band per quantile, steps + 1 values each. */
  bands: Float32Array[];
  /** Heston only: implied vols [maturity][strike], NaN where the price has none. */
  smile?: { maturities: number[]; strikes: number[]; impliedVol: number[][] };
}

export type PreviewResult = { ok: true; preview: MarketPreview } | { ok: false; message: string };

function quantileBands(spot: Float32Array, n: number, cols: number): Float32Array[] {
  const bands = FAN_QUANTILES.map(() => new Float32Array(cols));
  const column = new Float32Array(n);
  for (let t = 0; t < cols; t++) {
    for (let i = 0; i < n; i++) column[i] = spot[i * cols + t];
    column.sort();
    FAN_QUANTILES.forEach((q, k) => (bands[k][t] = column[Math.min(n - 1, Math.floor(q * n))]));
  }
  return bands;
}

export function marketPreview(cfg: Experiment, data?: PricePanel): PreviewResult {
  try {
    const market = marketPaths(cfg, data);
    const sample = market.draw(PREVIEW_PATHS, stream(cfg.seed, 'market', 'preview'));
    const cols = market.steps + 1;
    const m = cfg.market;
    const preview: MarketPreview = {
      summary: market.summary,
      times: Float64Array.from({ length: cols }, (_, t) => t * stepYears(m)),
      quantiles: FAN_QUANTILES,
      bands: quantileBands(sample.assets[0], sample.n, cols),
    };
    if (m.model === 'heston') {
      const T = maturityYears(m);
      const maturities = [...new Set([T / 4, T / 2, T, 2 * T].map((x) => Number(x.toPrecision(3))))];
      const strikes = Array.from({ length: 17 }, (_, j) => m.s0 * (0.8 + (0.4 * j) / 16));
      preview.smile = hestonSmile({ spot: m.s0, rate: 0, v0: m.v0, kappa: m.kappa, theta: m.theta, xi: m.xi, rho: m.rho }, maturities, strikes);
    }
    return { ok: true, preview };
  } catch (e) {
    if (e instanceof MarketDataError) return { ok: false, message: e.message };
    return { ok: false, message: `the market could not be simulated: ${e instanceof Error ? e.message : String(e)}` };
  }
}
