/**
 * Classic hedges: closed-form functions of the path that trade the underlying only and need no training:
 * no hedge, Black-Scholes delta, the Whalley-Wilmott band and paper 000's implied delta (eq. 26). Each is
 * scored once on the test paths, before anything trains, so that their P&L is on the chart from the start.
 */
import * as tf from '@tensorflow/tfjs';
import { blackScholesDelta } from '../../hedging/black-scholes-delta';
import type { HedgingProblem } from '../../hedging/problem';
import { impliedDelta } from '../../hedging/implied-delta';
import { whalleyWilmottPositions } from '../../hedging/whalley-wilmott';
import type { StrategyResult } from '../events';
import type { Strategy } from '../schema';
import type { Hedger } from '../strategies';
import { strategyInfo } from '../strategy-info';
import type { TrainerFamily } from '../trainer-family';

export type ClassicStrategy = Extract<Strategy, { type: 'no-hedge' | 'bs-delta' | 'whalley-wilmott' | 'implied-delta' }>;

/** A hedge in the underlying alone: `underlying` [n, T] and nothing in the other instruments. */
export function underlyingOnly(underlying: (p: HedgingProblem) => tf.Tensor2D) {
  return (p: HedgingProblem): tf.Tensor2D[] => {
    const first = underlying(p);
    return [first, ...p.instruments.slice(1).map(() => tf.zerosLike(first))];
  };
}

export const classicFamily: TrainerFamily<ClassicStrategy> = {
  name: 'classic',
  owns: (s): s is ClassicStrategy => s.type === 'no-hedge' || s.type === 'bs-delta' || s.type === 'whalley-wilmott' || s.type === 'implied-delta',
  create(s, cfg): Hedger {
    const info = strategyInfo(s);
    switch (s.type) {
      case 'no-hedge':
        return { info, positions: underlyingOnly((p) => tf.zeros([p.spot.shape[0], p.steps])), dispose: () => {} };
      case 'bs-delta':
        return { info, positions: underlyingOnly(blackScholesDelta), dispose: () => {} };
      case 'whalley-wilmott':
        return { info, positions: underlyingOnly((p) => whalleyWilmottPositions(p, cfg.costs.proportional, s.riskAversion)), dispose: () => {} };
      case 'implied-delta':
        return { info, positions: underlyingOnly(impliedDelta), dispose: () => {} };
    }
  },
  units: () => 1,
  async *train(run, members) {
    for (const { hedger } of members) {
      if (run.signal?.aborted) return new Map();
      const e = await run.evaluate(hedger);
      yield { type: 'pnl', strategyId: hedger.info.id, epoch: null, histogram: e.histogram, metrics: e.metrics };
      yield run.advance(1, `evaluated ${hedger.info.label}`);
    }
    if (members.length > 0) yield await run.pathsEvent();
    return new Map<string, Partial<StrategyResult>>();
  },
};
