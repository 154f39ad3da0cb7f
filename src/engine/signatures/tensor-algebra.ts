/**
 * The truncated tensor algebra T^m(R^d) in float64 on the host (paper 003 §4.2 and appendix 8.2; Lyons,
 * Caruana and Lévy, "Differential equations driven by rough paths", §2): tensor product, exp and log, and
 * the signature of a piecewise-linear path by Chen's identity, S(x * y) = S(x) (x) S(y), where the signature
 * of one segment with increment a is exp(a) = 1 + a + a^(x)2/2! + ... + a^(x)m/m!.
 *
 * Layout (iisignature's and signatory's): a tensor is its levels 0..m, level k the d^k tensor flattened
 * row-major (the first index slowest: entry (i_1..i_k) at sum_j i_j d^(k-j)); a signature is returned as
 * levels 1..m concatenated, without the leading 1.
 *
 * Path options: `time` adds a channel t_i = i / (points - 1) (0 for a single point) as channel 0, before the
 * data channels; `basepoint` then prepends the origin of R^(d + time), as signatory's basepoint=True, so that
 * the first increment is x_0 itself (with time, (0, x_0)).
 */

/** Levels 0..m; level k has d^k entries. */
export type Tensor = Float64Array[];

export interface PathOptions {
  basepoint?: boolean;
  time?: boolean;
}

/** The zero tensor of T^m(R^d), with level 0 set to `scalar`. */
export function tensorOf(d: number, depth: number, scalar: number): Tensor {
  return Array.from({ length: depth + 1 }, (_, k) => {
    const level = new Float64Array(d ** k);
    if (k === 0) level[0] = scalar;
    return level;
  });
}

/** out += x (x) y for flattened tensors x (d^i entries) and y (d^j entries): entry p * d^j + q. */
function addOuter(out: Float64Array, x: Float64Array, y: Float64Array, scale = 1): void {
  const n = y.length;
  for (let p = 0; p < x.length; p++) {
    const xp = x[p] * scale;
    if (xp === 0) continue;
    const row = p * n;
    for (let q = 0; q < n; q++) out[row + q] += xp * y[q];
  }
}

/** The truncated product (a (x) b)_k = sum_{i=0..k} a_i (x) b_(k-i). */
export function tensorProduct(a: Tensor, b: Tensor): Tensor {
  const depth = a.length - 1;
  const d = depth >= 1 ? a[1].length : 1;
  const out = tensorOf(d, depth, 0);
  for (let k = 0; k <= depth; k++) for (let i = 0; i <= k; i++) addOuter(out[k], a[i], b[k - i]);
  return out;
}

/** exp(X) = sum_{n=0..m} X^(x)n / n! for X with level 0 equal to 0. */
export function tensorExp(x: Tensor): Tensor {
  const depth = x.length - 1;
  const d = depth >= 1 ? x[1].length : 1;
  const out = tensorOf(d, depth, 1);
  let power = tensorOf(d, depth, 1);
  for (let n = 1; n <= depth; n++) {
    power = tensorProduct(power, x);
    for (let k = 0; k <= depth; k++) for (let e = 0; e < power[k].length; e++) out[k][e] += power[k][e] / factorial(n);
  }
  return out;
}

/** log(Y) = log(1 + X) = sum_{n=1..m} (-1)^(n+1) X^(x)n / n for Y with level 0 equal to 1 (X = Y - 1). */
export function tensorLog(y: Tensor): Tensor {
  const depth = y.length - 1;
  const d = depth >= 1 ? y[1].length : 1;
  const x = y.map((level, k) => (k === 0 ? new Float64Array(1) : level));
  const out = tensorOf(d, depth, 0);
  let power = tensorOf(d, depth, 1);
  for (let n = 1; n <= depth; n++) {
    power = tensorProduct(power, x);
    const c = (n % 2 === 1 ? 1 : -1) / n;
    for (let k = 1; k <= depth; k++) for (let e = 0; e < power[k].length; e++) out[k][e] += c * power[k][e];
  }
  return out;
}

function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}

/**
 * S <- S (x) exp(a) in place, for a group-like S (level 0 equal to 1) and an increment a in R^d, without
 * forming exp(a): level k becomes S_k + (S_(k-1) + (... (S_1 + S_0 a / k) a / (k - 1) ...) a / 2) a, by
 * Horner's rule (signatory's fused multiply-exponentiate). Levels are updated from the top down, so each
 * reads the lower levels before they change; `work[i]` (d^i entries) holds the Horner term of level i.
 */
function multiplySegment(s: Tensor, a: Float64Array, work: Float64Array[]): void {
  const depth = s.length - 1;
  const d = a.length;
  for (let k = depth; k >= 1; k--) {
    for (let q = 0; q < d; q++) work[1][q] = a[q] / k;
    for (let i = 1; i < k; i++) {
      const acc = work[i];
      const lower = s[i];
      const next = work[i + 1];
      const c = 1 / (k - i);
      for (let p = 0; p < acc.length; p++) {
        const x = (acc[p] + lower[p]) * c;
        const row = p * d;
        for (let q = 0; q < d; q++) next[row + q] = x * a[q];
      }
    }
    const level = s[k];
    const acc = work[k];
    for (let e = 0; e < level.length; e++) level[e] += acc[e];
  }
}

/** The points the signature reads: time channel added, then the basepoint prepended (see the header). */
export function preparedPath(path: readonly (readonly number[])[], opts: PathOptions = {}): number[][] {
  const n = path.length;
  let points = path.map((p, i) => (opts.time ? [n > 1 ? i / (n - 1) : 0, ...p] : [...p]));
  if (opts.basepoint) points = [points[0].map(() => 0), ...points];
  return points;
}

/** The signature of the piecewise-linear path through `path`'s points, as levels 0..m. */
export function signatureTensor(path: readonly (readonly number[])[], depth: number, opts: PathOptions = {}): Tensor {
  const points = preparedPath(path, opts);
  const d = points[0].length;
  const s = tensorOf(d, depth, 1);
  const work = tensorOf(d, depth, 0);
  const a = new Float64Array(d);
  for (let t = 1; t < points.length; t++) {
    for (let i = 0; i < d; i++) a[i] = points[t][i] - points[t - 1][i];
    multiplySegment(s, a, work);
  }
  return s;
}

/** Levels 1..m of a tensor concatenated (the leading level-0 entry dropped). */
export function flattenLevels(x: Tensor): Float64Array {
  const out = new Float64Array(x.slice(1).reduce((n, level) => n + level.length, 0));
  let at = 0;
  for (const level of x.slice(1)) {
    out.set(level, at);
    at += level.length;
  }
  return out;
}

/** The signature levels 1..m concatenated (iisignature's sig, signatory's signature). */
export function signature(path: readonly (readonly number[])[], depth: number, opts: PathOptions = {}): Float64Array {
  return flattenLevels(signatureTensor(path, depth, opts));
}
