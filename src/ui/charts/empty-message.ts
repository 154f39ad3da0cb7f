/**
 * What an empty chart says, given where the run is: before any run, an invitation to press Run; during
 * one, what it is waiting for; after a run that ended early, that it ended before this was computed; after
 * a forecaster market's Train or a signature-diffusion market's Generate, that the hedgers wait for Run.
 */
import { useLab } from '../lab-store';

export function useEmptyMessage(messages: { before: string; during: string; noDeepHedger?: string }): string {
  const phase = useLab((s) => s.run.phase);
  const ended = useLab((s) => s.run.outcome !== null);
  const firstPhase = useLab((s) => (s.run.firstPhaseOnly === true && s.run.outcome === 'done' ? s.run.config?.market.model : null));
  const withoutDeepHedger = useLab((s) => s.view.strategies.length > 0 && !s.view.strategies.some((x) => x.trainable));
  if (messages.noDeepHedger && withoutDeepHedger) return messages.noDeepHedger;
  if (phase !== 'idle') return messages.during;
  if (firstPhase === 'forecaster') return 'Train trained the forecaster alone: press Run to train the hedgers on its market and test them.';
  if (firstPhase === 'signature-diffusion') return 'Generate trained and sampled the generators alone: press Run to train the hedgers on their paths and test them.';
  return ended ? 'The run ended before this was computed.' : messages.before;
}
