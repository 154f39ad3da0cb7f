/**
 * The RL part of `npm run bench`: environment steps per second of each of paper 000's agents (an
 * environment step is one decision on one path, so a rollout of E episodes of T dates is E x T steps) in
 * the paper000-gbm problem, with the update's learning included: what a person waits for per update.
 * Each agent trains alone for a few updates; the first (kernel compilation, buffers filling) is excluded,
 * and behaviour cloning, timed apart, is reported in expert pairs per second.
 */
import { preset } from '../engine/experiment/presets';
import { RL_ALGORITHMS, type Experiment, type RlStrategy } from '../engine/experiment/schema';
import { runToResult, useBackend, type NodeBackend } from './headless-run';

/** paper000-gbm with the agent of `type` alone (BC-RPPO with 3 BC epochs), `updates` updates, avg_r after each on 256 validation paths. */
function agentProblem(type: RlStrategy['type'], updates: number): { cfg: Experiment; agent: RlStrategy } {
  const cfg = preset('paper000-gbm');
  const agent = cfg.strategies.find((s): s is RlStrategy => s.type === type && s.id === type);
  if (!agent) throw new Error(`paper000-gbm has no ${type} agent`);
  agent.rl = { ...agent.rl, updates, evaluateEvery: 1 };
  if (agent.type === 'bc-rppo') agent.bc = { ...agent.bc, epochs: 3 };
  cfg.strategies = [agent];
  cfg.paths = { ...cfg.paths, test: 1024, validation: 256 };
  return { cfg, agent };
}

export async function rlBenchmark(backends: NodeBackend[], updates = 4) {
  const results = [];
  for (const name of backends) {
    await useBackend(name);
    for (const type of RL_ALGORITHMS) {
      const { cfg, agent } = agentProblem(type, updates);
      const marks: { phase: string; seconds: number }[] = [];
      await runToResult(cfg, name, (e) => {
        if (e.type === 'agent') marks.push({ phase: e.phase, seconds: e.seconds });
      });
      const rl = marks.filter((m) => m.phase === 'rl');
      const bc = marks.filter((m) => m.phase === 'bc');
      const perUpdate = rl.length > 1 ? (rl[rl.length - 1].seconds - rl[0].seconds) / (rl.length - 1) : null;
      const stepsPerUpdate = agent.rl.episodes * cfg.market.steps;
      const bcPairs = agent.type === 'bc-rppo' ? agent.rl.episodes * cfg.market.steps : 0;
      const perBcEpoch = bc.length > 1 ? (bc[bc.length - 1].seconds - bc[0].seconds) / (bc.length - 1) : null;
      results.push({
        agent: type,
        backend: name,
        episodes: agent.rl.episodes,
        steps: cfg.market.steps,
        updatesTimed: Math.max(0, rl.length - 1),
        secondsPerUpdate: perUpdate,
        environmentStepsPerSecond: perUpdate ? stepsPerUpdate / perUpdate : null,
        behaviourCloningPairsPerSecond: perBcEpoch ? bcPairs / perBcEpoch : null,
      });
    }
  }
  return { problem: 'paper000-gbm: one-month GBM call, 11 near-the-money strikes, 256 episodes of 21 steps per update, each agent alone', results };
}
