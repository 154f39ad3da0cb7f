/**
 * From a strategy's configuration to a hedger on the device: classic hedges are closed-form functions of
 * the path that trade the underlying only (no hedge, Black-Scholes delta, Whalley-Wilmott band); the deep
 * hedger (deep-mlp, paper 001's DHMLP) trades every instrument; the band networks (DHNTB, DHLNN's anchor
 * band) trade the underlying around the Black-Scholes delta; paper 002's recurrent hedger trades every
 * instrument from its LSTM state. Trained strategies own variables drawn from
 * their own stream `init/<id>` (recurrent hedgers `init/recurrent/<blocks>/<units>`, so that a race starts
 * from one set of weights), so one strategy's settings never change another's numbers.
 */
import * as tf from '@tensorflow/tfjs';
import { blackScholesDelta } from '../hedging/black-scholes-delta';
import type { HedgingProblem } from '../hedging/problem';
import { whalleyWilmottPositions } from '../hedging/whalley-wilmott';
import { BandNetwork } from '../policies/band-network';
import { DeepHedger } from '../policies/deep-hedger';
import { stream } from '../random/stream';
import type { StrategyInfo } from './events';
import { strategyInfo } from './strategy-info';
import { RecurrentHedger } from '../policies/recurrent-hedger';
import type { Experiment, Strategy } from './schema';

export interface Hedger {
  info: StrategyInfo;
  /** One [n, T] position (or trade) tensor per instrument of the problem. */
  positions(p: HedgingProblem): tf.Tensor2D[];
  /** Present for trained strategies. */
  trained?: TrainedPolicy;
  /** Present for paper 002's recurrent hedgers (experiment/recurrent-race.ts trains them). */
  recurrent?: RecurrentHedger;
  dispose(): void;
}

export interface TrainedPolicy {
  network: DeepHedger | BandNetwork;
  variables: tf.Variable[];
  /** The holding in the underlying for feature rows [m, F] at the classic delta [m] (holding-surface.ts). */
  holding(features: tf.Tensor2D, reference: tf.Tensor1D | null): tf.Tensor1D;
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
    case 'deep-mlp':
    case 'dhmlp': {
      const net = new DeepHedger(features, instruments, s.network.layers, s.network.units, stream(cfg.seed, 'init', s.id));
      const trained = { network: net, variables: net.variables, holding: (f: tf.Tensor2D, ref: tf.Tensor1D | null) => net.holding(f, ref) };
      return { info, trained, positions: (p) => net.positions(p), dispose: () => net.dispose() };
    }
    case 'dhntb':
    case 'dhlnn': {
      const width = s.type === 'dhntb' ? 'leaky-relu' : 'identity';
      const net = new BandNetwork(features, s.network.layers, s.network.units, width, stream(cfg.seed, 'init', s.id));
      const holding = (f: tf.Tensor2D, ref: tf.Tensor1D | null) => {
        if (!ref) throw new Error(`${info.label} needs a Black-Scholes delta`);
        return net.centre(f, ref);
      };
      return { info, trained: { network: net, variables: net.variables, holding }, positions: (p) => net.positions(p), dispose: () => net.dispose() };
    }
    case 'recurrent': {
      // Drawn per architecture, not per id: recurrent hedgers of one size race from the same weights (paper 002 fig. 3).
      const net = new RecurrentHedger(features, instruments, s.network.blocks, s.network.units, stream(cfg.seed, 'init', 'recurrent', s.network.blocks, s.network.units));
      return { info, recurrent: net, positions: (p) => net.positions(p), dispose: () => net.dispose() };
    }
  }
}
