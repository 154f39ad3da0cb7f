import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProblem, packSample, sampleLayout } from '../../src/engine/experiment/hedging-problem';
import { prepareMarket } from '../../src/engine/experiment/market';
import { defaultConfig } from '../../src/engine/experiment/presets';
import type { Risk } from '../../src/engine/experiment/schema';
import { hedgingPnl } from '../../src/engine/hedging/pnl';
import { problemTensors } from '../../src/engine/hedging/problem';
import { BandNetwork } from '../../src/engine/policies/band-network';
import { stream } from '../../src/engine/random/stream';
import { riskLoss } from '../../src/engine/risk/measure';
import { NestedLinearisedOptimiser, smoothedCostPnl } from '../../src/engine/trainers/linearised-nested';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** 64 GBM paths of 8 daily steps, a call at strike 1 (paper 001's set-up, vol 0.1), cost `cost`. */
async function setUp(cost: number) {
  const cfg = defaultConfig();
  Object.assign(cfg.market, { steps: 8, maturityDays: 8, daysPerYear: 365, volatility: 0.1 });
  cfg.costs.proportional = cost;
  cfg.paths = { train: 64, test: 64 };
  const market = await prepareMarket(cfg);
  const sample = market.testSample();
  const layout = sampleLayout(sample, 8);
  const rows = tf.tensor2d(packSample(sample, layout), [sample.n, layout.width]);
  return { cfg, rows, problem: (r: tf.Tensor2D) => buildProblem(cfg, market, r, layout) };
}

const values = (vs: tf.Variable[]) => vs.map((v) => Array.from(v.dataSync()));

describe('DHLNN: nested optimisation on the linearised objective (paper 001 Algorithm 1)', () => {
  it('for a model linear in its parameters and no cost, its inner loop is plain gradient descent on sum_i rho_i(V^r) V_i(w)', async () => {
    const { rows, problem } = await setUp(0);
    const risk: Risk = { measure: 'entropic', lambda: 5 };
    const eta = 1;
    const steps = 4;
    // No hidden layer: the band widths are x W + b, linear in (W, b).
    const ours = new BandNetwork(3, 0, 1, 'identity', stream(1, 'init'));
    const reference = new BandNetwork(3, 0, 1, 'identity', stream(1, 'init'));
    const optimiser = new NestedLinearisedOptimiser({ net: ours, problem, risk, learningRate: eta, innerSteps: steps, tolerance: 0, precondition: 'none' });
    await optimiser.step(rows);
    expect(optimiser.lastInnerObjectives).toHaveLength(steps);

    // Plain gradient descent, by backpropagation through the real clamp, on the objective with rho' frozen at w^r.
    const p = problem(rows);
    const weights = tf.tidy(() => tf.grad((v: tf.Tensor) => riskLoss(risk, v as tf.Tensor1D))(hedgingPnl(p, reference.positions(p)).pnl));
    const objective = () => tf.sum(tf.mul(weights, hedgingPnl(p, reference.positions(p)).pnl)) as tf.Scalar;
    for (let j = 0; j < steps; j++) {
      const { grads } = tf.variableGrads(objective, reference.variables);
      for (const v of reference.variables) v.assign(tf.sub(v, tf.mul(grads[v.name], eta)));
      tf.dispose(Object.values(grads));
    }
    const [a, b] = [values(ours.variables), values(reference.variables)];
    const initial = new BandNetwork(3, 0, 1, 'identity', stream(1, 'init'));
    const start = values(initial.variables);
    initial.dispose();
    a.forEach((w, k) => w.forEach((x, i) => {
      expect(x).toBeCloseTo(b[k][i], 5);
    }));
    // ... and it did move.
    expect(Math.max(...a.flat().map((x, i) => Math.abs(x - start.flat()[i])))).toBeGreaterThan(1e-3);
    tf.dispose([weights, rows, ...problemTensors(p)]);
    optimiser.dispose();
    ours.dispose();
    reference.dispose();
  });

  it('decreases the linearised objective at every inner iteration (cost 4e-3, a 2x16 network, Adam scaling)', async () => {
    const { rows, problem } = await setUp(4e-3);
    const net = new BandNetwork(3, 2, 16, 'identity', stream(2, 'init'));
    const optimiser = new NestedLinearisedOptimiser({ net, problem, risk: { measure: 'entropic', lambda: 10 }, learningRate: 1e-4, innerSteps: 12, tolerance: 0, precondition: 'adam' });
    for (let r = 0; r < 3; r++) {
      await optimiser.step(rows);
      const o = optimiser.lastInnerObjectives;
      expect(o).toHaveLength(12);
      for (let j = 1; j < o.length; j++) expect(o[j]).toBeLessThan(o[j - 1]);
    }
    optimiser.dispose();
    net.dispose();
    rows.dispose();
  });

  it('stops the inner loop once ||w^{j+1} - w^j|| < eps', async () => {
    const { rows, problem } = await setUp(2e-3);
    const net = new BandNetwork(3, 1, 8, 'identity', stream(3, 'init'));
    const optimiser = new NestedLinearisedOptimiser({ net, problem, risk: { measure: 'entropic', lambda: 1 }, learningRate: 1e-3, innerSteps: 50, tolerance: 1e9, precondition: 'none' });
    await optimiser.step(rows);
    expect(optimiser.lastInnerObjectives).toHaveLength(1);
    optimiser.dispose();
    net.dispose();
    rows.dispose();
  });

  it('lowers the risk of the training paths over outer iterations, with the OCE threshold of expected shortfall', async () => {
    const { rows, problem } = await setUp(2e-3);
    const net = new BandNetwork(3, 2, 16, 'identity', stream(4, 'init'));
    const threshold = tf.variable(tf.scalar(0));
    const optimiser = new NestedLinearisedOptimiser({ net, problem, risk: { measure: 'expected-shortfall', alpha: 0.9 }, threshold, learningRate: 1e-3, innerSteps: 5, tolerance: 1e-6, precondition: 'adam' });
    const losses: number[] = [];
    for (let r = 0; r < 40; r++) losses.push(await optimiser.step(rows));
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses.at(-1)!).toBeLessThan(losses[0]);
    expect(threshold.dataSync()[0]).not.toBe(0);
    optimiser.dispose();
    tf.dispose([threshold, rows]);
    net.dispose();
  });

  it('leaves the tensor count flat across outer iterations', async () => {
    const { rows, problem } = await setUp(2e-3);
    const net = new BandNetwork(3, 2, 8, 'identity', stream(5, 'init'));
    const optimiser = new NestedLinearisedOptimiser({ net, problem, risk: { measure: 'entropic', lambda: 1 }, learningRate: 1e-3, innerSteps: 3, tolerance: 0, precondition: 'adam' });
    const counts: number[] = [];
    for (let r = 0; r < 6; r++) {
      await optimiser.step(rows);
      counts.push(tf.memory().numTensors);
    }
    expect(new Set(counts).size).toBe(1);
    optimiser.dispose();
    net.dispose();
    rows.dispose();
  });

  it('smooths the cost as c S_t (delta_t - delta_{t-1})^2 (eq. 13): equal to the exact P&L without cost', async () => {
    const { rows, problem } = await setUp(0);
    const p = problem(rows);
    const x = tf.fill([64, 8], 0.4) as tf.Tensor2D;
    const exact = hedgingPnl(p, [x]).pnl.dataSync();
    const smooth = smoothedCostPnl(p, x).dataSync();
    for (let i = 0; i < 64; i++) expect(smooth[i]).toBeCloseTo(exact[i], 6);
    tf.dispose([x, rows, ...problemTensors(p)]);
  });
});
