/**
 * Holding surface: the position a deep hedger holds in the underlying as a function of log-moneyness and
 * time to maturity, on a grid spanning +-3 sigma sqrt(T) (paper 003's holding surfaces; pfhedge's plots).
 * The hedger also reads other features and its previous outputs; the surface holds them at a typical state:
 * the market's reference volatility, the running maximum at max(S, S0) (lookback), a cliquet that would pay
 * nothing yet, the middle regime, the other assets at their start, and previous positions at the classic
 * delta in the underlying (the state a well-trained hedger lives near) and 0 in the options. A band network
 * (DHNTB, DHLNN) shows the centre of its band, where a position entering the band from either side ends up
 * on average. The classic delta on the same grid is the reference, where one exists.
 */
import * as tf from '@tensorflow/tfjs';
import { bsDeltaGamma } from '../pricing/black-scholes-tensors';
import { bsLookbackDelta } from '../pricing/lookback';
import type { RunEvent } from './events';
import type { PreparedMarket } from './market';
import { maturityYears, stepYears, type Experiment } from './schema';

const MONEYNESS_POINTS = 41;
const MAX_TIME_POINTS = 30;

/** The volatility the surface is drawn at: the model's, Heston's sqrt(v0), or the median regime's. */
export function referenceVolatility(cfg: Experiment, market: PreparedMarket): number {
  if (market.volatility !== null) return market.volatility;
  if (cfg.market.model === 'heston') return Math.sqrt(cfg.market.v0);
  const regimes = market.regimeVolatility ?? [0.2];
  return [...regimes].sort((a, b) => a - b)[Math.floor(regimes.length / 2)];
}

export function surfaceGrid(cfg: Experiment, sigma: number): { logMoneyness: Float64Array; timeToMaturity: Float64Array } {
  const T = maturityYears(cfg.market);
  const half = 3 * sigma * Math.sqrt(T);
  const logMoneyness = Float64Array.from({ length: MONEYNESS_POINTS }, (_, j) => -half + (2 * half * j) / (MONEYNESS_POINTS - 1));
  const dt = stepYears(cfg.market);
  const count = Math.min(cfg.market.steps, MAX_TIME_POINTS);
  const timeToMaturity = Float64Array.from({ length: count }, (_, i) => (count === 1 ? T : dt + ((T - dt) * i) / (count - 1)));
  return { logMoneyness, timeToMaturity };
}

/**
 * The classic delta at log-moneyness `m` and time to maturity `tau` (same shapes): Black-Scholes for a
 * European claim, its lookback form with the running maximum at max(S, S0) (whose log-moneyness `logMax` is
 * returned too; `m` itself for other claims); null for a claim without one (the cliquet).
 */
export function classicReference(cfg: Experiment, sigma: number, m: tf.Tensor, tau: tf.Tensor): { reference: tf.Tensor | null; logMax: tf.Tensor } {
  const claim = cfg.claim;
  if (claim.type === 'european') {
    const spot = tf.mul(tf.exp(m), claim.strike);
    return { reference: bsDeltaGamma(spot, claim.strike, tau, sigma, 0, claim.kind).delta, logMax: m };
  }
  if (claim.type === 'lookback') {
    const spot = tf.mul(tf.exp(m), claim.strike);
    const runningMax = tf.maximum(spot, cfg.market.s0);
    return { reference: bsLookbackDelta(spot, runningMax, claim.strike, tau, sigma), logMax: tf.log(tf.div(runningMax, claim.strike)) };
  }
  return { reference: null, logMax: m };
}

/** What the surfaces' moneyness axis measures: log(S/K), or log(S/S_reset) for a cliquet. */
export function moneynessLabel(cfg: Experiment): string {
  return cfg.claim.type === 'cliquet' ? 'log(S/S_reset)' : 'log(S/K)';
}

export async function holdingSurface(
  cfg: Experiment,
  market: PreparedMarket,
  featureNames: string[],
  strategyId: string,
  /** The holding in the underlying for feature rows [m, F], given the classic delta [m] where there is one. */
  holding: (features: tf.Tensor2D, reference: tf.Tensor1D | null) => tf.Tensor1D,
): Promise<Extract<RunEvent, { type: 'surface' }>> {
  const sigma = referenceVolatility(cfg, market);
  const { logMoneyness, timeToMaturity } = surfaceGrid(cfg, sigma);
  const [hedgeT, referenceT] = tf.tidy(() => {
    const rows = timeToMaturity.length;
    const cols = logMoneyness.length;
    const m = tf.broadcastTo(tf.tensor2d(Float32Array.from(logMoneyness), [1, cols]), [rows, cols]).reshape([-1]);
    const tau = tf.broadcastTo(tf.tensor2d(Float32Array.from(timeToMaturity), [rows, 1]), [rows, cols]).reshape([-1]);
    const { reference, logMax } = classicReference(cfg, sigma, m, tau);
    const value = (name: string): tf.Tensor => {
      if (name === 'log_moneyness') return m;
      if (name === 'expiry_time') return tau;
      if (name === 'volatility') return tf.fill(m.shape, sigma);
      if (name === 'log_max_moneyness') return logMax;
      if (name === 'regime') return tf.fill(m.shape, 0.5);
      return tf.zerosLike(m);
    };
    const features = tf.stack(featureNames.map(value), 1) as tf.Tensor2D;
    const hedge = holding(features, reference as tf.Tensor1D | null);
    return reference ? [hedge, reference] : [hedge];
  });
  try {
    const [hedge, reference] = await Promise.all([hedgeT.data(), referenceT ? referenceT.data() : Promise.resolve(null)]);
    return {
      type: 'surface',
      strategyId,
      logMoneyness,
      timeToMaturity,
      hedge: Float32Array.from(hedge),
      reference: reference ? Float32Array.from(reference) : null,
      moneynessLabel: moneynessLabel(cfg),
    };
  } finally {
    tf.dispose(referenceT ? [hedgeT, referenceT] : [hedgeT]);
  }
}
