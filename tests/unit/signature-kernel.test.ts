/** The signature kernel by its Goursat PDE, and the signature-kernel MMD (src/engine/signatures/signature-kernel.ts). */
import { describe, expect, it } from 'vitest';
import { signatureKernel, signatureMmd2, type Path } from '../../src/engine/signatures/signature-kernel';
import { signature } from '../../src/engine/signatures/tensor-algebra';
import { stream } from '../../src/engine/random/stream';

/** sum_n c^n / (n!)^2: I_0(2 sqrt(c)) for c >= 0, J_0(2 sqrt(-c)) below. */
function besselSeries(c: number): number {
  let term = 1;
  let sum = 1;
  for (let n = 1; n < 60; n++) {
    term *= c / (n * n);
    sum += term;
  }
  return sum;
}

const line = (a: number[]): Path => [a.map(() => 0), a];

describe('signature kernel', () => {
  it('of two straight lines is I_0(2 sqrt(<a, b>)), the scheme converging as the grid is refined', () => {
    for (const [a, b] of [
      [[1, 0.5], [0.8, 0.6]],
      [[2, -1], [1.5, 0.3]],
      [[1, 0], [-1.2, 0.4]],
    ]) {
      const c = a.reduce((s, x, i) => s + x * b[i]!, 0);
      const exact = besselSeries(c);
      const errors = [2, 4, 6, 8].map((order) => Math.abs(signatureKernel(line(a), line(b), order) - exact));
      // A single cell is exact to second order: 1 + c + c^2 / 4.
      expect(signatureKernel(line(a), line(b), 0)).toBeCloseTo(1 + c + (c * c) / 4, 12);
      // Second order: a grid 4x finer in each direction cuts the error towards 16x (about 10x on coarse grids).
      for (let k = 1; k < errors.length; k++) expect(errors[k - 1]! / errors[k]!).toBeGreaterThan(8);
      expect(errors.at(-1)!).toBeLessThan(1e-5 * exact);
    }
  });

  it('equals the inner product of the two truncated signatures of piecewise-linear paths', () => {
    const rng = stream(3, 'sigkernel');
    const normals = rng.normals(new Float64Array(2 * 2 * 6), 0);
    const path = (offset: number): Path => {
      const points: number[][] = [[0, 0]];
      for (let i = 0; i < 6; i++) points.push(points[i]!.map((v, c) => v + 0.3 * normals[offset + 2 * i + c]!));
      return points;
    };
    const [x, y] = [path(0), path(12)];
    const depth = 12;
    const inner = signature(x, depth).reduce((s, v, i) => s + v * signature(y, depth)[i]!, 1);
    expect(Math.abs(signatureKernel(x, y, 8) - inner)).toBeLessThan(1e-6 * inner);
    expect(signatureKernel(x, y, 5)).toBeCloseTo(signatureKernel(y, x, 5), 12);
  });

  it('gives the MMD of two point masses as ||S(x) - S(y)||^2, and refuses a sample of one path', () => {
    const [a, b] = [[0.6, 0.2], [0.1, -0.5]];
    const dot = (u: number[], v: number[]) => u.reduce((s, x, i) => s + x * v[i]!, 0);
    const expected = besselSeries(dot(a, a)) + besselSeries(dot(b, b)) - 2 * besselSeries(dot(a, b));
    const mmd = signatureMmd2([line(a), line(a)], [line(b), line(b)], 6);
    expect(mmd).toBeGreaterThan(0);
    expect(Math.abs(mmd - expected)).toBeLessThan(1e-6);
    expect(signatureMmd2([line(a), line(b)], [line(b), line(a)], 2)).toBeCloseTo(signatureMmd2([line(b), line(a)], [line(a), line(b)], 2), 12);
    expect(() => signatureMmd2([line(a)], [line(b), line(b)])).toThrow(/at least 2 paths/);
  });
});
