/**
 * The forecaster market's first phase (paper 000 §2): the forecaster is trained on the training returns with
 * early stopping on the validation NLL (forecast/forecaster-training.ts), streaming one `forecaster` event an
 * epoch, unless the tab already keeps one trained on the same data, split, settings and seed (reused as is);
 * then it is judged on the test period against the three baselines on the claim's asset (one step ahead:
 * NLL, CRPS, coverage; over H-day paths from the test dates: the energy score), with eq. 9's attention map and
 * a fan chart of sampled paths from the first test date, all in one `forecast` event.
 */
import * as tf from '@tensorflow/tfjs';
import { factorPanel, DEFAULT_FACTOR_PANEL } from '../data/factor-panel';
import type { PricePanel } from '../data/price-panel';
import { baselines, baselineScores, type Baseline } from '../forecast/baseline-forecasts';
import { baselinePaths } from '../forecast/baseline-paths';
import { forecastSetup, ForecastSetupError, type ForecastSetup } from '../forecast/forecast-setup';
import { forecasterOneStep, testAttentionMap, windowsPerPass } from '../forecast/forecaster-scores';
import { trainForecaster } from '../forecast/forecaster-training';
import { scoreOneStep } from '../forecast/one-step-forecast';
import { pathScores } from '../forecast/path-scores';
import { cumulativeClose, samplePaths } from '../forecast/path-sampling';
import { returnWindows } from '../forecast/return-windows';
import { SpatioTemporalForecaster } from '../forecast/spatio-temporal-forecaster';
import { stream } from '../random/stream';
import { FORECASTER_FILE_VERSION, FORECASTER_FORMAT, type ForecasterManifest } from '../forecast/forecaster-file';
import type { ForecastReport, ForecastScoreRow, RunEvent } from './events';
import { MarketDataError } from './market';
import type { Experiment, ForecasterMarket } from './schema';

/** A trained forecaster kept between runs, with what it was trained on (its `key`). */
export interface KeptForecaster {
  model: SpatioTemporalForecaster;
  key: string;
  trainedEpochs: number;
  bestEpoch: number;
  /** The validation NLL of the kept (best) epoch. */
  validationNll: number;
}

/** Where a caller keeps its forecaster between runs (RunOptions.kept). */
export type ForecasterHolder = { forecaster?: KeptForecaster };

/** Keeps `trained` in `holder`, disposing the forecaster it replaces (not the one it reused). */
export function keepForecaster(holder: ForecasterHolder, trained: KeptForecaster): void {
  if (holder.forecaster && holder.forecaster !== trained) holder.forecaster.model.dispose();
  holder.forecaster = trained;
}

/** What a forecaster is trained on: two runs with the same key train the same weights. */
export function forecasterKey(cfg: Experiment, m: ForecasterMarket): string {
  return JSON.stringify({ data: m.data, split: m.split, forecaster: m.forecaster, seed: cfg.seed });
}

/** The file manifest of a kept forecaster (forecast/forecaster-file.ts): its shape, assets, data and split, and its key as `config`. */
export function forecasterManifest(kept: KeptForecaster, m: ForecasterMarket, context: number, report: Pick<ForecastReport, 'assets' | 'split'>): ForecasterManifest {
  const d = m.data;
  const market =
    d.source === 'factor-panel' ? `a simulated factor panel of ${d.assets} assets and ${d.factors} factor${d.factors === 1 ? '' : 's'} (seed ${d.seed})` : d.source === 'imported' ? `the imported file ${d.file}` : `the bundled ${report.assets.join(' + ')} series`;
  return {
    format: FORECASTER_FORMAT,
    version: FORECASTER_FILE_VERSION,
    shape: kept.model.shape,
    assets: report.assets,
    context,
    market: market.slice(0, 200),
    split: report.split,
    trainedEpochs: kept.trainedEpochs,
    validationNll: kept.validationNll,
    config: kept.key,
  };
}

/** The forecaster's price panel: the selected symbols of the loaded data, or the simulated factor panel. */
export function forecasterPanel(m: ForecasterMarket, data?: PricePanel): PricePanel {
  const d = m.data;
  if (d.source === 'factor-panel') return factorPanel({ ...DEFAULT_FACTOR_PANEL, assets: d.assets, factors: d.factors, days: d.days, seed: d.seed }).panel;
  if (!data) throw new MarketDataError('market.data: this experiment needs its price data; load it first');
  const wanted = d.source === 'sp500' || (d.source === 'imported' && d.symbols.length === 0) ? data.symbols : d.symbols;
  const rows = wanted.map((s) => {
    const i = data.symbols.indexOf(s);
    if (i < 0) throw new MarketDataError(`market.data.symbols: "${s}" is not in the loaded data (it has ${data.symbols.join(', ')})`);
    return i;
  });
  const pick = <T,>(series: readonly T[]) => rows.map((i) => series[i]!);
  const volume = data.volume ? { volume: pick(data.volume) } : {};
  const bars = data.bars ? { bars: { open: pick(data.bars.open), high: pick(data.bars.high), low: pick(data.bars.low) } } : {};
  return { dates: data.dates, symbols: pick(data.symbols), close: pick(data.close), ...volume, ...bars };
}

/** The setup, refused as a MarketDataError (the run's refusals) when the split cannot hold a forecast. */
export function checkedSetup(m: ForecasterMarket, panel: PricePanel): ForecastSetup {
  try {
    return forecastSetup(m, panel);
  } catch (e) {
    if (e instanceof ForecastSetupError) throw new MarketDataError(e.message);
    throw e;
  }
}

/** Paths per start date for the energy score, and at most this many start dates (every H-th test date). */
const SCORE_PATHS = 64;
const SCORE_STARTS = 24;
const FAN_PATHS = 256;
const FAN_QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95];

/** Test days H apart (at most SCORE_STARTS) whose next H returns of the claim's asset are all known. */
function scoreStarts(setup: ForecastSetup, context: number, horizon: number): number[] {
  const returns = setup.returns.returns[0]!;
  const starts: number[] = [];
  for (let t = Math.max(setup.split.validationEnd, context); t + horizon <= returns.length && starts.length < SCORE_STARTS; t += horizon) {
    if (returns.subarray(t, t + horizon).every(Number.isFinite)) starts.push(t);
  }
  return starts;
}

/** Cumulative log-returns [starts, SCORE_PATHS, horizon] of the claim's asset on the forecaster's physical paths, all starts sampled side by side. */
async function forecasterPathSamples(model: SpatioTemporalForecaster, setup: ForecastSetup, context: number, starts: number[], horizon: number, seed: number): Promise<Float64Array> {
  const paths = starts.length * SCORE_PATHS;
  const history = returnWindows(setup.returns.channels, starts.flatMap((t) => Array<number>(SCORE_PATHS).fill(t - context)), context);
  const rng = stream(seed, 'forecast', 'energy');
  const sampled = await samplePaths(model, history, { horizon, paths, measure: 'physical', rng, chunk: windowsPerPass(model, context + horizon) }).finally(() => history.dispose());
  return cumulativeClose(sampled, 0);
}

/**
 * The energy score (path-scores.ts) of each model's H-day paths of the claim's asset from test dates H apart,
 * the forecaster's first, then the baselines' in their order; null where no test date has H known returns after it.
 */
async function pathEnergies(model: SpatioTemporalForecaster, setup: ForecastSetup, m: ForecasterMarket, models: Baseline[], seed: number): Promise<(number | null)[]> {
  const horizon = m.steps;
  const starts = scoreStarts(setup, m.forecaster.context, horizon);
  if (starts.length === 0) return [null, ...models.map(() => null)];
  const realised = new Float64Array(starts.length * horizon);
  starts.forEach((t, k) => {
    let sum = 0;
    for (let d = 0; d < horizon; d++) realised[k * horizon + d] = sum += setup.returns.returns[0]![t + d]!;
  });
  const shape = { starts: starts.length, paths: SCORE_PATHS, horizon, assets: 1 };
  const energy = (samples: Float64Array) => pathScores(samples, realised, shape).energy;
  const own = energy(await forecasterPathSamples(model, setup, m.forecaster.context, starts, horizon, seed));
  return [own, ...models.map((b) => energy(baselinePaths(b, starts, horizon, SCORE_PATHS, stream(seed, 'forecast', 'baseline-paths', b.name))))];
}

/** Sampled prices of the claim's asset from test day `t` (physical measure), as quantile bands, and the realised path. */
async function fanChart(model: SpatioTemporalForecaster, setup: ForecastSetup, panel: PricePanel, m: ForecasterMarket, seed: number, t: number): Promise<ForecastReport['fan']> {
  const { context } = m.forecaster;
  const returns = setup.returns.returns;
  const n = returns.length;
  const c = setup.returns.channels[0]!.length;
  const horizon = Math.min(m.steps, returns[0]!.length - t);
  const windows = returnWindows(setup.returns.channels, [t - context], context);
  const history = windows.reshape([context, n, c]) as tf.Tensor3D;
  windows.dispose();
  const sampled = await samplePaths(model, history, { horizon, paths: FAN_PATHS, measure: 'physical', rng: stream(seed, 'forecast', 'fan'), chunk: windowsPerPass(model, context + horizon) }).finally(() => history.dispose());
  const cumulative = cumulativeClose(sampled, 0);
  const prices = Array.from({ length: horizon + 1 }, (_, d) => Float64Array.from({ length: FAN_PATHS }, (_, p) => m.s0 * Math.exp(d === 0 ? 0 : cumulative[p * horizon + d - 1]!)).sort());
  const bands = FAN_QUANTILES.map((q) => Float64Array.from(prices, (column) => column[Math.min(FAN_PATHS - 1, Math.floor(q * FAN_PATHS))]!));
  const close = panel.close[0]!;
  return {
    start: panel.dates[t]!,
    from: [panel.dates[Math.max(setup.split.validationEnd, context)]!, panel.dates[returns[0]!.length - 1]!],
    dates: panel.dates.slice(t, t + horizon + 1),
    realised: Float64Array.from({ length: horizon + 1 }, (_, d) => (m.s0 * close[t + d]!) / close[t]!),
    quantiles: FAN_QUANTILES,
    bands,
  };
}

/** The test-period report of a trained forecaster. */
async function forecastReport(model: SpatioTemporalForecaster, setup: ForecastSetup, panel: PricePanel, m: ForecasterMarket, cfg: Experiment, kept: KeptForecaster, reused: boolean): Promise<ForecastReport> {
  const { context } = m.forecaster;
  const { validationEnd } = setup.split;
  const forecasts = await forecasterOneStep(model, setup, context);
  const realised = setup.returns.returns.map((r) => r.slice(validationEnd));
  const ownScores = forecasts.map((f, i) => scoreOneStep(f, realised[i]!));
  const models = baselines(setup.returns.returns[0]!, setup.split);
  const [energy, ...baselineEnergy] = await pathEnergies(model, setup, m, models, cfg.seed);
  const rows: ForecastScoreRow[] = [
    { name: 'forecaster', ...ownScores[0]!, energy: energy! },
    ...baselineScores(setup.returns.returns[0]!, setup.split, models).map(({ name, scores }, k) => ({ name, ...scores, energy: baselineEnergy[k]! })),
  ];
  const weights = await testAttentionMap(model, setup, context);
  return {
    asset: setup.returns.symbols[0]!,
    assets: setup.returns.symbols,
    split: setup.ranges,
    scores: rows,
    channels: setup.returns.channels[0]!.length === 4 ? ['open', 'high', 'low', 'close'] : ['close'],
    meanNll: ownScores.reduce((s, x) => s + x.nll * x.days, 0) / ownScores.reduce((s, x) => s + x.days, 0),
    attention: { latents: model.shape.latents, weights },
    fan: await fanChart(model, setup, panel, m, cfg.seed, Math.max(setup.split.validationEnd, context)),
    trainedEpochs: kept.trainedEpochs,
    bestEpoch: kept.bestEpoch,
    reused,
    marketValueSource: setup.marketValueSource,
  };
}

/**
 * The fan chart from the test date `date` (its first trading day on or after it) of the kept forecaster of
 * `cfg`'s market: refused when the date is not a test date that leaves at least one day to forecast.
 */
export async function fanFrom(cfg: Experiment, m: ForecasterMarket, data: PricePanel | undefined, model: SpatioTemporalForecaster, date: string): Promise<ForecastReport['fan']> {
  const panel = forecasterPanel(m, data);
  const setup = checkedSetup(m, panel);
  const days = setup.returns.dates.length;
  const first = Math.max(setup.split.validationEnd, m.forecaster.context);
  const t = date < panel.dates[first]! ? -1 : panel.dates.findIndex((d, i) => i >= first && d >= date);
  if (t < 0 || t >= days) throw new MarketDataError(`fan date: ${date} is not a test date with a day after it (the test dates run from ${panel.dates[first]} to ${panel.dates[days - 1]})`);
  return fanChart(model, setup, panel, m, cfg.seed, t);
}

/**
 * Trains (or reuses `kept`) the forecaster of `cfg`'s market and reports it; returns the trained forecaster,
 * which the caller owns (and may keep for the next run). An aborted signal returns null after the current batch.
 */
export async function* forecasterPhase(
  cfg: Experiment,
  m: ForecasterMarket,
  panel: PricePanel,
  setup: ForecastSetup,
  kept: KeptForecaster | undefined,
  signal: AbortSignal | undefined,
  advance: (units: number, phase: string) => RunEvent,
): AsyncGenerator<RunEvent, KeptForecaster | null> {
  const key = forecasterKey(cfg, m);
  const f = m.forecaster;
  const latents = Math.min(f.latents, panel.symbols.length);
  let trained: KeptForecaster;
  const reused = kept?.key === key;
  if (kept && reused) trained = kept;
  else {
    const shape = { assets: panel.symbols.length, channels: setup.returns.channels[0]!.length, latents, width: f.width, heads: f.heads, depth: f.depth, dropout: f.dropout };
    const model = new SpatioTemporalForecaster(shape, stream(cfg.seed, 'forecaster', 'init'));
    model.setScale(setup.scale);
    trained = { model, key, trainedEpochs: 0, bestEpoch: 0, validationNll: NaN };
    const started = performance.now();
    try {
      const epochs = trainForecaster(
        model,
        setup.returns.channels,
        setup.split,
        {
          context: f.context,
          horizon: f.horizon,
          batchSize: f.training.batchSize,
          epochs: f.training.epochs,
          learningRate: f.training.learningRate,
          patience: f.training.patience,
          dropout: { ...f.marketValueDropout, marketValue: setup.marketValue },
          seed: cfg.seed,
        },
        signal,
      );
      for await (const e of epochs) {
        if (e.kind === 'batch') {
          // A turn between batches (the worker yields a macrotask between events, so a Stop gets through), with the share of the epoch done.
          yield advance(1 / e.batches, `training the forecaster: epoch ${e.epoch} of at most ${f.training.epochs}, batch ${e.batch} of ${e.batches}`);
          continue;
        }
        trained.trainedEpochs = e.epoch;
        if (e.best) Object.assign(trained, { bestEpoch: e.epoch, validationNll: e.validationNll });
        yield { type: 'forecaster', epoch: e.epoch, epochs: f.training.epochs, trainNll: e.trainNll, validationNll: e.validationNll, best: e.best, seconds: (performance.now() - started) / 1000 };
      }
    } catch (e) {
      model.dispose();
      if (e instanceof RangeError || (e instanceof Error && e.message.startsWith('forecaster training:'))) throw new MarketDataError(`market.forecaster: ${e.message}`);
      throw e;
    }
    if (signal?.aborted) {
      model.dispose();
      return null;
    }
    // Early stopping ends before the last epoch: the rest of its share of the run is done.
    yield advance(f.training.epochs - trained.trainedEpochs, 'the forecaster is trained');
  }
  const report = await forecastReport(trained.model, setup, panel, m, cfg, trained, reused);
  yield { type: 'forecast', ...report };
  return trained;
}
