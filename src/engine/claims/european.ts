/**
 * European payoffs on the terminal spot: call (S_T - K)^+ and put (K - S_T)^+ (paper 001 eq. 1).
 */
import * as tf from '@tensorflow/tfjs';
import type { OptionKind } from '../pricing/black-scholes';

/** `strike` is one number or [n], each path's own. */
export function europeanPayoff(spotT: tf.Tensor1D, strike: number | tf.Tensor1D, kind: OptionKind): tf.Tensor1D {
  return tf.tidy(() => tf.relu(kind === 'call' ? tf.sub(spotT, strike) : tf.sub(strike, spotT)) as tf.Tensor1D);
}

export function europeanPayoffValue(spotT: number, strike: number, kind: OptionKind): number {
  return Math.max(kind === 'call' ? spotT - strike : strike - spotT, 0);
}
