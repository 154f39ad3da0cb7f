/**
 * Paper 000's on-policy agents end to end through runExperiment (experiment/families/rl.ts): a tiny BC-RPPO,
 * its two ablations of §4.6 (without BC: no cloning epochs; without the GRU), PPO and A2C on a 10-step GBM
 * call with 64 episodes per update give finite metrics (avg_r of eq. 40 among them), `agent` events
 * (behaviour cloning, then updates with avg_r and the PPO family's figures), a `pv-map` whose counts cover
 * every test path at every date, a training record per agent, the same numbers on a second run, and
 * tf.memory().numTensors back where it started; DDPG and SAC (64 x 10 transitions per update, learning in
 * the second) record every figure at every scored update; Stop mid-run ends the run without a result and
 * frees everything; a market whose prices overflow float32 ends in an error event naming the agent.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePriceCsv } from '../../src/engine/data/csv';
import type { RunEvent } from '../../src/engine/experiment/events';
import { preset } from '../../src/engine/experiment/presets';
import { RL_DEFAULTS } from '../../src/engine/experiment/rl-defaults';
import { runExperiment } from '../../src/engine/experiment/run-experiment';
import type { Experiment, RlStrategy } from '../../src/engine/experiment/schema';
import { collect } from '../fixtures/run-events';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const rl = (s: { rl: RlStrategy['rl'] }): RlStrategy['rl'] => ({ ...s.rl, updates: 2, episodes: 64, evaluateEvery: 1 });

function tinyAgents(): Experiment {
  const cfg = preset('paper000-gbm');
  cfg.market = { model: 'gbm', s0: 1, drift: 0, volatility: 0.2, maturityDays: 10, steps: 10, daysPerYear: 252 };
  cfg.paths = { train: 64, test: 128, validation: 64 };
  const network = { layers: 1, units: 8 };
  const bc = RL_DEFAULTS['bc-rppo']();
  const ppo = RL_DEFAULTS.ppo();
  const a2c = RL_DEFAULTS.a2c();
  cfg.strategies = [
    { id: 'implied-delta', type: 'implied-delta' },
    { ...bc, network, rl: rl(bc), bc: { ...bc.bc, epochs: 2, batchSize: 640 }, rppo: { ...bc.rppo, frames: 2, gruUnits: 8, actorUpdates: 1, criticUpdates: 1, minibatch: 640 } },
    { ...bc, id: 'without-bc', network, rl: rl(bc), bc: { ...bc.bc, enabled: false }, rppo: { ...bc.rppo, frames: 2, gruUnits: 8, actorUpdates: 1, criticUpdates: 1, minibatch: 640 } },
    { ...bc, id: 'without-rnn', network, rl: rl(bc), bc: { ...bc.bc, epochs: 1, batchSize: 640 }, rppo: { ...bc.rppo, gru: false, actorUpdates: 1, criticUpdates: 1, minibatch: 640 } },
    { ...ppo, network, rl: rl(ppo), ppo: { ...ppo.ppo, epochs: 1, minibatch: 320 } },
    { ...a2c, network, rl: rl(a2c) },
  ];
  return cfg;
}

const numbers = (events: RunEvent[]) => {
  const done = events.find((e) => e.type === 'done');
  if (!done || done.type !== 'done') throw new Error(`no result: ${JSON.stringify(events.at(-1))}`);
  return done.result.strategies.map((s) => ({ id: s.id, metrics: s.metrics, training: s.training && { ...s.training, seconds: 0, epochSeconds: [] } }));
};

describe('on-policy RL agents in a run', () => {
  it('stream agent figures and PV_T maps, give finite metrics, repeat exactly and free every tensor', async () => {
    const before = tf.memory().numTensors;
    const first = await collect(runExperiment(tinyAgents(), { liveEvaluations: 1 }));
    expect(tf.memory().numTensors).toBe(before);
    const result = numbers(first);
    for (const id of ['bc-rppo', 'without-bc', 'without-rnn', 'ppo', 'a2c']) {
      const agent = first.filter((e) => e.type === 'agent' && e.strategyId === id);
      const s = result.find((r) => r.id === id)!;
      for (const v of Object.values(s.metrics)) expect(Number.isFinite(v)).toBe(true);
      expect(s.training!.epochs).toEqual([1, 2]);
      expect(s.training!.loss.map((l) => -l)).toEqual(s.training!.figures!.avg_r);
      const rlEvents = agent.filter((e) => e.type === 'agent' && e.phase === 'rl');
      expect(rlEvents).toHaveLength(2);
      for (const e of rlEvents) if (e.type === 'agent') expect(e.figures.avg_r!).toBeLessThan(0);
      const map = first.find((e) => e.type === 'pv-map' && e.strategyId === id);
      if (!map || map.type !== 'pv-map') throw new Error(`no pv-map for ${id}`);
      expect(map.count.reduce((a, b) => a + b, 0)).toBe(128 * 10);
      expect(map.timeToMaturity[0]).toBeCloseTo(10 / 252, 10);
    }
    const bcEvents = first.filter((e) => e.type === 'agent' && e.phase === 'bc');
    expect(bcEvents.map((e) => e.type === 'agent' && e.strategyId)).toEqual(['bc-rppo', 'bc-rppo', 'without-rnn']);
    const ppoFigures = first.find((e) => e.type === 'agent' && e.strategyId === 'ppo' && e.phase === 'rl');
    expect(ppoFigures?.type === 'agent' && Object.keys(ppoFigures.figures).sort()).toEqual(['approx_kl', 'avg_r', 'clip_fraction', 'policy_std', 'value_loss']);
    const progress = first.filter((e) => e.type === 'progress').at(-1);
    expect(progress?.type === 'progress' && progress.fraction).toBeCloseTo(1, 10);

    const second = await collect(runExperiment(tinyAgents(), { liveEvaluations: 1 }));
    expect(numbers(second)).toEqual(result);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('run the off-policy agents too, every recorded figure aligned with the updates', async () => {
    const cfg = tinyAgents();
    const small = { network: { layers: 1, units: 8 }, batchSize: 32, learningStarts: 600 };
    const ddpg = RL_DEFAULTS.ddpg();
    const sac = RL_DEFAULTS.sac();
    cfg.strategies = [
      { ...ddpg, network: small.network, rl: rl(ddpg), ddpg: { ...ddpg.ddpg, batchSize: small.batchSize, learningStarts: small.learningStarts } },
      { ...sac, network: small.network, rl: rl(sac), sac: { ...sac.sac, batchSize: small.batchSize, learningStarts: small.learningStarts } },
    ];
    const before = tf.memory().numTensors;
    const result = numbers(await collect(runExperiment(cfg, { liveEvaluations: 1 })));
    for (const s of result) {
      const figures = s.training!.figures!;
      expect(Object.keys(figures)).toContain('q');
      for (const values of Object.values(figures)) expect(values).toHaveLength(2);
      expect(figures.q[0]).toBe(0);
      expect(figures.q[1]).not.toBe(0);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stop mid-run: no result, no later agent, every tensor freed', async () => {
    const before = tf.memory().numTensors;
    const stop = new AbortController();
    const events: RunEvent[] = [];
    for await (const e of runExperiment(tinyAgents(), { liveEvaluations: 1, signal: stop.signal })) {
      events.push(e);
      if (e.type === 'agent' && e.strategyId === 'bc-rppo' && e.phase === 'rl') stop.abort();
    }
    expect(events.some((e) => e.type === 'done')).toBe(false);
    expect(events.some((e) => 'strategyId' in e && (e.strategyId === 'ppo' || e.strategyId === 'a2c') && e.type !== 'pnl')).toBe(false);
    expect(events.filter((e) => e.type === 'agent' && e.phase === 'rl')).toHaveLength(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a market whose prices overflow float32 ends in an error event that names the agent', async () => {
    const day = (i: number) => new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    const csv = parsePriceCsv(['Date,Close', ...Array.from({ length: 300 }, (_, i) => `${day(i)},${i % 2 ? '1e19' : '1'}`)].join('\n'), 'swing.csv');
    if (!csv.ok) throw new Error('the fixture did not parse');
    const cfg = preset('sp500-historical');
    if (cfg.market.model !== 'historical') throw new Error('the preset changed');
    cfg.market = { ...cfg.market, data: { source: 'imported', file: 'swing.csv', symbols: [] }, maturityDays: 10, steps: 10 };
    cfg.premium = 'zero';
    cfg.paths = { train: 64, test: 64 };
    const ppo = RL_DEFAULTS.ppo();
    cfg.strategies = [{ ...ppo, network: { layers: 1, units: 8 }, rl: rl(ppo) }];
    const before = tf.memory().numTensors;
    const events = await collect(runExperiment(cfg, { liveEvaluations: 0, data: csv.panel }));
    const last = events.at(-1)!;
    expect(last.type).toBe('error');
    expect(last.type === 'error' && last.message).toMatch(/^PPO 1x8: its \w+ became NaN at update 1: the states of its training paths reach .* beyond what its networks can carry in float32/);
    expect(last.type === 'error' && last.internal).toBeFalsy();
    expect(tf.memory().numTensors).toBe(before);
  });
});
