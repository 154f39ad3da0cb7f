/**
 * The premium the hedger receives for the short claim at t = 0 (paper 001 eq. 7 with zero rate): none, or
 * the market model's price: closed forms where they exist (Black-Scholes for GBM, the Fourier price under
 * Heston, Merton's series, the Black-Scholes lookback price), otherwise a Monte Carlo price over paths of
 * the training distribution drawn from their own stream `market/premium` (cliquets; data-driven markets,
 * whose premium is then the mean payoff over resampled training windows or simulated regime paths).
 */
import * as tf from '@tensorflow/tfjs';
import { claimPayoff } from '../claims/claim';
import { bsPrice } from '../pricing/black-scholes';
import { hestonPrice } from '../pricing/heston-fourier';
import { bsLookbackCallPrice } from '../pricing/lookback';
import { mertonPrice } from '../pricing/merton';
import { monteCarloPrice } from '../pricing/monte-carlo';
import { stream } from '../random/stream';
import type { MarketSample } from './market';
import { maturityYears, type Experiment } from './schema';

export interface Premium {
  value: number;
  /** How it was obtained, and its standard error when estimated. */
  method: 'none' | 'closed form' | 'Monte Carlo';
  standardError: number;
}

/** The model price when a closed form exists, else null. */
function closedForm(cfg: Experiment): number | null {
  const m = cfg.market;
  const c = cfg.claim;
  const maturity = maturityYears(m);
  if (m.model === 'gbm' || m.model === 'correlated-gbm') {
    const sigma = m.model === 'gbm' ? m.volatility : m.volatilities[0];
    if (c.type === 'european') return bsPrice({ spot: m.s0, strike: c.strike, maturity, rate: 0, sigma, kind: c.kind });
    if (c.type === 'lookback') return bsLookbackCallPrice({ spot: m.s0, runningMax: m.s0, strike: c.strike, maturity, volatility: sigma });
  }
  if (c.type !== 'european') return null;
  const base = { spot: m.s0, strike: c.strike, maturity, rate: 0, kind: c.kind };
  if (m.model === 'heston') return hestonPrice({ ...base, v0: m.v0, kappa: m.kappa, theta: m.theta, xi: m.xi, rho: m.rho });
  if (m.model === 'merton') return mertonPrice({ ...base, volatility: m.volatility, jumpIntensity: m.jumpIntensity, jumpMean: m.jumpMean, jumpStd: m.jumpStd });
  return null;
}

/** Async because a Monte Carlo premium reads its payoffs back from the device (no blocking read on WebGPU). */
export async function claimPremium(cfg: Experiment, draw: (n: number, rng: ReturnType<typeof stream>) => MarketSample): Promise<Premium> {
  if (cfg.premium === 'zero') return { value: 0, method: 'none', standardError: 0 };
  const exact = closedForm(cfg);
  if (exact !== null) return { value: exact, method: 'closed form', standardError: 0 };
  const sample = draw(cfg.paths.test, stream(cfg.seed, 'market', 'premium'));
  const payoff = tf.tidy(() => claimPayoff(cfg.claim, tf.tensor2d(sample.assets[0], [sample.n, cfg.market.steps + 1])));
  const values = await payoff.data();
  payoff.dispose();
  const mc = monteCarloPrice(values);
  return { value: mc.price, method: 'Monte Carlo', standardError: mc.standardError };
}
