/**
 * Paper 002's recurrent hedgers (policies/recurrent-hedger.ts, eq. 5), trading every instrument from their
 * LSTM state, trained by Adam or DH-KFAC on their own mini-batches and raced on the validation paths
 * (recurrent-race.ts, fig. 3). After its training each is scored on the test paths, with fig. 5's variants
 * and fig. 6's bands; the race's target (§4.2) is settled once every racer has finished. Racers of one size
 * draw their weights from `init/recurrent/<blocks>/<units>`, so that a race starts from one set of weights.
 */
import { RecurrentHedger } from '../../policies/recurrent-hedger';
import { stream } from '../../random/stream';
import { stepsPerEpoch } from '../../trainers/adam-pathwise';
import type { CurvatureRecord, Metrics, StrategyResult, ValidationRecord } from '../events';
import { BAND_PROBABILITIES, raceTarget, targetReached, testFigures, trainRecurrent } from '../recurrent-race';
import { isRecurrent, stepYears, type RecurrentStrategy } from '../schema';
import type { Hedger } from '../strategies';
import { strategyInfo } from '../strategy-info';
import type { TrainerFamily } from '../trainer-family';

export const recurrentFamily: TrainerFamily<RecurrentStrategy> = {
  name: 'recurrent',
  owns: isRecurrent,
  create(s, cfg, features, instruments): Hedger {
    const net = new RecurrentHedger(features, instruments, s.network.blocks, s.network.units, stream(cfg.seed, 'init', 'recurrent', s.network.blocks, s.network.units));
    return { info: strategyInfo(s), recurrent: net, positions: (p) => net.positions(p), dispose: () => net.dispose() };
  },
  units: (cfg, s) => s.training.epochs * stepsPerEpoch(cfg.paths.train, s.training.batchSize) + 1,
  async *train(run, members) {
    const { cfg, test } = run;
    const validations = new Map<string, ValidationRecord>();
    const curvatures = new Map<string, CurvatureRecord>();
    const withoutOptions = new Map<string, Metrics>();
    const hedgingErrors = new Map<string, NonNullable<StrategyResult['hedgingError']>>();
    const results = new Map<string, Partial<StrategyResult>>();
    for (const { strategy: s, hedger: h } of members) {
      const ctx = { cfg, market: run.market, layout: run.layout, validation: run.validation(), signal: run.signal, advance: (phase: string) => run.advance(1, phase) };
      const outcome = yield* trainRecurrent(ctx, s, h.recurrent!);
      if (run.signal?.aborted) return results;
      validations.set(s.id, outcome.validation);
      curvatures.set(s.id, outcome.curvature);
      const e = await run.evaluate(h);
      yield { type: 'pnl', strategyId: s.id, epoch: null, histogram: e.histogram, metrics: e.metrics };
      const figures = await testFigures(cfg, test, h.recurrent!);
      withoutOptions.set(s.id, figures.withoutOptions);
      hedgingErrors.set(s.id, figures.variants.map(({ label, std, skew }) => ({ label, std, skew })));
      yield { type: 'pnl-variants', strategyId: s.id, variants: figures.variants };
      const claim = cfg.claim;
      const resetSteps = claim.type === 'cliquet' ? Array.from({ length: Math.ceil(cfg.market.steps / claim.resetSteps) }, (_, k) => (k + 1) * claim.resetSteps).filter((t) => t < cfg.market.steps) : [];
      const times = Float64Array.from({ length: cfg.market.steps }, (_, t) => t * stepYears(cfg.market));
      yield { type: 'hedge-bands', strategyId: s.id, times, probabilities: [...BAND_PROBABILITIES], resetSteps, bands: figures.bands };
      yield await run.pathsEvent();
      yield run.advance(1, `evaluated ${h.info.label}`);
    }
    const target = raceTarget(cfg, validations);
    for (const { strategy: s } of members) {
      const record = validations.get(s.id)!;
      results.set(s.id, {
        validation: record,
        curvature: curvatures.get(s.id),
        ...(target === null ? {} : { target: targetReached(record, target) }),
        metricsWithoutOptions: withoutOptions.get(s.id),
        hedgingError: hedgingErrors.get(s.id),
      });
    }
    return results;
  },
};
