/**
 * Generalised advantage estimation of paper 000 eq. 33 over finite episodes, and the critic's targets, the
 * lambda-returns of eq. 38. For paths i and dates t = 0..T-1 with values V_t = V(s_t) and rewards r_t:
 *   TD_t = r_t + gamma V_{t+1} - V_t,   V_T = 0 (the episode ends at maturity: truncated at T)   (eq. 30)
 *   A_t  = sum_{j=t}^{T-1} (gamma lambda)^{j-t} TD_j                                               (eq. 33)
 *   V_t^target = V_t + A_t                                                                         (eq. 38)
 * Batched over every path at once as one product TD [n, T] x M [T, T], M_jt = (gamma lambda)^{j-t} for
 * j >= t and 0 below the diagonal: no loop over dates on the device. lambda = 1 gives the Monte Carlo return
 * minus V_t, lambda = 0 the one-step TD error.
 */
import * as tf from '@tensorflow/tfjs';

/** M [T, T] with M[j][t] = (gamma lambda)^(j - t) for j >= t, 0 otherwise. */
function discountMatrix(steps: number, factor: number): Float32Array {
  const m = new Float32Array(steps * steps);
  for (let j = 0; j < steps; j++) {
    let w = 1;
    for (let t = j; t >= 0; t--) {
      m[j * steps + t] = w;
      w *= factor;
    }
  }
  return m;
}

export interface Advantages {
  /** [n, T] A_t of eq. 33. */
  advantages: tf.Tensor2D;
  /** [n, T] V_t + A_t, eq. 38. */
  returns: tf.Tensor2D;
}

/** GAE and lambda-returns of rewards and values [n, T] (episodes end after date T - 1). */
export function generalisedAdvantages(rewards: tf.Tensor2D, values: tf.Tensor2D, gamma: number, lambda: number): Advantages {
  const [n, steps] = values.shape;
  const [advantages, returns] = tf.tidy(() => {
    const next = tf.concat([values.slice([0, 1], [n, steps - 1]), tf.zeros([n, 1])], 1);
    const td = tf.sub(tf.add(rewards, tf.mul(gamma, next)), values) as tf.Tensor2D;
    const a = tf.matMul(td, tf.tensor2d(discountMatrix(steps, gamma * lambda), [steps, steps]));
    return [a, tf.add(values, a)] as tf.Tensor2D[];
  });
  return { advantages, returns };
}
