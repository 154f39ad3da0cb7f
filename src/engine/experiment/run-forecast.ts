/**
 * The forecaster alone (paper 000 §2): the first phase of a forecaster market's run (forecaster-phase.ts)
 * without the hedgers, for the CLI's `forecast` command and the lab's Train button. It streams the same
 * `forecaster` and `forecast` events and `progress` over the forecaster's epochs, and returns the trained
 * forecaster, which the caller owns (or keeps in its holder, as runExperiment does); a refusal is an `error`
 * event, as in runExperiment.
 */
import type { PricePanel } from '../data/price-panel';
import type { RunEvent } from './events';
import { checkedSetup, forecasterPanel, forecasterPhase, keepForecaster, type ForecasterHolder, type KeptForecaster } from './forecaster-phase';
import { ProgressClock } from './run-experiment';
import { firstPhaseRun } from './first-phase-run';
import type { Experiment } from './schema';

export interface ForecastOptions {
  signal?: AbortSignal;
  data?: PricePanel;
  /** Where the caller keeps its forecaster, as RunOptions.kept: reused when it matches, else replaced (and disposed) by the one trained. */
  kept?: ForecasterHolder;
}

export function runForecast(input: Experiment, opts: ForecastOptions = {}): AsyncGenerator<RunEvent, KeptForecaster | null> {
  return firstPhaseRun(input, 'forecaster', { trains: 'forecaster', is: 'forecast' }, async function* (cfg, m) {
    const clock = new ProgressClock(m.forecaster.training.epochs);
    const panel = forecasterPanel(m, opts.data);
    const trained = yield* forecasterPhase(cfg, m, panel, checkedSetup(m, panel), opts.kept?.forecaster, opts.signal, (units, phase) => clock.advance(units, phase));
    if (trained && opts.kept) keepForecaster(opts.kept, trained);
    return trained;
  });
}
