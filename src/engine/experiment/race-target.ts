/**
 * The target of paper 002's optimiser race (§4.2, fig. 3) and the steps each optimiser takes to reach it: the
 * experiment's `targetLoss`, or else the smoothed validation loss the first Adam-trained hedger ends its budget at.
 * A crossing is read on the smoothed curve, the running minimum of the 3-point trailing average of the
 * validation losses, so that one lucky validation point does not end the race (issue 19's protocol).
 * No tfjs here, so the page applies the same rule to the validation losses it is streamed.
 */
import type { RecurrentOptimizer, StrategyResult, TargetReached, ValidationRecord } from './events';
import type { Experiment } from './schema';

/** Points averaged by the smoothing. */
const WINDOW = 3;

/** The running minimum of the trailing average of up to 3 validation losses (fewer at the start). */
export function smoothedLoss(loss: readonly number[]): number[] {
  let best = Infinity;
  return loss.map((_, k) => {
    const window = loss.slice(Math.max(0, k - WINDOW + 1), k + 1);
    best = Math.min(best, window.reduce((a, b) => a + b, 0) / window.length);
    return best;
  });
}

/** The race's target and the first validation point whose smoothed loss is at or below it. */
export function targetReached(record: ValidationRecord, targetLoss: number): TargetReached {
  const k = smoothedLoss(record.loss).findIndex((l) => l <= targetLoss);
  return { targetLoss, steps: k < 0 ? null : record.steps[k], seconds: k < 0 ? null : record.seconds[k] };
}

/**
 * The experiment's target, else the last smoothed validation loss of the first Adam-trained hedger among
 * `finished` (the records of hedgers whose training is over; smoothed, so that Adam reaches it by its last
 * point at the latest), else null: while Adam trains there is no target yet.
 */
export function raceTarget(cfg: Experiment, finished: Map<string, ValidationRecord>): number | null {
  if (cfg.targetLoss !== undefined) return cfg.targetLoss;
  const adam = cfg.strategies.find((s) => s.type === 'recurrent' && s.optimizer.type === 'adam' && finished.get(s.id)?.loss.length);
  return adam ? smoothedLoss(finished.get(adam.id)!.loss).at(-1)! : null;
}

/**
 * Steps to the target of the fastest hedger trained by DH-KFAC over those of the fastest trained by Adam (the
 * tuned learning rate among several), the paper's ~0.25; null unless both reached it.
 */
export function stepsRatio(reached: { optimizer: RecurrentOptimizer; steps: number | null }[]): number | null {
  const fastest = (o: RecurrentOptimizer) => Math.min(...reached.filter((r) => r.optimizer === o && r.steps !== null).map((r) => r.steps!));
  const [kfac, adam] = [fastest('dh-kfac'), fastest('adam')];
  return Number.isFinite(kfac) && Number.isFinite(adam) && adam > 0 ? kfac / adam : null;
}

/** One run's race as a sweep reports it: the fastest hedger of each optimiser to the target, and the steps ratio. */
export interface RaceOutcomeSummary {
  targetLoss: number;
  fastest: Record<RecurrentOptimizer, { id: string; steps: number; seconds: number | null } | null>;
  stepsRatio: number | null;
}

/** The race of one run's recurrent hedgers, null when it has none with a target. */
export function raceOutcome(strategies: readonly StrategyResult[]): RaceOutcomeSummary | null {
  const racers = strategies.filter((s) => s.optimizer && s.target);
  if (racers.length === 0) return null;
  const fastest = (o: RecurrentOptimizer) => {
    const reached = racers.filter((s) => s.optimizer === o && s.target!.steps !== null).sort((a, b) => a.target!.steps! - b.target!.steps!);
    return reached.length ? { id: reached[0]!.id, steps: reached[0]!.target!.steps!, seconds: reached[0]!.target!.seconds } : null;
  };
  return {
    targetLoss: racers[0]!.target!.targetLoss,
    fastest: { adam: fastest('adam'), 'dh-kfac': fastest('dh-kfac') },
    stepsRatio: stepsRatio(racers.map((s) => ({ optimizer: s.optimizer!, steps: s.target!.steps }))),
  };
}

/** Median and range of the steps ratios over a sweep's runs (issue 19: over seeds), of those where both reached the target. */
export function ratioSpread(ratios: readonly (number | null)[]): { median: number; min: number; max: number; runs: number } | null {
  const known = ratios.filter((r): r is number => r !== null).sort((a, b) => a - b);
  if (known.length === 0) return null;
  const mid = known.length / 2;
  const median = known.length % 2 ? known[Math.floor(mid)]! : (known[mid - 1]! + known[mid]!) / 2;
  return { median, min: known[0]!, max: known.at(-1)!, runs: known.length };
}
