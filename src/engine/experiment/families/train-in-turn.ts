/**
 * How the trained families (pathwise, rl, sequence) go through their strategies: one after another, each
 * into a fresh TrainingRecord and list of checkpoints that its result keeps, stopping at an abort.
 */
import type { Checkpoint, RunEvent, StrategyResult, TrainingRecord } from '../events';
import type { Strategy } from '../schema';
import type { Member, RunContext } from '../trainer-family';

export async function* trainInTurn<S extends Strategy>(
  run: RunContext,
  members: Member<S>[],
  train: (member: Member<S>, record: TrainingRecord, checkpoints: Checkpoint[]) => AsyncGenerator<RunEvent>,
  /** Whether the records keep per-epoch figures besides the loss (RL agents, sequence hedgers). */
  figures: boolean,
): AsyncGenerator<RunEvent, Map<string, Partial<StrategyResult>>> {
  const results = new Map<string, Partial<StrategyResult>>();
  for (const member of members) {
    const record: TrainingRecord = figures ? { epochs: [], loss: [], seconds: 0, epochSeconds: [], figures: {} } : { epochs: [], loss: [], seconds: 0, epochSeconds: [] };
    const checkpoints: Checkpoint[] = [];
    results.set(member.strategy.id, { training: record, checkpoints });
    yield* train(member, record, checkpoints);
    if (run.signal?.aborted) return results;
  }
  return results;
}
