/**
 * From a strategy's configuration to a hedger on the device: classic hedges are closed-form functions of
 * the path that trade the underlying only (no hedge, Black-Scholes delta, Whalley-Wilmott band); the deep
 * hedger trades every instrument and owns trainable variables drawn from its own stream `init/<id>`, so
 * one strategy's settings never change another's numbers.
 */
import * as tf from '@tensorflow/tfjs';
import { blackScholesDelta } from '../hedging/black-scholes-delta';
import type { HedgingProblem } from '../hedging/problem';
import { whalleyWilmottPositions } from '../hedging/whalley-wilmott';
import { DeepHedger } from '../policies/deep-hedger';
import { stream } from '../random/stream';
import type { StrategyInfo } from './events';
import type { Experiment, Strategy } from './schema';

export interface Hedger {
  info: StrategyInfo;
  /** One [n, T] position (or trade) tensor per instrument of the problem. */
  positions(p: HedgingProblem): tf.Tensor2D[];
  /** Present for trainable strategies. */
  deep?: DeepHedger;
  dispose(): void;
}

const LABELS: Record<Strategy['type'], string> = {
  'no-hedge': 'No hedge',
  'bs-delta': 'Black-Scholes delta',
  'whalley-wilmott': 'Whalley-Wilmott band',
  'deep-mlp': 'Deep hedger (MLP)',
};

export function strategyInfo(s: Strategy): StrategyInfo {
  const label = s.type === 'deep-mlp' ? `${LABELS[s.type]} ${s.network.layers}x${s.network.units}` : LABELS[s.type];
  return { id: s.id, type: s.type, label, trainable: s.type === 'deep-mlp' };
}

/** A hedge in the underlying alone: `underlying` [n, T] and nothing in the other instruments. */
function underlyingOnly(underlying: (p: HedgingProblem) => tf.Tensor2D) {
  return (p: HedgingProblem): tf.Tensor2D[] => {
    const first = underlying(p);
    return [first, ...p.instruments.slice(1).map(() => tf.zerosLike(first))];
  };
}

/** `features` and `instruments`: the sizes of the experiment's problems (hedging-problem.ts). */
export function createHedger(s: Strategy, cfg: Experiment, features: number, instruments: number): Hedger {
  const info = strategyInfo(s);
  switch (s.type) {
    case 'no-hedge':
      return { info, positions: underlyingOnly((p) => tf.zeros([p.spot.shape[0], p.steps])), dispose: () => {} };
    case 'bs-delta':
      return { info, positions: underlyingOnly(blackScholesDelta), dispose: () => {} };
    case 'whalley-wilmott':
      return {
        info,
        positions: underlyingOnly((p) => whalleyWilmottPositions(p, cfg.costs.proportional, s.riskAversion)),
        dispose: () => {},
      };
    case 'deep-mlp': {
      const deep = new DeepHedger(features, instruments, s.network.layers, s.network.units, stream(cfg.seed, 'init', s.id));
      return { info, deep, positions: (p) => deep.positions(p), dispose: () => deep.dispose() };
    }
  }
}
