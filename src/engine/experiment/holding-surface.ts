/**
 * Holding surface: the hedge ratio a strategy holds as a function of log-moneyness log(S/K) and time to
 * maturity, on a grid spanning +-3 sigma sqrt(T) (paper 003's holding surfaces; pfhedge's plots). The
 * deep hedger also reads its previous hedge; the surface sets it to the Black-Scholes delta at that point,
 * the state a well-trained hedger lives near. The Black-Scholes delta on the same grid is the reference.
 */
import * as tf from '@tensorflow/tfjs';
import { bsDeltaGamma } from '../pricing/black-scholes';
import type { DeepHedger } from '../policies/deep-hedger';
import type { RunEvent } from './events';
import { maturityYears, stepYears, type Experiment } from './schema';

const MONEYNESS_POINTS = 41;
const MAX_TIME_POINTS = 30;

export function surfaceGrid(cfg: Experiment): { logMoneyness: Float64Array; timeToMaturity: Float64Array } {
  const T = maturityYears(cfg.market);
  const half = 3 * cfg.market.volatility * Math.sqrt(T);
  const logMoneyness = Float64Array.from({ length: MONEYNESS_POINTS }, (_, j) => -half + (2 * half * j) / (MONEYNESS_POINTS - 1));
  const dt = stepYears(cfg.market);
  const count = Math.min(cfg.market.steps, MAX_TIME_POINTS);
  const timeToMaturity = Float64Array.from({ length: count }, (_, i) =>
    count === 1 ? T : dt + ((T - dt) * i) / (count - 1),
  );
  return { logMoneyness, timeToMaturity };
}

export async function holdingSurface(cfg: Experiment, strategyId: string, hedger: DeepHedger): Promise<Extract<RunEvent, { type: 'surface' }>> {
  const { logMoneyness, timeToMaturity } = surfaceGrid(cfg);
  const [hedgeT, referenceT] = tf.tidy(() => {
    const rows = timeToMaturity.length;
    const cols = logMoneyness.length;
    const m = tf.broadcastTo(tf.tensor2d(Float32Array.from(logMoneyness), [1, cols]), [rows, cols]).reshape([-1]);
    const tau = tf.broadcastTo(tf.tensor2d(Float32Array.from(timeToMaturity), [rows, 1]), [rows, cols]).reshape([-1]);
    const spot = tf.mul(tf.exp(m), cfg.claim.strike);
    const { delta } = bsDeltaGamma(spot, cfg.claim.strike, tau, cfg.market.volatility, 0, cfg.claim.kind);
    const features = tf.stack([m, tau, tf.fill(m.shape, cfg.market.volatility), delta], 1) as tf.Tensor2D;
    return [hedger.holdings(features), delta];
  });
  try {
    const [hedge, reference] = await Promise.all([hedgeT.data(), referenceT.data()]);
    return {
      type: 'surface',
      strategyId,
      logMoneyness,
      timeToMaturity,
      hedge: Float32Array.from(hedge),
      reference: Float32Array.from(reference),
    };
  } finally {
    tf.dispose([hedgeT, referenceT]);
  }
}
