/**
 * A market's first phase alone, without the hedgers (the forecaster's, run-forecast.ts; the generators',
 * run-generation.ts): the experiment parsed, its market checked to be the one that has the phase, tfjs ready,
 * and the phase's refusals (MarketDataError) turned into `error` events as runExperiment does, any other
 * failure marked `internal`.
 */
import * as tf from '@tensorflow/tfjs';
import type { RunEvent } from './events';
import { MarketDataError } from './market';
import { parseExperiment, type Experiment, type Market } from './schema';

export async function* firstPhaseRun<M extends Market['model'], T>(
  input: Experiment,
  model: M,
  /** What the phase trains ("forecaster", "generator") and, for its failures, what it is ("forecast", "generation"). */
  names: { trains: string; is: string },
  phase: (cfg: Experiment, m: Extract<Market, { model: M }>) => AsyncGenerator<RunEvent, T | null>,
): AsyncGenerator<RunEvent, T | null> {
  const parsed = parseExperiment(input);
  if (!parsed.ok) {
    yield { type: 'error', message: `invalid experiment: ${parsed.errors.join('; ')}` };
    return null;
  }
  const cfg = parsed.value;
  const m = cfg.market;
  if (m.model !== model) {
    yield { type: 'error', message: `market.model: the ${m.model} market has no ${names.trains} to train; choose the ${model} market` };
    return null;
  }
  await tf.ready();
  try {
    return yield* phase(cfg, m as Extract<Market, { model: M }>);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    yield e instanceof MarketDataError ? { type: 'error', message: reason } : { type: 'error', message: `the ${names.is} failed: ${reason}`, internal: true };
    return null;
  }
}
