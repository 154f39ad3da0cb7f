/**
 * Paper 000 §4.4's off-policy baselines (eq. 43-45): the replay buffer's uniform sampling and ring, SAC's
 * tanh-squashed density against numerical integration and an independent change of variables, Polyak
 * averaging, TD3's target smoothing and policy delay, and DDPG, TD3 and SAC run on a small GBM hedging
 * environment (finite figures, no tensor growth across updates, the same numbers for the same seed).
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentFigures } from '../../src/engine/experiment/events';
import { sampledProblem, sampleLayout } from '../../src/engine/experiment/hedging-problem';
import { prepareMarket, trainingSample } from '../../src/engine/experiment/market';
import { preset } from '../../src/engine/experiment/presets';
import { RL_DEFAULTS } from '../../src/engine/experiment/rl-defaults';
import { stream } from '../../src/engine/random/stream';
import { Ddpg } from '../../src/engine/rl/ddpg';
import { HedgingEnvironment } from '../../src/engine/rl/hedging-environment';
import type { OffPolicyAgent } from '../../src/engine/rl/off-policy-agent';
import { ReplayBuffer, type HostTransitions } from '../../src/engine/rl/replay-buffer';
import { Sac } from '../../src/engine/rl/sac';
import { logTanhJacobian, squashedLogDensity, squashedSample } from '../../src/engine/rl/squashed-gaussian';
import { StreamCursor } from '../../src/engine/rl/stream-cursor';
import { polyakUpdate } from '../../src/engine/rl/target-network';
import { smoothedTargetAction, Td3 } from '../../src/engine/rl/td3';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** m transitions with state rows (k, k + 0.5), action k / 100, reward k, for k = first .. first + m - 1. */
function numbered(first: number, m: number): HostTransitions {
  const k = Array.from({ length: m }, (_, j) => first + j);
  return {
    states: Float32Array.from(k.flatMap((x) => [x, x + 0.5])),
    actions: Float32Array.from(k, (x) => x / 100),
    rewards: Float32Array.from(k),
    next: Float32Array.from(k.flatMap((x) => [x + 1, x + 1.5])),
    done: Float32Array.from(k, (x) => x % 2),
  };
}

describe('replay buffer', () => {
  it('samples its slots uniformly (chi-square over 50 slots, 50,000 draws)', () => {
    const buffer = new ReplayBuffer(1000, 2, new StreamCursor(stream(11, 'replay-test')));
    buffer.push(numbered(0, 50));
    const counts = new Array<number>(50).fill(0);
    for (const i of buffer.sampleIndices(50_000)) counts[i]++;
    const expected = 1000;
    const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    // 49 degrees of freedom: P(chi2 > 85.35) = 0.001.
    expect(chi2).toBeLessThan(85.35);
    expect(Math.min(...counts)).toBeGreaterThan(0);
  });

  it('keeps the last `capacity` transitions when it wraps, each row whole', async () => {
    const buffer = new ReplayBuffer(5, 2, new StreamCursor(stream(12, 'replay-test')));
    buffer.push(numbered(0, 3));
    buffer.push(numbered(3, 4));
    expect(buffer.size).toBe(5);
    const batch = buffer.sample(400);
    const [s, a, r, n, d] = await Promise.all([batch.states.data(), batch.actions.data(), batch.rewards.data(), batch.next.data(), batch.done.data()]);
    tf.dispose(Object.values(batch));
    expect([...new Set(r)].sort()).toEqual([2, 3, 4, 5, 6]);
    for (let j = 0; j < 400; j++) {
      const k = r[j];
      expect([s[2 * j], s[2 * j + 1], n[2 * j], n[2 * j + 1], d[j]]).toEqual([k, k + 0.5, k + 1, k + 1.5, k % 2]);
      expect(a[j]).toBeCloseTo(k / 100, 7);
    }
  });
});

describe('tanh-squashed Gaussian (SAC)', () => {
  const bounds = { min: 0, max: 1 };
  const width = bounds.max - bounds.min;

  /** log pi(a(x)) in the normalised space for positions x, by the module. */
  function moduleLogDensity(x: Float64Array, mean: number, logStd: number): Float32Array {
    return tf.tidy(() => {
      const a = Float32Array.from(x, (p) => (2 * (p - bounds.min)) / width - 1);
      const u = tf.tensor2d(Float32Array.from(a, (v) => Math.atanh(v)), [a.length, 1]);
      return squashedLogDensity(u, tf.fill([a.length, 1], mean) as tf.Tensor2D, tf.fill([a.length, 1], logStd) as tf.Tensor2D).dataSync() as Float32Array;
    });
  }

  for (const [mean, logStd] of [[0.3, Math.log(0.8)], [-1, Math.log(0.3)], [0, 0]]) {
    it(`integrates to 1 over the bounds and is the change of variables of N(${mean}, ${Math.exp(logStd).toFixed(2)})`, () => {
      const cells = 20_000;
      const x = Float64Array.from({ length: cells }, (_, i) => bounds.min + ((i + 0.5) / cells) * width);
      const logPi = moduleLogDensity(x, mean, logStd);
      // Position density: pi(a) times da/dx = 2 / width.
      const integral = logPi.reduce((s, l) => s + Math.exp(l) * (2 / width) * (width / cells), 0);
      expect(integral).toBeCloseTo(1, 3);
      const sigma = Math.exp(logStd);
      for (let i = 0; i < cells; i += 997) {
        // The module's float32 action and pre-image, then p_A(a) = N(u) |du/da| = N(u) / (1 - a^2) in float64.
        const a = Math.fround((2 * (x[i] - bounds.min)) / width - 1);
        const u = Math.fround(Math.atanh(a));
        const independent = Math.exp(-0.5 * ((u - mean) / sigma) ** 2) / (sigma * Math.sqrt(2 * Math.PI)) / (1 - a * a);
        expect(Math.abs(Math.exp(logPi[i]) - independent) / independent).toBeLessThan(1e-4);
      }
    });
  }

  it('has a finite log-Jacobian far in the tails, where log(1 - tanh(u)^2) underflows', () => {
    const j = tf.tidy(() => logTanhJacobian(tf.tensor1d([-40, -5, 0, 5, 40])).dataSync());
    const exact = [-40, -5, 0, 5, 40].map((u) => 2 * (Math.log(2) - Math.abs(u) - Math.log1p(Math.exp(-2 * Math.abs(u)))));
    j.forEach((v, i) => expect(v).toBeCloseTo(exact[i], 4));
  });

  it('samples tanh(mean + sigma noise) with the density of its pre-squash value', () => {
    tf.tidy(() => {
      const mean = tf.tensor2d([[0.2], [-0.7]]), logStd = tf.tensor2d([[-1], [0.5]]), noise = tf.tensor2d([[1.5], [-0.3]]);
      const { action, logProb } = squashedSample(mean, logStd, noise);
      const u = [0.2 + Math.exp(-1) * 1.5, -0.7 + Math.exp(0.5) * -0.3];
      expect(Array.from(action.dataSync())).toEqual(u.map((x) => expect.closeTo(Math.tanh(x), 6)));
      const expected = u.map((x, i) => -0.5 * [1.5, -0.3][i] ** 2 - [-1, 0.5][i] - 0.5 * Math.log(2 * Math.PI) - Math.log(1 - Math.tanh(x) ** 2));
      Array.from(logProb.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 4));
    });
  });
});

describe('Polyak averaging', () => {
  it("sets every target weight to tau w + (1 - tau) w' (float32 arithmetic)", () => {
    const w = [Float32Array.from([0.5, -1.25, 3]), Float32Array.from([7, 0.1])];
    const t = [Float32Array.from([2, 0.75, -1]), Float32Array.from([-3, 0.2])];
    const sources = w.map((x) => tf.variable(tf.tensor1d(x)));
    const targets = t.map((x) => tf.variable(tf.tensor1d(x)));
    const tau = 0.005;
    polyakUpdate(targets, sources, tau);
    const f = Math.fround;
    targets.forEach((v, k) => expect(Array.from(v.dataSync())).toEqual(Array.from(w[k], (x, i) => f(f(x * f(tau)) + f(t[k][i] * f(1 - tau))))));
    polyakUpdate(targets, sources, 1);
    targets.forEach((v, k) => expect(Array.from(v.dataSync())).toEqual(Array.from(w[k])));
    tf.dispose([...sources, ...targets]);
  });
});

/** A small GBM environment: an at-the-money call, zero cost, 8 daily steps, and its tensors. */
async function gbmEnvironment(paths: number) {
  const cfg = preset('paper000-gbm');
  Object.assign(cfg.market, { steps: 8, maturityDays: 8 });
  cfg.claim = { type: 'european', kind: 'call', strike: 1 };
  const market = await prepareMarket(cfg);
  const sample = trainingSample(cfg, market, 0, false, paths);
  const built = sampledProblem(cfg, market, sample, sampleLayout(sample, cfg.market.steps));
  const env = new HedgingEnvironment(built.problem, { bounds: { min: 0, max: 1 }, marketFeatures: false, volatility: 0.2 });
  return { env, dispose: () => tf.dispose(built.tensors) };
}

const network = { layers: 1, units: 8 };
const replay = { buffer: 1000, batchSize: 32, learningStarts: 64, gradientSteps: 1 };
const agents = {
  ddpg: (seed: number, stateSize: number) => {
    const s = RL_DEFAULTS.ddpg();
    return new Ddpg({ ...s, network, ddpg: { ...s.ddpg, ...replay } }, stateSize, stream(seed, 'agent', 'ddpg'));
  },
  td3: (seed: number, stateSize: number) => {
    const s = RL_DEFAULTS.td3();
    return new Td3({ ...s, network, td3: { ...s.td3, ...replay } }, stateSize, stream(seed, 'agent', 'td3'));
  },
  sac: (seed: number, stateSize: number) => {
    const s = RL_DEFAULTS.sac();
    return new Sac({ ...s, network, sac: { ...s.sac, ...replay } }, stateSize, stream(seed, 'agent', 'sac'));
  },
};

describe('TD3', () => {
  it("clips the target smoothing noise to noiseClip and the target action to [-1, 1]", () => {
    tf.tidy(() => {
      const mu = tf.tensor2d([[0], [0.2], [0.9], [-0.95], [0.1]]);
      const noise = tf.tensor2d([[3], [-2], [0.3], [-0.4], [0.05]]);
      const out = smoothedTargetAction(mu, noise, 0.5).dataSync();
      const expected = [0.5, -0.3, 1, -1, 0.15];
      out.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
    });
  });

  it('updates the actor only every policyDelay critic steps, the critics every step', async () => {
    const s = RL_DEFAULTS.td3();
    const agent = new Td3({ ...s, network, td3: { ...s.td3, ...replay, policyDelay: 3 } }, 3, stream(4, 'delay'));
    agent.buffer.push({ ...numbered(0, 40), states: Float32Array.from({ length: 120 }, (_, i) => Math.sin(i)), next: Float32Array.from({ length: 120 }, (_, i) => Math.cos(i)) });
    const weights = (vars: tf.Variable[]) => vars.flatMap((v) => Array.from(v.dataSync()));
    let actor = weights(agent.actor.variables);
    let critic = weights(agent.critics[1].variables);
    for (let step = 1; step <= 6; step++) {
      const batch = agent.buffer.sample(16);
      tf.dispose(Object.values(agent.gradientStep(batch)));
      tf.dispose(Object.values(batch));
      const [a, c] = [weights(agent.actor.variables), weights(agent.critics[1].variables)];
      expect(a.some((x, i) => x !== actor[i])).toBe(step % 3 === 0);
      expect(c.some((x, i) => x !== critic[i])).toBe(true);
      [actor, critic] = [a, c];
    }
    agent.dispose();
  });
});

describe.each(Object.keys(agents) as (keyof typeof agents)[])("%s's critic target (eq. 43, 45)", (name) => {
  /** Mean Q over the buffer's states and actions after `steps` gradient steps on transitions of reward 1. */
  async function fixedPoint(done: number, steps: number): Promise<number> {
    const rl = { ...RL_DEFAULTS[name]().rl, gamma: 0.5, learningRate: 5e-2 };
    const fast = { ...replay, batchSize: 32, tau: 1 };
    const rng = stream(3, 'fixed-point', name);
    const agent =
      name === 'ddpg'
        ? new Ddpg({ ...RL_DEFAULTS.ddpg(), network, rl, ddpg: { ...RL_DEFAULTS.ddpg().ddpg, ...fast } }, 3, rng)
        : name === 'td3'
          ? new Td3({ ...RL_DEFAULTS.td3(), network, rl, td3: { ...RL_DEFAULTS.td3().td3, ...fast } }, 3, rng)
          : new Sac({ ...RL_DEFAULTS.sac(), network, rl, sac: { ...RL_DEFAULTS.sac().sac, ...fast, temperature: 1e-4, autoTemperature: false } }, 3, rng);
    const m = 200;
    agent.buffer.push({
      states: Float32Array.from({ length: 3 * m }, (_, i) => Math.sin(1.7 * i)),
      actions: Float32Array.from({ length: m }, (_, i) => Math.cos(2.3 * i)),
      rewards: new Float32Array(m).fill(1),
      next: Float32Array.from({ length: 3 * m }, (_, i) => Math.sin(1.7 * i + 3)),
      done: new Float32Array(m).fill(done),
    });
    let q = 0;
    for (let k = 0; k < steps; k++) {
      const batch = agent.buffer.sample(32);
      const f = agent.gradientStep(batch);
      if (k === steps - 1) q = (await f.q!.data())[0];
      tf.dispose([...Object.values(f), ...Object.values(batch)]);
    }
    agent.dispose();
    return q;
  }

  it('is r at done = 1 and the fixed point r / (1 - gamma) = 2 of a constant reward otherwise, whatever the policy', async () => {
    const [terminal, bootstrapped] = [await fixedPoint(1, 60), await fixedPoint(0, 120)];
    expect(Math.abs(terminal - 1)).toBeLessThan(0.1);
    expect(Math.abs(bootstrapped - 2)).toBeLessThan(0.1);
  });
});

describe.each(Object.keys(agents) as (keyof typeof agents)[])('%s on a GBM hedging environment', (name) => {
  let env: HedgingEnvironment;
  let release: () => void;
  beforeAll(async () => {
    ({ env, dispose: release } = await gbmEnvironment(32));
  });
  afterAll(() => release());

  async function run(seed: number, updates: number) {
    const agent: OffPolicyAgent = agents[name](seed, env.stateSize);
    const figures: AgentFigures[] = [];
    const tensors: number[] = [];
    for (let u = 1; u <= updates; u++) {
      figures.push(await agent.update(env, u, 1e3));
      tensors.push(tf.memory().numTensors);
    }
    const positions = agent.act(env);
    const held = await positions.data();
    const holding = tf.tidy(() => agent.holding(env, env.problem.features.slice([2, 0, 0], [1, 32, env.problem.features.shape[2]]).reshape([32, -1]) as tf.Tensor2D, tf.fill([32], 0.5) as tf.Tensor1D).dataSync());
    positions.dispose();
    agent.dispose();
    return { figures, tensors, held, holding };
  }

  it('runs updates with finite figures, no tensor growth, positions within the bounds, and the same numbers for the same seed', async () => {
    const before = tf.memory().numTensors;
    const a = await run(7, 4);
    expect(tf.memory().numTensors).toBe(before);
    // The first episode fills the buffer (256 transitions); learning runs from the second update on.
    expect(a.figures[0].q).toBeUndefined();
    for (const f of a.figures.slice(1)) {
      for (const k of ['q', 'value_loss', 'policy_std'] as const) expect(Number.isFinite(f[k])).toBe(true);
      if (name === 'sac') expect(f.temperature).toBeGreaterThan(0);
    }
    expect(new Set(a.tensors.slice(1)).size).toBe(1);
    expect(Math.min(...a.held, ...a.holding)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a.held, ...a.holding)).toBeLessThanOrEqual(1);
    const b = await run(7, 4);
    expect(b.figures).toEqual(a.figures);
    expect(Array.from(b.held)).toEqual(Array.from(a.held));
    const c = await run(8, 4);
    expect(c.figures).not.toEqual(a.figures);
  });
});

describe('SAC temperature', () => {
  it('rises when the policy is less random than the target entropy asks, falls when more, and stays put when fixed', async () => {
    const { env, dispose } = await gbmEnvironment(32);
    const temperatureAfter = async (targetEntropy: number, autoTemperature: boolean) => {
      const s = RL_DEFAULTS.sac();
      const agent = new Sac({ ...s, network, rl: { ...s.rl, learningRate: 1e-2 }, sac: { ...s.sac, ...replay, targetEntropy, autoTemperature } }, env.stateSize, stream(5, 'temperature'));
      let figures: AgentFigures = {};
      for (let u = 1; u <= 3; u++) figures = await agent.update(env, u, 1e3);
      agent.dispose();
      return figures.temperature!;
    };
    expect(await temperatureAfter(10, true)).toBeGreaterThan(1.05);
    expect(await temperatureAfter(-10, true)).toBeLessThan(0.95);
    expect(await temperatureAfter(-10, false)).toBeCloseTo(1, 6);
    dispose();
  });
});
