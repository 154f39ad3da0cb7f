/**
 * The claims the lab hedges and their payoffs on device: European call/put (paper 001 eq. 1), lookback call
 * on the running maximum (paper 001 eq. 2) and the locally capped, globally floored cliquet (paper 002 §2.1).
 */
import * as tf from '@tensorflow/tfjs';
import { cliquetPayoff } from './cliquet';
import { europeanPayoff } from './european';
import { lookbackPayoff } from './lookback';

export type ClaimSpec =
  | { type: 'european'; kind: 'call' | 'put'; strike: number }
  | { type: 'lookback'; strike: number }
  | { type: 'cliquet'; resetSteps: number; cap: number };

/** [n] payoff of the claim on spot paths [n, T + 1]. */
export function claimPayoff(claim: ClaimSpec, spot: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const [n, cols] = spot.shape;
    switch (claim.type) {
      case 'european':
        return europeanPayoff(spot.slice([0, cols - 1], [n, 1]).reshape([n]) as tf.Tensor1D, claim.strike, claim.kind);
      case 'lookback':
        return lookbackPayoff(spot, claim.strike);
      case 'cliquet':
        return cliquetPayoff(spot, claim.resetSteps, claim.cap);
    }
  });
}
