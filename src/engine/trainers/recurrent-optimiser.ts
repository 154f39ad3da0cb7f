/**
 * The optimisers of paper 002's recurrent hedger, one iteration at a time on a mini-batch problem: Adam with
 * warm-up, decay and clipping (scheduled-adam.ts) and DH-KFAC (dh-kfac.ts). Each reports the batch loss and,
 * when asked, fig. 4's diagnostics.
 */
import type { StepCurvature } from '../experiment/events';
import type { HedgingProblem } from '../hedging/problem';

export interface RecurrentStep {
  /** Objective of eq. 3 on the batch before the update. */
  loss: number;
  /** Trace of the covariance of single-path gradients, when diagnostics were asked for. */
  gradientVariance: number | null;
  /** Largest eigenvalue of the damped preconditioner (DH-KFAC only), when diagnostics were asked for. */
  maxEigenvalue: number | null;
  /** kappa of the step along each curvature block (DH-KFAC only), when diagnostics were asked for. */
  kappa: StepCurvature[] | null;
}

export interface RecurrentOptimiser {
  /**
   * Iteration `iteration` (0-based) on `batch`, which the caller owns.
   */
  step(batch: HedgingProblem, iteration: number, diagnostics: boolean): Promise<RecurrentStep>;
  dispose(): void;
}
