/**
 * The JSON of a run's result, as the CLI prints it and the page's "Download results" saves it (issue contracts):
 * a feed-forward hedger's result as the engine gives it; a recurrent hedger of paper 002 as
 *   {"type":"recurrent","optimizer":"adam"|"dh-kfac","training":{"steps":[..],"validation_loss":[..],"seconds":[..],"launchesPerStep"},
 *    "curvature":{"steps":[..],"gradient_variance":[..],"max_eigenvalue":[..],"kappa":{"<block>":[..]}},
 *    "target_loss","steps_to_target","seconds_to_target","metrics","metrics_without_options",
 *    "hedging_error":[{"label":"learned hedge"|"without options"|"unhedged","std","skew"}]}
 * with aligned arrays (iteration, validation loss, training seconds since its start) and the kernel launches
 * per iteration (kernel-launches.ts; absent when every iteration measured curvature); the curvature
 * diagnostics by iteration, kappa by DH-KFAC block ({} for Adam); steps to the target by the smoothed
 * crossing (race-target.ts). Every strategy's
 * `metrics` also carry paper 000's names for two of them (eq. 40): avg_PV (the mean P&L, PV_T) and std_PV
 * (its sample standard deviation), beside avg_r; an RL agent's `training` holds its per-update curves:
 * {"epochs" (the updates), "loss" (-avg_r on the validation paths), "seconds", "figures": {"avg_r", ...}}.
 */
import type { Metrics, RunResult, StrategyResult } from './events';
import type { RaceOutcomeSummary } from './race-target';

/** The metrics with paper 000's avg_PV and std_PV beside the lab's mean and std. */
function paperMetrics(m: Metrics): Metrics & { avg_PV: number; std_PV: number } {
  return { ...m, avg_PV: m.mean, std_PV: m.std };
}

export function strategyDocument(s: StrategyResult): Record<string, unknown> {
  if (s.type !== 'recurrent' || !s.validation) return { ...s, metrics: paperMetrics(s.metrics) };
  const { validation, curvature, target, metricsWithoutOptions, hedgingError, ...rest } = s;
  return {
    ...rest,
    metrics: paperMetrics(s.metrics),
    training: { steps: validation.steps, validation_loss: validation.loss, seconds: validation.seconds, launchesPerStep: validation.launchesPerStep },
    curvature: curvature ? { steps: curvature.steps, gradient_variance: curvature.gradientVariance, max_eigenvalue: curvature.maxEigenvalue, kappa: curvature.kappa } : null,
    target_loss: target?.targetLoss ?? null,
    steps_to_target: target?.steps ?? null,
    seconds_to_target: target?.seconds ?? null,
    metrics_without_options: metricsWithoutOptions ?? null,
    hedging_error: hedgingError ?? null,
  };
}

export function resultDocument(r: RunResult): Record<string, unknown> {
  return { ...r, strategies: r.strategies.map(strategyDocument) };
}

/**
 * A run's race as a sweep cell reports it: {"target_loss", "fastest_adam": {"id","steps_to_target",
 * "seconds_to_target"} | null, "fastest_dh_kfac": ..., "steps_ratio"} (race-target.ts's raceOutcome).
 */
export function raceDocument(r: RaceOutcomeSummary): Record<string, unknown> {
  const fastest = (f: RaceOutcomeSummary['fastest']['adam']) => (f ? { id: f.id, steps_to_target: f.steps, seconds_to_target: f.seconds } : null);
  return { target_loss: r.targetLoss, fastest_adam: fastest(r.fastest.adam), fastest_dh_kfac: fastest(r.fastest['dh-kfac']), steps_ratio: r.stepsRatio };
}
