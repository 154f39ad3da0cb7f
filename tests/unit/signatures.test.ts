/**
 * Path signatures and log-signatures (src/engine/signatures; paper 003 §4.2, appendix 8.2) against closed
 * forms (a segment's exp, Levy area, the log of a segment), algebraic identities (Chen, shuffle, log o exp,
 * Witt's count) and an independent reference: the signature of a piecewise-linear path by the direct
 * iterated-sum formulas at depths 2 and 3 (no Chen products), and esig's published example (its README,
 * https://pypi.org/project/esig/ and github.com/datasig-ac-uk/esig: stream2sig of [[1,1],[3,4],[5,2],[8,6]]
 * to depth 2 prints [1.0, 7.0, 5.0, 24.5, 19.0, 16.0, 12.5]; iisignature's sig is the same without the
 * leading 1, as its examples/iisignature_match_esig.py wraps it). The tfjs streaming version is checked
 * against the host version at every prefix, and its gradient against a central finite difference of the
 * host version.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { logSignature, logSignatureLength, logSignatureTensor, lyndonWords, signatureFromLogSignature, wittCount, wordIndex } from '../../src/engine/signatures/lyndon';
import { streamingSignature } from '../../src/engine/signatures/streaming-signature';
import {
  flattenLevels,
  signature,
  signatureTensor,
  tensorExp,
  tensorLog,
  tensorOf,
  tensorProduct,
  type Tensor,
} from '../../src/engine/signatures/tensor-algebra';
import { stream } from '../../src/engine/random/stream';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A random-walk path of `points` points in R^d from a named stream. */
function walk(points: number, d: number, name: string): number[][] {
  const z = stream(11, 'signature-test', name).normals(new Float64Array(points * d));
  const path: number[][] = [];
  for (let t = 0; t < points; t++) path.push(Array.from({ length: d }, (_, i) => (t > 0 ? path[t - 1][i] : 0) + 0.5 * z[t * d + i]));
  return path;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i]), `entry ${i}: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(expected[i])));
}

/** <w, S>: the coefficient of word w in a tensor. */
const coefficient = (s: Tensor, w: number[], d: number) => s[w.length][wordIndex(w, d)];

/** The shuffle product of two words as a list of (word, multiplicity) entries (repeated words repeated). */
function shuffle(u: number[], v: number[]): number[][] {
  if (u.length === 0) return [v];
  if (v.length === 0) return [u];
  return [...shuffle(u.slice(0, -1), v).map((w) => [...w, u[u.length - 1]]), ...shuffle(u, v.slice(0, -1)).map((w) => [...w, v[v.length - 1]])];
}

/**
 * Depth-3 signature by the iterated-sum formulas for a piecewise-linear path with increments a_s:
 *   S^i = sum_s a^i,  S^ij = sum_{s<t} a^i_s a^j_t + sum_s a^i_s a^j_s / 2,
 *   S^ijk = sum_{s<t<u} a^i_s a^j_t a^k_u + sum_{s<t} (a^i_s a^j_s a^k_t + a^i_s a^j_t a^k_t) / 2 + sum_s a^i_s a^j_s a^k_s / 6.
 */
function iteratedSums(path: number[][]): Float64Array {
  const d = path[0].length;
  const a = path.slice(1).map((p, s) => p.map((x, i) => x - path[s][i]));
  const n = a.length;
  const out: number[] = [];
  for (let i = 0; i < d; i++) out.push(a.reduce((sum, x) => sum + x[i], 0));
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      let v = 0;
      for (let s = 0; s < n; s++) {
        v += (a[s][i] * a[s][j]) / 2;
        for (let t = s + 1; t < n; t++) v += a[s][i] * a[t][j];
      }
      out.push(v);
    }
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++)
      for (let k = 0; k < d; k++) {
        let v = 0;
        for (let s = 0; s < n; s++) {
          v += (a[s][i] * a[s][j] * a[s][k]) / 6;
          for (let t = s + 1; t < n; t++) {
            v += (a[s][i] * a[s][j] * a[t][k] + a[s][i] * a[t][j] * a[t][k]) / 2;
            for (let u = t + 1; u < n; u++) v += a[s][i] * a[t][j] * a[u][k];
          }
        }
        out.push(v);
      }
  return Float64Array.from(out);
}

describe('the truncated tensor algebra and signatures on the host', () => {
  it('a straight line has signature exp(increment): level k is a^(x)k / k!', () => {
    const a = [0.7, -1.3, 0.4];
    const sig = signature([[1, 2, 3], [1 + a[0], 2 + a[1], 3 + a[2]]], 4);
    const expected: number[] = [];
    const fact = [1, 1, 2, 6, 24];
    for (let k = 1; k <= 4; k++)
      for (let e = 0; e < 3 ** k; e++) {
        let v = 1 / fact[k];
        for (let j = 0, r = e; j < k; j++, r = Math.floor(r / 3)) v *= a[r % 3];
        expected.push(v);
      }
    expectClose(sig, expected, 1e-14);
    const x = tensorOf(3, 4, 0);
    x[1].set(a);
    expectClose(sig, flattenLevels(tensorExp(x)), 1e-14);
  });

  it("level 2's antisymmetric part is the Levy area, the polygon's shoelace area closed by the chord; its symmetric part is S1 (x) S1 / 2", () => {
    const path = walk(9, 2, 'levy');
    const s = signatureTensor(path, 2);
    const closed = [...path, path[0]];
    let area = 0;
    for (let i = 0; i + 1 < closed.length; i++) area += (closed[i][0] * closed[i + 1][1] - closed[i + 1][0] * closed[i][1]) / 2;
    expect((s[2][1] - s[2][2]) / 2).toBeCloseTo(area, 12);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) expect((s[2][2 * i + j] + s[2][2 * j + i]) / 2).toBeCloseTo((s[1][i] * s[1][j]) / 2, 12);
    // The unit square's corner path (0,0) -> (1,0) -> (1,1): signature (1, 1; 1/2, 1, 0, 1/2), area 1/2.
    expectClose(signature([[0, 0], [1, 0], [1, 1]], 2), [1, 1, 0.5, 1, 0, 0.5], 1e-15);
  });

  it("Chen's identity: the signature of a concatenation is the product of the signatures", () => {
    const path = walk(12, 3, 'chen');
    const whole = signatureTensor(path, 4);
    const joined = tensorProduct(signatureTensor(path.slice(0, 5), 4), signatureTensor(path.slice(4), 4));
    expectClose(flattenLevels(whole), flattenLevels(joined), 1e-12);
  });

  it("reproduces esig's published example: stream2sig([[1,1],[3,4],[5,2],[8,6]], 2) = [1, 7, 5, 24.5, 19, 16, 12.5]", () => {
    const stream = [[1, 1], [3, 4], [5, 2], [8, 6]];
    expectClose(signature(stream, 2), [7, 5, 24.5, 19, 16, 12.5], 1e-15);
    // Its log-signature in the words basis: the increment and the Levy area (19 - 16) / 2.
    expectClose(logSignature(stream, 2), [7, 5, 1.5], 1e-15);
  });

  it('equals the direct iterated sums at depths 2 and 3 (an independent reference), in 2 and 3 dimensions', () => {
    for (const d of [2, 3]) {
      const path = walk(7, d, `iterated-${d}`);
      expectClose(signature(path, 3), iteratedSums(path), 1e-12);
    }
  });

  it('the shuffle identity <u, S><v, S> = <u ш v, S> on random words', () => {
    const d = 3;
    const depth = 5;
    const s = signatureTensor(walk(10, d, 'shuffle'), depth);
    const u01 = stream(3, 'shuffle-words').uniforms(new Float64Array(200));
    let draw = 0;
    const word = (length: number) => Array.from({ length }, () => Math.floor(u01[draw++] * d));
    for (const [p, q] of [[1, 1], [1, 2], [2, 2], [2, 3], [1, 4], [3, 2]]) {
      const [u, v] = [word(p), word(q)];
      const sum = shuffle(u, v).reduce((acc, w) => acc + coefficient(s, w, d), 0);
      expect(sum).toBeCloseTo(coefficient(s, u, d) * coefficient(s, v, d), 10);
    }
  });

  it('log(exp(X)) = X, and exp(log(S)) = S for a signature', () => {
    const d = 2;
    const depth = 5;
    const x = tensorOf(d, depth, 0);
    const z = stream(4, 'log-exp').normals(new Float64Array(62));
    let at = 0;
    for (let k = 1; k <= depth; k++) for (let e = 0; e < x[k].length; e++) x[k][e] = 0.5 * z[at++];
    expectClose(flattenLevels(tensorLog(tensorExp(x))), flattenLevels(x), 1e-12);
    const s = signatureTensor(walk(6, d, 'exp-log'), depth);
    expectClose(flattenLevels(tensorExp(tensorLog(s))), flattenLevels(s), 1e-12);
  });

  it('basepoint prepends the origin; time adds the channel i / (points - 1) first', () => {
    const path = walk(5, 2, 'options');
    expectClose(signature(path, 3, { basepoint: true }), signature([[0, 0], ...path], 3), 1e-15);
    const timed = path.map((p, i) => [i / 4, ...p]);
    expectClose(signature(path, 3, { time: true }), signature(timed, 3), 1e-15);
    expectClose(signature(path, 3, { time: true, basepoint: true }), signature([[0, 0, 0], ...timed], 3), 1e-15);
    // A single point has a zero signature; with a basepoint it is the segment from the origin.
    expectClose(signature([[2, -1]], 2), [0, 0, 0, 0, 0, 0], 0);
    expectClose(signature([[2, -1]], 2, { basepoint: true }), [2, -1, 2, -1, -1, 0.5], 1e-15);
  });
});

describe('Lyndon words and the log-signature', () => {
  it("Witt's formula counts the Lyndon words of each length (d = 2: 2, 1, 2, 3, 6, 9, 18, 30, OEIS A001037)", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((k) => wittCount(2, k))).toEqual([2, 1, 2, 3, 6, 9, 18, 30]);
    for (const [d, m] of [[2, 8], [3, 5], [4, 4], [5, 3]]) {
      const words = lyndonWords(d, m);
      for (let k = 1; k <= m; k++) expect(words.filter((w) => w.length === k).length).toBe(wittCount(d, k));
      expect(words.length).toBe(logSignatureLength(d, m));
      // Every listed word is strictly smaller than each of its proper rotations.
      for (const w of words) for (let r = 1; r < w.length; r++) expect(w.join(',') < [...w.slice(r), ...w.slice(0, r)].join(',')).toBe(true);
    }
    expect(lyndonWords(2, 3)).toEqual([[0], [1], [0, 1], [0, 0, 1], [0, 1, 1]]);
  });

  it('the log-signature of a straight line is its increment, zero above level 1', () => {
    const ls = logSignature([[0.2, 1, -1], [1.5, 0.4, 0.1]], 4);
    expect(ls.length).toBe(logSignatureLength(3, 4));
    expectClose(ls.slice(0, 3), [1.3, -0.6, 1.1], 1e-14);
    for (const c of ls.slice(3)) expect(Math.abs(c)).toBeLessThan(1e-14);
  });

  it('in 2 dimensions at depth 2 it is (increment, Levy area)', () => {
    const path = walk(8, 2, 'logsig-area');
    const s = signatureTensor(path, 2);
    const ls = logSignature(path, 2);
    expectClose(ls, [s[1][0], s[1][1], (s[2][1] - s[2][2]) / 2], 1e-13);
  });

  it('gives back the signature from the log-signature: log S from its Lyndon coordinates, then exp', () => {
    for (const [d, m] of [[2, 6], [3, 4], [4, 4]]) {
      const path = walk(7, d, `logsig-inverse-${d}`);
      const s = signatureTensor(path, m);
      const back = signatureFromLogSignature(logSignature(path, m), d, m);
      for (let k = 1; k <= m; k++) expectClose(back[k], s[k], 1e-11 * Math.max(1, ...Array.from(s[k], Math.abs)));
      // The whole log S, not only its entries at the Lyndon words.
      const log = tensorLog(s);
      const rebuilt = logSignatureTensor(logSignature(path, m), d, m);
      for (let k = 1; k <= m; k++) expectClose(rebuilt[k], log[k], 1e-11 * Math.max(1, ...Array.from(log[k], Math.abs)));
    }
    expect(() => logSignatureTensor([1, 2], 2, 2)).toThrow(/has 3 coordinates, not 2/);
  });
});

describe('the streaming signature in tfjs', () => {
  for (const basepoint of [false, true]) {
    it(`equals the host signature of every prefix (basepoint ${basepoint}), batched over paths`, async () => {
      const [n, l, d, depth] = [3, 7, 3, 3];
      const paths = [0, 1, 2].map((i) => walk(l, d, `stream-${i}`));
      const x = tf.tensor3d(paths.flat(2), [n, l, d]);
      const levels = streamingSignature(x, depth, { basepoint });
      expect(levels.map((t) => t.shape)).toEqual([[n, l, 3], [n, l, 9], [n, l, 27]]);
      const values = await Promise.all(levels.map((t) => t.data()));
      for (let p = 0; p < n; p++)
        for (let t = 0; t < l; t++) {
          const host = signatureTensor(paths[p].slice(0, t + 1), depth, { basepoint });
          for (let k = 1; k <= depth; k++) {
            const w = d ** k;
            expectClose(values[k - 1].slice((p * l + t) * w, (p * l + t + 1) * w), host[k], 2e-5);
          }
        }
      tf.dispose([x, ...levels]);
    });
  }

  it('with a time channel: the last row is the host signature with time, every row that of the prefix with the clock i / (L - 1) as data', async () => {
    const [l, d, depth] = [6, 2, 3];
    const path = walk(l, d, 'stream-time');
    const x = tf.tensor3d([path], [1, l, d]);
    const levels = streamingSignature(x, depth, { basepoint: true, time: true });
    expect(levels.map((t) => t.shape)).toEqual([[1, l, 3], [1, l, 9], [1, l, 27]]);
    const values = await Promise.all(levels.map((t) => t.data()));
    const full = signatureTensor(path, depth, { basepoint: true, time: true });
    const clocked = path.map((p, i) => [i / (l - 1), ...p]);
    for (let t = 0; t < l; t++) {
      const host = t === l - 1 ? full : signatureTensor(clocked.slice(0, t + 1), depth, { basepoint: true });
      for (let k = 1; k <= depth; k++) expectClose(values[k - 1].slice(t * 3 ** k, (t + 1) * 3 ** k), host[k], 2e-5);
    }
    tf.dispose([x, ...levels]);
  });

  it('a one-point path: zero without a basepoint, the segment from the origin with one', async () => {
    const x = tf.tensor3d([[[2, -1]]]);
    const [one, two] = streamingSignature(x, 2);
    expect(Array.from(await one.data())).toEqual([0, 0]);
    expect(Array.from(await two.data())).toEqual([0, 0, 0, 0]);
    const based = streamingSignature(x, 2, { basepoint: true });
    expectClose(await based[1].data(), [2, -1, -1, 0.5], 1e-7);
    tf.dispose([x, one, two, ...based]);
  });

  it("its gradient matches a central finite difference of the host signature, and it leaks no tensor", async () => {
    const [l, d, depth] = [6, 2, 3];
    const path = walk(l, d, 'gradient');
    const weights = stream(6, 'gradient-weights').normals(new Float64Array(2 + 4 + 8));
    // f(x) = <w, S(x)> at the last prefix, with a basepoint.
    const f = (p: number[][]) => signature(p, depth, { basepoint: true }).reduce((sum, s, i) => sum + s * weights[i], 0);
    const before = tf.memory().numTensors;
    const grad = tf.tidy(() =>
      tf.grad((x: tf.Tensor) => {
        const levels = streamingSignature(x as tf.Tensor3D, depth, { basepoint: true });
        const last = tf.concat(levels.map((t) => t.slice([0, l - 1, 0], [1, 1, -1]).reshape([-1])));
        return tf.sum(tf.mul(last, tf.tensor1d(Float32Array.from(weights))));
      })(tf.tensor3d(path.flat(), [1, l, d])),
    );
    const g = await grad.data();
    grad.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const h = 1e-5;
    for (let t = 0; t < l; t++)
      for (let i = 0; i < d; i++) {
        const up = path.map((p) => p.slice());
        const down = path.map((p) => p.slice());
        up[t][i] += h;
        down[t][i] -= h;
        const fd = (f(up) - f(down)) / (2 * h);
        expect(Math.abs(g[t * d + i] - fd), `dx[${t}][${i}]`).toBeLessThan(1e-4 * (1 + Math.abs(fd)));
      }
  });
});
