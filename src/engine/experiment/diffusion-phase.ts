/**
 * The signature-diffusion market's first phase (paper 003 §3.3): one generator per traded asset
 * (generators/signature-diffusion.ts), trained on that asset's training dates alone, streaming a `diffusion`
 * event an epoch, unless the tab keeps one trained on the same data, split, asset, settings and seed (reused as
 * is); then `paths` price paths per asset, each stitched from fresh segments, sampled with progress after every
 * sampler step, and one `generated` event comparing them with the real test dates, the market's training
 * windows and the regime-switching GBM fitted to the training dates (diffusion-report.ts). Streams: the
 * network and its batches `diffusion/<asset>/train`, the segments `diffusion/<asset>/sample`, the regime
 * comparison `diffusion/regime`.
 */
import type { PricePanel } from '../data/price-panel';
import { completeSegments, GeneratorTrainingError, SignatureDiffusion, type SignatureDiffusionSettings } from '../generators/signature-diffusion';
import { scoreEvaluations } from '../generators/vp-sde';
import { chronologicalSplit, historicalWindows } from '../markets/historical-windows';
import { fitRegimeModel, regimePaths } from '../markets/regime-switching';
import { stream } from '../random/stream';
import type { GeneratedPool } from './diffusion-market';
import { compareSources, returnRuns } from './diffusion-report';
import type { GeneratedAssetReport, RunEvent } from './events';
import { isoRange, MarketDataError, selectedSymbols } from './market';
import { stepYears, type DiffusionMarket, type Experiment } from './schema';

/** A trained generator kept between runs, with what it was trained on (its `key`). */
export interface KeptGenerator {
  model: SignatureDiffusion;
  key: string;
  asset: string;
  trainedEpochs: number;
  /** The last epoch's mean score-matching loss. */
  loss: number;
}

/** Where a caller keeps its generators between runs (RunOptions.kept). */
export type GeneratorHolder = { generators?: KeptGenerator[] };

/** Generators a holder keeps at most (the newest first). */
const KEPT_GENERATORS = 8;
/** Paths of the regime-switching GBM the report compares with. */
const REGIME_PATHS = 2000;
/** Paper 003 §3.2 classifies the training dates in four regimes. */
const REGIME_COMPARISON_MAX = 4;

/** What a generator is trained on: two runs with the same key train the same weights. */
export function generatorKey(cfg: Experiment, m: DiffusionMarket, asset: string): string {
  const { segmentDays, depth, stride, network, training, residuals } = m.diffusion;
  return JSON.stringify({ data: m.data, split: m.split, asset, diffusion: { segmentDays, depth, stride, network, training, residuals }, seed: cfg.seed });
}

/** Keeps `used` in `holder` before the others it holds, disposing the ones it replaces or drops. */
export function keepGenerators(holder: GeneratorHolder, used: KeptGenerator[]): void {
  const older = (holder.generators ?? []).filter((g) => !used.includes(g));
  const others = older.filter((g) => !used.some((u) => u.key === g.key));
  const kept = [...used, ...others].slice(0, Math.max(KEPT_GENERATORS, used.length));
  for (const g of older) if (!kept.includes(g)) g.model.dispose();
  holder.generators = kept;
}

/** The generator settings of the market's diffusion settings. */
export function generatorSettings(m: DiffusionMarket): SignatureDiffusionSettings {
  const { depth, segmentDays, stride, network, training, residuals } = m.diffusion;
  return { depth, segmentDays, stride, network, training, residuals };
}

/** What a depth resolves within a segment, in words (the UI and README say it). */
export function resolutionText(m: DiffusionMarket): string {
  const { depth, segmentDays, residuals } = m.diffusion;
  const harmonics = depth - 2;
  const numbers = 1 + 2 * harmonics;
  const shape = harmonics === 0 ? 'a straight line' : `its increment plus ${harmonics} harmonic${harmonics === 1 ? '' : 's'}`;
  const days = residuals === 'bootstrap' ? ", with a training segment's daily residuals added" : '';
  return `depth ${depth}: each ${segmentDays}-day segment is ${shape} (${numbers} number${numbers === 1 ? '' : 's'} for ${segmentDays} days)${days}`;
}

export interface DiffusionPhaseResult {
  generators: KeptGenerator[];
  /** The traded assets' generated paths, the claim's asset first. */
  pools: GeneratedPool[];
}

/**
 * Trains (or reuses from `holder`) the generators of `cfg`'s traded assets and samples `paths` paths from each;
 * returns them with the generators, which the caller owns (or keeps). `advance(share, phase)` reports a share
 * of the phase done. An aborted signal returns null after the current batch or sampler step, every generator
 * it trained disposed.
 */
export async function* diffusionPhase(
  cfg: Experiment,
  m: DiffusionMarket,
  data: PricePanel,
  holder: GeneratorHolder | undefined,
  signal: AbortSignal | undefined,
  advance: (share: number, phase: string) => RunEvent,
  paths = m.diffusion.paths,
): AsyncGenerator<RunEvent, DiffusionPhaseResult | null> {
  const symbols = selectedSymbols(m, data);
  const traded = cfg.instruments.hedgeSet ?? symbols.length;
  if (traded > symbols.length) throw new MarketDataError(`instruments.hedgeSet: the data have ${symbols.length} assets (${symbols.map((i) => data.symbols[i]).join(', ')}): a hedge set of ${traded} is larger`);
  const rows = symbols.slice(0, traded);
  const split = chronologicalSplit(data.dates.length, m.split);
  const settings = generatorSettings(m);
  const { sampling } = m.diffusion;
  const steps = m.steps;
  const per = Math.ceil(steps / settings.segmentDays);
  const segments = paths * per;
  const trainingPrices = rows.map((i) => data.close[i]!.subarray(split.train[0], split.train[1]));
  const found = rows.map((i) => holder?.generators?.find((g) => g.key === generatorKey(cfg, m, data.symbols[i]!)));
  // Shares of the phase by score evaluations: an epoch evaluates (and back-propagates, about 3 times the work) every training segment once.
  const segmentCounts = trainingPrices.map((p) => completeSegments(p, settings).length);
  const trainWork = segmentCounts.map((count, k) => (found[k] ? 0 : 3 * settings.training.epochs * count));
  const sampleWork = segments * scoreEvaluations(sampling.sampler, sampling.steps);
  const total = trainWork.reduce((a, b) => a + b, 0) + rows.length * sampleWork;

  const used: KeptGenerator[] = [];
  const fresh: KeptGenerator[] = [];
  const dispose = () => fresh.forEach((g) => g.model.dispose());
  const reports: Omit<GeneratedAssetReport, 'facts' | 'distribution' | 'fan'>[] = [];
  const started = performance.now();
  try {
    for (const [k, i] of rows.entries()) {
      const asset = data.symbols[i]!;
      const kept = found[k];
      if (kept) {
        used.push(kept);
        reports.push({ asset, segments: segmentCounts[k]!, trainedEpochs: 0, loss: kept.loss, reused: true });
        continue;
      }
      const run = SignatureDiffusion.train(trainingPrices[k]!, settings, stream(cfg.seed, 'diffusion', asset, 'train'), signal);
      const epochWork = trainWork[k]! / settings.training.epochs;
      let trained: KeptGenerator | null = null;
      let loss = NaN;
      for (;;) {
        let next;
        try {
          next = await run.next();
        } catch (e) {
          // The training's own refusals (too few segments, a loss that is not finite) name what to change.
          if (e instanceof GeneratorTrainingError) throw new MarketDataError(`market.diffusion: the generator of ${asset}: ${e.message}`);
          throw e;
        }
        if (next.done) {
          if (next.value) trained = { model: next.value, key: generatorKey(cfg, m, asset), asset, trainedEpochs: settings.training.epochs, loss };
          break;
        }
        const e = next.value;
        if (e.kind === 'batch') {
          yield advance(epochWork / e.batches / total, `training the generator of ${asset}: epoch ${e.epoch} of ${settings.training.epochs}, batch ${e.batch} of ${e.batches}`);
        } else {
          loss = e.loss;
          yield { type: 'diffusion', asset, epoch: e.epoch, epochs: e.epochs, loss: e.loss, seconds: e.seconds };
        }
      }
      if (!trained) {
        dispose();
        return null;
      }
      fresh.push(trained);
      used.push(trained);
      reports.push({ asset, segments: segmentCounts[k]!, trainedEpochs: trained.trainedEpochs, loss, reused: false });
    }
    const trainingSeconds = (performance.now() - started) / 1000;

    const pools: GeneratedPool[] = [];
    const cols = steps + 1;
    const allSteps = SignatureDiffusion.samplingSteps(segments, sampling);
    const stepWork = sampleWork / allSteps;
    for (const g of used) {
      const run = g.model.sampleSegments(segments, sampling, stream(cfg.seed, 'diffusion', g.asset, 'sample'));
      let next = await run.next();
      for (; !next.done; next = await run.next()) {
        if (signal?.aborted) {
          await run.return([]);
          dispose();
          return null;
        }
        yield advance(stepWork / total, `sampling ${paths.toLocaleString('en-US')} paths of ${g.asset}: step ${next.value} of ${allSteps}`);
      }
      const prices = new Float32Array(paths * cols);
      SignatureDiffusion.pathsFrom(next.value, per, steps).forEach((path, p) => path.forEach((x, d) => (prices[p * cols + d] = m.s0 * x)));
      pools.push({ n: paths, prices });
    }
    const samplingSeconds = (performance.now() - started) / 1000 - trainingSeconds;

    const regime = regimeComparison(cfg, m, data, symbols, split.train);
    const assets: GeneratedAssetReport[] = reports.map((r, k) => {
      const i = rows[k]!;
      const close = data.close[i]!;
      const testWindows = historicalWindows(data, [i], split.test, steps, m.s0);
      const trainWindows = historicalWindows(data, [i], split.train, steps, m.s0);
      const real = {
        train: returnRuns(close, split.train),
        validation: returnRuns(close, split.validation),
        test: returnRuns(close, split.test),
        testWindows: { prices: testWindows.paths()[0]!, n: testWindows.count },
      };
      const sources = {
        market: { prices: trainWindows.paths()[0]!, n: trainWindows.count },
        regime: { prices: regime[symbols.indexOf(i)]!, n: REGIME_PATHS },
        diffusion: pools[k]!,
      };
      return { ...r, ...compareSources(steps, real, sources) };
    });
    yield {
      type: 'generated',
      assets,
      split: {
        train: isoRange(data.dates, split.train),
        validation: split.validation[1] > split.validation[0] ? isoRange(data.dates, split.validation) : null,
        test: isoRange(data.dates, split.test),
      },
      paths,
      segmentsPerPath: per,
      segmentDays: settings.segmentDays,
      resolution: resolutionText(m),
      trainingSeconds,
      samplingSeconds,
    };
    return { generators: used, pools };
  } catch (e) {
    dispose();
    throw e;
  }
}

/** Paths of every asset of the market under the regime-switching GBM fitted to its training dates (paper 003 §3.2). */
function regimeComparison(cfg: Experiment, m: DiffusionMarket, data: PricePanel, symbols: number[], train: [number, number]): Float32Array[] {
  try {
    const model = fitRegimeModel(
      symbols.map((i) => data.close[i]!),
      train,
      { maxRegimes: REGIME_COMPARISON_MAX, periodsPerYear: m.daysPerYear, seed: cfg.seed },
    );
    return regimePaths(model, REGIME_PATHS, m.steps, stepYears(m), m.s0, stream(cfg.seed, 'diffusion', 'regime')).assets;
  } catch (e) {
    throw new MarketDataError(`market: the regime fit the generators are compared with failed on the training dates: ${e instanceof Error ? e.message : String(e)}`);
  }
}
