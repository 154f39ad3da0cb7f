/**
 * The optimisers of paper 002's recurrent hedger, one iteration at a time on a mini-batch problem: Adam with
 * warm-up, decay and clipping (scheduled-adam.ts) and DH-KFAC (dh-kfac.ts). Each reports the batch loss and,
 * when asked, fig. 4's diagnostics.
 */
import type { HedgingProblem } from '../hedging/problem';

export interface RecurrentStep {
  /** Objective of eq. 3 on the batch before the update. */
  loss: number;
  /** Trace of the covariance of single-path gradients, when diagnostics were asked for. */
  gradientVariance: number | null;
  /** Largest eigenvalue of the damped preconditioner (DH-KFAC only), when diagnostics were asked for. */
  maxEigenvalue: number | null;
}

export interface RecurrentOptimiser {
  /**
   * Iteration `iteration` (0-based) on `batch`; `onePath(j)` builds the problem of the batch's path j (DH-KFAC's
   * pseudo-gradient samples one). The caller owns both problems.
   */
  step(batch: HedgingProblem, onePath: (j: number) => HedgingProblem, iteration: number, diagnostics: boolean): Promise<RecurrentStep>;
  dispose(): void;
}
