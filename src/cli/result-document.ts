/**
 * The CLI's JSON for a run's strategies (issue contracts): a feed-forward hedger's result as the engine gives
 * it; a recurrent hedger of paper 002 as
 *   {"type":"recurrent","optimizer":"adam"|"dh-kfac","training":{"steps":[..],"validation_loss":[..],"seconds":[..]},
 *    "target_loss","steps_to_target","seconds_to_target","metrics","metrics_without_options",
 *    "hedging_error":[{"label":"learned hedge"|"without options"|"unhedged","std","skew"}]}
 * with aligned arrays (iteration, validation loss, training seconds since its start).
 */
import type { RunResult, StrategyResult } from '../engine/experiment/events';

export function strategyDocument(s: StrategyResult): Record<string, unknown> {
  if (s.type !== 'recurrent' || !s.validation) return { ...s };
  const { validation, target, metricsWithoutOptions, hedgingError, ...rest } = s;
  return {
    ...rest,
    training: { steps: validation.steps, validation_loss: validation.loss, seconds: validation.seconds },
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
