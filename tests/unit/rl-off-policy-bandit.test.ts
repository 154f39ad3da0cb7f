/**
 * The actor updates of DDPG and TD3 (eq. 44) and SAC (eq. 45). Eq. 44's chain rule: one actor step moves the
 * greedy action mu(s) up the critic's slope, mean_s dQ_1/da(s, mu(s)) (mu'(s) - mu(s)) > 0 to first order
 * (the slope taken independently by tf.grad of the critic). SAC on a one-step problem with a known optimum:
 * every transition ends its episode with reward -(a - c)^2 for the normalised action a, so Q(s, a) =
 * -(a - c)^2 and, at a small fixed temperature, tanh(mean) approaches c = 0.3, the position
 * min + (c + 1) (max - min) / 2 = 0.65 on [0, 1].
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampledProblem, sampleLayout } from '../../src/engine/experiment/hedging-problem';
import { prepareMarket, trainingSample } from '../../src/engine/experiment/market';
import { preset } from '../../src/engine/experiment/presets';
import { RL_DEFAULTS } from '../../src/engine/experiment/rl-defaults';
import { stream } from '../../src/engine/random/stream';
import { Ddpg } from '../../src/engine/rl/ddpg';
import { HedgingEnvironment } from '../../src/engine/rl/hedging-environment';
import type { OffPolicyAgent } from '../../src/engine/rl/off-policy-agent';
import { Sac } from '../../src/engine/rl/sac';
import { Td3 } from '../../src/engine/rl/td3';

const C = 0.3;
const ROWS = 64;
const network = { layers: 1, units: 16 };
const fast = { buffer: 1000, batchSize: 64, learningStarts: 0, gradientSteps: 1, tau: 0.05 };

let env: HedgingEnvironment;
let rows: tf.Tensor2D;
let previous: tf.Tensor1D;
let owned: tf.Tensor[];

beforeAll(async () => {
  await tf.setBackend('cpu');
  const cfg = preset('paper000-gbm');
  Object.assign(cfg.market, { steps: 8, maturityDays: 8 });
  cfg.claim = { type: 'european', kind: 'call', strike: 1 };
  const market = await prepareMarket(cfg);
  const sample = trainingSample(cfg, market, 0, false, ROWS);
  const built = sampledProblem(cfg, market, sample, sampleLayout(sample, cfg.market.steps));
  env = new HedgingEnvironment(built.problem, { bounds: { min: 0, max: 1 }, marketFeatures: false, volatility: 0.2 });
  const f = built.problem.features;
  rows = tf.tidy(() => f.slice([3, 0, 0], [1, ROWS, f.shape[2]]).reshape([ROWS, -1]) as tf.Tensor2D);
  previous = tf.linspace(0, 1, ROWS) as tf.Tensor1D;
  owned = [rows, previous, ...built.tensors];
});
afterAll(() => tf.dispose(owned));

/** Fills the agent's buffer with one-step transitions at the test states: actions spread over [-1, 1], reward -(a - C)^2. */
async function fill(agent: OffPolicyAgent, m: number): Promise<tf.Tensor2D> {
  const states = env.stateOf(rows, previous);
  const stateRows = await states.data();
  const actions = Float32Array.from({ length: m }, (_, i) => -1 + (2 * ((i * 37) % m)) / (m - 1));
  agent.buffer.push({
    states: Float32Array.from({ length: m * env.stateSize }, (_, i) => stateRows[i % stateRows.length]),
    actions,
    rewards: Float32Array.from(actions, (a) => -((a - C) ** 2)),
    next: new Float32Array(m * env.stateSize),
    done: new Float32Array(m).fill(1),
  });
  return states;
}

const greedyAction = (agent: OffPolicyAgent) => tf.tidy(() => tf.sub(tf.mul(agent.holding(env, rows, previous), 2), 1).reshape([ROWS, 1]) as tf.Tensor2D);

describe.each(['ddpg', 'td3'] as const)("%s's actor step (eq. 44)", (name) => {
  it('moves mu(s) up the slope of Q_1 in the action, every time the actor updates', async () => {
    const rng = stream(9, 'ascent', name);
    const agent =
      name === 'ddpg'
        ? new Ddpg({ ...RL_DEFAULTS.ddpg(), network, ddpg: { ...RL_DEFAULTS.ddpg().ddpg, ...fast } }, env.stateSize, rng)
        : new Td3({ ...RL_DEFAULTS.td3(), network, td3: { ...RL_DEFAULTS.td3().td3, ...fast, policyDelay: 1 } }, env.stateSize, rng);
    const states = await fill(agent, 512);
    for (let k = 0; k < 8; k++) {
      const before = greedyAction(agent);
      const batch = agent.buffer.sample(64);
      tf.dispose([...Object.values(agent.gradientStep(batch)), ...Object.values(batch)]);
      const after = greedyAction(agent);
      const ascent = tf.tidy(() => {
        const slope = tf.grad((a: tf.Tensor) => tf.sum(agent.critics[0].value(states, a as tf.Tensor2D)))(before);
        return tf.mean(tf.mul(slope, tf.sub(after, before))).dataSync()[0];
      });
      expect(ascent).toBeGreaterThan(0);
      tf.dispose([before, after]);
    }
    agent.dispose();
    states.dispose();
  });
});

describe('SAC on a one-step problem', () => {
  it('moves tanh(mean) to the maximiser of Q', async () => {
    const s = RL_DEFAULTS.sac();
    const agent = new Sac({ ...s, network, rl: { ...s.rl, learningRate: 2e-2 }, sac: { ...s.sac, ...fast, temperature: 1e-3, autoTemperature: false } }, env.stateSize, stream(9, 'bandit', 'sac'));
    const states = await fill(agent, 512);
    for (let k = 0; k < 250; k++) {
      const batch = agent.buffer.sample(64);
      tf.dispose([...Object.values(agent.gradientStep(batch)), ...Object.values(batch)]);
    }
    const held = Array.from(tf.tidy(() => agent.holding(env, rows, previous).dataSync()));
    const mean = held.reduce((sum, x) => sum + x, 0) / held.length;
    expect(Math.abs(mean - (C + 1) / 2)).toBeLessThan(0.03);
    agent.dispose();
    states.dispose();
  });
});
