/**
 * Paper 000's reinforcement-learning hedgers (rl/): BC-RPPO and its ablations, A2C, PPO, DDPG, TD3 and SAC,
 * each an RlAgent (rl/agents.ts) trading the underlying in the sparse-reward environment of §3.1-3.2
 * (rl/hedging-environment.ts). Per strategy:
 *   - reward scale: before the first update, 1 / mean(PV_T^2) of the implied-delta expert (eq. 26) on the
 *     first update's training paths, so that the expert's mean scaled reward is -1 (the raw -PV_T^2 is about
 *     1e-4 and would starve the critic); for a claim without an implied delta, of the unhedged claim;
 *   - behaviour cloning (Algorithm 1, BC-RPPO with bc.enabled): bc.epochs epochs on the expert's
 *     trajectories along those same paths, an `agent` event (phase 'bc') per epoch (the schema refuses it
 *     for a claim without an implied delta);
 *   - update u = 1..rl.updates: fresh training paths (stream market/train/<u>, rl.episodes of them), the
 *     environment on them, agent.update (rollout and learning), every tensor of the update freed after it;
 *   - after every update an `agent` event with the agent's own figures (policy std, value loss, KL...);
 *     every rl.evaluateEvery updates and at the last also avg_r of eq. 40, mean(-PV_T^2) unscaled, of the
 *     greedy policy on the run's validation paths, as a `loss` event (loss = -avg_r, epoch = the update) and
 *     in that update's `agent` event, both kept in the TrainingRecord (a figure an agent lacks at
 *     some update, as an off-policy critic's before learning starts, is recorded there as 0);
 *   - at the evaluation updates of a trained strategy (families/pathwise.ts evaluationEpochs): the test P&L,
 *     the holding surface (previous position at the classic delta), paper 000's figs. 7-10 (`pv-map`: mean
 *     PV_T of the test paths by S_t / K bin and T - t) and the sample paths.
 * A figure that is not finite ends the run with a NonFiniteLossError naming the agent and the cause: states
 * too large for float32 in its networks (the market's prices), else its learning rate or gradient clip.
 * Stop is honoured between updates and behaviour-cloning epochs.
 */
import * as tf from '@tensorflow/tfjs';
import { impliedDelta } from '../../hedging/implied-delta';
import { rebalancingSpot } from '../../hedging/problem';
import { createAgent } from '../../rl/agents';
import type { RlAgent } from '../../rl/agent';
import { HedgingEnvironment, type EnvironmentOptions } from '../../rl/hedging-environment';
import { NonFiniteLossError } from '../../trainers/adam-pathwise';
import type { AgentFigures, Checkpoint, RunEvent, TerminalValueMap, TrainingRecord } from '../events';
import { cellMeans } from '../empirical-surface';
import { sampledProblem } from '../hedging-problem';
import { holdingSurface, referenceVolatility } from '../holding-surface';
import { trainingSample } from '../market';
import { isRl, type RlStrategy } from '../schema';
import type { Hedger } from '../strategies';
import { strategyInfo } from '../strategy-info';
import type { RunContext, TrainerFamily } from '../trainer-family';
import { trainInTurn } from './train-in-turn';
import { evaluationEpochs } from './pathwise';

/** S_t / K bins of the PV_T map (paper 000 figs. 7-10). */
export const PV_MAP_BINS = 20;

/** An agent and the environment options its hedger scores with (set when its training starts, from the market). */
interface AgentState {
  agent: RlAgent;
  options: EnvironmentOptions | null;
}

const states = new WeakMap<Hedger, AgentState>();

function environment(h: Hedger, problem: HedgingEnvironment['problem']): HedgingEnvironment {
  const state = states.get(h)!;
  if (!state.options) throw new Error(`${h.info.label} is scored before its training has set its environment`);
  return new HedgingEnvironment(problem, state.options);
}

const bcEpochs = (s: RlStrategy) => (s.type === 'bc-rppo' && s.bc.enabled ? s.bc.epochs : 0);

export const rlFamily: TrainerFamily<RlStrategy> = {
  name: 'rl',
  owns: isRl,
  create(s, cfg, features): Hedger {
    const stateSize = 3 + (s.rl.marketFeatures ? features - 2 : 0);
    const agent = createAgent(s, stateSize, cfg.seed);
    const hedger: Hedger = {
      info: strategyInfo(s),
      positions: (p) => {
        const held = agent.act(environment(hedger, p));
        return [held, ...p.instruments.slice(1).map(() => tf.zerosLike(held))];
      },
      dispose: () => agent.dispose(),
    };
    states.set(hedger, { agent, options: null });
    return hedger;
  },
  units: (cfg, s, live) => bcEpochs(s) + s.rl.updates + evaluationEpochs(s.rl.updates, live, cfg.checkpoints).size,
  train: (run, members) =>
    trainInTurn(
      run,
      members,
      ({ strategy, hedger }, record, checkpoints) => {
        states.get(hedger)!.options = { bounds: strategy.rl.bounds, marketFeatures: strategy.rl.marketFeatures, volatility: referenceVolatility(run.cfg, run.market) };
        return trainAgent(run, strategy, hedger, record, checkpoints);
      },
      true,
    ),
};

/** Mean of -PV_T^2 (eq. 40's avg_r) of the greedy policy on `env`'s paths, unscaled. */
async function averageReward(agent: RlAgent, env: HedgingEnvironment): Promise<number> {
  const mean = tf.tidy(() => tf.mean(env.terminalReward(agent.act(env))));
  const [v] = await mean.data();
  mean.dispose();
  return v;
}

/** [n, T] the expert's positions (implied delta), or none for a claim that has no implied delta. */
function expertPositions(env: HedgingEnvironment): tf.Tensor2D {
  const p = env.problem;
  return p.claim.type === 'european' ? impliedDelta(p) : tf.zeros([p.spot.shape[0], p.steps]);
}

/** 1 / mean(PV_T^2) of the expert on `env` (1 when the expert hedges every path exactly). */
async function rewardScale(env: HedgingEnvironment, label: string): Promise<number> {
  const meanSquare = tf.tidy(() => tf.mean(tf.neg(env.terminalReward(expertPositions(env)))));
  const [m] = await meanSquare.data();
  meanSquare.dispose();
  if (!Number.isFinite(m)) {
    throw new NonFiniteLossError(`${label}: the expert's squared terminal value is ${m} on the training paths, so its rewards cannot be scaled: the market's prices are not finite; lower the volatility or the horizon`);
  }
  return m > 0 ? 1 / Math.max(m, 1e-12) : 1;
}

/**
 * Appends an evaluation update's figures to the record, every key aligned with `epochs`: a figure the agent
 * does not have at some update (the off-policy critics' before learningStarts) reads 0 there.
 */
function recordFigures(record: TrainingRecord, figures: AgentFigures): void {
  const kept = (record.figures ??= {});
  const done = record.epochs.length - 1;
  for (const key of Object.keys(figures)) kept[key] ??= new Array<number>(done).fill(0);
  for (const [key, values] of Object.entries(kept)) values.push(figures[key as keyof AgentFigures] ?? 0);
}

/** The largest |value| of the states of `env`'s paths (standardised inputs, a few units on sane paths). */
async function largestState(env: HedgingEnvironment): Promise<number> {
  const top = tf.tidy(() => {
    const none = tf.zeros([env.paths]) as tf.Tensor1D;
    return tf.max(tf.stack(Array.from({ length: env.steps }, (_, t) => tf.max(tf.abs(env.state(t, none))))));
  });
  const [v] = await top.data();
  top.dispose();
  return v;
}

/**
 * Refuses the first figure of `figures` that is not finite, naming the agent and the cause: states beyond
 * float32 arithmetic in a network (prices too far from the strike) when the environment's states are not
 * finite or exceed 1e6, else `advice` (what to lower).
 */
async function checkFigures(figures: AgentFigures, label: string, when: string, env: HedgingEnvironment, advice: string): Promise<void> {
  const bad = Object.entries(figures).find(([, v]) => !Number.isFinite(v));
  if (!bad) return;
  const top = await largestState(env);
  const cause =
    Number.isFinite(top) && top <= 1e6
      ? advice
      : `the states of its training paths reach ${top.toPrecision(3)} (S_t / K standardised by sigma sqrt(T)), beyond what its networks can carry in float32; lower the volatility or the horizon`;
  throw new NonFiniteLossError(`${label}: its ${bad[0]} became ${bad[1]} ${when}: ${cause}`);
}

/**
 * Figs. 7-10 of paper 000 on the host: cell (t, j) averages PV_T (one value per path, `pv` [n]) over the
 * paths whose S_t / K (`moneyness` [T, n], date-major) lies in bin j of `bins` equal bins spanning the
 * observed range; T - t = timeToMaturity[t].
 */
export function terminalValueMap(pv: ArrayLike<number>, moneyness: ArrayLike<number>, steps: number, dt: number, bins = PV_MAP_BINS): TerminalValueMap {
  const n = pv.length;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < moneyness.length; i++) {
    lo = Math.min(lo, moneyness[i]);
    hi = Math.max(hi, moneyness[i]);
  }
  if (!(hi > lo)) hi = lo + 1e-6;
  const width = (hi - lo) / bins;
  const moneynessEdges = Float64Array.from({ length: bins + 1 }, (_, j) => lo + j * width);
  // Item k = t n + i: date t, path i.
  const cellOf = (k: number) => Math.floor(k / n) * bins + Math.min(bins - 1, Math.floor((moneyness[k] - lo) / width));
  const { mean, count } = cellMeans(steps * bins, steps * n, cellOf, (k) => pv[k % n]);
  const meanPv = Float32Array.from(mean, (v) => (Number.isNaN(v) ? 0 : v));
  return { moneynessEdges, timeToMaturity: Float64Array.from({ length: steps }, (_, t) => (steps - t) * dt), meanPv, count };
}

async function pvMap(agent: RlAgent, env: HedgingEnvironment): Promise<TerminalValueMap> {
  const p = env.problem;
  const [pvT, moneyT] = tf.tidy(() => [env.terminalValue(agent.act(env)), tf.div(rebalancingSpot(p), p.strike).transpose()]);
  try {
    const [pv, moneyness] = await Promise.all([pvT.data(), moneyT.data()]);
    return terminalValueMap(pv, moneyness, p.steps, p.dt);
  } finally {
    tf.dispose([pvT, moneyT]);
  }
}

async function* trainAgent(run: RunContext, s: RlStrategy, h: Hedger, record: TrainingRecord, scored: Checkpoint[]): AsyncGenerator<RunEvent> {
  const { cfg, market, layout, signal } = run;
  const { agent } = states.get(h)!;
  const label = h.info.label;
  const { updates, evaluateEvery, episodes } = s.rl;
  const due = evaluationEpochs(updates, run.live, cfg.checkpoints);
  const checkpoints = new Set(cfg.checkpoints ?? []);
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const testEnv = environment(h, run.test);
  const validationEnv = environment(h, run.validation());
  const lower = (what: string) => `lower its ${what} or its gradient clip (maxGradNorm)`;
  let scale = 1;
  for (let u = 1; u <= updates; u++) {
    if (signal?.aborted) return;
    const { problem, tensors } = sampledProblem(cfg, market, trainingSample(cfg, market, u, true, episodes), layout);
    try {
      const env = environment(h, problem);
      if (u === 1) {
        scale = await rewardScale(env, label);
        if (agent.pretrain && bcEpochs(s) > 0) {
          const positions = expertPositions(env);
          try {
            for (let epoch = 1; epoch <= bcEpochs(s); epoch++) {
              if (signal?.aborted) return;
              const figures = await agent.pretrain({ env, positions }, epoch);
              await checkFigures(figures, label, `in behaviour-cloning epoch ${epoch}`, env, 'lower bc.learningRate');
              yield { type: 'agent', strategyId: s.id, phase: 'bc', update: epoch, seconds: seconds(), figures };
              yield run.advance(1, `cloning the expert into ${label}: epoch ${epoch} of ${bcEpochs(s)}`);
            }
          } finally {
            positions.dispose();
          }
          if (signal?.aborted) return;
        }
      }
      const figures = await agent.update(env, u, scale);
      await checkFigures(figures, label, `at update ${u}`, env, lower(`learning rate (rl.learningRate ${s.rl.learningRate})`));
      if (u % evaluateEvery === 0 || u === updates) {
        const avgR = await averageReward(agent, validationEnv);
        const all: AgentFigures = { avg_r: avgR, ...figures };
        await checkFigures(all, label, `at update ${u}`, env, lower(`learning rate (rl.learningRate ${s.rl.learningRate})`));
        record.epochs.push(u);
        record.loss.push(-avgR);
        record.seconds = seconds();
        record.epochSeconds?.push(record.seconds);
        recordFigures(record, all);
        yield { type: 'loss', strategyId: s.id, epoch: u, loss: -avgR, seconds: record.seconds };
        yield { type: 'agent', strategyId: s.id, phase: 'rl', update: u, seconds: record.seconds, figures: all };
      } else {
        yield { type: 'agent', strategyId: s.id, phase: 'rl', update: u, seconds: seconds(), figures };
      }
    } finally {
      tf.dispose(tensors);
    }
    yield run.advance(1, `training ${label}: update ${u} of ${updates}`);
    if (due.has(u)) {
      const e = await run.evaluate(h);
      if (checkpoints.has(u)) scored.push({ epoch: u, metrics: e.metrics });
      yield { type: 'pnl', strategyId: s.id, epoch: u, histogram: e.histogram, metrics: e.metrics };
      yield await holdingSurface(cfg, market, run.test.featureNames, s.id, (f, reference) => agent.holding(testEnv, f, reference ?? tf.zeros([f.shape[0]])));
      yield { type: 'pv-map', strategyId: s.id, ...(await pvMap(agent, testEnv)) };
      yield await run.pathsEvent();
      yield run.advance(1, `evaluated ${label} at update ${u}`);
    }
  }
}
