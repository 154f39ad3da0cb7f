/**
 * What an empty chart says, given where the run is: before any run, an invitation to press Run; during
 * one, what it is waiting for; after a run that ended early, that it ended before this was computed.
 */
import { useLab } from '../lab-store';

export function useEmptyMessage(messages: { before: string; during: string; noDeepHedger?: string }): string {
  const phase = useLab((s) => s.run.phase);
  const ended = useLab((s) => s.run.outcome !== null);
  const withoutDeepHedger = useLab((s) => s.view.strategies.length > 0 && !s.view.strategies.some((x) => x.trainable));
  if (messages.noDeepHedger && withoutDeepHedger) return messages.noDeepHedger;
  if (phase !== 'idle') return messages.during;
  return ended ? 'The run ended before this was computed.' : messages.before;
}
