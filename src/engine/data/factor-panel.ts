/**
 * A simulated panel of daily prices driven by a few latent factors with regime-switching volatility: the
 * market paper 000 §2.2.2 has in mind for its low-rank asset encoder (eq. 9), "unobservable latent assets
 * that determine the direction of the entire market", with the answer known. Asset i belongs to factor
 * g(i) = i mod F and has loading b_i; each factor g is calm or turbulent by its own two-state Markov chain
 * s_{g,t} (independent chains, so the factors' volatility regimes come and go separately), and
 *   r_{i,t} = b_i v(s_{g(i),t}) f_{g(i),t} + sigma_e e_{i,t},   f, e ~ N(0, 1) independent,
 *   S_{i,t+1} = S_{i,t} exp(r_{i,t}),   S_{i,0} = 100,
 * with v(calm) = factorVolatility and v(turbulent) = turbulence x factorVolatility. Two assets of the same
 * factor have return correlation b_i b_j v^2 / sqrt((b_i^2 v^2 + sigma_e^2)(b_j^2 v^2 + sigma_e^2)), of
 * different factors 0. Tomorrow's volatility of an asset is its factor's regime, which the recent returns of
 * that factor's assets reveal: a forecaster that compresses the N assets into k = F latent ones, each
 * gathering one factor's assets, loses nothing.
 * Dates are weekdays from 2000-01-03, so the panel reads like the bundled daily series.
 */
import type { PricePanel } from './price-panel';
import { stream } from '../random/stream';

export interface FactorPanelSettings {
  assets: number;
  factors: number;
  /** Trading days of prices (days - 1 returns). */
  days: number;
  /** Daily volatility of a factor's return in the calm regime. */
  factorVolatility: number;
  /** The turbulent regime's volatility as a multiple of the calm one. */
  turbulence: number;
  /** Daily idiosyncratic volatility sigma_e. */
  idiosyncraticVolatility: number;
  /** Probability of staying calm from one day to the next, and of staying turbulent. */
  stayCalm: number;
  stayTurbulent: number;
  seed: number;
}

export const DEFAULT_FACTOR_PANEL: Omit<FactorPanelSettings, 'seed'> = {
  assets: 30,
  factors: 3,
  days: 2520,
  factorVolatility: 0.01,
  turbulence: 2.5,
  idiosyncraticVolatility: 0.005,
  stayCalm: 0.99,
  stayTurbulent: 0.97,
};

export interface FactorPanel {
  panel: PricePanel;
  /** group[i] = g(i), the factor asset i loads on. */
  group: number[];
  /** loading[i] = b_i, drawn uniformly on [0.8, 1.2]. */
  loading: number[];
  /** turbulent[g][t] is 1 where factor g's return of day t (t -> t + 1) was drawn in its turbulent regime. */
  turbulent: Uint8Array[];
}

/** Weekdays from 2000-01-03 (a Monday), `count` of them, as ISO dates. */
function weekdays(count: number): string[] {
  const out: string[] = [];
  for (let day = Date.UTC(2000, 0, 3); out.length < count; day += 86_400_000) {
    const weekday = new Date(day).getUTCDay();
    if (weekday !== 0 && weekday !== 6) out.push(new Date(day).toISOString().slice(0, 10));
  }
  return out;
}

export function factorPanel(settings: FactorPanelSettings): FactorPanel {
  const { assets, factors, days, seed } = settings;
  if (!(Number.isInteger(assets) && assets >= 1)) throw new Error(`factor panel: assets must be a whole number of at least 1, not ${assets}`);
  if (!(Number.isInteger(factors) && factors >= 1 && factors <= assets)) throw new Error(`factor panel: factors must be a whole number from 1 to the number of assets (${assets}), not ${factors}`);
  if (!(Number.isInteger(days) && days >= 2)) throw new Error(`factor panel: days must be a whole number of at least 2, not ${days}`);
  const returns = days - 1;
  const group = Array.from({ length: assets }, (_, i) => i % factors);
  const loading = Array.from(stream(seed, 'factor-panel', 'loadings').uniforms(new Float64Array(assets)), (u) => 0.8 + 0.4 * u);
  const turbulent = Array.from({ length: factors }, (_, g) => {
    const switches = stream(seed, 'factor-panel', 'regimes', g).uniforms(new Float64Array(returns));
    const states = new Uint8Array(returns);
    let state = 0;
    for (let t = 0; t < returns; t++) {
      const stay = state ? settings.stayTurbulent : settings.stayCalm;
      if (switches[t]! >= stay) state = 1 - state;
      states[t] = state;
    }
    return states;
  });
  const factorDraws = stream(seed, 'factor-panel', 'factors').normals(new Float64Array(returns * factors));
  const noise = stream(seed, 'factor-panel', 'idiosyncratic').normals(new Float64Array(returns * assets));
  const close = Array.from({ length: assets }, (_, i) => {
    const prices = new Float64Array(days);
    prices[0] = 100;
    for (let t = 0; t < returns; t++) {
      const v = settings.factorVolatility * (turbulent[group[i]!]![t] ? settings.turbulence : 1);
      const r = loading[i]! * v * factorDraws[t * factors + group[i]!]! + settings.idiosyncraticVolatility * noise[t * assets + i]!;
      prices[t + 1] = prices[t]! * Math.exp(r);
    }
    return prices;
  });
  const symbols = Array.from({ length: assets }, (_, i) => `F${group[i]! + 1}-${String(i + 1).padStart(2, '0')}`);
  return { panel: { dates: weekdays(days), symbols, close }, group, loading, turbulent };
}
