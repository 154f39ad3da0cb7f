/**
 * The claims the lab hedges and their payoffs on device: European call/put (paper 001 eq. 1), lookback call
 * on the running maximum (paper 001 eq. 2) and the locally capped, globally floored cliquet (paper 002 §2.1).
 * A European claim may list several strikes (paper 000 §4.2): path i of every sample is written on
 * strikes[i mod m] (pathStrikeIndex), so that every batch holds them in equal shares.
 */
import * as tf from '@tensorflow/tfjs';
import { cliquetPayoff } from './cliquet';
import { europeanPayoff } from './european';
import { lookbackPayoff } from './lookback';

export type ClaimSpec =
  | { type: 'european'; kind: 'call' | 'put'; strike: number; strikes?: number[] }
  | { type: 'lookback'; strike: number }
  | { type: 'cliquet'; resetSteps: number; cap: number };

/** The strikes the claim's paths are written on: `strikes` when listed, else the one `strike` (none for a cliquet). */
export function claimStrikes(claim: ClaimSpec): number[] {
  if (claim.type === 'cliquet') return [];
  return claim.type === 'european' && claim.strikes ? claim.strikes : [claim.strike];
}

/** Index into claimStrikes of path `path` of a sample: path i has strikes[i mod m]. */
export function pathStrikeIndex(path: number, strikeCount: number): number {
  return strikeCount > 1 ? path % strikeCount : 0;
}

/**
 * [n] payoff of the claim on spot paths [n, T + 1]; `strike` [n, 1] gives each path's own strike (European
 * claims with several strikes), else the claim's one strike is used.
 */
export function claimPayoff(claim: ClaimSpec, spot: tf.Tensor2D, strike?: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const [n, cols] = spot.shape;
    switch (claim.type) {
      case 'european':
        return europeanPayoff(spot.slice([0, cols - 1], [n, 1]).reshape([n]) as tf.Tensor1D, strike ? (strike.reshape([n]) as tf.Tensor1D) : claim.strike, claim.kind);
      case 'lookback':
        return lookbackPayoff(spot, claim.strike);
      case 'cliquet':
        return cliquetPayoff(spot, claim.resetSteps, claim.cap);
    }
  });
}
