/**
 * Premiums per unit of spot of the floating-grid options (paper 002 §2.1 (b)): with fixed moneyness
 * m = K_t / x_t and maturity tau, a vanilla's price per unit of spot is a constant under GBM (Black-Scholes)
 * and Merton (its series) and a function of v_t alone under Heston (Fourier, tabulated once per experiment:
 * pricing/floating-grid-prices.ts, then sampled into device tables, pricing/tabulated-premiums.ts; paper 002
 * prices the same grid with StochVolModels at every step).
 */
import * as tf from '@tensorflow/tfjs';
import { bsPrice } from '../pricing/black-scholes';
import { FloatingGridPriceTable } from '../pricing/floating-grid-prices';
import { mertonPrice } from '../pricing/merton';
import { TabulatedPremium } from '../pricing/tabulated-premiums';
import { stepYears, type Experiment } from './schema';

export type FloatingPremium = number | TabulatedPremium;

/** One premium per floating-grid option, or [] when the experiment trades none. */
export function floatingPremiumModels(cfg: Experiment): FloatingPremium[] {
  const o = cfg.instruments.options;
  if (o.grid !== 'floating') return [];
  const m = cfg.market;
  const dt = stepYears(m);
  if (m.model === 'heston') {
    const table = new FloatingGridPriceTable(m, dt, o.options);
    return o.options.map((_, i) => new TabulatedPremium(table, i));
  }
  return o.options.map(({ maturitySteps, moneyness }) => {
    const kind = moneyness > 1 ? 'call' : 'put';
    const base = { spot: 1, strike: moneyness, maturity: maturitySteps * dt, rate: 0, kind } as const;
    switch (m.model) {
      case 'gbm':
        return bsPrice({ ...base, sigma: m.volatility });
      case 'merton':
        return mertonPrice({ ...base, volatility: m.volatility, jumpIntensity: m.jumpIntensity, jumpMean: m.jumpMean, jumpStd: m.jumpStd });
      default:
        throw new Error(`options cannot be priced on a ${m.model} market`);
    }
  });
}

/** Premiums per unit of spot, [n, T] (or [1, T] when constant), from the variance at the rebalancing dates. */
export function floatingPremiums(models: FloatingPremium[], steps: number, variance: tf.Tensor2D | null): tf.Tensor2D[] {
  return models.map((p) => {
    if (typeof p === 'number') return tf.fill([1, steps], p) as tf.Tensor2D;
    if (!variance) throw new Error('tabulated option premiums need the variance path');
    return p.at(variance) as tf.Tensor2D;
  });
}
