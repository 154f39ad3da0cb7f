import { describe, expect, it } from 'vitest';
import { symmetricEigen, type SymmetricEigen } from '../../src/engine/linalg/symmetric-eigen';
import { stream } from '../../src/engine/random/stream';

/** (B + B^T) / 2 for a seeded n x n standard normal B. */
function randomSymmetric(n: number, seed: number): Float64Array {
  const b = stream(seed, 'test', 'symmetric-eigen', n).normals(new Float64Array(n * n));
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) a[i * n + j] = (b[i * n + j] + b[j * n + i]) / 2;
  }
  return a;
}

function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]));
  return m;
}

/** max_ij |A - Q diag(values) Q^T|. */
function reconstructionError(a: ArrayLike<number>, n: number, { values, vectors }: SymmetricEigen): number {
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += vectors[i * n + k] * values[k] * vectors[j * n + k];
      worst = Math.max(worst, Math.abs(a[i * n + j] - s));
    }
  }
  return worst;
}

/** max_kl |Q^T Q - I|. */
function orthogonalityError(vectors: Float64Array, n: number): number {
  let worst = 0;
  for (let k = 0; k < n; k++) {
    for (let l = 0; l < n; l++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += vectors[i * n + k] * vectors[i * n + l];
      worst = Math.max(worst, Math.abs(s - (k === l ? 1 : 0)));
    }
  }
  return worst;
}

function expectDescending(values: Float64Array): void {
  for (let k = 1; k < values.length; k++) expect(values[k]).toBeLessThanOrEqual(values[k - 1]);
}

describe('symmetricEigen', () => {
  it.each([1, 2, 5, 33, 130])('decomposes a random symmetric %i x %i matrix into orthonormal eigenvectors', (n) => {
    const a = randomSymmetric(n, 7);
    const copy = Float64Array.from(a);
    const eig = symmetricEigen(a, n);
    expect(eig.values).toHaveLength(n);
    expect(eig.vectors).toHaveLength(n * n);
    expect(reconstructionError(a, n, eig)).toBeLessThan(1e-10 * maxAbs(a));
    expect(orthogonalityError(eig.vectors, n)).toBeLessThan(1e-12);
    expectDescending(eig.values);
    expect(a).toEqual(copy);
  });

  it('symmetrises a slightly asymmetric input as (A + A^T) / 2', () => {
    const n = 6;
    const a = randomSymmetric(n, 11);
    const skewed = Float64Array.from(a);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        skewed[i * n + j] += 1e-3 * (i - j);
        skewed[j * n + i] -= 1e-3 * (i - j);
      }
    }
    const eig = symmetricEigen(skewed, n);
    expect(reconstructionError(a, n, eig)).toBeLessThan(1e-12);
  });

  it.each([1, 2, 10, 50])('matches the closed-form spectrum 2 - 2 cos(k pi / (n + 1)) of tridiag(-1, 2, -1), n = %i', (n) => {
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      a[i * n + i] = 2;
      if (i + 1 < n) {
        a[i * n + i + 1] = -1;
        a[(i + 1) * n + i] = -1;
      }
    }
    const expected = Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1))).sort((x, y) => y - x);
    const { values } = symmetricEigen(a, n);
    for (let k = 0; k < n; k++) expect(Math.abs(values[k] - expected[k])).toBeLessThan(1e-12);
  });

  it('returns a diagonal matrix its diagonal, sorted descending, with signed unit vectors', () => {
    const diagonal = [3, -1, 5, 0, 2];
    const n = diagonal.length;
    const a = new Float64Array(n * n);
    diagonal.forEach((d, i) => (a[i * n + i] = d));
    const { values, vectors } = symmetricEigen(a, n);
    expect(Array.from(values)).toEqual([5, 3, 2, 0, -1]);
    const source = [2, 0, 4, 3, 1];
    for (let k = 0; k < n; k++) {
      for (let i = 0; i < n; i++) expect(Math.abs(vectors[i * n + k])).toBe(i === source[k] ? 1 : 0);
    }
  });

  it('handles the zero matrix', () => {
    const n = 4;
    const { values, vectors } = symmetricEigen(new Float64Array(n * n), n);
    expect(Array.from(values)).toEqual([0, 0, 0, 0]);
    expect(orthogonalityError(vectors, n)).toBe(0);
  });

  it('gives an orthonormal basis for a repeated eigenvalue: I + u u^T has spectrum 2, 1, ..., 1', () => {
    const n = 8;
    const u = stream(3, 'test', 'symmetric-eigen', 'u').normals(new Float64Array(n));
    const norm = Math.hypot(...u);
    for (let i = 0; i < n; i++) u[i] /= norm;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) a[i * n + j] = (i === j ? 1 : 0) + u[i] * u[j];
    }
    const eig = symmetricEigen(a, n);
    expect(Math.abs(eig.values[0] - 2)).toBeLessThan(1e-14);
    for (let k = 1; k < n; k++) expect(Math.abs(eig.values[k] - 1)).toBeLessThan(1e-14);
    expect(orthogonalityError(eig.vectors, n)).toBeLessThan(1e-12);
    expect(reconstructionError(a, n, eig)).toBeLessThan(1e-13);
    let alignment = 0;
    for (let i = 0; i < n; i++) alignment += eig.vectors[i * n] * u[i];
    expect(Math.abs(Math.abs(alignment) - 1)).toBeLessThan(1e-13);
  });

  it('finds a singular Kronecker-factor-like X^T X / m non-negative, with rank m', () => {
    const m = 12;
    const n = 40;
    const x = stream(5, 'test', 'symmetric-eigen', 'x').normals(new Float64Array(m * n));
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let r = 0; r < m; r++) s += x[r * n + i] * x[r * n + j];
        a[i * n + j] = s / m;
      }
    }
    const eig = symmetricEigen(a, n);
    for (const v of eig.values) expect(v).toBeGreaterThanOrEqual(-1e-12);
    expect(eig.values.filter((v) => v > 1e-9)).toHaveLength(m);
    expect(reconstructionError(a, n, eig)).toBeLessThan(1e-10 * maxAbs(a));
    expect(orthogonalityError(eig.vectors, n)).toBeLessThan(1e-12);
  });

  it('refuses bad input and reports non-convergence, saying why', () => {
    expect(() => symmetricEigen([1, 2, 3], 2)).toThrow(/2 x 2 matrix needs 4 entries, got 3/);
    expect(() => symmetricEigen([], 0)).toThrow(/size must be a positive integer, got 0/);
    expect(() => symmetricEigen([1, 0, NaN, 1], 2)).toThrow(/entry \(2, 1\) is NaN, not a finite number/);
    expect(() => symmetricEigen([1, Infinity, 0, 1], 2)).toThrow(/entry \(1, 2\) is Infinity/);
    expect(() => symmetricEigen(randomSymmetric(33, 7), 33, { maxSweeps: 1 })).toThrow(/not converged after 1 sweeps/);
  });
});
