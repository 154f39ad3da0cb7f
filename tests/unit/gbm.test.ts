import { describe, expect, it } from 'vitest';
import { gbmPaths } from '../../src/engine/markets/gbm';
import { stream } from '../../src/engine/random/stream';

describe('geometric Brownian motion', () => {
  const p = { s0: 100, drift: 0.05, volatility: 0.3, steps: 10, dt: 1 / 50 };
  const n = 40_000;
  const paths = gbmPaths(p, n, stream(11, 'market', 'test'));
  const cols = p.steps + 1;

  it('starts every path at S0', () => {
    for (let i = 0; i < n; i += 997) expect(paths[i * cols]).toBe(100);
  });

  it('has log-returns with mean (mu - sigma^2/2) dt and variance sigma^2 dt, independent across steps', () => {
    const r: number[] = [];
    for (let i = 0; i < n; i++) for (let t = 0; t < p.steps; t++) r.push(Math.log(paths[i * cols + t + 1] / paths[i * cols + t]));
    const mean = r.reduce((a, b) => a + b, 0) / r.length;
    const variance = r.reduce((a, b) => a + (b - mean) ** 2, 0) / (r.length - 1);
    const expectedVar = p.volatility ** 2 * p.dt;
    expect(Math.abs(mean - (p.drift - p.volatility ** 2 / 2) * p.dt)).toBeLessThan(4 * Math.sqrt(expectedVar / r.length));
    expect(Math.abs(variance / expectedVar - 1)).toBeLessThan(4 * Math.sqrt(2 / r.length) + 1e-4);
    let cov = 0;
    for (let i = 0; i < n; i++) cov += (r[i * p.steps] - mean) * (r[i * p.steps + 1] - mean);
    expect(Math.abs(cov / n / expectedVar)).toBeLessThan(4 / Math.sqrt(n));
  });

  it('has E[S_T] = S0 exp(mu T)', () => {
    let sum = 0, sq = 0;
    for (let i = 0; i < n; i++) { const s = paths[i * cols + p.steps]; sum += s; sq += s * s; }
    const mean = sum / n;
    const se = Math.sqrt((sq / n - mean * mean) / n);
    expect(Math.abs(mean - 100 * Math.exp(p.drift * p.steps * p.dt))).toBeLessThan(4 * se);
  });

  it('draws the first k paths of a larger draw identically', () => {
    const small = gbmPaths(p, 5, stream(11, 'market', 'test'));
    expect([...small]).toEqual([...paths.subarray(0, 5 * cols)]);
    const tail = gbmPaths(p, 3, stream(11, 'market', 'test'), 7);
    expect([...tail]).toEqual([...paths.subarray(7 * cols, 10 * cols)]);
  });
});
