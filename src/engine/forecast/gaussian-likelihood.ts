/**
 * The forecaster's Gaussian output and its training loss, paper 000 eq. 5-6: each asset's next return is
 * r_{i,t} ~ N(mu_{i,t}, sigma_{i,t}), and the parameters minimise
 *   Loss = sum_{i,t} [ log sigma + (r - mu)^2 / (2 sigma^2) ]   (eq. 6),
 * here averaged over the returns present (a missing target, NaN, adds nothing and is never filled), with
 * the constant 0.5 ln(2 pi) added so the figure is the negative log-likelihood per return that the scores
 * report. The head reads sigma = softplus(s) + SIGMA_FLOOR from an unconstrained s, positive everywhere.
 * The gradients are tfjs's of this expression: d/d mu = -(r - mu) / sigma^2, d/d sigma = 1/sigma - (r - mu)^2 / sigma^3
 * per return, over the count present.
 */
import * as tf from '@tensorflow/tfjs';

/** The smallest sigma the head gives: daily returns of 1e-6 are far below any market's noise. */
export const SIGMA_FLOOR = 1e-6;

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** sigma = softplus(s) + SIGMA_FLOOR. */
export function gaussianScale(s: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.add(tf.softplus(s), SIGMA_FLOOR));
}

/** Mean Gaussian negative log-likelihood of the finite entries of `r` under N(mu, sigma^2), as a scalar. */
export function gaussianNllLoss(mu: tf.Tensor, sigma: tf.Tensor, r: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const missing = tf.isNaN(r);
    const target = tf.where(missing, mu, r); // a missing target contributes log sigma only, masked below
    const present = tf.logicalNot(missing).toFloat();
    const z = tf.div(tf.sub(target, mu), sigma);
    const perReturn = tf.add(tf.log(sigma), tf.mul(0.5, tf.square(z)));
    const count = tf.maximum(tf.sum(present), 1);
    return tf.add(tf.div(tf.sum(tf.mul(perReturn, present)), count), HALF_LOG_TWO_PI) as tf.Scalar;
  });
}
