/**
 * Paths back from their time-augmented signatures by their Fourier coefficients (SigDiffusions, Barancikova,
 * Huang and Salvi 2024, §3.2; paper 003 §3.3). A one-channel path x on [0, 2 pi] with x(0) = 0 is read with
 * the channels (t, sin t, cos t - 1, x), letters T, S, C, X. Since c = cos t - 1 and s = sin t start at 0,
 * c^k = k! S^(C^k) and s c^k = k! S^S (shuffle) S^(C^k) along the path, products of iterated integrals are
 * shuffles, and the integral over [0, 2 pi] of S^w_(0,t) dt is S^(wT). With cos(nt) = T_n(1 + c) and
 * sin(nt) = s U_(n-1)(1 + c) (Chebyshev polynomials) written as sum_k alpha_(n,k) c^k and s sum_k beta_(n,k) c^k,
 *   a_n = (1/pi) int x cos(nt) dt = (1/pi) sum_k alpha_(n,k) k! sum_(j=0..k) S(C^j X C^(k-j) T),
 *   b_n = (1/pi) int x sin(nt) dt = (1/pi) sum_k beta_(n,k) k! sum_(w in X (shuffle) S (shuffle) C^k) S(w T),
 * words of length n + 2 at most: a signature of depth m gives harmonics 0..m-2, and
 *   x(t) ~ a_0 / 2 + sum_(n=1..m-2) a_n cos(nt) + b_n sin(nt).
 * The series is periodic, so a path that does not end where it starts (a price segment's log-returns) would
 * come back with a Gibbs overshoot at the end and without its increment; SigDiffusions appends the mirrored
 * path for that. Here the increment x(2 pi) = S(X) is read off level 1 and the chord removed first: the
 * channel map X -> X - (S(X) / 2 pi) T is linear, so the signature of the detrended path r = x - S(X) t / 2 pi
 * is the signature with that map applied to every tensor axis; r is periodic, its harmonics are inverted,
 * and the chord added back (`fourierPath`). Host float64. A path that is piecewise linear between samples has
 * these integrals up to O(h^2) in the step h.
 */
import type { Tensor } from '../signatures/tensor-algebra';

/** Letters of the augmented path, in this order: time, its sine, its cosine minus 1, the data. */
const [T, S, C, X] = [0, 1, 2, 3];
/** Channels of the augmented path. */
export const AUGMENTED_CHANNELS = 4;

/** The augmented path of values x_1..x_L: a zero first point, then (t_i, sin t_i, cos t_i - 1, x_i) at t_i = 2 pi i / L. */
export function fourierAugmented(values: ArrayLike<number>): number[][] {
  const n = values.length;
  return Array.from({ length: n + 1 }, (_, i) => {
    const t = (2 * Math.PI * i) / n;
    return [t, Math.sin(t), Math.cos(t) - 1, i === 0 ? 0 : values[i - 1]!];
  });
}

/** Coefficients in c of p(1 + c) for the Chebyshev polynomials of the first (T_n) or second (U_n) kind, n = 0..N. */
function chebyshevInShift(N: number, kind: 'first' | 'second'): number[][] {
  // In y first (p_0 = 1, p_1 = y or 2y, p_(n+1) = 2y p_n - p_(n-1)), then y = 1 + c by the binomial theorem.
  const inY: number[][] = [[1], kind === 'first' ? [0, 1] : [0, 2]];
  for (let n = 1; n < N; n++) {
    const next = new Array<number>(n + 2).fill(0);
    inY[n]!.forEach((p, i) => (next[i + 1] += 2 * p));
    inY[n - 1]!.forEach((p, i) => (next[i] -= p));
    inY.push(next);
  }
  return inY.slice(0, N + 1).map((p) => {
    const out = new Array<number>(p.length).fill(0);
    p.forEach((coef, i) => {
      let binomial = 1;
      for (let k = 0; k <= i; k++) {
        out[k] += coef * binomial;
        binomial = (binomial * (i - k)) / (k + 1);
      }
    });
    return out;
  });
}

function factorial(k: number): number {
  let f = 1;
  for (let i = 2; i <= k; i++) f *= i;
  return f;
}

/** S(w) of a signature (levels 0..m) over the 4 augmented channels. */
function entry(sig: Tensor, w: readonly number[]): number {
  return sig[w.length]![w.reduce((index, letter) => index * AUGMENTED_CHANNELS + letter, 0)]!;
}

/** Every word with one X, one S and k C's: X (shuffle) S (shuffle) C^k, each with coefficient 1. */
function xsShuffle(k: number): number[][] {
  const words: number[][] = [];
  for (let i = 0; i < k + 2; i++) {
    for (let j = 0; j < k + 2; j++) {
      if (i === j) continue;
      const w = new Array<number>(k + 2).fill(C);
      w[i] = X;
      w[j] = S;
      words.push(w);
    }
  }
  return words;
}

/** a_n and b_n, n = 0..m-2 (b_0 = 0), from the signature (levels 0..m) of a path augmented as `fourierAugmented` does. */
export function fourierCoefficients(sig: Tensor): { a: Float64Array; b: Float64Array } {
  const depth = sig.length - 1;
  if (depth < 2) throw new Error('Fourier inversion needs a signature of depth 2 at least');
  if (sig[1]!.length !== AUGMENTED_CHANNELS) throw new Error(`Fourier inversion reads ${AUGMENTED_CHANNELS} channels (t, sin t, cos t - 1, x), not ${sig[1]!.length}`);
  const N = depth - 2;
  const alpha = chebyshevInShift(N, 'first');
  const beta = chebyshevInShift(Math.max(0, N - 1), 'second');
  const a = new Float64Array(N + 1);
  const b = new Float64Array(N + 1);
  for (let n = 0; n <= N; n++) {
    alpha[n]!.forEach((coef, k) => {
      if (coef === 0) return;
      let sum = 0;
      for (let j = 0; j <= k; j++) sum += entry(sig, [...new Array<number>(j).fill(C), X, ...new Array<number>(k - j).fill(C), T]);
      a[n] += (coef * factorial(k) * sum) / Math.PI;
    });
    if (n === 0) continue;
    beta[n - 1]!.forEach((coef, k) => {
      if (coef === 0) return;
      const sum = xsShuffle(k).reduce((acc, w) => acc + entry(sig, [...w, T]), 0);
      b[n] += (coef * factorial(k) * sum) / Math.PI;
    });
  }
  return { a, b };
}

/** The truncated Fourier series a_0 / 2 + sum a_n cos(nt) + b_n sin(nt) at the points t_i = 2 pi i / L, i = 1..L. */
export function fourierValues(coefficients: { a: ArrayLike<number>; b: ArrayLike<number> }, points: number): Float64Array {
  const { a, b } = coefficients;
  return Float64Array.from({ length: points }, (_, i) => {
    const t = (2 * Math.PI * (i + 1)) / points;
    let x = a[0]! / 2;
    for (let n = 1; n < a.length; n++) x += a[n]! * Math.cos(n * t) + b[n]! * Math.sin(n * t);
    return x;
  });
}

/** The signature of the path with channel X replaced by X - c T: the map applied to each axis of each level. */
function withChord(sig: Tensor, c: number): Tensor {
  const out = sig.map((level) => Float64Array.from(level));
  for (let k = 1; k < out.length; k++) {
    const level = out[k]!;
    for (let axis = 0; axis < k; axis++) {
      const stride = AUGMENTED_CHANNELS ** (k - 1 - axis);
      for (let index = 0; index < level.length; index++) {
        if (Math.floor(index / stride) % AUGMENTED_CHANNELS !== X) continue;
        level[index] -= c * level[index - (X - T) * stride]!;
      }
    }
  }
  return out;
}

/**
 * The path x(t_i), t_i = 2 pi i / L, i = 1..L, whose augmented signature (levels 0..m) is `sig`: its chord
 * S(X) t / 2 pi plus the harmonics 0..m-2 of the rest, so that it ends exactly at x(2 pi) = S(X).
 */
export function fourierPath(sig: Tensor, points: number): Float64Array {
  const c = sig[1]![X]! / (2 * Math.PI);
  const rest = fourierValues(fourierCoefficients(withChord(sig, c)), points);
  return rest.map((r, i) => r + (c * 2 * Math.PI * (i + 1)) / points);
}
