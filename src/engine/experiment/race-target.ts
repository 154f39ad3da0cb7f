/**
 * The target of paper 002's optimiser race (§4.2, fig. 3) and the steps each optimiser takes to reach it: the
 * experiment's `targetLoss`, or else the validation loss the first Adam-trained hedger ends its budget at.
 * No tfjs here, so the page applies the same rule to the validation losses it is streamed.
 */
import type { TargetReached, ValidationRecord } from './events';
import type { Experiment } from './schema';

/** The race's target and the first validation point at or below it. */
export function targetReached(record: ValidationRecord, targetLoss: number): TargetReached {
  const k = record.loss.findIndex((l) => l <= targetLoss);
  return { targetLoss, steps: k < 0 ? null : record.steps[k], seconds: k < 0 ? null : record.seconds[k] };
}

/**
 * The experiment's target, else the last validation loss of the first Adam-trained hedger among `finished`
 * (the records of hedgers whose training is over), else null: while Adam trains there is no target yet.
 */
export function raceTarget(cfg: Experiment, finished: Map<string, ValidationRecord>): number | null {
  if (cfg.targetLoss !== undefined) return cfg.targetLoss;
  const adam = cfg.strategies.find((s) => s.type === 'recurrent' && s.optimizer.type === 'adam' && finished.get(s.id)?.loss.length);
  return adam ? finished.get(adam.id)!.loss.at(-1)! : null;
}
