/**
 * Cholesky factorisation Sigma = L L^T of a symmetric positive definite matrix (row-major, float64), used
 * for correlated Brownian increments (paper 003 §3.2 and appendix 8.1.3: S_{t+1} = S_t exp(... + L Z sqrt(dt))).
 * A matrix that is not symmetric or not positive definite is refused with a message saying why.
 */

export type Matrix = number[][];

export class NotPositiveDefiniteError extends Error {}

/** Lower-triangular L with L L^T = a. Throws NotPositiveDefiniteError naming the failing pivot. */
export function cholesky(a: Matrix, tolerance = 1e-10): Matrix {
  const n = a.length;
  for (let i = 0; i < n; i++) {
    if (a[i].length !== n) throw new NotPositiveDefiniteError(`row ${i + 1} has ${a[i].length} entries, expected ${n}`);
    for (let j = 0; j < i; j++) {
      const scale = Math.max(Math.abs(a[i][j]), Math.abs(a[j][i]), 1);
      if (Math.abs(a[i][j] - a[j][i]) > tolerance * scale) {
        throw new NotPositiveDefiniteError(`not symmetric: entry (${i + 1}, ${j + 1}) is ${a[i][j]} but (${j + 1}, ${i + 1}) is ${a[j][i]}`);
      }
    }
  }
  const l: Matrix = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    let d = a[j][j];
    for (let k = 0; k < j; k++) d -= l[j][k] * l[j][k];
    if (!(d > tolerance * Math.max(1, Math.abs(a[j][j])))) {
      throw new NotPositiveDefiniteError(`not positive definite (pivot ${j + 1} is ${d.toPrecision(3)})`);
    }
    l[j][j] = Math.sqrt(d);
    for (let i = j + 1; i < n; i++) {
      let s = a[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      l[i][j] = s / l[j][j];
    }
  }
  return l;
}

/** y = L z for a lower-triangular L, written into `out` (z and out may not alias). */
export function lowerTimes(l: Matrix, z: ArrayLike<number>, out: Float64Array): Float64Array {
  for (let i = 0; i < l.length; i++) {
    let s = 0;
    for (let k = 0; k <= i; k++) s += l[i][k] * z[k];
    out[i] = s;
  }
  return out;
}
