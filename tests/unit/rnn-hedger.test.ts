/**
 * Paper 003 §4.1's RNN hedger (policies/rnn-hedger.ts): the lagged log-return features against a case worked
 * by hand, the holdings' shape, causality (a date's holding ignores later inputs), PyTorch's initialisation
 * bounds, determinism from the stream, and no tensor left behind by a pass or a training step.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { laggedReturns, RnnHedger } from '../../src/engine/policies/rnn-hedger';
import { stream } from '../../src/engine/random/stream';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('laggedReturns', () => {
  it('puts r_{t-L}..r_{t-1} of each asset at date t, zeros before the first return', async () => {
    // One path, T = 3 dates, L = 2 lags, two assets.
    const a = [1, 2, 4, 2];
    const b = [1, 1, 3, 3];
    const lags = laggedReturns([tf.tensor2d([a]), tf.tensor2d([b])], 2);
    expect(lags.shape).toEqual([1, 3, 4]);
    const got = Array.from(await lags.data());
    const l = Math.log;
    const expected = [
      // t = 0: nothing observed yet.
      0, 0, 0, 0,
      // t = 1: (r_{-1}, r_0) per asset.
      0, l(2), 0, l(1),
      // t = 2: (r_0, r_1).
      l(2), l(2), l(1), l(3),
    ];
    got.forEach((v, k) => expect(v).toBeCloseTo(expected[k], 6));
    lags.dispose();
  });

  it('never reads S_{t+1} at date t: the last price does not enter any feature', async () => {
    const base = tf.tensor2d([[1, 1.1, 0.9, 1.2, 1.0]]);
    const moved = tf.tensor2d([[1, 1.1, 0.9, 1.2, 5.0]]);
    const [x, y] = [laggedReturns([base], 3), laggedReturns([moved], 3)];
    expect(Array.from(await x.data())).toEqual(Array.from(await y.data()));
    tf.dispose([base, moved, x, y]);
  });
});

describe('RnnHedger', () => {
  const n = 5;
  const steps = 7;
  const features = 3;
  const inputs = () => tf.tidy(() => tf.randomNormal([n, steps, features], 0, 1, 'float32', 11) as tf.Tensor3D);

  it('maps inputs [n, T, F] to holdings [n, T, A] with the parameters of its layers', () => {
    const net = new RnnHedger(features, 2, 2, 6, stream(1, 'init', 'rnn'));
    const x = inputs();
    const h = net.apply(x, null);
    expect(h.shape).toEqual([n, steps, 2]);
    const size = net.variables.reduce((s, v) => s + v.size, 0);
    expect(size).toBe((features + 6 + 1) * 24 + (6 + 6 + 1) * 24 + (6 + 1) * 2);
    tf.dispose([x, h]);
    net.dispose();
  });

  it('is causal: changing the inputs from date k on leaves the holdings before k unchanged', async () => {
    const net = new RnnHedger(features, 1, 2, 8, stream(2, 'init', 'rnn'));
    const k = 4;
    const x = inputs();
    const changed = tf.tidy(() => tf.concat([x.slice([0, 0, 0], [n, k, features]), tf.add(x.slice([0, k, 0], [n, steps - k, features]), 3)], 1) as tf.Tensor3D);
    const [a, b] = [net.apply(x, null), net.apply(changed, null)];
    const [va, vb] = [await a.data(), await b.data()];
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < steps; t++) {
        const at = i * steps + t;
        if (t < k) expect(vb[at]).toBe(va[at]);
      }
    }
    // ...and it does read them: a later holding moves.
    expect(Array.from(vb).some((v, at) => at % steps >= k && Math.abs(v - va[at]) > 1e-6)).toBe(true);
    tf.dispose([x, changed, a, b]);
    net.dispose();
  });

  it("starts from PyTorch's U(-1/sqrt(H), 1/sqrt(H)) and is a function of its stream", async () => {
    const units = 16;
    const [p, q] = [new RnnHedger(features, 1, 1, units, stream(3, 'init', 'rnn')), new RnnHedger(features, 1, 1, units, stream(3, 'init', 'rnn'))];
    const other = new RnnHedger(features, 1, 1, units, stream(4, 'init', 'rnn'));
    for (let v = 0; v < p.variables.length; v++) {
      const [a, b, c] = await Promise.all([p.variables[v].data(), q.variables[v].data(), other.variables[v].data()]);
      expect(Array.from(a)).toEqual(Array.from(b));
      expect(Array.from(a)).not.toEqual(Array.from(c));
      const bound = 1 / Math.sqrt(units);
      expect(Math.max(...Array.from(a, Math.abs))).toBeLessThanOrEqual(bound);
      expect(Math.max(...Array.from(a, Math.abs))).toBeGreaterThan(0.8 * bound);
    }
    [p, q, other].forEach((net) => net.dispose());
  });

  it('leaves no tensor behind after passes and Adam steps', async () => {
    const net = new RnnHedger(features, 2, 2, 4, stream(5, 'init', 'rnn'));
    const adam = tf.train.adam(1e-2);
    const x = inputs();
    const step = async () => {
      const loss = tf.tidy(() => adam.minimize(() => tf.mean(tf.square(tf.sub(net.apply(x, null), 0.5))) as tf.Scalar, true, net.variables)!);
      const [v] = await loss.data();
      loss.dispose();
      return v;
    };
    const first = await step();
    const before = tf.memory().numTensors;
    let last = first;
    for (let k = 0; k < 5; k++) last = await step();
    tf.dispose(net.apply(x, null));
    expect(tf.memory().numTensors).toBe(before);
    expect(last).toBeLessThan(first);
    adam.dispose();
    x.dispose();
    net.dispose();
  });
});
