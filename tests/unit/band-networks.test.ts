import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampledProblem, sampleLayout } from '../../src/engine/experiment/hedging-problem';
import { prepareMarket } from '../../src/engine/experiment/market';
import { defaultConfig } from '../../src/engine/experiment/presets';
import { blackScholesDelta } from '../../src/engine/hedging/black-scholes-delta';
import { clampIntoBand, LinearisedClamp } from '../../src/engine/hedging/no-transaction-band';
import { hedgingPnl } from '../../src/engine/hedging/pnl';
import { BandNetwork } from '../../src/engine/policies/band-network';
import { stream } from '../../src/engine/random/stream';
import { riskLoss } from '../../src/engine/risk/measure';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A lookback call on 48 GBM paths of 6 steps, cost 4e-3. */
async function lookbackProblem() {
  const cfg = defaultConfig();
  Object.assign(cfg.market, { steps: 6, maturityDays: 6 });
  cfg.claim = { type: 'lookback', strike: 1.02 };
  cfg.costs.proportional = 4e-3;
  cfg.paths = { train: 48, test: 48 };
  const market = await prepareMarket(cfg);
  const sample = market.testSample();
  const layout = sampleLayout(sample, 6);
  const { problem: p, tensors } = sampledProblem(cfg, market, sample, layout);
  return { cfg, p, dispose: () => tf.dispose(tensors) };
}

describe('band networks around the Black-Scholes delta (DHNTB, DHLNN)', () => {
  it('hold a position inside the band on every path and date, the midpoint where the band is inverted', async () => {
    const { p, dispose } = await lookbackProblem();
    for (const width of ['leaky-relu', 'identity'] as const) {
      const net = new BandNetwork(p.featureNames.length, 2, 8, width, stream(2, 'init', width));
      // Widen the outputs so that bands of both signs occur.
      net.mlp.weights.at(-1)!.assign(tf.mul(net.mlp.weights.at(-1)!, 20));
      const [held] = net.positions(p);
      const { lower, upper } = net.band(blackScholesDelta(p), net.mlp.apply(BandNetwork.rows(p)));
      const [x, lo, hi] = [held.arraySync(), lower.arraySync(), upper.arraySync()];
      let inverted = 0;
      expect(held.shape).toEqual([48, 6]);
      for (let i = 0; i < 48; i++) {
        for (let t = 0; t < 6; t++) {
          if (lo[i][t] <= hi[i][t]) {
            expect(x[i][t]).toBeGreaterThanOrEqual(lo[i][t]);
            expect(x[i][t]).toBeLessThanOrEqual(hi[i][t]);
          } else {
            inverted++;
            expect(x[i][t]).toBeCloseTo((lo[i][t] + hi[i][t]) / 2, 6);
          }
        }
      }
      if (width === 'identity') expect(inverted).toBeGreaterThan(0);
      else expect(inverted).toBe(0);
      net.dispose();
    }
    dispose();
  });

  it('have loss gradients that match finite differences on a tiny problem', async () => {
    const { cfg, p, dispose } = await lookbackProblem();
    const net = new BandNetwork(p.featureNames.length, 1, 4, 'leaky-relu', stream(3, 'init'));
    const loss = () => riskLoss(cfg.risk, hedgingPnl(p, net.positions(p)).pnl);
    const { grads } = tf.variableGrads(loss as () => tf.Scalar, net.variables);
    const bias = net.mlp.biases.at(-1)!;
    const analytic = grads[bias.name].dataSync();
    const base = bias.clone();
    for (const k of [0, 1]) {
      const eps = 1e-3;
      const at = (sign: number) => {
        bias.assign(tf.add(base, tf.oneHot([k], 2).reshape([2]).mul(sign * eps)));
        return loss().dataSync()[0];
      };
      const fd = (at(1) - at(-1)) / (2 * eps);
      expect(Math.abs(fd - analytic[k])).toBeLessThan(2e-2 * Math.max(1e-3, Math.abs(analytic[k])) + 2e-4);
    }
    bias.assign(base);
    tf.dispose([base, ...Object.values(grads)]);
    net.dispose();
    dispose();
  });
});

describe('the clamp recursion with its written-out gradient', () => {
  it("has the tape's gradient of min(max(prev, lower), upper), midpoints where inverted, on every date", () => {
    const rng = stream(5, 'test', 'clamp');
    const [n, steps] = [9, 7];
    const centre = rng.normals(new Float32Array(n * steps), 0);
    const width = rng.normals(new Float32Array(n * steps), n * steps);
    const lower = tf.tensor2d(centre.map((c, i) => 0.3 * c - 0.2 * width[i]), [n, steps]);
    const upper = tf.tensor2d(centre.map((c, i) => 0.3 * c + 0.2 * width[i]), [n, steps]);
    expect(tf.sum(tf.cast(tf.greater(lower, upper), 'float32')).dataSync()[0]).toBeGreaterThan(5);
    // Which bands are inverted is data, not differentiated (the tape has no gradient for comparisons).
    const ordered = tf.lessEqual(lower, upper);
    const byTape = (lo: tf.Tensor2D, hi: tf.Tensor2D) => {
      let prev: tf.Tensor = tf.zeros([n]);
      const held: tf.Tensor[] = [];
      for (let t = 0; t < steps; t++) {
        const [l, h] = [lo.slice([0, t], [n, 1]).reshape([n]), hi.slice([0, t], [n, 1]).reshape([n])];
        prev = tf.where(ordered.slice([0, t], [n, 1]).reshape([n]), tf.minimum(tf.maximum(prev, l), h), tf.div(tf.add(l, h), 2));
        held.push(prev);
      }
      return tf.stack(held, 1) as tf.Tensor2D;
    };
    const weights = tf.tensor2d(rng.normals(new Float32Array(n * steps), 2 * n * steps), [n, steps]);
    const gradients = (clamp: typeof byTape) => tf.grads((lo: tf.Tensor, hi: tf.Tensor) => tf.sum(tf.mul(tf.square(clamp(lo as tf.Tensor2D, hi as tf.Tensor2D)), weights)))([lower, upper]);
    expect(clampIntoBand(lower, upper).arraySync()).toEqual(byTape(lower, upper).arraySync());
    const [mine, tape] = [gradients(clampIntoBand), gradients(byTape)];
    for (let k = 0; k < 2; k++) {
      const [a, b] = [mine[k].dataSync(), tape[k].dataSync()];
      expect(Math.max(...Array.from(b, Math.abs))).toBeGreaterThan(0);
      for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 5);
    }
  });
});

describe('the clamp recursion linearised (paper 001 eq. 17 with its cases fixed)', () => {
  const lower = tf.tensor2d([[0.2, 0.1, 0.6, 0.5, 0.3], [-0.4, 0.1, 0.0, 0.2, 0.9]]);
  const upper = tf.tensor2d([[0.4, 0.3, 0.9, 0.3, 0.8], [0.4, 0.5, 0.05, 0.7, 0.95]]);

  it('moves the positions as the clamp does for a small change of the band', () => {
    const lin = new LinearisedClamp(lower, upper);
    expect(lin.positions.arraySync()).toEqual(clampIntoBand(lower, upper).arraySync());
    const dLower = tf.tensor2d([[1, -2, 0.5, 1, 3], [2, 1, -1, 0.5, 1]]);
    const dUpper = tf.tensor2d([[-1, 1, 2, -1, 0.5], [1, -3, 2, 1, -2]]);
    const eps = 1e-3;
    const moved = clampIntoBand(tf.add(lower, tf.mul(dLower, eps)) as tf.Tensor2D, tf.add(upper, tf.mul(dUpper, eps)) as tf.Tensor2D);
    const fd = tf.div(tf.sub(moved, lin.positions), eps).arraySync() as number[][];
    const tangent = lin.tangent(dLower, dUpper).arraySync();
    for (let i = 0; i < 2; i++) for (let t = 0; t < 5; t++) expect(tangent[i][t]).toBeCloseTo(fd[i][t], 2);
    lin.dispose();
  });

  it('has an adjoint that is the transpose of its tangent', () => {
    const lin = new LinearisedClamp(lower, upper);
    const dLower = tf.tensor2d([[0.3, -1, 2, 1, 0.5], [1, 2, -1, 0.5, 1]]);
    const dUpper = tf.tensor2d([[1, 0.2, -2, -1, 1.5], [-1, -3, 2, 1, -2]]);
    const g = tf.tensor2d([[1, 2, 3, 4, 5], [-1, 0.5, 2, -2, 1]]);
    const { lower: gl, upper: gu } = lin.adjoint(g);
    const left = tf.sum(tf.mul(lin.tangent(dLower, dUpper), g)).dataSync()[0];
    const right = tf.add(tf.sum(tf.mul(dLower, gl)), tf.sum(tf.mul(dUpper, gu))).dataSync()[0];
    expect(left).toBeCloseTo(right, 4);
    lin.dispose();
  });
});
