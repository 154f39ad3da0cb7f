/**
 * The SigFormer (src/engine/policies/sigformer.ts; paper 003 §4.2, appendix 8.3; Tong et al. 2023):
 * causality, shapes, the closed-form parameter count, attention against a per-head loop on the host and
 * its one-date reduction to the value and output projections, LayerNorm's mean 0 / variance 1, determinism
 * (initialisation and dropout), no tensor leak over apply + gradient, and the paper's configuration
 * (d 8, m 3, 2 heads, 2 blocks) forward and backward on the cpu backend.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { layerNorm, LevelAttention, SigFormer } from '../../src/engine/policies/sigformer';
import type { SigFormerShape } from '../../src/engine/policies/sequence-network';
import { stream } from '../../src/engine/random/stream';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const small: SigFormerShape = { modelDim: 3, order: 3, heads: 2, blocks: 2, mlpUnits: 16, dropout: 0.1 };

function inputs(n: number, t: number, f: number, name: string): tf.Tensor3D {
  return tf.tensor3d(stream(21, 'sigformer-test', name).normals(new Float32Array(n * t * f)), [n, t, f]);
}

/** The closed-form count: projection, B blocks of (attention, MLP, two LayerNorms) per level, readout. */
function parameterCount(f: number, a: number, s: SigFormerShape): number {
  const { modelDim: d, order, heads: h, blocks, mlpUnits: u } = s;
  let perBlock = 0;
  let features = 0;
  for (let k = 1; k <= order; k++) {
    const w = d ** k;
    features += w;
    const attention = 2 * h * w * w + (h * w * w + h * w) + (h * w * w + w);
    const mlp = w * u + u + u * w + w;
    perBlock += attention + mlp + 2 * 2 * w;
  }
  return f * d + d + blocks * perBlock + features * a + a;
}

describe('the SigFormer', () => {
  it('maps [n, T, F] to holdings [n, T, A], levels [n, T, d^k], with the closed-form number of parameters', () => {
    const net = new SigFormer(4, 2, small, stream(1, 'init'));
    const x = inputs(3, 5, 4, 'shapes');
    const y = net.apply(x, null);
    expect(y.shape).toEqual([3, 5, 2]);
    const levels = net.features(x, null);
    expect(levels.map((l) => l.shape)).toEqual([[3, 5, 3], [3, 5, 9], [3, 5, 27]]);
    const count = net.variables.reduce((sum, v) => sum + v.size, 0);
    expect(count).toBe(parameterCount(4, 2, small));
    tf.dispose([x, y, ...levels]);
    net.dispose();
  });

  it('is causal: changing the inputs of dates t+1.. leaves the holdings of dates 0..t unchanged', async () => {
    const net = new SigFormer(3, 2, small, stream(2, 'init'));
    const x = inputs(2, 8, 3, 'causal');
    const t = 3;
    const later = tf.tidy(() => {
      const noise = inputs(2, 8, 3, 'causal-noise');
      const keep = tf.concat([tf.zeros([2, t + 1, 3]), tf.ones([2, 8 - t - 1, 3])], 1);
      return tf.add(x, tf.mul(keep, noise)) as tf.Tensor3D;
    });
    const [a, b] = await Promise.all([net.apply(x, null).array(), net.apply(later, null).array()]);
    for (let p = 0; p < 2; p++) {
      for (let s = 0; s <= t; s++) for (let j = 0; j < 2; j++) expect(Math.abs(a[p][s][j] - b[p][s][j])).toBeLessThan(1e-5);
      // ... and the later holdings do change.
      expect(Math.abs(a[p][t + 1][0] - b[p][t + 1][0]) + Math.abs(a[p][7][1] - b[p][7][1])).toBeGreaterThan(1e-4);
    }
    tf.dispose([x, later]);
    net.dispose();
  });

  it('attention equals a per-head loop over dates on the host, and with one date reduces to the value then the output projection', async () => {
    const [n, t, w, h] = [2, 4, 3, 2];
    const att = new LevelAttention(w, h, stream(3, 'attention'));
    const x = inputs(n, t, w, 'attention');
    const got = await att.apply(x, (z) => z).array();
    const [xs, wq, wk, wv, bv, wo, bo] = await Promise.all([
      x.array(),
      att.query.w.array(),
      att.key.w.array(),
      att.value.w.array(),
      att.value.b!.array(),
      att.output.w.array(),
      att.output.b!.array(),
    ]);
    const project = (row: number[], m: number[][], bias?: number[]) => m[0].map((_, j) => row.reduce((s, r, i) => s + r * m[i][j], bias ? bias[j] : 0));
    for (let p = 0; p < n; p++)
      for (let s = 0; s < t; s++) {
        const concat: number[] = [];
        for (let head = 0; head < h; head++) {
          const part = (v: number[]) => v.slice(head * w, (head + 1) * w);
          const q = part(project(xs[p][s], wq));
          const scores = Array.from({ length: s + 1 }, (_, r) => part(project(xs[p][r], wk)).reduce((acc, kj, j) => acc + kj * q[j], 0) / Math.sqrt(w));
          const top = Math.max(...scores);
          const e = scores.map((z) => Math.exp(z - top));
          const total = e.reduce((acc, z) => acc + z, 0);
          const out = Array<number>(w).fill(0);
          for (let r = 0; r <= s; r++) part(project(xs[p][r], wv, bv)).forEach((vj, j) => (out[j] += (e[r] / total) * vj));
          concat.push(...out);
        }
        const expected = project(concat, wo, bo);
        for (let j = 0; j < w; j++) expect(got[p][s][j]).toBeCloseTo(expected[j], 5);
      }
    const one = x.slice([0, 0, 0], [n, 1, w]);
    const single = await att.apply(one, (z) => z).array();
    const ones = await one.array();
    for (let p = 0; p < n; p++) {
      const expected = project(project(ones[p][0], wv, bv), wo, bo);
      for (let j = 0; j < w; j++) expect(single[p][0][j]).toBeCloseTo(expected[j], 5);
    }
    tf.dispose([x, one, ...att.variables]);
  });

  it('LayerNorm leaves every row of every level with mean 0 and variance 1 at initialisation, then scales and shifts', async () => {
    const net = new SigFormer(3, 1, small, stream(4, 'init'));
    const x = inputs(2, 6, 3, 'norm');
    const levels = net.features(x, null);
    for (const level of levels) {
      const { mean, variance } = tf.moments(level, -1);
      for (const m of await mean.data()) expect(Math.abs(m)).toBeLessThan(1e-5);
      for (const v of await variance.data()) expect(v).toBeCloseTo(1, 3);
      tf.dispose([mean, variance]);
    }
    const y = tf.tidy(() => layerNorm(tf.tensor3d([[[1, 2, 3, 6]]]), tf.tensor1d([1, 2, 3, 4]), tf.tensor1d([0, 1, 0, -1])));
    // (x - 3) / sqrt(3.5 + 1e-5) scaled by (1, 2, 3, 4), shifted by (0, 1, 0, -1).
    const z = [1, 2, 3, 6].map((v) => (v - 3) / Math.sqrt(3.5 + 1e-5));
    const expected = z.map((v, i) => v * [1, 2, 3, 4][i] + [0, 1, 0, -1][i]);
    (await y.data()).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    tf.dispose([x, y, ...levels]);
    net.dispose();
  });

  it('is deterministic: the same stream gives the same network, the same dropout seed the same output', async () => {
    const x = inputs(2, 5, 3, 'determinism');
    const [a, b, c] = [stream(5, 'init'), stream(5, 'init'), stream(6, 'init')].map((rng) => new SigFormer(3, 2, small, rng));
    const out = async (net: SigFormer, seed: number | null) => Array.from(await net.apply(x, seed).data());
    expect(await out(a, null)).toEqual(await out(b, null));
    expect(await out(a, null)).not.toEqual(await out(c, null));
    expect(await out(a, 7)).toEqual(await out(b, 7));
    expect(await out(a, 7)).not.toEqual(await out(a, 8));
    expect(await out(a, 7)).not.toEqual(await out(a, null));
    const noDropout = new SigFormer(3, 2, { ...small, dropout: 0 }, stream(5, 'init'));
    expect(await out(noDropout, 7)).toEqual(await out(a, null));
    tf.dispose(x);
    for (const net of [a, b, c, noDropout]) net.dispose();
  });

  it('leaks no tensor across repeated apply and gradient calls', async () => {
    const net = new SigFormer(3, 2, small, stream(7, 'init'));
    const x = inputs(2, 5, 3, 'leak');
    const step = (seed: number) =>
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(net.apply(x, seed))) as tf.Scalar, net.variables);
        return [value, ...Object.values(grads)];
      });
    tf.dispose(step(0));
    const before = tf.memory().numTensors;
    for (let i = 1; i <= 3; i++) {
      const out = step(i);
      await out[0].data();
      tf.dispose(out);
      tf.dispose(net.apply(x, null));
      expect(tf.memory().numTensors).toBe(before);
    }
    tf.dispose(x);
    net.dispose();
  });

  // 4.9 million parameters, 2.3 GMAC a forward pass on 16 paths x 30 dates: tfjs's plain-JS cpu backend takes
  // ~90 s for a forward and backward pass there (wasm ~3 s), so the pass here is on 2 paths x 16 dates.
  it("runs the paper's configuration (d 8, m 3, 2 heads, 2 blocks, MLP width 4 d^2) forward and backward", async () => {
    const shape: SigFormerShape = { modelDim: 8, order: 3, heads: 2, blocks: 2, mlpUnits: 256, dropout: 0.1 };
    const net = new SigFormer(2, 1, shape, stream(8, 'init'));
    // Per block and level of width w (8, 64, 512): attention 8 w^2 + 3 w, MLP 513 w + 256, LayerNorms 4 w:
    // 2,434,880 a block; two blocks, the projection (2 x 8 + 8) and the readout (584 + 1): 4,870,369.
    expect(net.variables.reduce((sum, v) => sum + v.size, 0)).toBe(4_870_369);
    expect(parameterCount(2, 1, shape)).toBe(4_870_369);
    const x = tf.tidy(() => tf.mul(inputs(2, 16, 2, 'paper'), 0.05) as tf.Tensor3D);
    const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(net.apply(x, 1))) as tf.Scalar, net.variables);
    expect(Number.isFinite((await value.data())[0])).toBe(true);
    let norm = 0;
    for (const g of Object.values(grads)) for (const v of await g.data()) norm += v * v;
    expect(Number.isFinite(norm)).toBe(true);
    expect(norm).toBeGreaterThan(0);
    expect(Object.keys(grads)).toHaveLength(net.variables.length);
    tf.dispose([x, value, ...Object.values(grads)]);
    net.dispose();
  });
});
