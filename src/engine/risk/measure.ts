/**
 * The experiment's risk measure (schema `Risk`) as a training loss, as a float64 number, and the indifference
 * price it assigns to the hedged claim. Entropic, expected shortfall and mean-variance are OCEs with closed forms
 * (risk/oce.ts); the OCE family trains its threshold whatever the loss.
 *
 * Indifference price (paper 001 eq. 7; pfhedge's Hedger.price): the cash p that makes the hedged short claim,
 * with terminal P&L X excluding any premium, as acceptable as no position, rho(X + p) = rho(0) = 0. For the
 * cash-invariant measures (entropic, expected shortfall, mean-variance) rho(X + p) = rho(X) - p, so p = rho(X).
 * The quadratic criterion E[(X + p)^2] is not cash invariant and in general never reaches 0; for it the price
 * is the quadratic-hedging price p = argmin_p E[(X + p)^2] = -E[X]. Either way price(X + c) = price(X) - c.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Risk } from '../experiment/schema';
import { entropicLoss, entropicRisk } from './entropic';
import { expectedShortfall, expectedShortfallLoss } from './expected-shortfall';
import { meanVarianceLoss, meanVarianceRisk } from './mean-variance';
import { oceLoss, oceRisk } from './oce';
import { quadraticLoss, quadraticRisk } from './quadratic';

/** Whether the measure's loss takes a learned threshold (the OCE w of expected shortfall and of the OCE family). */
export function needsThreshold(risk: Risk): boolean {
  return risk.measure === 'expected-shortfall' || risk.measure === 'oce';
}

/** The differentiable loss to minimise over the hedge; `threshold` is the learned w for expected shortfall. */
export function riskLoss(risk: Risk, pnl: tf.Tensor1D, threshold?: tf.Scalar): tf.Scalar {
  switch (risk.measure) {
    case 'entropic':
      return entropicLoss(pnl, risk.lambda);
    case 'expected-shortfall':
      if (threshold === undefined) {
        throw new Error('riskLoss: expected-shortfall needs the learned threshold w (a scalar tf.Variable trained with the hedge)');
      }
      return expectedShortfallLoss(pnl, risk.alpha, threshold);
    case 'quadratic':
      return quadraticLoss(pnl);
    case 'mean-variance':
      return meanVarianceLoss(pnl, risk.lambda);
    case 'oce':
      if (threshold === undefined) throw new Error('riskLoss: an OCE needs its learned threshold (a scalar tf.Variable trained with the hedge)');
      return oceLoss(pnl, risk.loss, threshold);
  }
}

/** The measure evaluated on an empirical P&L distribution, in float64. */
export function riskValue(risk: Risk, x: ArrayLike<number>): number {
  switch (risk.measure) {
    case 'entropic':
      return entropicRisk(x, risk.lambda);
    case 'expected-shortfall':
      return expectedShortfall(x, risk.alpha);
    case 'quadratic':
      return quadraticRisk(x);
    case 'mean-variance':
      return meanVarianceRisk(x, risk.lambda);
    case 'oce':
      return oceRisk(x, risk.loss).value;
  }
}

/** Indifference price of the claim whose hedged P&L without premium is `pnlWithoutPremium`. */
export function indifferencePrice(risk: Risk, pnlWithoutPremium: ArrayLike<number>): number {
  if (risk.measure === 'quadratic') {
    let sum = 0;
    for (let i = 0; i < pnlWithoutPremium.length; i++) sum += pnlWithoutPremium[i];
    return -sum / pnlWithoutPremium.length;
  }
  return riskValue(risk, pnlWithoutPremium);
}
