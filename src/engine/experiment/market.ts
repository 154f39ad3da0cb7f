/**
 * The experiment's market and claim as the engine uses them: GBM parameters, the named path streams
 * (test paths `market/test`; training paths `market/train/<epoch>` when drawn fresh, else `market/train`,
 * shared by every trainable strategy), the hedging problem on a set of paths, its payoff and P&L, and the
 * premium received (zero or the Black-Scholes price, paper 001 eq. 7 with zero rate).
 */
import * as tf from '@tensorflow/tfjs';
import { europeanPayoff } from '../claims/european';
import { terminalPnl, type PnlParts } from '../hedging/pnl';
import type { HedgingProblem } from '../hedging/problem';
import { gbmPaths, type GbmParams } from '../markets/gbm';
import { bsPrice } from '../pricing/black-scholes';
import { stream } from '../random/stream';
import { maturityYears, stepYears, type Experiment } from './schema';

export function gbmParams(cfg: Experiment): GbmParams {
  const m = cfg.market;
  return { s0: m.s0, drift: m.drift, volatility: m.volatility, steps: m.steps, dt: stepYears(m) };
}

export function testPaths(cfg: Experiment): Float32Array {
  return gbmPaths(gbmParams(cfg), cfg.paths.test, stream(cfg.seed, 'market', 'test'));
}

export function trainingPaths(cfg: Experiment, epoch: number, fresh: boolean): Float32Array {
  const name = fresh ? stream(cfg.seed, 'market', 'train', epoch) : stream(cfg.seed, 'market', 'train');
  return gbmPaths(gbmParams(cfg), cfg.paths.train, name);
}

export function hedgingProblem(cfg: Experiment, spot: tf.Tensor2D): HedgingProblem {
  return {
    spot,
    strike: cfg.claim.strike,
    kind: cfg.claim.kind,
    sigma: cfg.market.volatility,
    dt: stepYears(cfg.market),
    steps: cfg.market.steps,
  };
}

export function premium(cfg: Experiment): number {
  if (cfg.premium === 'zero') return 0;
  const m = cfg.market;
  return bsPrice({ spot: m.s0, strike: cfg.claim.strike, maturity: maturityYears(m), rate: 0, sigma: m.volatility, kind: cfg.claim.kind });
}

/** Terminal P&L of the short claim hedged with `positions` on the problem's paths. */
export function hedgedPnl(cfg: Experiment, p: HedgingProblem, positions: tf.Tensor2D): PnlParts {
  return tf.tidy(() => {
    const [n, cols] = p.spot.shape;
    const spotT = p.spot.slice([0, cols - 1], [n, 1]).reshape([n]) as tf.Tensor1D;
    return terminalPnl({
      spot: p.spot,
      positions,
      payoff: europeanPayoff(spotT, p.strike, p.kind),
      costRate: cfg.costs.proportional,
      closeAtMaturity: cfg.costs.closeAtMaturity,
      premium: premium(cfg),
    });
  });
}
