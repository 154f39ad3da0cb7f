/**
 * The Black-Scholes delta, gamma and price of black-scholes.ts on tfjs tensors, for strategies evaluated on
 * the device (classic and implied delta, the band networks' anchor, holding surfaces, fixed-grid options).
 */
import * as tf from '@tensorflow/tfjs';
import type { OptionKind } from './black-scholes';

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
