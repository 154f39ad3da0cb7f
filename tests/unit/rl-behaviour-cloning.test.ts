/**
 * Paper 000 Algorithm 1 (rl/behaviour-cloning.ts) recovers the expert: BC-RPPO's recurrent actor (GRU over 2
 * stacked frames, residual to the mean) cloned from the implied delta on GBM training paths has a policy mean
 * within 0.02 of the Black-Scholes delta N(d1) (computed here from the test paths' spots at the model's
 * sigma) on the states of other, test paths, on average, where the untrained actor is far from it; the
 * cloning loss (eq. 29) falls, the std shrinks from its start, and no tensor is left behind.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampledProblem, sampleLayout } from '../../src/engine/experiment/hedging-problem';
import { prepareMarket, trainingSample } from '../../src/engine/experiment/market';
import { preset } from '../../src/engine/experiment/presets';
import { RL_DEFAULTS } from '../../src/engine/experiment/rl-defaults';
import { impliedDelta } from '../../src/engine/hedging/implied-delta';
import { bsDeltaGamma } from '../../src/engine/pricing/black-scholes-tensors';
import { stream } from '../../src/engine/random/stream';
import { INITIAL_STD } from '../../src/engine/rl/actor-critic';
import { HedgingEnvironment } from '../../src/engine/rl/hedging-environment';
import { statesAlong } from '../../src/engine/rl/rollout';
import { RppoAgent } from '../../src/engine/rl/rppo';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('behaviour cloning', () => {
  it('brings the policy mean within 0.02 of the Black-Scholes delta on test states', async () => {
    const cfg = preset('paper000-gbm');
    const sigma = 0.2;
    cfg.market = { model: 'gbm', s0: 1, drift: 0, volatility: sigma, maturityDays: 10, steps: 10, daysPerYear: 252 };
    cfg.claim = { type: 'european', kind: 'call', strike: 1 };
    cfg.paths = { train: 64, test: 256 };
    const market = await prepareMarket(cfg);
    const testSample = market.testSample();
    const layout = sampleLayout(testSample, cfg.market.steps);
    const start = tf.memory().numTensors;
    const train = sampledProblem(cfg, market, trainingSample(cfg, market, 1, true, 64), layout);
    const test = sampledProblem(cfg, market, testSample, layout);
    const options = { bounds: { min: 0, max: 1 }, marketFeatures: false, volatility: sigma };
    const env = new HedgingEnvironment(train.problem, options);
    const testEnv = new HedgingEnvironment(test.problem, options);
    const d = RL_DEFAULTS['bc-rppo']();
    const s = { ...d, network: { layers: 2, units: 32 }, bc: { ...d.bc, epochs: 30, batchSize: 128, learningRate: 5e-3 }, rppo: { ...d.rppo, frames: 2, gruUnits: 16 } };
    const agent = new RppoAgent(s, env.stateSize, (...parts) => stream(cfg.seed, 'rl', s.id, ...parts));
    const expert = impliedDelta(train.problem);
    const { steps, dt } = test.problem;
    const [n] = test.problem.spot.shape;
    const reference = tf.tidy(() => {
      const spot = test.problem.spot.slice([0, 0], [n, steps]);
      const tau = tf.mul(tf.sub(steps, tf.range(0, steps)), dt).reshape([1, steps]);
      return bsDeltaGamma(spot, 1, tau, sigma, 0, 'call').delta as tf.Tensor2D;
    });
    const inputs = statesAlong(testEnv, s.rppo.frames, reference);
    const errorOf = async () => {
      const e = tf.tidy(() => tf.mean(tf.abs(tf.sub(agent.net.policy(inputs).mean, reference.transpose().reshape([-1])))));
      const [v] = await e.data();
      e.dispose();
      return v;
    };
    const untrained = await errorOf();
    const figures = [];
    for (let epoch = 1; epoch <= s.bc.epochs; epoch++) figures.push(await agent.pretrain!({ env, positions: expert }, epoch));
    const cloned = await errorOf();
    expect(untrained).toBeGreaterThan(0.1);
    expect(cloned).toBeLessThan(0.02);
    expect(figures.at(-1)!.bc_loss!).toBeLessThan(figures[0].bc_loss! - 1);
    expect(figures.at(-1)!.policy_std!).toBeLessThan(INITIAL_STD / 4);
    tf.dispose([expert, reference, inputs, ...train.tensors, ...test.tensors]);
    agent.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });
});
