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
 * bsDeltaGamma is the same delta and gamma on tfjs tensors, for strategies evaluated on the device.
 */
import * as tf from '@tensorflow/tfjs';
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

/**
 * Black-Scholes delta and gamma on tensors: `spot`, `strike` and `maturity` (time to maturity in years)
 * broadcast against each other. Where maturity <= 0 (or sigma = 0) delta is the step at the discounted strike (1/2 at
 * the money) and gamma 0; no NaN for positive spots. The two returned tensors are the caller's to dispose.
 */
export function bsDeltaGamma(
  spot: tf.Tensor,
  strike: number | tf.Tensor,
  maturity: tf.Tensor,
  sigma: number | tf.Tensor,
  rate: number,
  kind: OptionKind,
): { delta: tf.Tensor; gamma: tf.Tensor } {
  return tf.tidy(() => {
    const t = tf.relu(maturity);
    const sd = tf.sqrt(t).mul(sigma);
    const live = sd.greater(0);
    const safeSd = tf.where(live, sd, tf.onesLike(sd));
    const d1 = tf.log(spot.div(strike)).add(t.mul(rate)).div(safeSd).add(safeSd.mul(0.5));
    const cdf = tf.erf(d1.mul(Math.SQRT1_2)).add(1).mul(0.5);
    const pdf = tf.exp(d1.square().mul(-0.5)).mul(1 / Math.sqrt(2 * Math.PI));
    const gammaDenominator = spot.mul(safeSd);
    const gammaLive = pdf.div(tf.where(gammaDenominator.greater(0), gammaDenominator, tf.onesLike(gammaDenominator)));
    const step = tf.sign(spot.sub(tf.exp(t.mul(-rate)).mul(strike))).add(1).mul(0.5);
    const callDelta = tf.where(live, cdf, step);
    const delta = kind === 'call' ? callDelta : callDelta.sub(1);
    const gamma = tf.where(live, gammaLive, tf.zerosLike(gammaLive));
    return { delta, gamma };
  });
}

/**
 * Black-Scholes price with zero rate on tensors (spot, strike, maturity and sigma broadcast): at maturity
 * (or sigma = 0) the intrinsic value. Prices the fixed-grid options along simulated GBM paths.
 */
export function bsPriceTensor(spot: tf.Tensor, strike: number | tf.Tensor, maturity: tf.Tensor, sigma: number | tf.Tensor, kind: OptionKind): tf.Tensor {
  return tf.tidy(() => {
    const sd = tf.mul(tf.sqrt(tf.relu(maturity)), sigma);
    const live = sd.greater(0);
    const safeSd = tf.where(live, sd, tf.onesLike(sd));
    const d1 = tf.add(tf.div(tf.log(tf.div(spot, strike)), safeSd), tf.mul(safeSd, 0.5));
    const cdf = (x: tf.Tensor) => tf.mul(tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1), 0.5);
    const call = tf.sub(tf.mul(spot, cdf(d1)), tf.mul(strike, cdf(tf.sub(d1, safeSd))));
    const callPrice = tf.where(live, tf.relu(call), tf.relu(tf.sub(spot, strike)));
    return kind === 'call' ? callPrice : tf.add(tf.sub(callPrice, spot), strike);
  });
}
