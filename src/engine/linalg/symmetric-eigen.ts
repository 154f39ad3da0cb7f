/**
 * Eigen-decomposition A = Q diag(lambda) Q^T of a real symmetric matrix (row-major, float64) by cyclic Jacobi
 * rotations (Golub & Van Loan, Matrix Computations, §8.5 "Jacobi methods"), for the eigenbases Q_A, Q_G of the
 * Kronecker factors in DH-KFAC (paper 002, Algorithm 1 line 14). A sweep visits every pair p < q in row order
 * and applies the rotation J(p, q) that zeroes a_pq (A <- J^T A J, Q <- Q J), with the stable choice of the
 * tangent t = sign(theta) / (|theta| + sqrt(theta^2 + 1)), theta = (a_qq - a_pp) / (2 a_pq). Sweeps stop once
 * the off-diagonal Frobenius norm is at most `tolerance` times the Frobenius norm of A. A sweep costs O(n^3);
 * convergence is ultimately quadratic, so a handful of sweeps suffice (about 9 for a random 130 x 130 matrix).
 */

export interface SymmetricEigen {
  /** Eigenvalues in descending order. */
  values: Float64Array;
  /** n x n row-major; column k (vectors[i * n + k], i = 0..n-1) is the unit eigenvector of values[k]. */
  vectors: Float64Array;
}

/** `a` is n x n row-major and symmetric (it is symmetrised as (A + A^T)/2, so both triangles count); it is not modified. */
export function symmetricEigen(
  a: ArrayLike<number>,
  n: number,
  opts: { tolerance?: number; maxSweeps?: number } = {},
): SymmetricEigen {
  const tolerance = opts.tolerance ?? 1e-12;
  const maxSweeps = opts.maxSweeps ?? 100;
  if (!Number.isInteger(n) || n < 1) throw new Error(`symmetricEigen: size must be a positive integer, got ${n}`);
  if (a.length !== n * n) {
    throw new Error(`symmetricEigen: a ${n} x ${n} matrix needs ${n * n} entries, got ${a.length}`);
  }
  if (!(tolerance >= 0)) throw new Error(`symmetricEigen: tolerance must be non-negative, got ${tolerance}`);
  if (!Number.isInteger(maxSweeps) || maxSweeps < 0) {
    throw new Error(`symmetricEigen: maxSweeps must be a non-negative integer, got ${maxSweeps}`);
  }
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) {
      throw new Error(`symmetricEigen: entry (${Math.floor(i / n) + 1}, ${(i % n) + 1}) is ${a[i]}, not a finite number`);
    }
  }

  // The working matrix lives in the upper triangle (j >= i) of w; the lower triangle is never read.
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) w[i * n + j] = a[i * n + j] / 2 + a[j * n + i] / 2;
  }
  // Row k of qt is column k of Q, so every rotation of Q updates two contiguous rows.
  const qt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) qt[i * n + i] = 1;

  const threshold = tolerance * Math.sqrt(diagonalSumOfSquares(w, n) + 2 * upperSumOfSquares(w, n));
  for (let sweep = 0; ; sweep++) {
    const off = Math.sqrt(2 * upperSumOfSquares(w, n));
    if (off <= threshold) break;
    if (sweep === maxSweeps) {
      throw new Error(
        `symmetricEigen: not converged after ${maxSweeps} sweeps (off-diagonal norm ${off.toPrecision(3)}, target ${threshold.toPrecision(3)})`,
      );
    }
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) rotate(w, qt, n, p, q);
    }
  }

  const order = Array.from({ length: n }, (_, k) => k).sort((i, j) => w[j * n + j] - w[i * n + i]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((source, k) => {
    values[k] = w[source * n + source];
    for (let i = 0; i < n; i++) vectors[i * n + k] = qt[source * n + i];
  });
  return { values, vectors };
}

/** A <- J^T A J and Q <- Q J for the Jacobi rotation J(p, q) that zeroes a_pq (A in the upper triangle of w; qt is Q^T). */
function rotate(w: Float64Array, qt: Float64Array, n: number, p: number, q: number): void {
  const rowP = p * n;
  const rowQ = q * n;
  const apq = w[rowP + q];
  if (apq === 0) return;
  const theta = (w[rowQ + q] - w[rowP + p]) / (2 * apq);
  const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const c = 1 / Math.sqrt(t * t + 1);
  const s = t * c;

  w[rowP + p] -= t * apq;
  w[rowQ + q] += t * apq;
  w[rowP + q] = 0;
  // (a_rp, a_rq) for r != p, q, read from wherever the upper triangle keeps them.
  for (let r = 0; r < p; r++) rotatePair(w, c, s, r * n + p, r * n + q);
  for (let r = p + 1; r < q; r++) rotatePair(w, c, s, rowP + r, r * n + q);
  for (let r = q + 1; r < n; r++) rotatePair(w, c, s, rowP + r, rowQ + r);
  for (let i = 0; i < n; i++) rotatePair(qt, c, s, rowP + i, rowQ + i);
}

/** (x[ip], x[iq]) <- (c x[ip] - s x[iq], s x[ip] + c x[iq]). */
function rotatePair(x: Float64Array, c: number, s: number, ip: number, iq: number): void {
  const xp = x[ip];
  const xq = x[iq];
  x[ip] = c * xp - s * xq;
  x[iq] = s * xp + c * xq;
}

function diagonalSumOfSquares(w: Float64Array, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += w[i * n + i] * w[i * n + i];
  return sum;
}

/** Sum of squares strictly above the diagonal, summed directly: total minus diagonal would cancel near convergence. */
function upperSumOfSquares(w: Float64Array, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) sum += w[i * n + j] * w[i * n + j];
  }
  return sum;
}
