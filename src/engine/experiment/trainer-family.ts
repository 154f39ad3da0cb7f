/**
 * Trainer families (DESIGN.md "Trainer families"): every way the lab turns a strategy's configuration into
 * positions is one family with one interface: create the hedger from the config, train it as an async
 * generator of RunEvents (classic hedges only evaluate), score it on the run's shared test paths, and say
 * what its StrategyResult holds besides the metrics. runExperiment iterates over FAMILIES; a new family is
 * one more entry here and its own file in families/.
 */
import type * as tf from '@tensorflow/tfjs';
import type { HedgingProblem } from '../hedging/problem';
import type { Evaluation } from './evaluation';
import type { RunEvent, StrategyResult } from './events';
import type { SampleLayout } from './hedging-problem';
import type { PreparedMarket } from './market';
import type { Experiment, Strategy } from './schema';
import type { Hedger } from './strategies';
import { classicFamily } from './families/classic';
import { pathwiseFamily } from './families/pathwise';
import { recurrentFamily } from './families/recurrent';
import { rlFamily } from './families/rl';
import { sequenceFamily } from './families/sequence';

/** What a family's training shares with the rest of the run. */
export interface RunContext {
  cfg: Experiment;
  market: PreparedMarket;
  layout: SampleLayout;
  /** The fixed test paths every strategy is scored on. */
  test: HedgingProblem;
  /** The validation paths (stream market/validation), drawn on first use and owned by the run. */
  validation(): HedgingProblem;
  signal: AbortSignal | undefined;
  /** Tensors the run frees when it ends (however it ends). */
  owned: tf.TensorContainer[];
  /** Test scorings of a trained strategy while it trains (RunOptions.liveEvaluations). */
  live: number;
  /** Marks `units` of the run's progress done. */
  advance(units: number, phase: string): RunEvent;
  /** Scores a hedger on the test paths and keeps its latest evaluation (for the paths event and the table). */
  evaluate(h: Hedger): Promise<Evaluation>;
  /** A few test paths with every evaluated strategy's positions. */
  pathsEvent(): Promise<RunEvent>;
}

/** A strategy of the family and its hedger on the device. */
export interface Member<S extends Strategy = Strategy> {
  strategy: S;
  hedger: Hedger;
}

export interface TrainerFamily<S extends Strategy = Strategy> {
  name: string;
  owns(s: Strategy): s is S;
  /** The hedger on the device; `features` and `instruments` are the sizes of the run's problems. */
  create(s: S, cfg: Experiment, features: number, instruments: number): Hedger;
  /** Progress units the strategy takes (RunContext.advance counts them). */
  units(cfg: Experiment, s: S, live: number): number;
  /**
   * Trains (or only scores) the family's strategies of the run, in config order, each scored on the test
   * paths by RunContext.evaluate before it returns; resolves to what each result holds besides its metrics.
   */
  train(run: RunContext, members: Member<S>[]): AsyncGenerator<RunEvent, Map<string, Partial<StrategyResult>>>;
}

/** In the order a run trains them: classic hedges first, their scores on the chart before anything trains. */
export const FAMILIES: readonly TrainerFamily[] = [classicFamily, pathwiseFamily, recurrentFamily, rlFamily, sequenceFamily] as unknown as readonly TrainerFamily[];

export function familyOf(s: Strategy): TrainerFamily {
  const family = FAMILIES.find((f) => f.owns(s));
  if (!family) throw new Error(`no trainer family for strategy type ${s.type}`);
  return family;
}
