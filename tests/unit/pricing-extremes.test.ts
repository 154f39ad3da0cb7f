/**
 * Every pricer at the bounds of the schema that feeds it (issue 13 "Hard to break": extreme-parameter tests):
 * at each corner it terminates with a finite answer inside the no-arbitrage bounds, or refuses with a
 * PricingError (src/engine/pricing/pricing-error.ts) that names the routine; it never returns NaN or Inf and
 * never runs unbounded. The corners are those of the price request (src/cli/price-request.ts), which shares
 * the experiment schema's market bounds: s0 and strike up to 1e6, maturity one day to 14.6 years, rate -1 to 1.
 */
import { describe, expect, it } from 'vitest';
import { bsGreeks } from '../../src/engine/pricing/black-scholes';
import { hestonPrice } from '../../src/engine/pricing/heston-fourier';
import { hestonSmile } from '../../src/engine/pricing/heston-smile';
import { impliedVol } from '../../src/engine/pricing/implied-vol';
import { bsLookbackCallDelta, bsLookbackCallPrice } from '../../src/engine/pricing/lookback';
import { mertonPrice } from '../../src/engine/pricing/merton';
import { PricingError } from '../../src/engine/pricing/pricing-error';
import { corners } from './parameter-corners';

const DAY = 1 / 365;
const LONGEST = 14.6;
const kinds = ['call', 'put'] as const;

/** A finite price inside max(intrinsic, 0) <= V <= upper (S for a call, K e^{-rT} for a put), to rounding. */
function expectNoArbitrage(price: number, q: { spot: number; strike: number; maturity: number; rate: number; kind: 'call' | 'put' }) {
  expect(Number.isFinite(price)).toBe(true);
  const discounted = q.strike * Math.exp(-q.rate * q.maturity);
  const forward = q.kind === 'call' ? q.spot - discounted : discounted - q.spot;
  const upper = q.kind === 'call' ? q.spot : discounted;
  const slack = 1e-9 * Math.max(q.spot, discounted);
  expect(price).toBeGreaterThanOrEqual(Math.max(forward, 0) - slack);
  expect(price).toBeLessThanOrEqual(upper + slack);
}

describe('pricers at the bounds of their schemas', () => {
  it('Black-Scholes: finite price and greeks at every corner, from s0 1e-300 to 1e6', () => {
    const cases = corners({ spot: [1e-300, 1, 1e6], strike: [1e-300, 1, 1e6], maturity: [DAY, LONGEST], rate: [-1, 1], sigma: [0.001, 3], kind: kinds });
    for (const q of cases) {
      const g = bsGreeks(q);
      for (const v of Object.values(g)) expect(Number.isFinite(v)).toBe(true);
      expectNoArbitrage(g.price, q);
    }
  });

  it('implied volatility: recovers sigma or says why not, in at most its bounded iterations', () => {
    const cases = corners({ spot: [1e-6, 1, 1e6], strike: [1, 100], maturity: [DAY, LONGEST], rate: [-1, 1], sigma: [0.001, 0.2, 3], kind: kinds });
    for (const q of cases) {
      const price = bsGreeks(q).price;
      const iv = impliedVol({ ...q, price });
      if (iv.ok) {
        // The sigma found prices the quote back (to the solver's tolerance, relative below a price of 1).
        expect(Math.abs(bsGreeks({ ...q, sigma: iv.sigma }).price - price)).toBeLessThanOrEqual(1e-9 * Math.max(1, price));
      } else {
        // Only a price rounded onto a no-arbitrage bound has no implied volatility.
        expect(iv.error).toMatch(/no-arbitrage (lower|upper) bound/);
        const discounted = q.strike * Math.exp(-q.rate * q.maturity);
        const intrinsic = Math.max(q.kind === 'call' ? q.spot - discounted : discounted - q.spot, 0);
        const upper = q.kind === 'call' ? q.spot : discounted;
        expect(Math.min(price - intrinsic, upper - price)).toBeLessThanOrEqual(1e-15 * Math.max(q.spot, discounted));
      }
      expect(impliedVol({ ...q, price: NaN })).toEqual({ ok: false, error: 'price must be a finite number, got NaN' });
    }
  });

  it('Merton: finite, inside the bounds and put-call parity at every corner of the experiment schema', () => {
    const cases = corners({
      volatility: [0.001, 3],
      jumpIntensity: [0, 100],
      jumpMean: [-1, 1],
      jumpStd: [0, 1],
      maturity: [DAY, LONGEST],
      strike: [0.5, 1, 2],
      rate: [-1, 0, 1],
    });
    for (const c of cases) {
      const q = { ...c, spot: 1 };
      const call = mertonPrice({ ...q, kind: 'call' });
      const put = mertonPrice({ ...q, kind: 'put' });
      expectNoArbitrage(call, { ...q, kind: 'call' });
      expectNoArbitrage(put, { ...q, kind: 'put' });
      expect(Math.abs(call - put - (1 - q.strike * Math.exp(-q.rate * q.maturity)))).toBeLessThan(1e-9 * Math.max(1, q.strike * Math.exp(-q.rate * q.maturity)));
    }
  });

  it('Merton: the series that overflowed to NaN (lambda 10, jump std 3) is finite; the one that hung is refused at once', () => {
    const q = { spot: 1, strike: 1, maturity: 1, rate: 0, volatility: 0.2 };
    // Before: BS(r_n) formed K e^{-r_n T} with r_n = -lambda kbar = -890, so Inf x 0 = NaN, printed as null.
    const call = mertonPrice({ ...q, jumpIntensity: 10, jumpMean: 0, jumpStd: 3, kind: 'call' });
    expectNoArbitrage(call, { ...q, kind: 'call' });
    const put = mertonPrice({ ...q, jumpIntensity: 10, jumpMean: 0, jumpStd: 3, kind: 'put' });
    expect(call - put).toBeCloseTo(0, 12);
    // Before: ~8e9 terms (2 lambda (1 + kbar) T with kbar = e^17.5 - 1), hours of work.
    const hung = () => mertonPrice({ ...q, jumpIntensity: 100, jumpMean: 5, jumpStd: 5, kind: 'call' });
    expect(hung).toThrow(PricingError);
    expect(hung).toThrow(/^merton: the jump series needs more than 100,000 terms .* at lambda 100, jumpMean 5, jumpStd 5, maturity 1: lower the jump intensity/);
  });

  it('Heston: finite and inside the bounds, or a PricingError naming the model, at every corner of the experiment schema', () => {
    const cases = corners({
      v0: [1e-4, 4],
      kappa: [0.01, 50],
      theta: [1e-4, 4],
      xi: [0.001, 5],
      rho: [-0.999, 0.999],
      maturity: [DAY, LONGEST],
      kind: kinds,
    });
    let refused = 0;
    for (const c of cases) {
      const q = { ...c, spot: 1, strike: 1.25, rate: 0.05 };
      try {
        expectNoArbitrage(hestonPrice(q), q);
      } catch (e) {
        expect(e).toBeInstanceOf(PricingError);
        expect((e as Error).message).toMatch(/^heston: the Fourier integral misses its tolerance by .* after 2000 intervals at kappa 0.01, theta 0.0001, xi 5, .*Feller/);
        refused++;
      }
    }
    // Only the corners far from Feller's condition (kappa theta / xi^2 ~ 4e-8, ten years) are refused.
    expect(refused).toBeGreaterThan(0);
    expect(refused).toBeLessThanOrEqual(8);
  });

  it('Heston: a price its quadrature cannot reach is refused, not returned silently wrong', () => {
    // Before: 2000 intervals, then the sum returned with |K21 - G10| at 1e9 of its tolerance.
    const q = { spot: 1, strike: 2, maturity: LONGEST, rate: 1, v0: 1e-4, kappa: 0.01, theta: 1e-4, xi: 5, rho: 0.999, kind: 'call' as const };
    expect(() => hestonPrice(q)).toThrow(PricingError);
  });

  it("Heston smile: a price the quadrature refuses is a gap (NaN) in the preview's smile, not a failed preview", () => {
    const model = { spot: 100, rate: 0, v0: 1e-4, kappa: 0.01, theta: 1e-4, xi: 5, rho: 0.999 };
    expect(() => hestonPrice({ ...model, strike: 80, maturity: 3.65, kind: 'put' })).toThrow(PricingError);
    const smile = hestonSmile(model, [3.65, 14.6], [80, 100, 120]);
    expect(smile.impliedVol.map((row) => row.map((v) => (Number.isNaN(v) ? 'gap' : v > 0 && v < 1 ? 'vol' : v)))).toEqual([
      ['gap', 'vol', 'gap'],
      ['gap', 'vol', 'gap'],
    ]);
  });

  it('lookback: finite price and delta at every corner of spot, running maximum, strike, maturity and volatility', () => {
    const cases = corners({ spot: [1e-6, 1, 1e6], runningMax: [1e-6, 1, 1e6], strike: [1e-6, 1, 1e6], maturity: [0, DAY, LONGEST], volatility: [0.001, 3] });
    for (const q of cases) {
      const price = bsLookbackCallPrice(q);
      const delta = bsLookbackCallDelta(q);
      expect(Number.isFinite(price)).toBe(true);
      expect(Number.isFinite(delta)).toBe(true);
      expect(price).toBeGreaterThanOrEqual(Math.max(q.runningMax, q.spot, q.strike) - q.strike - 1e-9 * Math.max(q.spot, q.strike));
      expect(delta).toBeGreaterThanOrEqual(0);
    }
  });
});
