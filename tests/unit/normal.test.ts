import { describe, expect, it } from 'vitest';
import { normCdf, normInv, normPdf } from '../../src/engine/pricing/normal';

/** Reference values from mpmath at 40 significant digits (ncdf, npdf, sqrt(2) erfinv(2p - 1)). */
const CDF: [number, number][] = [
  [0, 0.5],
  [0.3, 0.61791142218895263307],
  [0.5, 0.69146246127401310364],
  [1, 0.84134474606854294859],
  [-1, 0.15865525393145705141],
  [1.96, 0.97500210485177956379],
  [-2.5, 0.006209665325776135167],
  [3, 0.99865010196836990547],
  [-5, 2.8665157187919391167e-7],
  [-8, 6.2209605742717841235e-16],
  [-10, 7.619853024160526066e-24],
  [-20, 2.7536241186062336951e-89],
  [-37, 5.7255712225245768227e-300],
  [6, 0.99999999901341235496],
];
const PDF: [number, number][] = [
  [0, 0.39894228040143267794],
  [0.3, 0.38138781546052408688],
  [-1, 0.2419707245191433498],
  [1.96, 0.058440944333451464389],
  [-5, 1.4867195147342977079e-6],
  [-10, 7.6945986267064193463e-23],
  [-37, 2.1200065515246056269e-298],
];
const INV: [number, number][] = [
  [1e-300, -37.047096299361199237],
  [1e-20, -9.2623400897984075796],
  [1e-10, -6.3613409024040561991],
  [1e-5, -4.2648907939228246102],
  [0.001, -3.0902323061678135354],
  [0.02425, -1.9729610513118848376],
  [0.1, -1.2815515655446004353],
  [0.3, -0.52440051270804081597],
  [0.75, 0.6744897501960817432],
  [0.975, 1.9599639845400538556],
  [0.999, 3.0902323061678132778],
];

const relErr = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('normal distribution', () => {
  it('normCdf matches high-precision values to ~1e-15 relative, tails included', () => {
    for (const [x, want] of CDF) expect(relErr(normCdf(x), want), `Phi(${x})`).toBeLessThan(2e-15);
  });

  it('normPdf matches high-precision values', () => {
    for (const [x, want] of PDF) expect(relErr(normPdf(x), want), `phi(${x})`).toBeLessThan(2e-15);
  });

  it('normCdf is symmetric, monotone and saturates without NaN', () => {
    for (let x = -9; x <= 9; x += 0.37) expect(Math.abs(normCdf(x) + normCdf(-x) - 1)).toBeLessThan(2e-16);
    let previous = 0;
    for (let x = -40; x <= 10; x += 0.01) {
      const p = normCdf(x);
      expect(p).toBeGreaterThanOrEqual(previous);
      previous = p;
    }
    expect(normCdf(-Infinity)).toBe(0);
    expect(normCdf(Infinity)).toBe(1);
    expect(normCdf(-50)).toBe(0);
    expect(normPdf(Infinity)).toBe(0);
  });

  it('normCdf agrees with the integral of normPdf (Simpson, independent of the erfc)', () => {
    const a = -1.3;
    const b = 2.1;
    const m = 2000;
    const h = (b - a) / m;
    let s = normPdf(a) + normPdf(b);
    for (let i = 1; i < m; i++) s += (i % 2 ? 4 : 2) * normPdf(a + i * h);
    expect((s * h) / 3).toBeCloseTo(normCdf(b) - normCdf(a), 13);
  });

  it('normInv matches high-precision quantiles after the Halley step', () => {
    for (const [p, want] of INV) expect(relErr(normInv(p), want), `Phi^-1(${p})`).toBeLessThan(1e-14);
    expect(normInv(0.5)).toBe(0);
  });

  it('normInv inverts normCdf across the range and handles the ends', () => {
    for (let x = -8; x <= 8; x += 0.125) {
      // Above 0, Phi(x) is rounded near 1 by up to eps/2, which moves the quantile by eps / (2 phi(x)).
      const conditioning = x > 0 ? Number.EPSILON / normPdf(x) : 0;
      expect(Math.abs(normInv(normCdf(x)) - x), `x = ${x}`).toBeLessThan(1e-12 + conditioning);
    }
    expect(normInv(0)).toBe(-Infinity);
    expect(normInv(1)).toBe(Infinity);
    expect(normInv(-0.1)).toBeNaN();
    expect(normInv(1.5)).toBeNaN();
  });
});
