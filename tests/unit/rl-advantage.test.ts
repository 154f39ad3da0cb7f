/**
 * GAE (paper 000 eq. 33) and the lambda-returns of eq. 38 (rl/advantage.ts) against plain-JS recursions on
 * random rewards and values: A_t = delta_t + gamma lambda A_{t+1} with delta_t = r_t + gamma V_{t+1} - V_t,
 * V_T = 0; the lambda-return G_t = r_t + gamma ((1 - lambda) V_{t+1} + lambda G_{t+1}) equals V_t + A_t;
 * lambda = 1 gives the Monte Carlo return minus V, lambda = 0 the one-step TD error.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { stream } from '../../src/engine/random/stream';
import { generalisedAdvantages } from '../../src/engine/rl/advantage';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const n = 6;
const T = 9;
const rewards = stream(11, 'test', 'rewards').normals(new Float64Array(n * T));
const values = stream(11, 'test', 'values').normals(new Float64Array(n * T));
const at = (x: ArrayLike<number>, i: number, t: number) => (t < T ? x[i * T + t] : 0);

async function computed(gamma: number, lambda: number) {
  const r = tf.tensor2d(Float32Array.from(rewards), [n, T]);
  const v = tf.tensor2d(Float32Array.from(values), [n, T]);
  const before = tf.memory().numTensors;
  const { advantages, returns } = generalisedAdvantages(r, v, gamma, lambda);
  expect(tf.memory().numTensors).toBe(before + 2);
  const out = { advantages: await advantages.data(), returns: await returns.data() };
  tf.dispose([r, v, advantages, returns]);
  return out;
}

function recursion(gamma: number, lambda: number) {
  const a = new Float64Array(n * T);
  const g = new Float64Array(n * T);
  for (let i = 0; i < n; i++) {
    let nextA = 0;
    let nextG = 0;
    for (let t = T - 1; t >= 0; t--) {
      const delta = at(rewards, i, t) + gamma * at(values, i, t + 1) - at(values, i, t);
      nextA = delta + gamma * lambda * nextA;
      a[i * T + t] = nextA;
      nextG = at(rewards, i, t) + (t + 1 < T ? gamma * ((1 - lambda) * at(values, i, t + 1) + lambda * nextG) : 0);
      g[i * T + t] = nextG;
    }
  }
  return { a, g };
}

describe('generalised advantage estimation', () => {
  it.each([
    [0.99, 0.95],
    [0.9, 0.5],
    [1, 0.8],
  ])('equals the backward recursion at gamma %f, lambda %f, and the returns are the lambda-returns (eq. 38)', async (gamma, lambda) => {
    const { advantages, returns } = await computed(gamma, lambda);
    const { a, g } = recursion(gamma, lambda);
    for (let k = 0; k < n * T; k++) {
      expect(advantages[k]).toBeCloseTo(a[k], 4);
      expect(returns[k]).toBeCloseTo(g[k], 4);
    }
  });

  it('at lambda = 1 is the Monte Carlo return minus V, whatever the values', async () => {
    const gamma = 0.95;
    const { advantages, returns } = await computed(gamma, 1);
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < T; t++) {
        let mc = 0;
        for (let j = T - 1; j >= t; j--) mc = at(rewards, i, j) + gamma * mc;
        expect(returns[i * T + t]).toBeCloseTo(mc, 4);
        expect(advantages[i * T + t]).toBeCloseTo(mc - at(values, i, t), 4);
      }
    }
  });

  it('at lambda = 0 is the one-step TD error, V_T = 0 at maturity', async () => {
    const gamma = 0.9;
    const { advantages } = await computed(gamma, 0);
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < T; t++) expect(advantages[i * T + t]).toBeCloseTo(at(rewards, i, t) + gamma * at(values, i, t + 1) - at(values, i, t), 5);
    }
  });
});
