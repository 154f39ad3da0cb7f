/**
 * SAC's tanh-squashed Gaussian policy (paper 000 eq. 45; Haarnoja et al. 2018, appendix C): u ~ N(mean,
 * sigma^2), a = tanh(u) in (-1, 1), and by the change of variables
 *   log pi(a) = log N(u; mean, sigma) - log(1 - tanh(u)^2),
 * with log(1 - tanh(u)^2) = 2 (log 2 - u - softplus(-2u)) (exact, and finite for every u, unlike
 * Stable-Baselines3's log(1 - a^2 + 1e-6)). The agents map a affinely to the position bounds
 * (off-policy-agent.ts positionOf), which adds the constant -log((max - min) / 2) to the density.
 * log sigma is clipped to Stable-Baselines3's [-20, 2].
 */
import * as tf from '@tensorflow/tfjs';

export const LOG_STD_MIN = -20;
export const LOG_STD_MAX = 2;

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** log(1 - tanh(u)^2), elementwise. */
export function logTanhJacobian(u: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(2, tf.sub(tf.sub(Math.log(2), u), tf.softplus(tf.mul(-2, u)))));
}

/** [m] log pi(tanh(u)) on (-1, 1) of pre-squash values u [m, d] under N(mean, exp(logStd)^2), summed over d. */
export function squashedLogDensity(u: tf.Tensor2D, mean: tf.Tensor2D, logStd: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const z = tf.div(tf.sub(u, mean), tf.exp(logStd));
    const gaussian = tf.sub(tf.sub(tf.mul(-0.5, tf.square(z)), logStd), HALF_LOG_TWO_PI);
    return tf.sum(tf.sub(gaussian, logTanhJacobian(u)), 1) as tf.Tensor1D;
  });
}

/** The reparameterised sample a = tanh(mean + sigma noise) [m, d] and its log pi(a) [m]. */
export function squashedSample(mean: tf.Tensor2D, logStd: tf.Tensor2D, noise: tf.Tensor2D): { action: tf.Tensor2D; logProb: tf.Tensor1D } {
  return tf.tidy(() => {
    const u = tf.add(mean, tf.mul(tf.exp(logStd), noise)) as tf.Tensor2D;
    return { action: tf.tanh(u), logProb: squashedLogDensity(u, mean, logStd) };
  });
}
