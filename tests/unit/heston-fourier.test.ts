import { describe, expect, it } from 'vitest';
import { bsPrice } from '../../src/engine/pricing/black-scholes';
import {
  hestonCharacteristicFunction,
  hestonPrice,
  hestonPrices,
  type HestonModel,
  type HestonPriceInput,
} from '../../src/engine/pricing/heston-fourier';
import { hestonSmile } from '../../src/engine/pricing/heston-smile';

// 8-point Gauss-Legendre on [-1, 1] (positive half).
const GL_X = [0.1834346424956498, 0.525532409916329, 0.7966664774136267, 0.9602898564975363];
const GL_W = [0.362683783378362, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763];

/**
 * Brute-force reference, independent of the priced contour: Heston's original P1, P2 (Gil-Pelaez on the real
 * axis and on Im u = -1), by composite 8-point Gauss-Legendre on panels of width 1/2 up to where |phi| < 1e-17.
 *   call = e^{-rT} (F P1 - K P2),  P2 = 1/2 + (1/pi) int Re[e^{-iuk} phi(u) / (iu)] du,  P1 likewise with phi(u - i).
 */
function gilPelaez(i: HestonPriceInput): number {
  const q = i.dividend ?? 0;
  const forward = i.spot * Math.exp((i.rate - q) * i.maturity);
  const k = Math.log(i.strike / forward);
  const phi = (re: number, im: number) => hestonCharacteristicFunction({ re, im }, i.maturity, i);
  const small = (u: number) => Math.hypot(phi(u, 0).re, phi(u, 0).im) < 1e-17 && Math.hypot(phi(u, -1).re, phi(u, -1).im) < 1e-17;
  let end = 8;
  while (!small(end)) end *= 1.25;
  const panels = Math.ceil(end / 0.5);
  const h = end / panels;
  let p1 = 0;
  let p2 = 0;
  for (let j = 0; j < panels; j++) {
    const mid = (j + 0.5) * h;
    for (let g = 0; g < 4; g++) {
      for (const sign of [-1, 1]) {
        const u = mid + (sign * GL_X[g] * h) / 2;
        const weight = (GL_W[g] * h) / 2;
        const c = Math.cos(u * k);
        const s = -Math.sin(u * k);
        const f2 = phi(u, 0);
        const f1 = phi(u, -1);
        // Re[e^{-iuk} f / (iu)] = Im[e^{-iuk} f] / u
        p2 += (weight * (c * f2.im + s * f2.re)) / u;
        p1 += (weight * (c * f1.im + s * f1.re)) / u;
      }
    }
  }
  const call = Math.exp(-i.rate * i.maturity) * (forward * (0.5 + p1 / Math.PI) - i.strike * (0.5 + p2 / Math.PI));
  return i.kind === 'call' ? call : call - Math.exp(-i.rate * i.maturity) * (forward - i.strike);
}

const LEWIS = { spot: 100, rate: 0.01, dividend: 0.02, maturity: 1, v0: 0.04, kappa: 4, theta: 0.25, xi: 1, rho: -0.5 };

describe('Heston characteristic function', () => {
  const model: HestonModel = { v0: 0.04, kappa: 1.5, theta: 0.06, xi: 0.9, rho: -0.7 };

  it('is 1 at u = 0 and at u = -i (ln(S_T / F_T) is a martingale log-return)', () => {
    for (const T of [1 / 365, 1, 10]) {
      const at0 = hestonCharacteristicFunction({ re: 0, im: 0 }, T, model);
      const atMinusI = hestonCharacteristicFunction({ re: 0, im: -1 }, T, model);
      expect(Math.abs(at0.re - 1) + Math.abs(at0.im)).toBeLessThan(1e-15);
      expect(Math.abs(atMinusI.re - 1) + Math.abs(atMinusI.im)).toBeLessThan(1e-14);
    }
  });

  it('satisfies phi(-conj u) = conj phi(u) and |phi(u)| <= 1 on the real axis', () => {
    for (const u of [0.3, 2, 17, 250]) {
      const a = hestonCharacteristicFunction({ re: u, im: 0 }, 0.5, model);
      const b = hestonCharacteristicFunction({ re: -u, im: 0 }, 0.5, model);
      expect(Math.abs(a.re - b.re) + Math.abs(a.im + b.im)).toBeLessThan(1e-15);
      expect(Math.hypot(a.re, a.im)).toBeLessThanOrEqual(1);
    }
  });

  it('has the Black-Scholes form exp(-w (u^2 + iu) / 2) when xi = 0', () => {
    const T = 0.7;
    const m = { ...model, xi: 0 };
    const w = m.theta * T + ((m.v0 - m.theta) * (1 - Math.exp(-m.kappa * T))) / m.kappa;
    for (const [re, im] of [[0.5, 0], [3, -0.5], [12, 0.2]]) {
      const phi = hestonCharacteristicFunction({ re, im }, T, m);
      // u^2 + i u
      const sr = re * re - im * im - im;
      const si = 2 * re * im + re;
      const mag = Math.exp((-w * sr) / 2);
      expect(phi.re).toBeCloseTo(mag * Math.cos((-w * si) / 2), 14);
      expect(phi.im).toBeCloseTo(mag * Math.sin((-w * si) / 2), 14);
    }
  });
});

describe('Heston prices by Fourier integral', () => {
  it("matches Lewis's (2000) 15-digit call values", () => {
    const reference: [number, number][] = [
      [80, 26.774758743998854],
      [90, 20.93334900059671],
      [100, 16.070154917028834],
      [110, 12.132211516709845],
      [120, 9.024913483457836],
    ];
    for (const [strike, call] of reference) {
      const price = hestonPrice({ ...LEWIS, strike, kind: 'call' });
      expect(Math.abs(price - call) / call, `K=${strike}`).toBeLessThan(1e-13);
      // and the put of the same strike through parity
      const put = call - 100 * Math.exp(-0.02) + strike * Math.exp(-0.01);
      expect(Math.abs(hestonPrice({ ...LEWIS, strike, kind: 'put' }) - put), `put K=${strike}`).toBeLessThan(1e-12);
    }
  });

  it('matches the reference value of Fang & Oosterlee (2008), quoted to 10 digits', () => {
    const price = hestonPrice({ spot: 100, strike: 100, maturity: 1, rate: 0, v0: 0.0175, kappa: 1.5768, theta: 0.0398, xi: 0.5751, rho: -0.5711, kind: 'call' });
    expect(Math.abs(price - 5.78515545)).toBeLessThan(3e-8);
  });

  it('reduces to Black-Scholes with sigma^2 = theta when xi -> 0 and v0 = theta', () => {
    for (const maturity of [1 / 365, 0.25, 2, 10]) {
      for (const strike of [60, 90, 100, 115, 180]) {
        for (const kind of ['call', 'put'] as const) {
          const input = { spot: 100, strike, maturity, rate: 0.03, kind };
          const bs = bsPrice({ ...input, sigma: 0.2 });
          const exact = hestonPrice({ ...input, v0: 0.04, kappa: 2, theta: 0.04, xi: 0, rho: -0.5 });
          const tiny = hestonPrice({ ...input, v0: 0.04, kappa: 2, theta: 0.04, xi: 1e-9, rho: -0.5 });
          const label = `${kind} K=${strike} T=${maturity}`;
          expect(Math.abs(exact - bs), label).toBeLessThan(1e-12 * 100);
          expect(Math.abs(tiny - bs), label).toBeLessThan(1e-9 * 100);
        }
      }
    }
  });

  it('satisfies put-call parity C - P = S e^{-qT} - K e^{-rT}', () => {
    for (const maturity of [1 / 365, 0.1, 1, 10]) {
      for (const strike of [50, 85, 100, 130, 200]) {
        for (const xi of [0.01, 0.6, 2]) {
          const input = { spot: 100, strike, maturity, rate: 0.04, dividend: 0.01, v0: 0.05, kappa: 3, theta: 0.03, xi, rho: -0.8 };
          const call = hestonPrice({ ...input, kind: 'call' });
          const put = hestonPrice({ ...input, kind: 'put' });
          const forwardValue = 100 * Math.exp(-0.01 * maturity) - strike * Math.exp(-0.04 * maturity);
          expect(Math.abs(call - put - forwardValue), `K=${strike} T=${maturity} xi=${xi}`).toBeLessThan(1e-12 * 100);
        }
      }
    }
  });

  it('agrees with a brute-force Gil-Pelaez quadrature at one day and ten years, strikes 0.5-2 x spot, xi 0.01-2', () => {
    let worst = 0;
    for (const maturity of [1 / 365, 10]) {
      for (const strike of [50, 80, 100, 125, 200]) {
        for (const xi of [0.01, 0.5, 2]) {
          for (const rho of [-0.9, 0.4]) {
            const input: HestonPriceInput = { spot: 100, strike, maturity, rate: 0.02, v0: 0.04, kappa: 2, theta: 0.06, xi, rho, kind: strike >= 100 ? 'call' : 'put' };
            const reference = gilPelaez(input);
            const price = hestonPrice(input);
            // The accuracy promised: 1e-6 relative, or 1e-12 * spot absolute for the tiniest prices.
            const allowed = Math.max(1e-6 * reference, 1e-12 * 100);
            const label = `${input.kind} K=${strike} T=${maturity} xi=${xi} rho=${rho}: ${price} vs ${reference}`;
            expect(price, label).toBeGreaterThanOrEqual(0);
            expect(Math.abs(price - reference), label).toBeLessThan(allowed);
            worst = Math.max(worst, Math.abs(price - reference) / allowed);
          }
        }
      }
    }
    // Far inside the promise.
    expect(worst).toBeLessThan(0.2);
  });

  it('prices many initial variances at once as hestonPrice does one at a time', () => {
    const input = { spot: 1, strike: 1.05, maturity: 80 / 250, rate: 0, kappa: 8, theta: 0.0625, xi: 1, rho: -0.7, kind: 'call' as const };
    const variances = [0, 1e-4, 0.01, 0.0625, 0.3, 1, 2.5];
    const together = hestonPrices(input, variances);
    // Both within the quadrature's tolerance, max(1e-13, 1e-9 price), of the exact price.
    variances.forEach((v0, j) => {
      const alone = hestonPrice({ ...input, v0 });
      expect(Math.abs(together[j] - alone), `v0=${v0}`).toBeLessThan(2e-9 * alone + 2e-13);
    });
  });

  it('rejects parameters outside the model', () => {
    const input: HestonPriceInput = { spot: 100, strike: 100, maturity: 1, rate: 0, v0: 0.04, kappa: 2, theta: 0.04, xi: 0.5, rho: -0.5, kind: 'call' };
    expect(() => hestonPrice({ ...input, v0: -0.01 })).toThrow(/v0/);
    expect(() => hestonPrice({ ...input, rho: 1.2 })).toThrow(/rho/);
    expect(() => hestonPrice({ ...input, maturity: 0 })).toThrow(/maturity/);
    expect(() => hestonPrice({ ...input, strike: Number.NaN })).toThrow(/strike/);
  });
});

describe('Heston implied-volatility smile', () => {
  const maturities = [0.1, 0.5, 2];
  const strikes = [70, 80, 90, 100, 110, 120, 130];

  it('is flat at sqrt(theta) when xi -> 0 and v0 = theta', () => {
    const smile = hestonSmile({ spot: 100, rate: 0.02, dividend: 0.01, v0: 0.09, kappa: 1.5, theta: 0.09, xi: 1e-9, rho: -0.7 }, maturities, strikes);
    expect(smile.maturities).toEqual(maturities);
    expect(smile.strikes).toEqual(strikes);
    for (const row of smile.impliedVol) for (const iv of row) expect(Math.abs(iv - 0.3)).toBeLessThan(1e-7);
  });

  it('skews down when rho < 0: the vol at low strikes exceeds the vol at high strikes', () => {
    const smile = hestonSmile({ spot: 100, rate: 0, v0: 0.04, kappa: 2, theta: 0.04, xi: 0.6, rho: -0.7 }, maturities, strikes);
    for (const row of smile.impliedVol) {
      for (const iv of row) expect(iv).toBeGreaterThan(0.05);
      expect(row[0]).toBeGreaterThan(row[row.length - 1] + 0.01);
      // Falling from the lowest strike to the money.
      for (let j = 1; j <= strikes.indexOf(100); j++) expect(row[j]).toBeLessThan(row[j - 1]);
    }
  });

  it('is NaN where the price has no implied volatility', () => {
    // A one-day put struck at half the spot is worth 0 to float64 precision.
    const smile = hestonSmile({ spot: 100, rate: 0, v0: 0.04, kappa: 2, theta: 0.04, xi: 0.3, rho: -0.5 }, [1 / 365], [50, 100]);
    expect(Number.isNaN(smile.impliedVol[0][0])).toBe(true);
    expect(smile.impliedVol[0][1]).toBeGreaterThan(0.15);
  });
});
