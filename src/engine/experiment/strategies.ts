/**
 * A strategy on the device: the Hedger every trainer family creates from its configuration
 * (trainer-family.ts; the families in families/), with its positions on any hedging problem.
 */
import type * as tf from '@tensorflow/tfjs';
import type { HedgingProblem } from '../hedging/problem';
import type { BandNetwork } from '../policies/band-network';
import type { DeepHedger } from '../policies/deep-hedger';
import type { RecurrentHedger } from '../policies/recurrent-hedger';
import type { SequenceNetwork } from '../policies/sequence-network';
import type { StrategyInfo } from './events';
import type { Experiment, Strategy } from './schema';
import { familyOf } from './trainer-family';

export interface Hedger {
  info: StrategyInfo;
  /** One [n, T] position (or trade) tensor per instrument of the problem. */
  positions(p: HedgingProblem): tf.Tensor2D[];
  /** Present for pathwise deep hedgers (families/pathwise.ts). */
  trained?: TrainedPolicy;
  /** Present for paper 002's recurrent hedgers (families/recurrent.ts). */
  recurrent?: RecurrentHedger;
  /** Present for paper 003's sequence hedgers, the RNN and the SigFormer (families/sequence.ts). */
  sequence?: SequenceNetwork;
  dispose(): void;
}

export interface TrainedPolicy {
  network: DeepHedger | BandNetwork;
  variables: tf.Variable[];
  /** The holding in the underlying for feature rows [m, F] at the classic delta [m] (holding-surface.ts). */
  holding(features: tf.Tensor2D, reference: tf.Tensor1D | null): tf.Tensor1D;
}

/** `features` and `instruments`: the sizes of the experiment's problems (hedging-problem.ts). */
export function createHedger(s: Strategy, cfg: Experiment, features: number, instruments: number): Hedger {
  return familyOf(s).create(s, cfg, features, instruments);
}
