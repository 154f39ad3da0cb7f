import { describe, expect, it } from 'vitest';
import { bsGreeks, bsPrice, type OptionKind } from '../../src/engine/pricing/black-scholes';
import { impliedVol } from '../../src/engine/pricing/implied-vol';

const KINDS: OptionKind[] = ['call', 'put'];
const SPOT = 100;
const STRIKES = [0.5, 0.6, 0.75, 0.9, 0.97, 1, 1.03, 1.1, 1.25, 1.5, 2].map((m) => m * SPOT);
const MATURITIES = [1 / 365, 1 / 52, 1 / 12, 0.25, 1, 3, 10];

function bounds(kind: OptionKind, strike: number, maturity: number, rate: number): [number, number] {
  const dk = strike * Math.exp(-rate * maturity);
  return kind === 'call' ? [Math.max(SPOT - dk, 0), SPOT] : [Math.max(dk - SPOT, 0), dk];
}

describe('implied volatility', () => {
  it('round-trips Black-Scholes prices across strikes 0.5..2 x spot and maturities 1 day..10 years', () => {
    let recovered = 0;
    for (const kind of KINDS)
      for (const strike of STRIKES)
        for (const maturity of MATURITIES)
          for (const rate of [0, 0.05])
            for (const sigma of [0.05, 0.2, 0.5, 1.2]) {
              const input = { spot: SPOT, strike, maturity, rate, kind };
              const price = bsPrice({ ...input, sigma });
              const [lower, upper] = bounds(kind, strike, maturity, rate);
              const label = `${kind} K=${strike} T=${maturity} r=${rate} sigma=${sigma} price=${price}`;
              const r = impliedVol({ ...input, price });
              if (!(price > lower && price < upper)) {
                // The float64 price rounded onto a bound (deep ITM/OTM, tiny time value): no implied vol.
                expect(r.ok, label).toBe(false);
                continue;
              }
              if (!r.ok) throw new Error(`${label}: ${r.error}`);
              expect(Math.abs(bsPrice({ ...input, sigma: r.sigma }) - price), label).toBeLessThan(1e-9);
              if (bsGreeks({ ...input, sigma }).vega > 1e-4) {
                expect(Math.abs(r.sigma - sigma), label).toBeLessThan(1e-6);
                recovered++;
              }
            }
    // The vega filter only drops the far wings of the shortest maturities.
    expect(recovered).toBeGreaterThan(500);
  });

  it('converges for every price strictly inside the no-arbitrage bounds', () => {
    const fractions = [1e-12, 1e-8, 1e-4, 0.01, 0.2, 0.5, 0.8, 0.99, 1 - 1e-6, 1 - 1e-10];
    for (const kind of KINDS)
      for (const strike of STRIKES)
        for (const maturity of [1 / 365, 1, 10])
          for (const rate of [-0.02, 0.05])
            for (const u of fractions) {
              const [lower, upper] = bounds(kind, strike, maturity, rate);
              const price = lower + u * (upper - lower);
              const input = { spot: SPOT, strike, maturity, rate, kind, price };
              const r = impliedVol(input);
              const label = `${kind} K=${strike} T=${maturity} r=${rate} u=${u}`;
              if (!r.ok) throw new Error(`${label}: ${r.error}`);
              expect(r.sigma, label).toBeGreaterThan(0);
              expect(Math.abs(bsPrice({ ...input, sigma: r.sigma }) - price), label).toBeLessThan(1e-9);
            }
  });

  it('recovers a textbook volatility (Hull: S=42, K=40, r=10%, T=0.5, C=4.7594 -> 20%)', () => {
    const r = impliedVol({ price: 4.7594223928715333951, spot: 42, strike: 40, maturity: 0.5, rate: 0.1, kind: 'call' });
    expect(r.ok && r.sigma).toBeCloseTo(0.2, 12);
  });

  it('rejects prices outside the no-arbitrage bounds, naming the bound', () => {
    const base = { spot: 100, strike: 100, maturity: 1, rate: 0.05 };
    const dk = 100 * Math.exp(-0.05);
    const error = (r: ReturnType<typeof impliedVol>) => (r.ok ? `ok ${r.sigma}` : r.error);
    expect(error(impliedVol({ ...base, kind: 'call', price: 100 }))).toMatch(/upper bound S = 100/);
    expect(error(impliedVol({ ...base, kind: 'call', price: 150 }))).toMatch(/upper bound S/);
    expect(error(impliedVol({ ...base, kind: 'call', price: 100 - dk }))).toMatch(/lower bound max\(S - K e\^\{-rT\}, 0\)/);
    expect(error(impliedVol({ ...base, kind: 'call', price: 1 }))).toMatch(/lower bound/);
    expect(error(impliedVol({ ...base, kind: 'put', price: -0.5 }))).toMatch(/lower bound max\(K e\^\{-rT\} - S, 0\) = 0/);
    expect(error(impliedVol({ ...base, kind: 'put', price: dk }))).toMatch(/upper bound K e\^\{-rT\}/);
    expect(error(impliedVol({ ...base, strike: 150, kind: 'put', price: 40 }))).toMatch(/put price 40 is not above the no-arbitrage lower bound/);
  });

  it('rejects a non-positive maturity and non-finite or non-positive inputs', () => {
    const base = { price: 5, spot: 100, strike: 100, maturity: 1, rate: 0, kind: 'call' as const };
    const error = (r: ReturnType<typeof impliedVol>) => (r.ok ? `ok ${r.sigma}` : r.error);
    expect(error(impliedVol({ ...base, maturity: 0 }))).toMatch(/maturity must be positive/);
    expect(error(impliedVol({ ...base, maturity: -1 }))).toMatch(/maturity must be positive/);
    expect(error(impliedVol({ ...base, price: NaN }))).toMatch(/price must be a finite number/);
    expect(error(impliedVol({ ...base, rate: Infinity }))).toMatch(/rate must be a finite number/);
    expect(error(impliedVol({ ...base, spot: 0 }))).toMatch(/spot must be positive/);
    expect(error(impliedVol({ ...base, strike: -5 }))).toMatch(/strike must be positive/);
  });
});
