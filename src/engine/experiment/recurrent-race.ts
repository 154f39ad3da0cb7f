/**
 * Training and scoring paper 002's recurrent hedgers inside a run (run-experiment.ts): each one trains on its
 * own mini-batches of the experiment's training paths (kept on the host, so the paper's 700,000 x 240 fit),
 * one optimiser iteration per batch, and is scored on the fixed validation paths every `validationEvery`
 * iterations (fig. 3; the clock counts training only, not the scoring), with fig. 4's diagnostics at the same
 * iterations. At the end it is scored on the test paths as it is, with its option trades removed, beside the
 * unhedged claim (fig. 5: the hedging error Gamma_T - psi, costs excluded), and the quantiles of its trades per date are reported (fig. 6). The target of the
 * race (§4.2) is the experiment's `targetLoss`, or else the last smoothed validation loss of the first Adam-trained hedger.
 * With a `targetLoss` set, a hedger stops training once its smoothed validation loss reaches it (§4.2: "We stop
 * training once a given validation loss target is reached").
 */
import * as tf from '@tensorflow/tfjs';
import { hedgingPnl } from '../hedging/pnl';
import { problemTensors, type HedgingProblem } from '../hedging/problem';
import { RecurrentHedger } from '../policies/recurrent-hedger';
import { stream } from '../random/stream';
import { computeMetrics, histogram, moments } from '../risk/metrics';
import { DhKfac } from '../trainers/dh-kfac';
import { nonFiniteLossReason, permutation, NonFiniteLossError, stepsPerEpoch } from '../trainers/adam-pathwise';
import { objective } from '../trainers/recurrent-gradients';
import type { RecurrentOptimiser } from '../trainers/recurrent-optimiser';
import { ScheduledAdam } from '../trainers/scheduled-adam';
import type { CurvatureRecord, HedgeBand, Metrics, PnlVariant, RunEvent, ValidationRecord } from './events';
import { buildProblem, packSample, type SampleLayout } from './hedging-problem';
import { LaunchCounter } from './kernel-launches';
import { trainingSample, type PreparedMarket } from './market';
import { targetReached } from './race-target';
import type { Experiment, RecurrentStrategy } from './schema';
import { appendCurvature, emptyCurvature } from './curvature-record';

export { raceTarget, targetReached } from './race-target';

/** Quantiles of fig. 6's bands. */
export const BAND_PROBABILITIES = [0.05, 0.25, 0.5, 0.75, 0.95];
/** Validation paths when the experiment does not say. */
export const DEFAULT_VALIDATION_PATHS = 1024;

export interface RaceContext {
  cfg: Experiment;
  market: PreparedMarket;
  layout: SampleLayout;
  validation: HedgingProblem;
  signal: AbortSignal | undefined;
  /** Reports one iteration done (progress). */
  advance: (phase: string) => RunEvent;
}

export interface RaceOutcome {
  validation: ValidationRecord;
  curvature: CurvatureRecord;
  /** Positions on the test paths are scored by the caller; these are the extra figures. */
  trainingSeconds: number;
}

function gammaOf(cfg: Experiment): number {
  if (cfg.risk.measure !== 'variance-cost') throw new Error('recurrent hedgers minimise paper 002 eq. 3: choose the variance + costs measure');
  return cfg.risk.gamma;
}

function optimiserFor(ctx: RaceContext, s: RecurrentStrategy, net: RecurrentHedger): RecurrentOptimiser {
  const gamma = gammaOf(ctx.cfg);
  const o = s.optimizer;
  if (o.type === 'adam') {
    return new ScheduledAdam(net, gamma, { learningRate: o.learningRate, decay: o.decay, clipNorm: o.clipNorm, warmup: stepsPerEpoch(ctx.cfg.paths.train, s.training.batchSize) });
  }
  return new DhKfac(net, { gamma, ...o }, { noise: stream(ctx.cfg.seed, 'kfac', s.id, 'noise'), paths: stream(ctx.cfg.seed, 'kfac', s.id, 'path'), probe: stream(ctx.cfg.seed, 'kfac', s.id, 'probe') });
}

/** The objective of eq. 3 on the validation paths. */
async function validationLoss(ctx: RaceContext, net: RecurrentHedger): Promise<number> {
  const value = objective(net, ctx.validation, gammaOf(ctx.cfg));
  const [v] = await value.data();
  value.dispose();
  return v;
}

/** Trains one recurrent hedger, streaming its validation curve and diagnostics. */
export async function* trainRecurrent(ctx: RaceContext, s: RecurrentStrategy, net: RecurrentHedger): AsyncGenerator<RunEvent, RaceOutcome> {
  const { cfg, market, layout } = ctx;
  const { epochs, batchSize, freshPaths, validationEvery } = s.training;
  const perEpoch = stepsPerEpoch(cfg.paths.train, batchSize);
  const record: ValidationRecord = { steps: [], loss: [], seconds: [] };
  const curvature: CurvatureRecord = emptyCurvature();
  const optimiser = optimiserFor(ctx, s, net);
  let seconds = 0;
  let reached = false;
  const score = async function* (step: number): AsyncGenerator<RunEvent> {
    const loss = await validationLoss(ctx, net);
    if (!Number.isFinite(loss)) throw new NonFiniteLossError(`${s.id}: the validation loss became ${loss} after ${step} iterations: lower the learning rate or trust region`);
    record.steps.push(step);
    record.loss.push(loss);
    record.seconds.push(seconds);
    yield { type: 'validation', strategyId: s.id, step, loss, seconds };
    reached = cfg.targetLoss !== undefined && targetReached(record, cfg.targetLoss).steps !== null;
  };
  try {
    yield* score(0);
    let paths: Float32Array | null = null;
    let iteration = 0;
    const launches = new LaunchCounter();
    training: for (let epoch = 1; epoch <= epochs && !reached; epoch++) {
      if (freshPaths || epoch === 1) paths = packSample(trainingSample(cfg, market, epoch, freshPaths, cfg.paths.train), layout);
      const order = permutation(cfg.paths.train, stream(cfg.seed, 'batch', s.id, epoch));
      for (let b = 0; b < perEpoch; b++) {
        if (ctx.signal?.aborted) return { validation: record, curvature, trainingSeconds: seconds };
        const started = performance.now();
        const picked = order.subarray(b * batchSize, (b + 1) * batchSize);
        const rows = new Float32Array(picked.length * layout.width);
        picked.forEach((r, i) => rows.set(paths!.subarray(r * layout.width, (r + 1) * layout.width), i * layout.width));
        const batchRows = tf.tensor2d(rows, [picked.length, layout.width]);
        const batch = buildProblem(cfg, market, batchRows, layout);
        const diagnostics = (iteration + 1) % validationEvery === 0;
        let step;
        try {
          launches.begin();
          step = await optimiser.step(batch, iteration, diagnostics);
          // Steps that also measure the curvature diagnostics are left out of the per-step count.
          if (!diagnostics) launches.end();
        } finally {
          tf.dispose([batchRows, ...problemTensors(batch)]);
        }
        seconds += (performance.now() - started) / 1000;
        if (!Number.isFinite(step.loss)) {
          throw new NonFiniteLossError(`${s.id}: ${nonFiniteLossReason(step.loss, epoch, b + 1, paths!, layout.width, 'lower the learning rate or the trust region')}`);
        }
        iteration++;
        yield ctx.advance(`training ${s.id} (${s.optimizer.type}): iteration ${iteration} of ${epochs * perEpoch}`);
        if (diagnostics) {
          const ev = { type: 'curvature' as const, strategyId: s.id, step: iteration, gradientVariance: step.gradientVariance!, maxEigenvalue: step.maxEigenvalue, kappa: step.kappa };
          appendCurvature(curvature, ev);
          yield ev;
        }
        if (iteration % validationEvery === 0 || iteration === epochs * perEpoch) yield* score(iteration);
        if (reached) break training;
      }
    }
    record.launchesPerStep = launches.perStep();
    return { validation: record, curvature, trainingSeconds: seconds };
  } finally {
    optimiser.dispose();
  }
}

/** Linearly interpolated quantile of sorted values. */
function quantileOfSorted(sorted: Float32Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const i = Math.floor(h);
  const j = Math.min(i + 1, sorted.length - 1);
  return sorted[i] + (h - i) * (sorted[j] - sorted[i]);
}

export interface TestFigures {
  withoutOptions: Metrics;
  variants: PnlVariant[];
  bands: HedgeBand[];
}

/** Fig. 5 and 6 on the test paths: the P&L of the hedge, without its options and unhedged; per-date quantiles of each instrument. */
export async function testFigures(cfg: Experiment, test: HedgingProblem, net: RecurrentHedger): Promise<TestFigures> {
  const [n] = test.spot.shape;
  const tensors = tf.tidy(() => {
    const positions = net.positions(test);
    const withoutOptions = positions.map((x, i) => (i === 0 ? x : tf.zerosLike(x)));
    const none = positions.map((x) => tf.zerosLike(x));
    const parts = [positions, withoutOptions, none].map((p) => hedgingPnl(test, p));
    return { parts, positions: tf.stack(positions) };
  });
  try {
    const read = await Promise.all(tensors.parts.map(async (p) => ({ pnl: await p.pnl.data(), cost: await p.cost.data(), turnover: await p.turnover.data() })));
    const held = (await tensors.positions.data()) as Float32Array;
    const labels = ['learned hedge', 'without options', 'unhedged'];
    // Fig. 5's P&L is the hedging error Gamma_T - psi: the P&L before costs and premium.
    const variants = read.map((r, k) => {
      const error = Float64Array.from(r.pnl, (x, j) => x + r.cost[j] - test.premium);
      const { std, skew } = moments(error);
      return { label: labels[k], histogram: histogram(error), std, skew };
    });
    const withoutOptions = computeMetrics({ ...read[1], premium: test.premium, risk: cfg.risk });
    const steps = test.steps;
    const column = new Float32Array(n);
    const bands: HedgeBand[] = test.instruments.map((inst, i) => {
      const quantiles = BAND_PROBABILITIES.map(() => new Float32Array(steps));
      for (let t = 0; t < steps; t++) {
        for (let j = 0; j < n; j++) column[j] = held[(i * n + j) * steps + t];
        column.sort();
        BAND_PROBABILITIES.forEach((p, k) => (quantiles[k][t] = quantileOfSorted(column, p)));
      }
      return { instrument: inst.label, quantity: inst.kind === 'holding' ? 'position' : 'trade', quantiles };
    });
    return { withoutOptions, variants, bands };
  } finally {
    tf.dispose(tensors);
  }
}
