/**
 * The premium the hedger receives for the short claim at t = 0 (paper 001 eq. 7 with zero rate): none, or
 * the market model's price: closed forms where they exist (Black-Scholes for GBM, the Fourier price under
 * Heston, Merton's series, the Black-Scholes lookback price), otherwise a Monte Carlo price over paths of
 * the training distribution drawn from their own stream `market/premium` (cliquets; data-driven markets,
 * whose premium is then the mean payoff over resampled training windows or simulated regime paths).
 * A European claim with several strikes (paper 000 §4.2) has one price per strike: closed forms per strike,
 * or Monte Carlo per strike on the same premium sample; each path receives its own strike's price.
 */
import * as tf from '@tensorflow/tfjs';
import { claimPayoff, pathStrikeIndex, type ClaimSpec } from '../claims/claim';
import { bsPrice } from '../pricing/black-scholes';
import { hestonPrice } from '../pricing/heston-fourier';
import { bsLookbackCallPrice } from '../pricing/lookback';
import { mertonPrice } from '../pricing/merton';
import { monteCarloPrice } from '../pricing/monte-carlo';
import { stream } from '../random/stream';
import type { MarketSample } from './market';
import { maturityYears, type Experiment } from './schema';

export interface Premium {
  /** Per strike of the claim (claimStrikes; one value for a claim with one strike or none). */
  values: number[];
  /** How it was obtained, and its largest standard error over the strikes when estimated. */
  method: 'none' | 'closed form' | 'Monte Carlo';
  standardError: number;
}

/** The model price of `claim` when a closed form exists, else null. */
function closedForm(cfg: Experiment, claim: ClaimSpec): number | null {
  const m = cfg.market;
  const c = claim;
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

/** The claim written on each of its strikes (the claim itself when it has one strike or none). */
function claimPerStrike(claim: ClaimSpec): ClaimSpec[] {
  if (claim.type !== 'european' || !claim.strikes) return [claim];
  return claim.strikes.map((strike) => ({ type: 'european', kind: claim.kind, strike }));
}

/** Async because a Monte Carlo premium reads its payoffs back from the device (no blocking read on WebGPU). */
export async function claimPremium(cfg: Experiment, draw: (n: number, rng: ReturnType<typeof stream>) => MarketSample): Promise<Premium> {
  const claims = claimPerStrike(cfg.claim);
  if (cfg.premium === 'zero') return { values: claims.map(() => 0), method: 'none', standardError: 0 };
  const exact = claims.map((c) => closedForm(cfg, c));
  if (exact.every((v) => v !== null)) return { values: exact as number[], method: 'closed form', standardError: 0 };
  const sample = draw(cfg.paths.test, stream(cfg.seed, 'market', 'premium'));
  const payoffs = tf.tidy(() => {
    const spot = tf.tensor2d(sample.assets[0], [sample.n, cfg.market.steps + 1]);
    return tf.stack(claims.map((c) => claimPayoff(c, spot)));
  });
  const values = await payoffs.data();
  payoffs.dispose();
  const mc = claims.map((_, k) => monteCarloPrice(values.subarray(k * sample.n, (k + 1) * sample.n)));
  return { values: mc.map((e) => e.price), method: 'Monte Carlo', standardError: Math.max(...mc.map((e) => e.standardError)) };
}

/** The mean over `n` paths of each path's premium, path i holding strike i mod m (claims/claim.ts). */
export function meanPathPremium(values: number[], n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[pathStrikeIndex(i, values.length)];
  return sum / n;
}
