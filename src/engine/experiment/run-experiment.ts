/**
 * runExperiment: one experiment, start to finish, as a stream of RunEvents (DESIGN.md "Runs stream
 * events"). The market is prepared once (market.ts: simulator, price tables, regime fit or windows) and its
 * fixed test paths built on the device; then every trainer family (trainer-family.ts: classic hedges,
 * pathwise deep hedgers, paper 002's recurrent race, paper 000's RL agents) trains and scores its strategies
 * on those same test paths, and the metrics table and the full RunResult close the stream. The caller picks
 * the tfjs backend beforehand. Aborting the signal stops within one training step, and every tensor the run
 * made is freed, as it is when the run ends in an error or its consumer stops reading the stream.
 *
 * An experiment the engine cannot run as given (bad data or windows, prices, a premium, P&L or metric that
 * is not finite, a loss that turns NaN) ends in an `error` event with the reason; only a failure of the engine
 * itself is marked `internal` (the CLI exits 1 for it, 2 otherwise).
 */
import * as tf from '@tensorflow/tfjs';
import { stream } from '../random/stream';
import { NonFiniteLossError } from '../trainers/adam-pathwise';
import { evaluateHedger, nonFiniteField, NonFiniteResultError, type Evaluation } from './evaluation';
import type { RunEvent, RunResult, StrategyResult } from './events';
import { sampledProblem, sampleLayout } from './hedging-problem';
import { claimStrikes } from '../claims/claim';
import { MarketDataError, marketOrigin, prepareMarket, type PreparedMarket } from './market';
import { diffusionMarketPaths } from './diffusion-market';
import { diffusionPhase, keepGenerators, type GeneratorHolder } from './diffusion-phase';
import { forecasterMarketPaths } from './forecaster-market';
import { checkedSetup, forecasterPanel, forecasterPhase, keepForecaster, type ForecasterHolder } from './forecaster-phase';
import { parseExperiment, stepYears, type Experiment } from './schema';
import { DEFAULT_VALIDATION_PATHS } from './recurrent-race';
import type { HedgingProblem } from '../hedging/problem';
import type { PricePanel } from '../data/price-panel';
import type { OptionQuotes } from '../data/option-quotes';
import { PricingError } from '../pricing/pricing-error';
import { SimulationError } from '../markets/simulation-error';
import { checkFusedPrograms, type FusedCheck } from '../kernels/fused-check';
import type { Hedger } from './strategies';
import { FAMILIES, familyOf, type RunContext } from './trainer-family';

export interface RunOptions {
  signal?: AbortSignal;
  /** tfjs backend to run on; the current one when omitted. */
  backend?: string;
  /** How many times a deep hedger is evaluated on the test paths while it trains (0: only at the end). */
  liveEvaluations?: number;
  /** Daily prices for data-driven markets (the bundled S&P 500 panel or an imported one). */
  data?: PricePanel;
  /** Option quotes on the data's first symbol, used when the market names a quotes file (data/option-quotes.ts). */
  quotes?: OptionQuotes;
  /**
   * Where the tab keeps its trained forecaster between runs (forecaster markets): one trained on the same data,
   * split, settings and seed is reused; a newly trained one replaces it (the old one is disposed). Without a
   * holder the run disposes the forecaster it trained. So with a signature-diffusion market's generators, one per
   * traded asset.
   */
  kept?: ForecasterHolder & GeneratorHolder;
}

/** Test scorings of a deep hedger while it trains, unless the caller asks otherwise (RunOptions.liveEvaluations). */
export const LIVE_EVALUATIONS = 20;

/** Fraction of the run done and an extrapolated time left. */
export class ProgressClock {
  private done = 0;
  private readonly started = performance.now();
  constructor(private readonly total: number) {}

  advance(units: number, phase: string): Extract<RunEvent, { type: 'progress' }> {
    this.done += units;
    const fraction = Math.min(1, this.done / this.total);
    const elapsedSeconds = (performance.now() - this.started) / 1000;
    const etaSeconds = fraction > 0 && elapsedSeconds > 0.2 ? (elapsedSeconds * (1 - fraction)) / fraction : null;
    return { type: 'progress', fraction, phase, elapsedSeconds, etaSeconds };
  }
}

export async function* runExperiment(input: Experiment, opts: RunOptions = {}): AsyncGenerator<RunEvent> {
  const parsed = parseExperiment(input);
  if (!parsed.ok) {
    yield { type: 'error', message: `invalid experiment: ${parsed.errors.join('; ')}` };
    return;
  }
  const cfg = parsed.value;
  if (opts.backend && tf.getBackend() !== opts.backend && !(await tf.setBackend(opts.backend))) {
    yield { type: 'error', message: `the ${opts.backend} backend is not available here` };
    return;
  }
  await tf.ready();
  const backend = tf.getBackend();
  const live = opts.liveEvaluations ?? LIVE_EVALUATIONS;
  // The deep hedger's WebGPU programs are checked on this adapter before the first run that would use them.
  const fused = backend === 'webgpu' && cfg.strategies.some((s) => s.type === 'deep-mlp' || s.type === 'dhmlp') ? await checkFusedPrograms() : undefined;

  const owned: tf.TensorContainer[] = [];
  const hedgers: Hedger[] = [];
  try {
    yield* runPrepared(cfg, opts, live, backend, owned, hedgers, fused);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    yield REFUSALS.some((kind) => e instanceof kind) ? { type: 'error', message: reason } : { type: 'error', message: `the run failed: ${reason}`, internal: true };
  } finally {
    for (const h of hedgers) h.dispose();
    tf.dispose(owned);
  }
}

/** Errors that refuse the experiment as given, with a reason a person can act on (not failures of the engine). */
const REFUSALS = [MarketDataError, NonFiniteResultError, NonFiniteLossError, PricingError, SimulationError];

/** The run after its config is parsed and its backend set; every tensor it makes goes to `owned` or a hedger in `hedgers`. */
async function* runPrepared(cfg: Experiment, opts: RunOptions, live: number, backend: string, owned: tf.TensorContainer[], hedgers: Hedger[], fusedKernels?: FusedCheck): AsyncGenerator<RunEvent> {
  const hedging = cfg.strategies.reduce((sum, s) => sum + familyOf(s).units(cfg, s, live), 0);
  // A forecaster market trains its forecaster first, a signature-diffusion market its generators: half of the progress bar.
  const clock = new ProgressClock(cfg.market.model === 'forecaster' || cfg.market.model === 'signature-diffusion' ? 2 * hedging : hedging);
  let market: PreparedMarket;
  if (cfg.market.model === 'forecaster') {
    const m = cfg.market;
    const panel = forecasterPanel(m, opts.data);
    const setup = checkedSetup(m, panel);
    const perEpoch = hedging / m.forecaster.training.epochs;
    const trained = yield* forecasterPhase(cfg, m, panel, setup, opts.kept?.forecaster, opts.signal, (units, phase) => clock.advance(units * perEpoch, phase));
    if (!trained) return;
    if (opts.kept) keepForecaster(opts.kept, trained);
    else owned.push(trained.model.weights);
    market = await prepareMarket(cfg, opts.data, opts.quotes, await forecasterMarketPaths(cfg, m, panel, setup, trained.model));
  } else if (cfg.market.model === 'signature-diffusion') {
    const m = cfg.market;
    if (!opts.data) throw new MarketDataError(`market.data: this experiment needs ${marketOrigin(m)}; load it first`);
    const generated = yield* diffusionPhase(cfg, m, opts.data, opts.kept, opts.signal, (share, phase) => clock.advance(share * hedging, phase));
    if (!generated) return;
    if (opts.kept) keepGenerators(opts.kept, generated.generators);
    else generated.generators.forEach((g) => g.model.dispose());
    market = await prepareMarket(cfg, opts.data, opts.quotes, diffusionMarketPaths(cfg, m, opts.data, generated.pools));
  } else market = await prepareMarket(cfg, opts.data, opts.quotes);
  const testSample = market.testSample();
  const layout = sampleLayout(testSample, cfg.market.steps, Math.max(1, claimStrikes(cfg.claim).length));
  const { problem: test, tensors: testTensors } = sampledProblem(cfg, market, testSample, layout);
  owned.push(...testTensors);
  const members = cfg.strategies.map((strategy) => {
    const family = familyOf(strategy);
    const hedger = family.create(strategy, cfg, test.featureNames.length, test.instruments.length);
    hedgers.push(hedger);
    return { family, strategy, hedger };
  });
  const evaluations = new Map<string, Evaluation>();
  let validation: HedgingProblem | null = null;
  const run: RunContext = {
    cfg,
    market,
    layout,
    test,
    signal: opts.signal,
    owned,
    live,
    validation() {
      if (!validation) {
        const sample = market.validationSample(cfg.paths.validation ?? DEFAULT_VALIDATION_PATHS, stream(cfg.seed, 'market', 'validation'));
        const built = sampledProblem(cfg, market, sample, layout);
        owned.push(...built.tensors);
        validation = built.problem;
      }
      return validation;
    },
    advance: (units, phase) => clock.advance(units, phase),
    async evaluate(h) {
      const e = await evaluateHedger(cfg, test, h);
      evaluations.set(h.info.id, e);
      return e;
    },
    async pathsEvent() {
      const k = Math.min(4, testSample.n);
      const head = test.spot.slice([0, 0], [k, cfg.market.steps + 1]);
      const spot = await head.data();
      head.dispose();
      const cols = cfg.market.steps + 1;
      return {
        type: 'paths',
        times: Float64Array.from({ length: cols }, (_, t) => t * stepYears(cfg.market)),
        spot: Array.from({ length: k }, (_, i) => Float32Array.from(spot.subarray(i * cols, (i + 1) * cols))),
        positions: Object.fromEntries([...evaluations].map(([id, e]) => [id, e.samplePositions])),
      };
    },
  };

  yield {
    type: 'start',
    backend,
    strategies: hedgers.map((h) => h.info),
    market: { ...market.summary, premium: market.premium, testPaths: testSample.n, features: test.featureNames, instruments: test.instruments.map((i) => i.label) },
  };
  const extras = new Map<string, Partial<StrategyResult>>();
  for (const family of FAMILIES) {
    const own = members.filter((m) => m.family === family);
    if (own.length === 0) continue;
    const results = yield* family.train(run, own);
    if (opts.signal?.aborted) return;
    for (const [id, extra] of results) extras.set(id, extra);
  }

  const rows = hedgers.map((h) => ({ strategyId: h.info.id, metrics: evaluations.get(h.info.id)!.metrics }));
  yield { type: 'metrics', rows };
  const strategies: StrategyResult[] = hedgers.map((h) => ({ ...h.info, metrics: evaluations.get(h.info.id)!.metrics, ...extras.get(h.info.id) }));
  // Every number of the result is checked once more, whatever produced it: no result holds NaN or an infinity.
  const unfinished = nonFiniteField(strategies, 'strategies');
  if (unfinished) throw new NonFiniteResultError(`the result is not a finite number at ${unfinished}`);
  const result: RunResult = { config: cfg, backend, ...(fusedKernels ? { fusedKernels } : {}), strategies };
  yield { type: 'done', result };
}

export { evaluationEpochs } from './families/pathwise';
