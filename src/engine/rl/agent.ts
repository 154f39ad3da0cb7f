/**
 * What every RL agent of paper 000 offers the lab (experiment/families/rl.ts drives them): behaviour
 * cloning epochs on expert trajectories (Algorithm 1, where the agent has it), one update = a rollout of the
 * environment's episodes and the algorithm's learning on it, greedy positions on any environment (the
 * policy's mean action, clipped to the bounds) for scoring on the shared test paths, and the holding for a
 * holding surface. Agents scale the terminal reward by `rewardScale` before learning from it (the raw
 * -PV_T^2 is ~1e-4 of the claim's units squared and would starve the critic): the family sets it to 1 over
 * the implied-delta expert's mean PV_T^2 on the first rollout, so that the expert's mean reward is -1.
 */
import type * as tf from '@tensorflow/tfjs';
import type { AgentFigures } from '../experiment/events';
import type { HedgingEnvironment } from './hedging-environment';

/** The expert's episodes (§3.3.1): its positions [n, T] on the environment's paths, clipped to the bounds. */
export interface ExpertTrajectories {
  env: HedgingEnvironment;
  positions: tf.Tensor2D;
}

export interface RlAgent {
  /** One behaviour-cloning epoch over the expert's state-action pairs (eq. 27-29); absent without BC. */
  pretrain?(expert: ExpertTrajectories, epoch: number): Promise<AgentFigures>;
  /** Rollout of every episode of `env`, then the algorithm's learning; `update` counts from 1. */
  update(env: HedgingEnvironment, update: number, rewardScale: number): Promise<AgentFigures>;
  /** [n, T] greedy positions on `env`'s paths (mean action, clipped), inside one tidy. */
  act(env: HedgingEnvironment): tf.Tensor2D;
  /**
   * [m] greedy position for feature rows [m, F] of `env`'s layout with the previous position at `previous`
   * [m] (a holding surface; a recurrent agent sees this state repeated over its whole memory).
   */
  holding(env: HedgingEnvironment, features: tf.Tensor2D, previous: tf.Tensor1D): tf.Tensor1D;
  /** Every variable and optimiser slot the agent owns. */
  dispose(): void;
}
