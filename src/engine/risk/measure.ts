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
 * Paper 002's variance-plus-costs objective needs the costs C beside the P&L; as a price it is the
 * mean-variance one, p = -E[X] + gamma Var(X + C).
 */
import type * as tf from '@tensorflow/tfjs';
import type { Risk } from '../experiment/schema';
import { entropicLoss, entropicRisk } from './entropic';
import { expectedShortfall, expectedShortfallLoss } from './expected-shortfall';
import { meanVarianceLoss, meanVarianceRisk } from './mean-variance';
import { oceLoss, oceRisk } from './oce';
import { quadraticLoss, quadraticRisk } from './quadratic';
import { varianceCostLoss, varianceCostRisk } from './variance-cost';

function costsOf<T>(risk: Risk, cost: T | undefined): T {
  if (cost === undefined) throw new Error(`the ${risk.measure} objective needs the transaction costs of every path`);
  return cost;
}

/** Whether the measure's loss takes a learned threshold (the OCE w of expected shortfall and of the OCE family). */
export function needsThreshold(risk: Risk): boolean {
  return risk.measure === 'expected-shortfall' || risk.measure === 'oce';
}

/** The differentiable loss to minimise over the hedge; `threshold` is the learned w for expected shortfall. */
export function riskLoss(risk: Risk, pnl: tf.Tensor1D, threshold?: tf.Scalar, cost?: tf.Tensor1D): tf.Scalar {
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
    case 'variance-cost':
      return varianceCostLoss(pnl, costsOf(risk, cost), risk.gamma);
  }
}

/** The measure evaluated on an empirical P&L distribution, in float64. */
export function riskValue(risk: Risk, x: ArrayLike<number>, cost?: ArrayLike<number>): number {
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
    case 'variance-cost':
      return varianceCostRisk(x, costsOf(risk, cost), risk.gamma);
  }
}

/** Indifference price of the claim whose hedged P&L without premium is `pnlWithoutPremium`. */
export function indifferencePrice(risk: Risk, pnlWithoutPremium: ArrayLike<number>, cost?: ArrayLike<number>): number {
  if (risk.measure === 'variance-cost') {
    // -E[X] + gamma Var(X + C) = -E[X] + (the objective) - E[C].
    const costs = costsOf(risk, cost);
    return -meanOf(pnlWithoutPremium) + varianceCostRisk(pnlWithoutPremium, costs, risk.gamma) - meanOf(costs);
  }
  if (risk.measure === 'quadratic') return -meanOf(pnlWithoutPremium);
  return riskValue(risk, pnlWithoutPremium);
}

function meanOf(x: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i];
  return sum / x.length;
}
