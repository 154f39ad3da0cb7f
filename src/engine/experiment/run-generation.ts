/**
 * The generators alone (paper 003 §3.3): the first phase of a signature-diffusion market's run
 * (diffusion-phase.ts) without the hedgers, for the CLI's `generate` command and the lab's Generate button. It
 * streams the same `diffusion` and `generated` events and `progress` over the phase, and returns the
 * generators with their paths; the caller owns the generators (or keeps them in its holder, as runExperiment
 * does). A refusal is an `error` event, as in runExperiment.
 */
import type { PricePanel } from '../data/price-panel';
import { diffusionPhase, keepGenerators, type DiffusionPhaseResult, type GeneratorHolder } from './diffusion-phase';
import type { RunEvent } from './events';
import { MarketDataError, marketOrigin } from './market';
import { ProgressClock } from './run-experiment';
import { firstPhaseRun } from './first-phase-run';
import type { Experiment } from './schema';

export interface GenerationOptions {
  signal?: AbortSignal;
  data?: PricePanel;
  /** Where the caller keeps its generators, as RunOptions.kept. */
  kept?: GeneratorHolder;
  /** Paths per asset, in place of the market's `diffusion.paths`. */
  paths?: number;
}

export function runGeneration(input: Experiment, opts: GenerationOptions = {}): AsyncGenerator<RunEvent, DiffusionPhaseResult | null> {
  return firstPhaseRun(input, 'signature-diffusion', { trains: 'generator', is: 'generation' }, async function* (cfg, m) {
    if (!opts.data) throw new MarketDataError(`market.data: this experiment needs ${marketOrigin(m)}; load it first`);
    const clock = new ProgressClock(1);
    const generated = yield* diffusionPhase(cfg, m, opts.data, opts.kept, opts.signal, (share, phase) => clock.advance(share, phase), opts.paths);
    if (generated && opts.kept) keepGenerators(opts.kept, generated.generators);
    return generated;
  });
}
