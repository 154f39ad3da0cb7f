/**
 * The simulated factor panel (data/factor-panel.ts): its calendar, its reproducibility, and the correlation
 * and regime structure its formula implies, measured on its own log-returns.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_FACTOR_PANEL, factorPanel } from '../../src/engine/data/factor-panel';

const logReturns = (prices: Float64Array) => Float64Array.from({ length: prices.length - 1 }, (_, t) => Math.log(prices[t + 1]! / prices[t]!));

function correlation(a: Float64Array, b: Float64Array, keep: (t: number) => boolean = () => true): number {
  let [n, sa, sb] = [0, 0, 0];
  for (let t = 0; t < a.length; t++) if (keep(t)) [n, sa, sb] = [n + 1, sa + a[t]!, sb + b[t]!];
  const [ma, mb] = [sa / n, sb / n];
  let [cab, caa, cbb] = [0, 0, 0];
  for (let t = 0; t < a.length; t++) {
    if (!keep(t)) continue;
    cab += (a[t]! - ma) * (b[t]! - mb);
    caa += (a[t]! - ma) ** 2;
    cbb += (b[t]! - mb) ** 2;
  }
  return cab / Math.sqrt(caa * cbb);
}

const variance = (a: Float64Array, keep: (t: number) => boolean) => {
  const kept = a.filter((_, t) => keep(t));
  const m = kept.reduce((s, x) => s + x, 0) / kept.length;
  return kept.reduce((s, x) => s + (x - m) ** 2, 0) / (kept.length - 1);
};

describe('the simulated factor panel', () => {
  const sim = factorPanel({ ...DEFAULT_FACTOR_PANEL, seed: 7 });
  const r = sim.panel.close.map(logReturns);

  it('has one price series per asset on weekdays from 2000-01-03, starting at 100', () => {
    expect(sim.panel.symbols).toHaveLength(30);
    expect(sim.panel.dates).toHaveLength(2520);
    expect(sim.panel.dates.slice(0, 6)).toEqual(['2000-01-03', '2000-01-04', '2000-01-05', '2000-01-06', '2000-01-07', '2000-01-10']);
    for (const d of sim.panel.dates) expect([0, 6]).not.toContain(new Date(`${d}T00:00:00Z`).getUTCDay());
    for (const c of sim.panel.close) expect(c[0]).toBe(100);
    expect(sim.group.slice(0, 6)).toEqual([0, 1, 2, 0, 1, 2]);
    expect(sim.panel.symbols.slice(0, 4)).toEqual(['F1-01', 'F2-02', 'F3-03', 'F1-04']);
  });

  it('is a function of its seed', () => {
    const again = factorPanel({ ...DEFAULT_FACTOR_PANEL, seed: 7 });
    expect(Array.from(again.panel.close[4]!)).toEqual(Array.from(sim.panel.close[4]!));
    const other = factorPanel({ ...DEFAULT_FACTOR_PANEL, seed: 8 });
    expect(other.panel.close[4]![100]).not.toBe(sim.panel.close[4]![100]);
  });

  it('correlates assets of one factor as its formula says, and assets of different factors not at all', () => {
    const { factorVolatility: v, idiosyncraticVolatility: e } = DEFAULT_FACTOR_PANEL;
    const calm = (t: number) => sim.turbulent[0]![t] === 0;
    const [i, j] = [0, 3]; // both on factor 0
    const [bi, bj] = [sim.loading[i]!, sim.loading[j]!];
    const implied = (bi * bj * v * v) / Math.sqrt((bi * bi * v * v + e * e) * (bj * bj * v * v + e * e));
    expect(correlation(r[i]!, r[j]!, calm)).toBeCloseTo(implied, 1);
    expect(implied).toBeGreaterThan(0.7);
    expect(Math.abs(correlation(r[0]!, r[1]!))).toBeLessThan(0.08);
    expect(Math.abs(correlation(r[1]!, r[5]!))).toBeLessThan(0.08);
  });

  it('spends time in both regimes, the turbulent one with the set multiple of factor volatility', () => {
    for (const states of sim.turbulent) {
      const share = states.reduce((s, x) => s + x, 0) / states.length;
      // Stationary share of turbulence: (1 - stayCalm) / (2 - stayCalm - stayTurbulent) = 0.25.
      expect(share).toBeGreaterThan(0.1);
      expect(share).toBeLessThan(0.45);
    }
    // Each factor has its own chain: their regimes differ on a good share of the days.
    const [a, b0] = [sim.turbulent[0]!, sim.turbulent[1]!];
    expect(a.filter((x, t) => x !== b0[t]).length / a.length).toBeGreaterThan(0.15);
    const { factorVolatility: v, idiosyncraticVolatility: e, turbulence: k } = DEFAULT_FACTOR_PANEL;
    const b = sim.loading[2]!;
    const own = sim.turbulent[sim.group[2]!]!;
    const ratio = variance(r[2]!, (t) => own[t] === 1) / variance(r[2]!, (t) => own[t] === 0);
    const implied = (b * b * k * k * v * v + e * e) / (b * b * v * v + e * e);
    expect(ratio / implied).toBeGreaterThan(0.85);
    expect(ratio / implied).toBeLessThan(1.15);
  });

  it('names the setting that is out of range', () => {
    expect(() => factorPanel({ ...DEFAULT_FACTOR_PANEL, factors: 31, seed: 1 })).toThrow(/factors must be a whole number from 1 to the number of assets \(30\), not 31/);
    expect(() => factorPanel({ ...DEFAULT_FACTOR_PANEL, days: 1, seed: 1 })).toThrow(/days/);
  });
});
