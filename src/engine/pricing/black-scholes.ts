/**
 * Black-Scholes price and greeks of a European call or put on a non-dividend asset under GBM
 * dS = r S dt + sigma S dW (paper 001 §5.1, whose BSDH baseline and DHLNN anchor hedge with this delta):
 *
 *   d1 = (ln(S/K) + (r + sigma^2/2) T) / (sigma sqrt T),  d2 = d1 - sigma sqrt T
 *   call = S N(d1) - K e^{-rT} N(d2),  put = K e^{-rT} N(-d2) - S N(-d1)
 *   delta = N(d1) (call), N(d1) - 1 (put);  gamma = phi(d1) / (S sigma sqrt T);  vega = S phi(d1) sqrt T
 *   theta = -S phi(d1) sigma / (2 sqrt T) - r K e^{-rT} N(d2) (call), ... + r K e^{-rT} N(-d2) (put)
 *
 * Units: T in years, r continuously compounded, vega per unit of volatility (not per 1 %), theta the
 * derivative in calendar time (= -d/dT), per year.
 *
 * When sigma sqrt T = 0 (expiry, or zero volatility) the formulas take their limits: the price is the
 * discounted-strike intrinsic value max(S - K e^{-rT}, 0) (call) or max(K e^{-rT} - S, 0) (put); delta is the
 * step 1{S > K e^{-rT}} (1/2 exactly at the money; minus 1 for a put); gamma is 0 (its limit is a point mass at
 * the money); vega is its limit S sqrt(T) phi(0) exactly at the money and 0 elsewhere; theta keeps only the
 * discounting term -r K e^{-rT} step (call), r K e^{-rT} (1 - step) (put). At expiry exactly at the money the
 * true time decay diverges like 1/sqrt(T); the reported theta is that discounting part.
 *
 * Plain float64 arithmetic, no tfjs: the page's main thread prices with it (option quotes' implied vols).
 * The same formulas on tensors are in black-scholes-tensors.ts.
 */
import { normCdf, normPdf } from './normal';

export type OptionKind = 'call' | 'put';

export interface BlackScholesInput {
  spot: number;
  strike: number;
  /** Time to maturity in years. */
  maturity: number;
  /** Continuously compounded risk-free rate. */
  rate: number;
  sigma: number;
  kind: OptionKind;
}

export interface BlackScholesGreeks {
  price: number;
  delta: number;
  gamma: number;
  /** d price / d sigma, per unit of volatility. */
  vega: number;
  /** d price / d t in calendar years (the negative of d price / d maturity). */
  theta: number;
}

export function bsPrice(i: BlackScholesInput): number {
  return bsGreeks(i).price;
}

export function bsGreeks({ spot: s, strike: k, maturity, rate: r, sigma, kind }: BlackScholesInput): BlackScholesGreeks {
  const t = Math.max(maturity, 0);
  const sqrtT = Math.sqrt(t);
  const sd = sigma * sqrtT;
  const discountedStrike = k * Math.exp(-r * t);
  const call = kind === 'call';

  if (!(sd > 0)) {
    const step = s > discountedStrike ? 1 : s < discountedStrike ? 0 : 0.5;
    return {
      price: call ? Math.max(s - discountedStrike, 0) : Math.max(discountedStrike - s, 0),
      delta: call ? step : step - 1,
      gamma: 0,
      vega: step === 0.5 ? s * sqrtT * normPdf(0) : 0,
      theta: call ? -r * discountedStrike * step : r * discountedStrike * (1 - step),
    };
  }

  const d1 = (Math.log(s / k) + (r + 0.5 * sigma * sigma) * t) / sd;
  const d2 = d1 - sd;
  const pdf = normPdf(d1);
  const decay = (-s * pdf * sigma) / (2 * sqrtT);
  const gamma = pdf / (s * sd);
  const vega = s * pdf * sqrtT;
  if (call) {
    const nd2 = normCdf(d2);
    return { price: s * normCdf(d1) - discountedStrike * nd2, delta: normCdf(d1), gamma, vega, theta: decay - r * discountedStrike * nd2 };
  }
  const nmd2 = normCdf(-d2);
  return {
    price: discountedStrike * nmd2 - s * normCdf(-d1),
    delta: -normCdf(-d1),
    gamma,
    vega,
    theta: decay + r * discountedStrike * nmd2,
  };
}
