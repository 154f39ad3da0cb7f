/**
 * Black-Scholes price and delta of the continuously monitored fixed-strike lookback call on the maximum
 * (paper 001 eq. 2), payoff max(M_T - K, 0) with M_T = max_{s <= T} S_s, at zero rate and no dividend, as in
 * pfhedge's BSLookbackOption (Conze and Viswanathan 1991; Goldman, Sosin and Gatto 1979). With M the running
 * maximum so far (M >= S), B = max(M, K), tau the time to maturity, a = sigma sqrt(tau) and
 *   d1 = (ln(S / B) + a^2 / 2) / a,  d2 = d1 - a,
 * the price is
 *   V = (B - K) + S N(d1) - B N(d2) + S a [d1 N(d1) + phi(d1)],
 * i.e. (M - K)^+ plus the zero-rate Black-Scholes call on the barrier B plus S a [d1 N(d1) + phi(d1)]: from
 * E[(M_T - K)^+] = (B - K) + int_B^inf P(M_T > y) dy with P(M_T > y) = N(d2(y)) + (S / y) N(d1(y)) for GBM with
 * zero drift in price (reflection principle). This equals pfhedge's two cases (M <= K and M > K).
 * The delta at fixed M is
 *   dV/dS = 2 N(d1) + a [d1 N(d1) + phi(d1)],
 * as d/dx [x N(x) + phi(x)] = N(x). As tau -> 0, delta tends to 0 for S < B and to 1 at S = B (d1 -> 0 there),
 * which are the values taken at tau = 0; the price tends to max(M, S, K) - K.
 * bsLookbackDelta is the same delta on tfjs tensors, for the delta-hedging baseline on lookbacks.
 */
import * as tf from '@tensorflow/tfjs';
import { normCdf, normPdf } from './normal';

export interface LookbackInput {
  spot: number;
  /** Maximum of the spot so far (the spot itself is included if higher). */
  runningMax: number;
  strike: number;
  /** Time to maturity in years. */
  maturity: number;
  volatility: number;
}

/** Below this d1, N(d1), d1 N(d1) and phi(d1) are zero in float64 (and d1 N(d1) would risk -inf * 0). */
const D1_FLOOR = -40;

function lookbackTerms({ spot: s, runningMax, strike: k, maturity, volatility }: LookbackInput) {
  const barrier = Math.max(runningMax, s, k);
  const a = volatility * Math.sqrt(Math.max(maturity, 0));
  if (!(a > 0)) return { barrier, a, d1: s < barrier ? -Infinity : 0, cdf: s < barrier ? 0 : 0.5, extra: 0 };
  const d1 = (Math.log(s / barrier) + 0.5 * a * a) / a;
  if (d1 < D1_FLOOR) return { barrier, a, d1, cdf: 0, extra: 0 };
  const cdf = normCdf(d1);
  return { barrier, a, d1, cdf, extra: d1 * cdf + normPdf(d1) };
}

export function bsLookbackCallPrice(i: LookbackInput): number {
  const { barrier, a, d1, cdf, extra } = lookbackTerms(i);
  const intrinsic = barrier - i.strike;
  if (!(a > 0)) return intrinsic;
  return intrinsic + i.spot * cdf - barrier * normCdf(d1 - a) + i.spot * a * extra;
}

/** dV/dS holding the running maximum fixed. */
export function bsLookbackCallDelta(i: LookbackInput): number {
  const { a, cdf, extra } = lookbackTerms(i);
  return 2 * cdf + a * extra;
}

/**
 * Delta on tensors that broadcast against each other (e.g. [n, T] spot and running maximum, [1, T] time to
 * maturity, sigma a number or [n, T] volatility). Where sigma sqrt(tau) = 0 it is the limit 1{S >= max(M, K)};
 * no NaN for positive prices. The result is the caller's to dispose.
 */
export function bsLookbackDelta(spot: tf.Tensor, runningMax: tf.Tensor, strike: number, tau: tf.Tensor, sigma: number | tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const barrier = tf.maximum(tf.maximum(runningMax, strike), spot);
    const a = tf.mul(tf.sqrt(tf.relu(tau)), sigma);
    const live = tf.greater(a, 0);
    const safeA = tf.where(live, a, tf.onesLike(a));
    // Floored like D1_FLOOR (at -10 for float32, where N and phi are already 0): keeps d1 N(d1) finite.
    const d1 = tf.maximum(tf.div(tf.add(tf.log(tf.div(spot, barrier)), tf.mul(tf.square(safeA), 0.5)), safeA), -10);
    const cdf = tf.mul(tf.add(tf.erf(tf.mul(d1, Math.SQRT1_2)), 1), 0.5);
    const pdf = tf.mul(tf.exp(tf.mul(tf.square(d1), -0.5)), 1 / Math.sqrt(2 * Math.PI));
    const liveDelta = tf.add(tf.mul(cdf, 2), tf.mul(a, tf.add(tf.mul(d1, cdf), pdf)));
    const step = tf.cast(tf.greaterEqual(spot, barrier), 'float32');
    return tf.where(live, liveDelta, step);
  });
}
