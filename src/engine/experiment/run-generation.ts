/**
 * The generators alone (paper 003 §3.3): the first phase of a signature-diffusion market's run
 * (diffusion-phase.ts) without the hedgers, for the CLI's `generate` command and the lab's Generate button. It
 * streams the same `diffusion` and `generated` events and `progress` over the phase, and returns the
 * generators with their paths; the caller owns the generators (or keeps them in its holder, as runExperiment
 * does). A refusal is an `error` event, as in runExperiment.
 */
import * as tf from '@tensorflow/tfjs';
import type { PricePanel } from '../data/price-panel';
import { diffusionPhase, keepGenerators, type DiffusionPhaseResult, type GeneratorHolder } from './diffusion-phase';
import type { RunEvent } from './events';
import { MarketDataError, marketOrigin } from './market';
import { ProgressClock } from './run-experiment';
import { parseExperiment, type Experiment } from './schema';

export interface GenerationOptions {
  signal?: AbortSignal;
  data?: PricePanel;
  /** Where the caller keeps its generators, as RunOptions.kept. */
  kept?: GeneratorHolder;
  /** Paths per asset, in place of the market's `diffusion.paths`. */
  paths?: number;
}

export async function* runGeneration(input: Experiment, opts: GenerationOptions = {}): AsyncGenerator<RunEvent, DiffusionPhaseResult | null> {
  const parsed = parseExperiment(input);
  if (!parsed.ok) {
    yield { type: 'error', message: `invalid experiment: ${parsed.errors.join('; ')}` };
    return null;
  }
  const cfg = parsed.value;
  const m = cfg.market;
  if (m.model !== 'signature-diffusion') {
    yield { type: 'error', message: `market.model: the ${m.model} market has no generator to train; choose the signature-diffusion market` };
    return null;
  }
  await tf.ready();
  const clock = new ProgressClock(1);
  try {
    if (!opts.data) throw new MarketDataError(`market.data: this experiment needs ${marketOrigin(m)}; load it first`);
    const generated = yield* diffusionPhase(cfg, m, opts.data, opts.kept, opts.signal, (share, phase) => clock.advance(share, phase), opts.paths);
    if (generated && opts.kept) keepGenerators(opts.kept, generated.generators);
    return generated;
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    yield e instanceof MarketDataError ? { type: 'error', message: reason } : { type: 'error', message: `the generation failed: ${reason}`, internal: true };
    return null;
  }
}
