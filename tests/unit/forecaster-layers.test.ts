/**
 * The forecaster's data-conditioning and spatial layers (paper 000 §2.2): log-returns (eq. 1), the
 * missing-value layer (eq. 8), Market Value Dropout (eq. 7) and the low-rank attention (eq. 9), against
 * hand computations, their invariances and their expected scaling.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { logReturns } from '../../src/engine/forecast/log-returns';
import { MissingValueLayer } from '../../src/engine/forecast/missing-value-layer';
import { marketValueDropoutMask, softmaxWeights } from '../../src/engine/forecast/market-value-dropout';
import { LowRankAttention } from '../../src/engine/forecast/low-rank-attention';
import { stream } from '../../src/engine/random/stream';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('log-returns (eq. 1-2)', () => {
  it('are ln S_{t+1} - ln S_t, dated by their first day, NaN where a price is missing', () => {
    const r = logReturns({ dates: ['2020-01-02', '2020-01-03', '2020-01-06', '2020-01-07'], symbols: ['A'], close: [Float64Array.from([100, 110, NaN, 121])] });
    expect(r.dates).toEqual(['2020-01-02', '2020-01-03', '2020-01-06']);
    expect(r.returns[0]![0]).toBeCloseTo(Math.log(1.1), 12);
    expect(Number.isNaN(r.returns[0]![1])).toBe(true);
    expect(Number.isNaN(r.returns[0]![2])).toBe(true);
    expect(r.channels[0]).toEqual([r.returns[0]]);
  });

  it("give eq. 2's four channels from the day's close where the panel has daily bars, close last", () => {
    const bar = (values: number[]) => [Float64Array.from(values)];
    const panel = { dates: ['2020-01-02', '2020-01-03', '2020-01-06'], symbols: ['A'], close: bar([100, 110, 99]), bars: { open: bar([99, 104, 108]), high: bar([101, 112, 109]), low: bar([98, 103, 97]) } };
    const [open, high, low, close] = logReturns(panel).channels[0]!;
    expect(Array.from(open!)).toEqual([Math.log(104) - Math.log(100), Math.log(108) - Math.log(110)]);
    expect(Array.from(high!)).toEqual([Math.log(112) - Math.log(100), Math.log(109) - Math.log(110)]);
    expect(Array.from(low!)).toEqual([Math.log(103) - Math.log(100), Math.log(97) - Math.log(110)]);
    expect(Array.from(close!)).toEqual([Math.log(110) - Math.log(100), Math.log(99) - Math.log(110)]);
  });
});

describe('the missing-value layer (eq. 8)', () => {
  it('maps a missing entry to w_1 and a present one to w_2 x + x, per channel', () => {
    const layer = new MissingValueLayer(2);
    layer.fill.assign(tf.tensor1d([0.5, -1]));
    layer.scale.assign(tf.tensor1d([2, 0]));
    const x = tf.tensor2d([1, NaN, NaN, 3], [2, 2]);
    expect(Array.from(layer.apply(x).dataSync())).toEqual([3, -1, 0.5, 3]);
    layer.dispose();
  });

  it('starts as the identity on present values, and its gradients are finite with missing inputs', () => {
    const layer = new MissingValueLayer(1);
    const x = tf.tensor2d([0.02, NaN, -0.01, NaN], [4, 1]);
    const y = layer.apply(x).dataSync();
    expect(Array.from(y)).toEqual([Math.fround(0.02), 0, Math.fround(-0.01), 0]);
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x), tf.tensor2d([1, 2, 3, 4], [4, 1]))) as tf.Scalar, layer.variables);
    // d/dw_1 = sum of the missing entries' weights (2 + 4); d/dw_2 = sum of x * weight over present ones.
    expect(grads[layer.fill.name]!.dataSync()[0]).toBeCloseTo(6, 6);
    expect(grads[layer.scale.name]!.dataSync()[0]).toBeCloseTo(0.02 * 1 - 0.01 * 3, 6);
    layer.dispose();
  });
  it("runs the same kernels for its gradient whatever the batch (no per-entry copy of w_1's broadcast)", async () => {
    const layer = new MissingValueLayer(1);
    const kernels = async (rows: number) => {
      const x = tf.tensor4d(Float32Array.from({ length: rows * 6 }, (_, k) => (k % 5 === 0 ? NaN : 0.01 * k)), [rows, 3, 2, 1]);
      const profile = await tf.profile(() => {
        const { grads } = tf.variableGrads(() => tf.sum(layer.apply(x)) as tf.Scalar, layer.variables);
        tf.dispose(grads);
      });
      x.dispose();
      return profile.kernels.length;
    };
    expect(await kernels(2)).toBe(await kernels(40));
    layer.dispose();
  });
});

describe('Market Value Dropout (eq. 7)', () => {
  it('drops floor(N p) distinct assets and scales the rest by 1 / (1 - p)', () => {
    const mask = marketValueDropoutMask([5, 1, 3, 2, 4, 6, 1], 0.3, 1, stream(1, 'mvd'), 0);
    expect(mask.filter((m) => m === 0)).toHaveLength(2);
    for (const m of mask) expect([0, Math.fround(1 / 0.7)]).toContain(m);
  });

  it('keeps the expectation with equal market values, and hides the heaviest assets most often', () => {
    const draws = 4000;
    const equal = new Float64Array(10);
    const weighted = new Float64Array(10);
    const values = Array.from({ length: 10 }, (_, i) => i / 3);
    const rng = stream(2, 'mvd');
    for (let d = 0; d < draws; d++) {
      marketValueDropoutMask(new Array(10).fill(1), 0.2, 1, rng, d).forEach((m, i) => (equal[i] += m / draws));
      marketValueDropoutMask(values, 0.2, 1, rng, draws + d).forEach((m, i) => (weighted[i] += (m === 0 ? 1 : 0) / draws));
    }
    for (const m of equal) expect(m).toBeCloseTo(1, 1);
    expect(weighted[9]).toBeGreaterThan(weighted[0]! * 3);
    // An asset of softmax weight w is drawn first with probability w: the heaviest at least that often.
    expect(weighted[9]).toBeGreaterThan(softmaxWeights(values, 1)[9]!);
  });

  it('names a bad setting', () => {
    expect(() => marketValueDropoutMask([1, 2], 1, 1, stream(1, 'mvd'), 0)).toThrow(/p must be in \[0, 1\)/);
    expect(() => softmaxWeights([1, 2], 0)).toThrow(/temperature must be positive/);
  });
});

describe('the low-rank attention (eq. 9)', () => {
  const layer = new LowRankAttention(2, 3, stream(3, 'attention'));
  const e = tf.tensor3d(stream(4, 'embeddings').normals(new Float32Array(1 * 5 * 3)), [1, 5, 3]);

  it('is Softmax(W_Q E^T / sqrt(d)) E, each latent a weighting over the assets', () => {
    const w = layer.queries.arraySync();
    const rows = e.arraySync()[0]!;
    const encoded = layer.encode(e).arraySync()[0]!;
    const attention = layer.attention(e).arraySync()[0]!;
    for (let k = 0; k < 2; k++) {
      const scores = rows.map((row) => row.reduce((s, x, j) => s + x * w[k]![j]!, 0) / Math.sqrt(3));
      const top = Math.max(...scores);
      const weights = scores.map((s) => Math.exp(s - top));
      const total = weights.reduce((a, b) => a + b, 0);
      weights.forEach((x, i) => expect(attention[k]![i]).toBeCloseTo(x / total, 5));
      for (let j = 0; j < 3; j++) expect(encoded[k]![j]).toBeCloseTo(rows.reduce((s, row, i) => s + (weights[i]! / total) * row[j]!, 0), 5);
    }
  });

  it('gives the same latent assets whatever the order of the assets, and decodes in their order', () => {
    const order = [3, 0, 4, 1, 2];
    const permuted = tf.gather(e, order, 1) as tf.Tensor3D;
    const [h, hp] = [layer.encode(e), layer.encode(permuted)];
    expect(tf.max(tf.abs(tf.sub(h, hp))).dataSync()[0]).toBeLessThan(1e-6);
    const decoded = layer.decode(h, e);
    expect(decoded.shape).toEqual([1, 5, 3]);
    const decodedPermuted = layer.decode(hp, permuted);
    expect(tf.max(tf.abs(tf.sub(tf.gather(decoded, order, 1), decodedPermuted))).dataSync()[0]).toBeLessThan(1e-6);
  });
});
