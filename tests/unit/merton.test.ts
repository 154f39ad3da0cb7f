import { describe, expect, it } from 'vitest';
import { mertonMeanJump, mertonPaths, type MertonParams } from '../../src/engine/markets/merton';
import { bsPrice, type OptionKind } from '../../src/engine/pricing/black-scholes';
import { mertonPrice, type MertonInput } from '../../src/engine/pricing/merton';
import { monteCarloPrice } from '../../src/engine/pricing/monte-carlo';
import { stream } from '../../src/engine/random/stream';

/**
 * Brute-force reference: Lewis's (2001) Fourier formula C = S - sqrt(S K) e^{-rT/2} / pi
 * int_0^inf Re[e^{i u kappa} phi(u - i/2)] / (u^2 + 1/4) du, kappa = ln(S/K) + rT, phi the characteristic
 * function of ln(S_T / S) - rT, integrated by composite Simpson on [0, 400] with 40 000 intervals. Independent
 * of the Poisson series (no Black-Scholes terms); the put follows by parity.
 */
function lewisCall(i: Omit<MertonInput, 'kind'>): number {
  const { spot: s, strike: k, maturity: t, rate: r, volatility: sigma, jumpIntensity: lambda, jumpMean: m, jumpStd: delta } = i;
  const drift = -0.5 * sigma * sigma - lambda * mertonMeanJump(m, delta);
  const kappa = Math.log(s / k) + r * t;
  const integrand = (u: number) => {
    // z = u - i/2: i z = 1/2 + i u, z^2 = u^2 - 1/4 - i u.
    const izRe = 0.5, izIm = u;
    const z2Re = u * u - 0.25, z2Im = -u;
    // jump term exp(i z m - delta^2 z^2 / 2) - 1
    const jRe = izRe * m - 0.5 * delta * delta * z2Re;
    const jIm = izIm * m - 0.5 * delta * delta * z2Im;
    const jump = [Math.exp(jRe) * Math.cos(jIm) - 1, Math.exp(jRe) * Math.sin(jIm)];
    const eRe = t * (izRe * drift - 0.5 * sigma * sigma * z2Re + lambda * jump[0]);
    const eIm = t * (izIm * drift - 0.5 * sigma * sigma * z2Im + lambda * jump[1]);
    return (Math.exp(eRe) * Math.cos(eIm + u * kappa)) / (u * u + 0.25);
  };
  const intervals = 40_000;
  const h = 400 / intervals;
  let sum = integrand(0) + integrand(400);
  for (let j = 1; j < intervals; j++) sum += (j % 2 === 1 ? 4 : 2) * integrand(j * h);
  return s - (Math.sqrt(s * k) * Math.exp(-0.5 * r * t) / Math.PI) * (sum * h) / 3;
}

const base: MertonInput = { spot: 100, strike: 100, maturity: 0.5, rate: 0.03, volatility: 0.2, jumpIntensity: 1, jumpMean: -0.1, jumpStd: 0.15, kind: 'call' };

describe('Merton jump-diffusion price (Poisson series)', () => {
  it('is Black-Scholes when there are no jumps, or when jumps have size 1', () => {
    for (const kind of ['call', 'put'] as OptionKind[])
      for (const strike of [70, 100, 140]) {
        const bs = bsPrice({ spot: 100, strike, maturity: 0.5, rate: 0.03, sigma: 0.2, kind });
        expect(mertonPrice({ ...base, strike, kind, jumpIntensity: 0 })).toBe(bs);
        expect(Math.abs(mertonPrice({ ...base, strike, kind, jumpIntensity: 3, jumpMean: 0, jumpStd: 0 }) - bs)).toBeLessThan(1e-12);
      }
  });

  it('satisfies put-call parity C - P = S - K e^{-rT}', () => {
    for (const strike of [50, 90, 100, 110, 200])
      for (const [jumpIntensity, jumpMean, jumpStd] of [[0.5, -0.2, 0.1], [3, 0.05, 0.3], [40, -0.02, 0.05]])
        for (const maturity of [0.1, 1, 3]) {
          const i = { ...base, strike, maturity, jumpIntensity, jumpMean, jumpStd };
          const parity = mertonPrice(i) - mertonPrice({ ...i, kind: 'put' });
          expect(Math.abs(parity - (100 - strike * Math.exp(-0.03 * maturity)))).toBeLessThan(1e-10);
        }
  });

  it("matches Lewis's Fourier integral of the characteristic function to 1e-11", () => {
    // The integrator itself reproduces Black-Scholes when lambda = 0.
    expect(Math.abs(lewisCall({ ...base, jumpIntensity: 0 }) - bsPrice({ spot: 100, strike: 100, maturity: 0.5, rate: 0.03, sigma: 0.2, kind: 'call' }))).toBeLessThan(1e-10);
    const cases: Omit<MertonInput, 'kind'>[] = [
      base,
      { ...base, strike: 80, maturity: 2, jumpIntensity: 0.3, jumpMean: -0.4, jumpStd: 0.25 },
      { ...base, strike: 125, volatility: 0.3, jumpIntensity: 5, jumpMean: 0.08, jumpStd: 0.1 },
      { ...base, strike: 95, maturity: 2, rate: 0, volatility: 0.15, jumpIntensity: 50, jumpMean: -0.01, jumpStd: 0.03 },
    ];
    for (const c of cases) {
      const reference = lewisCall(c);
      expect(Math.abs(mertonPrice({ ...c, kind: 'call' }) - reference), JSON.stringify(c)).toBeLessThan(1e-11);
      const put = reference - c.spot + c.strike * Math.exp(-c.rate * c.maturity);
      expect(Math.abs(mertonPrice({ ...c, kind: 'put' }) - put), JSON.stringify(c)).toBeLessThan(1e-11);
    }
  });

  it('equals the Monte Carlo price of mertonPaths (mu = r) within 3 standard errors', () => {
    const sets: MertonInput[] = [
      base,
      { spot: 100, strike: 90, maturity: 1, rate: 0, volatility: 0.1, jumpIntensity: 3, jumpMean: 0.05, jumpStd: 0.2, kind: 'put' },
    ];
    for (const [k, c] of sets.entries()) {
      const steps = 4;
      const n = 100_000;
      const p: MertonParams = { s0: c.spot, drift: c.rate, volatility: c.volatility, jumpIntensity: c.jumpIntensity, jumpMean: c.jumpMean, jumpStd: c.jumpStd, steps, dt: c.maturity / steps };
      const paths = mertonPaths(p, n, stream(7, 'merton', 'mc', k));
      for (const kind of ['call', 'put'] as OptionKind[]) {
        const payoffs = new Float64Array(n);
        for (let j = 0; j < n; j++) {
          const sT = paths[j * (steps + 1) + steps];
          payoffs[j] = Math.max(kind === 'call' ? sT - c.strike : c.strike - sT, 0);
        }
        const mc = monteCarloPrice(payoffs, Math.exp(-c.rate * c.maturity));
        const exact = mertonPrice({ ...c, kind });
        expect(Math.abs(mc.price - exact), `${kind} ${JSON.stringify(c)}: mc ${mc.price} +- ${mc.standardError}, exact ${exact}`).toBeLessThan(3 * mc.standardError);
      }
    }
  });
});

describe('Merton jump-diffusion paths', () => {
  const p: MertonParams = { s0: 100, drift: 0.08, volatility: 0.2, jumpIntensity: 2, jumpMean: -0.05, jumpStd: 0.1, steps: 20, dt: 1 / 20 };
  const n = 50_000;
  const cols = p.steps + 1;
  const paths = mertonPaths(p, n, stream(11, 'merton', 'paths'));

  it('starts at S0 and has E[S_T] = S0 e^{mu T}', () => {
    const terminal = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      expect(paths[i * cols]).toBe(100);
      terminal[i] = paths[i * cols + p.steps];
    }
    const mc = monteCarloPrice(terminal);
    expect(Math.abs(mc.price - 100 * Math.exp(p.drift))).toBeLessThan(3 * mc.standardError);
  });

  it('has one-step log returns with the mean, variance and fourth moment of the compound-Poisson mixture', () => {
    // per step: mean (mu - lambda kbar - sigma^2/2) dt + lambda dt m, variance sigma^2 dt + lambda dt (m^2 + delta^2)
    const ld = p.jumpIntensity * p.dt;
    const mean = (p.drift - p.jumpIntensity * mertonMeanJump(p.jumpMean, p.jumpStd) - 0.5 * p.volatility ** 2) * p.dt + ld * p.jumpMean;
    const variance = p.volatility ** 2 * p.dt + ld * (p.jumpMean ** 2 + p.jumpStd ** 2);
    let sum = 0, sq = 0, fourth = 0;
    const m = n * p.steps;
    for (let i = 0; i < n; i++)
      for (let t = 0; t < p.steps; t++) {
        const r = Math.log(paths[i * cols + t + 1] / paths[i * cols + t]) - mean;
        sum += r; sq += r * r; fourth += r ** 4;
      }
    expect(Math.abs(sum / m)).toBeLessThan(4 * Math.sqrt(variance / m));
    expect(Math.abs(sq / m / variance - 1)).toBeLessThan(0.01);
    // Excess kurtosis from jumps: cumulant kappa4 = lambda dt (m^4 + 6 m^2 delta^2 + 3 delta^4).
    const kappa4 = ld * (p.jumpMean ** 4 + 6 * p.jumpMean ** 2 * p.jumpStd ** 2 + 3 * p.jumpStd ** 4);
    expect(fourth / m / (kappa4 + 3 * variance ** 2)).toBeCloseTo(1, 1);
  });

  it('draws the first k paths of a larger draw identically, and any path range on its own', () => {
    const small = mertonPaths(p, 5, stream(11, 'merton', 'paths'));
    expect([...small]).toEqual([...paths.subarray(0, 5 * cols)]);
    const tail = mertonPaths(p, 3, stream(11, 'merton', 'paths'), 7);
    expect([...tail]).toEqual([...paths.subarray(7 * cols, 10 * cols)]);
    const odd = { ...p, steps: 3 };
    const whole = mertonPaths(odd, 6, stream(2, 'odd'));
    expect([...mertonPaths(odd, 2, stream(2, 'odd'), 3)]).toEqual([...whole.subarray(3 * 4, 5 * 4)]);
  });

  it('is GBM with drift mu when the intensity is zero', () => {
    const q = { ...p, jumpIntensity: 0 };
    const gbmLike = mertonPaths(q, 2000, stream(5, 'nojump'));
    let sum = 0;
    for (let i = 0; i < 2000; i++) sum += Math.log(gbmLike[i * cols + p.steps] / 100);
    const expected = (p.drift - 0.5 * p.volatility ** 2) * p.steps * p.dt;
    expect(Math.abs(sum / 2000 - expected)).toBeLessThan(4 * p.volatility / Math.sqrt(2000));
  });
});
