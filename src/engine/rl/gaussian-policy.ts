/**
 * Diagonal Gaussian policies of paper 000 §3.3: pi(a | s) = N(mu(s), sigma(s)^2) per action dimension, the
 * log-density of eq. 27 (without the minus sign: ln pi = -1/2 ln(2 pi sigma^2) - (a - mu)^2 / (2 sigma^2))
 * and the entropy whose negative is eq. 28's loss (H = 1/2 ln(2 pi e sigma^2) per dimension). Action
 * dimensions lie along the last axis and are summed. The learned log-std is bounded by a tanh scaling of
 * a free parameter into [LOG_STD_MIN, LOG_STD_MAX] = [-5, 1], so that neither behaviour cloning's
 * likelihood (eq. 27, which rewards sigma -> 0 on an exact expert) nor an entropy bonus can run it away,
 * and its gradient never vanishes abruptly as a clip's would. Samples are drawn from the agent's named
 * random stream (random/stream.ts) on the host, so that a rollout is the same on every backend.
 */
import * as tf from '@tensorflow/tfjs';
import type { RandomStream } from '../random/stream';

export const LOG_STD_MIN = -5;
export const LOG_STD_MAX = 1;
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** log sigma = MIN + (MAX - MIN) (tanh(raw) + 1) / 2, in (LOG_STD_MIN, LOG_STD_MAX). */
export function boundedLogStd(raw: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.add(LOG_STD_MIN, tf.mul((LOG_STD_MAX - LOG_STD_MIN) / 2, tf.add(tf.tanh(raw), 1))));
}

/** The free parameter whose bounded log-std is ln(std) (the inverse of boundedLogStd). */
export function rawLogStd(std: number): number {
  const unit = (2 * (Math.log(std) - LOG_STD_MIN)) / (LOG_STD_MAX - LOG_STD_MIN) - 1;
  if (!(Math.abs(unit) < 1)) throw new Error(`a policy std of ${std} is outside the bounds [e^${LOG_STD_MIN}, e^${LOG_STD_MAX}]`);
  return Math.atanh(unit);
}

/** ln pi(x) of a diagonal Gaussian, summed over the last axis: [..., d] -> [...]. */
export function gaussianLogDensity(x: tf.Tensor, mean: tf.Tensor, logStd: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const z = tf.mul(tf.sub(x, mean), tf.exp(tf.neg(logStd)));
    const perDim = tf.sub(tf.neg(tf.add(tf.mul(0.5, tf.square(z)), logStd)), HALF_LOG_TWO_PI);
    return tf.sum(perDim, -1);
  });
}

/** Entropy of a diagonal Gaussian, summed over the last axis: sum_d (1/2 ln(2 pi e) + log sigma_d). */
export function gaussianEntropy(logStd: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sum(tf.add(logStd, 0.5 + HALF_LOG_TWO_PI), -1));
}

/** mu + sigma eps with eps the standard normals `noise` (same shape as mean). */
export function gaussianSample(mean: tf.Tensor, logStd: tf.Tensor, noise: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.add(mean, tf.mul(tf.exp(logStd), noise)));
}

/** `count` standard normals from draws start .. start + count - 1 of `rng`, as float32. */
export function normalNoise(rng: RandomStream, count: number, start = 0): Float32Array {
  return rng.normals(new Float32Array(count), start);
}
