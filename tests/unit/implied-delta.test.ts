import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { claimStrikes } from '../../src/engine/claims/claim';
import type { PricePanel } from '../../src/engine/data/price-panel';
import { sampledProblem, sampleLayout } from '../../src/engine/experiment/hedging-problem';
import { trailingRealisedVolatility } from '../../src/engine/experiment/implied-volatility';
import { prepareMarket } from '../../src/engine/experiment/market';
import { defaultConfig, PRESETS } from '../../src/engine/experiment/presets';
import { parseExperiment, type Experiment } from '../../src/engine/experiment/schema';
import { blackScholesDelta } from '../../src/engine/hedging/black-scholes-delta';
import { impliedDelta } from '../../src/engine/hedging/implied-delta';
import { hedgingPnl } from '../../src/engine/hedging/pnl';
import { chronologicalSplit } from '../../src/engine/markets/historical-windows';
import { bsPrice } from '../../src/engine/pricing/black-scholes';
import { hestonPrice } from '../../src/engine/pricing/heston-fourier';
import { impliedVol } from '../../src/engine/pricing/implied-vol';
import { stream } from '../../src/engine/random/stream';
import { randomWalkPanel } from '../fixtures/random-walk-panel';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The test problem of `cfg` (its market prepared with `data`), read back, and a disposer. */
async function testProblem(cfg: Experiment, data?: PricePanel) {
  const market = await prepareMarket(cfg, data);
  const sample = market.testSample();
  const layout = sampleLayout(sample, cfg.market.steps, Math.max(1, claimStrikes(cfg.claim).length));
  const built = sampledProblem(cfg, market, sample, layout);
  return { market, p: built.problem, dispose: () => tf.dispose(built.tensors) };
}

function gbmCall(o: { steps: number; paths: number; strikes?: number[]; strike?: number }): Experiment {
  const cfg = defaultConfig();
  cfg.market = { model: 'gbm', s0: 1, drift: 0, volatility: 0.2, maturityDays: o.steps, steps: o.steps, daysPerYear: 252 };
  cfg.claim = { type: 'european', kind: 'call', strike: o.strike ?? 1, ...(o.strikes && { strikes: o.strikes }) };
  cfg.costs.proportional = 0;
  cfg.premium = 'model';
  cfg.paths = { train: 16, test: o.paths };
  cfg.strategies = [{ id: 'implied-delta', type: 'implied-delta' }];
  return cfg;
}

const std = (x: ArrayLike<number>) => {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i] / n;
  let s2 = 0;
  for (let i = 0; i < n; i++) s2 += (x[i] - mean) ** 2;
  return Math.sqrt(s2 / (n - 1));
};

describe('several strikes in one training (paper 000 §4.2)', () => {
  it("give path i strike i mod m: its payoff, premium (Black-Scholes per strike) and log-moneyness use its own strike", async () => {
    const strikes = [0.95, 1, 1.05];
    const cfg = gbmCall({ steps: 5, paths: 31, strikes });
    const { market, p, dispose } = await testProblem(cfg);
    const spot = (await p.spot.array()) as number[][];
    const [payoff, premiums, strike] = await Promise.all([p.payoff.data(), p.premiums.data(), p.strike.data()]);
    const features = (await p.features.array()) as number[][][];
    const prices = strikes.map((k) => bsPrice({ spot: 1, strike: k, maturity: 5 / 252, rate: 0, sigma: 0.2, kind: 'call' }));
    expect(market.premiums.map((v, k) => v - prices[k]).every((d) => Math.abs(d) < 1e-12)).toBe(true);
    let mean = 0;
    for (let i = 0; i < 31; i++) {
      const k = strikes[i % 3];
      expect(strike[i]).toBeCloseTo(k, 6);
      expect(payoff[i]).toBeCloseTo(Math.max(spot[i][5] - k, 0), 6);
      expect(premiums[i]).toBeCloseTo(prices[i % 3], 6);
      for (let t = 0; t < 5; t++) expect(features[t][i][0]).toBeCloseTo(Math.log(spot[i][t] / k), 5);
      mean += prices[i % 3] / 31;
    }
    expect(market.premium).toBeCloseTo(mean, 12);
    dispose();
  });

  it('price each strike by Monte Carlo on the same premium sample where no closed form exists (historical windows)', async () => {
    const strikes = [0.97, 1.03];
    const cfg = parseExperiment({
      ...gbmCall({ steps: 10, paths: 64, strikes }),
      market: { model: 'historical', data: { source: 'imported', file: 'walk.csv', symbols: [] }, split: { train: 0.6, validation: 0 }, s0: 1, maturityDays: 10, steps: 10, daysPerYear: 252 },
    });
    if (!cfg.ok) throw new Error(cfg.errors.join('; '));
    const data = randomWalkPanel(400, 3);
    const market = await prepareMarket(cfg.value, data);
    const sample = market.draw(cfg.value.paths.test, stream(cfg.value.seed, 'market', 'premium'));
    const final = Array.from({ length: sample.n }, (_, i) => sample.assets[0][i * 11 + 10]);
    strikes.forEach((k, j) => expect(market.premiums[j]).toBeCloseTo(final.reduce((s, x) => s + Math.max(x - k, 0), 0) / sample.n, 6));
  });

  it('hedge each path at its own strike: a Black-Scholes delta hedge on two strikes gives each strike the P&L of a run on that strike alone', async () => {
    const strikes = [0.95, 1.05];
    const n = 2000;
    const pnlOf = async (cfg: Experiment) => {
      const { p, dispose } = await testProblem(cfg);
      const delta = blackScholesDelta(p);
      const r = hedgingPnl(p, [delta]);
      const v = await r.pnl.data();
      tf.dispose([r, delta]);
      dispose();
      return v;
    };
    const mixed = await pnlOf(gbmCall({ steps: 10, paths: n, strikes }));
    for (const [j, k] of strikes.entries()) {
      const alone = await pnlOf(gbmCall({ steps: 10, paths: n, strike: k }));
      const mine = Array.from({ length: n / 2 }, (_, h) => mixed[2 * h + j]);
      const same = Array.from({ length: n / 2 }, (_, h) => alone[2 * h + j]);
      mine.forEach((v, h) => expect(v).toBeCloseTo(same[h], 5));
      // The same paths' P&L spread, and the spread over every path of the single-strike run within Monte Carlo error.
      expect(std(mine)).toBeCloseTo(std(same), 6);
      expect(Math.abs(std(mine) - std(alone))).toBeLessThan(4 * std(alone) / Math.sqrt(n));
    }
  });
});

describe('implied delta (paper 000 eq. 24-26)', () => {
  it("on GBM at zero cost has std(PV)/C0 = sqrt(pi/4)/sqrt(N) (Derman-Kamal) at 21 daily steps, within 3 standard errors and the formula's 4%", async () => {
    const n = 20_000;
    const cfg = gbmCall({ steps: 21, paths: n });
    const before = tf.memory().numTensors;
    const { market, p, dispose } = await testProblem(cfg);
    const delta = impliedDelta(p);
    const r = hedgingPnl(p, [delta]);
    const pv = Float64Array.from(await r.pnl.data());
    tf.dispose([r, delta]);
    dispose();
    expect(tf.memory().numTensors).toBe(before);
    const mean = pv.reduce((s, x) => s + x, 0) / n;
    const m2 = pv.reduce((s, x) => s + (x - mean) ** 2, 0) / n;
    const m4 = pv.reduce((s, x) => s + (x - mean) ** 4, 0) / n;
    const ratio = Math.sqrt(m2) / market.premium;
    // Standard error of a sample standard deviation: sd sqrt((kurtosis - 1) / (4 n)).
    const se = (Math.sqrt((m4 / (m2 * m2) - 1) / (4 * n)) * Math.sqrt(m2)) / market.premium;
    const dermanKamal = Math.sqrt(Math.PI / 4) / Math.sqrt(21);
    expect(dermanKamal).toBeCloseTo(0.1934, 4);
    // Derman-Kamal is the continuous-time leading term: at 21 steps its own discretisation error is a few
    // per cent (the sum over dates of a gamma term that grows like 1/sqrt(T - t)), so 4% is allowed on top
    // of 3 standard errors (measured: 0.1874 +- 0.0013 against 0.1934).
    expect(Math.abs(ratio - dermanKamal)).toBeLessThan(3 * se + 0.04 * dermanKamal);
  });

  it("takes the model's sigma as the proxy under GBM, Merton (its diffusive sigma, jumps left out) and correlated GBM (asset 1's)", async () => {
    const merton = gbmCall({ steps: 4, paths: 16 });
    merton.market = { model: 'merton', s0: 1, drift: 0, volatility: 0.15, jumpIntensity: 3, jumpMean: -0.05, jumpStd: 0.1, maturityDays: 4, steps: 4, daysPerYear: 252 };
    const correlated = gbmCall({ steps: 4, paths: 16 });
    correlated.market = { model: 'correlated-gbm', s0: 1, drift: 0, volatilities: [0.3, 0.1], correlation: [[1, 0.5], [0.5, 1]], maturityDays: 4, steps: 4, daysPerYear: 252 };
    for (const [cfg, sigma, source] of [
      [gbmCall({ steps: 4, paths: 16 }), 0.2, 'model sigma (proxy)'],
      [merton, 0.15, "Merton's diffusive sigma, jumps left out (proxy)"],
      [correlated, 0.3, "sigma of asset 1, the claim's underlying (proxy)"],
    ] as const) {
      const { market, p, dispose } = await testProblem(cfg);
      expect(market.summary.impliedVolatility).toEqual({ source, proxy: true });
      const iv = await p.impliedVolatility.data();
      expect(iv.length).toBe(16 * 4);
      for (const v of iv) expect(v).toBeCloseTo(sigma, 6);
      dispose();
    }
  });

  it('under Heston takes the implied vol of the Fourier price at the path\'s strike and remaining maturity', async () => {
    const cfg = defaultConfig();
    cfg.market = { model: 'heston', s0: 1, drift: 0, v0: 0.04, kappa: 2, theta: 0.06, xi: 0.5, rho: -0.6, maturityDays: 8, steps: 8, daysPerYear: 250 };
    cfg.claim = { type: 'european', kind: 'call', strike: 1, strikes: [0.96, 1.04] };
    cfg.paths = { train: 16, test: 16 };
    cfg.strategies = [{ id: 'implied-delta', type: 'implied-delta' }];
    const { market, p, dispose } = await testProblem(cfg);
    expect(market.summary.impliedVolatility.proxy).toBe(true);
    const iv = (await p.impliedVolatility.array()) as number[][];
    for (const i of [0, 1, 7]) {
      const strike = [0.96, 1.04][i % 2];
      for (const t of [0, 3, 7]) {
        const maturity = (8 - t) / 250;
        const price = hestonPrice({ spot: 1, strike, maturity, rate: 0, v0: 0.04, kappa: 2, theta: 0.06, xi: 0.5, rho: -0.6, kind: 'call' });
        const direct = impliedVol({ price, spot: 1, strike, maturity, rate: 0, kind: 'call' });
        expect(direct.ok).toBe(true);
        if (direct.ok) expect(iv[i][t]).toBeCloseTo(direct.sigma, 4);
      }
    }
    dispose();
  });
});


describe('the historical proxy: trailing 30-day realised vol', () => {
  it('is the annualised sample std of the 30 log-returns ending that day, by hand, and the training vol before 30 returns', () => {
    // Returns alternate +a, -a: over any 30 of them the mean is 0 and the sample variance 30 a^2 / 29.
    const a = 0.01;
    const close = Float64Array.from({ length: 61 }, (_, t) => 100 * Math.exp(t % 2 === 1 ? a : 0));
    const out = trailingRealisedVolatility(close, 252, 0.123);
    expect(out[29]).toBe(0.123);
    for (const t of [30, 45, 60]) expect(out[t]).toBeCloseTo(Math.sqrt(((30 * a * a) / 29) * 252), 12);
  });

  it("gives each test window's date the realised vol of the 30 returns up to it, no later price", async () => {
    const data = randomWalkPanel(300, 9);
    const steps = 10;
    const cfg = parseExperiment({
      ...gbmCall({ steps, paths: 16 }),
      market: { model: 'historical', data: { source: 'imported', file: 'walk.csv', symbols: [] }, split: { train: 0.5, validation: 0.2 }, s0: 1, maturityDays: steps, steps, daysPerYear: 252 },
      strategies: [{ id: 'implied-delta', type: 'implied-delta' }],
    });
    if (!cfg.ok) throw new Error(cfg.errors.join('; '));
    const { market, p, dispose } = await testProblem(cfg.value, data);
    expect(market.summary.impliedVolatility).toEqual({ source: 'trailing 30-day realised vol (proxy)', proxy: true });
    const iv = (await p.impliedVolatility.array()) as number[][];
    const first = chronologicalSplit(300, { train: 0.5, validation: 0.2 }).test[0];
    const close = data.close[0];
    for (const w of [0, 5, 40]) {
      for (const t of [0, 9]) {
        const day = first + w + t;
        const r = Array.from({ length: 30 }, (_, k) => Math.log(close[day - k] / close[day - k - 1]));
        expect(iv[w][t]).toBeCloseTo(std(r) * Math.sqrt(252), 5);
      }
    }
    dispose();
  });
});

describe('the schema of strikes and the implied delta', () => {
  const errorsOf = (cfg: Experiment) => {
    const r = parseExperiment(cfg);
    return r.ok ? [] : r.errors;
  };
  it('refuses the implied delta without a European claim, strikes with a recurrent hedger, and Heston strikes x steps beyond the bound', () => {
    const lookback = gbmCall({ steps: 5, paths: 16 });
    lookback.claim = { type: 'lookback', strike: 1 };
    expect(errorsOf(lookback).join('\n')).toMatch(/strategies\.0\.type: the implied delta \(paper 000 eq\. 26\) needs a European claim/);
    const race = PRESETS['cliquet-race'].config;
    const recurrent = { ...race, claim: { type: 'european' as const, kind: 'call' as const, strike: 1, strikes: [0.95, 1.05] } };
    expect(errorsOf(recurrent).join('\n')).toMatch(/claim\.strikes: recurrent hedgers \(paper 002\) hedge one strike: remove the strikes/);
    expect(errorsOf({ ...recurrent, claim: { type: 'european', kind: 'call', strike: 1 } })).toEqual([]);
    const heston = gbmCall({ steps: 100, paths: 16, strikes: Array.from({ length: 51 }, (_, k) => 0.95 + k / 500) });
    heston.market = { model: 'heston', s0: 1, drift: 0, v0: 0.04, kappa: 2, theta: 0.04, xi: 0.5, rho: -0.5, maturityDays: 100, steps: 100, daysPerYear: 250 };
    expect(errorsOf(heston).join('\n')).toMatch(/claim\.strikes: strikes x steps = 5100 Heston prices exceeds 5,000/);
    heston.claim = { ...heston.claim, type: 'european', kind: 'call', strike: 1, strikes: heston.claim.type === 'european' ? heston.claim.strikes!.slice(0, 50) : [] };
    expect(errorsOf(heston)).toEqual([]);
  });
});
