/**
 * The hedging problem as strategies see it, on the device: the claim's underlying along every path, the
 * claim and its payoff, the instruments that may be traded with their accounting (hedging/instruments.ts),
 * the volatility the classic hedges use, the implied volatility of paper 000's implied delta (eq. 24-26), and
 * the policy features of the deep hedgers. Time step t = 0..T-1 has time to maturity (T - t) dt (pfhedge's
 * expiry_time).
 *
 * Several strikes (paper 000 §4.2): every path carries its own strike `strike` [n, 1] and premium `premiums`
 * [n], the model price of that strike; the payoff, the log_moneyness feature, the Black-Scholes delta and
 * gamma and the implied delta all use the path's strike. With one strike both are constant columns.
 */
import * as tf from '@tensorflow/tfjs';
import type { ClaimSpec } from '../claims/claim';
import type { Instrument } from './instruments';

export interface HedgingProblem {
  /** [n, T + 1] price of the claim's underlying (asset 0). */
  spot: tf.Tensor2D;
  claim: ClaimSpec;
  /** [n] the claim's payoff at maturity. */
  payoff: tf.Tensor1D;
  /** [n, 1] each path's strike (European and lookback claims; a cliquet, which has none, carries S_0). */
  strike: tf.Tensor2D;
  /** [n] premium received at t = 0 for each path's short claim (the model price of its strike). */
  premiums: tf.Tensor1D;
  /** The premium as one number: the mean of `premiums` over the market's test paths (metrics, summaries). */
  premium: number;
  /** What may be traded; instrument 0 is the underlying. */
  instruments: Instrument[];
  /** [n, T] volatility at each rebalancing date (the model's sigma, Heston's sqrt(v_t), a regime's vol...). */
  volatility: tf.Tensor2D;
  /**
   * [n, T] Black-Scholes implied volatility of each path's claim at each rebalancing date (option quotes, or
   * the market's stated proxy: experiment/implied-volatility.ts).
   */
  impliedVolatility: tf.Tensor2D;
  /** [T, n, F] policy inputs by date (features.ts), names in `featureNames`. */
  features: tf.Tensor3D;
  featureNames: string[];
  /** Interval length in years. */
  dt: number;
  /** Number of rebalancing intervals T. */
  steps: number;
}

/** [1, T] times to maturity (T - t) dt at the rebalancing dates t = 0..T-1. */
export function timeToMaturity(p: Pick<HedgingProblem, 'steps' | 'dt'>): tf.Tensor2D {
  return tf.tidy(() => tf.mul(tf.sub(p.steps, tf.range(0, p.steps)), p.dt).reshape([1, p.steps]) as tf.Tensor2D);
}

/** [n, T] spot at the rebalancing dates. */
export function rebalancingSpot(p: Pick<HedgingProblem, 'spot' | 'steps'>): tf.Tensor2D {
  const [n] = p.spot.shape;
  return p.spot.slice([0, 0], [n, p.steps]);
}

/** Tensors the problem owns (the caller disposes them when done with the problem). */
export function problemTensors(p: HedgingProblem): tf.Tensor[] {
  const own = (i: Instrument) => (i.kind === 'holding' ? [i.price, i.costBasis, i.available] : [i.returns, i.costBasis, i.available]);
  return [p.spot, p.strike, p.premiums, p.payoff, p.volatility, p.impliedVolatility, p.features, ...p.instruments.flatMap(own)];
}

/**
 * Paths start .. start + size - 1 of a problem, and the tensors the slice made (the caller disposes them;
 * availability masks, shared by every path, are not copied).
 */
export function sliceProblem(p: HedgingProblem, start: number, size: number): { problem: HedgingProblem; owned: tf.Tensor[] } {
  const owned: tf.Tensor[] = [];
  const rows = <T extends tf.Tensor>(x: T): T => {
    const part = (x.rank === 1 ? x.slice([start], [size]) : x.slice([start, 0], [size, x.shape[1]!])) as T;
    owned.push(part);
    return part;
  };
  const [steps, , f] = p.features.shape;
  const features = p.features.slice([0, start, 0], [steps, size, f]);
  owned.push(features);
  const instruments = p.instruments.map((i): Instrument =>
    i.kind === 'holding'
      ? { ...i, price: rows(i.price), costBasis: i.costBasis === i.price ? owned.at(-1)! as tf.Tensor2D : rows(i.costBasis) }
      : { ...i, returns: rows(i.returns), costBasis: rows(i.costBasis) },
  );
  return { problem: {
      ...p,
      spot: rows(p.spot),
      strike: rows(p.strike),
      premiums: rows(p.premiums),
      payoff: rows(p.payoff),
      volatility: rows(p.volatility),
      impliedVolatility: rows(p.impliedVolatility),
      features,
      instruments,
    }, owned };
}
