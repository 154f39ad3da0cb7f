import { describe, expect, it } from 'vitest';
import { nelderMead } from '../../src/engine/forecast/nelder-mead';

describe('Nelder-Mead', () => {
  it('finds the minimum (1, 1) of the Rosenbrock function from (-1.2, 1)', () => {
    const rosenbrock = (x: Float64Array) => 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2;
    const r = nelderMead(rosenbrock, [-1.2, 1], { xTolerance: 1e-10, fTolerance: 1e-16 });
    expect(r.converged).toBe(true);
    expect(Math.abs(r.x[0] - 1)).toBeLessThan(1e-7);
    expect(Math.abs(r.x[1] - 1)).toBeLessThan(1e-7);
    expect(r.value).toBeLessThan(1e-14);
  });

  it('finds the centre of a badly scaled 4-D quadratic given per-coordinate steps', () => {
    const centre = [3, -2, 0.5, 100];
    const scale = [1, 10, 0.1, 1000];
    const f = (x: Float64Array) => centre.reduce((s, c, k) => s + ((x[k] - c) / scale[k]) ** 2, 0);
    const r = nelderMead(f, [0, 0, 0, 0], { step: scale, xTolerance: 1e-9, fTolerance: 1e-18, maxIterations: 5000 });
    expect(r.converged).toBe(true);
    centre.forEach((c, k) => expect(Math.abs(r.x[k] - c)).toBeLessThan(1e-6 * scale[k]));
  });

  it('never returns a point where the objective refuses with Infinity (or NaN)', () => {
    // Minimise (x - 2)^2 + y^2 over x <= 1: the constrained minimum is (1, 0).
    const f = (x: Float64Array) => (x[0] > 1 ? (x[1] > 0 ? Infinity : NaN) : (x[0] - 2) ** 2 + x[1] ** 2);
    const r = nelderMead(f, [0, 0.5], { step: 0.5, maxIterations: 2000 });
    expect(r.x[0]).toBeLessThanOrEqual(1);
    expect(r.x[0]).toBeCloseTo(1, 5);
    expect(r.x[1]).toBeCloseTo(0, 5);
    expect(Number.isFinite(r.value)).toBe(true);
  });
});
