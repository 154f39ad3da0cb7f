import { describe, expect, it } from 'vitest';
import { defaultConfig, PRESETS } from '../../src/engine/experiment/presets';
import { parseExperiment, type Experiment } from '../../src/engine/experiment/schema';

const errorsOf = (cfg: unknown) => {
  const r = parseExperiment(cfg);
  return r.ok ? [] : r.errors;
};

const with_ = (edit: (cfg: any) => void): Experiment => {
  const cfg = defaultConfig() as any;
  edit(cfg);
  return cfg;
};

describe('experiment schema, version 2', () => {
  it('reads a version 1 experiment: underlying only, Black-Scholes premium as the model premium', () => {
    const v1 = { ...(defaultConfig() as any), version: 1, premium: 'black-scholes' };
    delete v1.instruments;
    const r = parseExperiment(v1);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.version).toBe(2);
      expect(r.value.premium).toBe('model');
      expect(r.value.instruments).toEqual({ options: { grid: 'none' } });
    }
  });

  it('accepts every market model with its parameters', () => {
    const horizon = { maturityDays: 30, steps: 30, daysPerYear: 252 };
    const markets = [
      { model: 'heston', s0: 1, drift: 0, v0: 0.0625, kappa: 8, theta: 0.0625, xi: 1, rho: -0.7, ...horizon },
      { model: 'merton', s0: 1, drift: 0, volatility: 0.2, jumpIntensity: 1, jumpMean: -0.1, jumpStd: 0.15, ...horizon },
      { model: 'correlated-gbm', s0: 1, drift: 0, volatilities: [0.2, 0.3], correlation: [[1, 0.5], [0.5, 1]], ...horizon },
      { model: 'historical', data: { source: 'sp500' }, split: { train: 0.7, validation: 0.15 }, s0: 100, ...horizon },
      { model: 'regime-switching', data: { source: 'imported', file: 'a.csv', symbols: [] }, split: { train: 0.7, validation: 0.15 }, maxRegimes: 6, s0: 100, ...horizon },
    ];
    for (const market of markets) expect(errorsOf(with_((c) => (c.market = market)))).toEqual([]);
  });

  it('names what is wrong with a correlation matrix', () => {
    const base = { model: 'correlated-gbm', s0: 1, drift: 0, volatilities: [0.2, 0.3, 0.25], maturityDays: 20, steps: 20, daysPerYear: 250 };
    const notPd = errorsOf(with_((c) => (c.market = { ...base, correlation: [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]] })));
    expect(notPd.some((e) => e.startsWith('market.correlation: ') && /positive definite/.test(e))).toBe(true);
    const shape = errorsOf(with_((c) => (c.market = { ...base, correlation: [[1, 0], [0, 1]] })));
    expect(shape).toContain('market.correlation: must be 3 x 3, one row and column per volatility');
  });

  it('refuses combinations that have no meaning, naming the field', () => {
    const cliquetDelta = errorsOf(with_((c) => (c.claim = { type: 'cliquet', resetSteps: 5, cap: 0.015 })));
    expect(cliquetDelta.some((e) => e.startsWith('strategies.1.type: a cliquet has no Black-Scholes delta'))).toBe(true);
    expect(cliquetDelta.some((e) => e.startsWith('strategies.2.type: the Whalley-Wilmott band needs a European claim'))).toBe(true);
    const dataSteps = errorsOf(
      with_((c) => (c.market = { model: 'historical', data: { source: 'sp500' }, split: { train: 0.7, validation: 0.15 }, s0: 100, maturityDays: 30, steps: 10, daysPerYear: 252 })),
    );
    expect(dataSteps).toContain('market.steps: price data are daily: steps must equal maturityDays (30)');
    const late = errorsOf(with_((c) => (c.instruments.options = { grid: 'floating', options: [{ maturitySteps: 40, moneyness: 1 }], cost: 0.01 })));
    expect(late).toContain('instruments.options.options.0.maturitySteps: matures after the claim at every date (40 > 20 steps)');
    const fixedHeston = with_((c) => {
      c.market = { model: 'heston', s0: 1, drift: 0, v0: 0.04, kappa: 2, theta: 0.04, xi: 0.5, rho: -0.5, maturityDays: 20, steps: 20, daysPerYear: 250 };
      c.instruments.options = { grid: 'fixed', options: [{ kind: 'call', strike: 1, maturitySteps: 20 }], cost: 0.01 };
    });
    expect(errorsOf(fixedHeston).some((e) => e.startsWith('instruments.options.grid: under Heston options trade on the floating grid'))).toBe(true);
    const split = errorsOf(
      with_((c) => (c.market = { model: 'historical', data: { source: 'sp500' }, split: { train: 0.8, validation: 0.3 }, s0: 100, maturityDays: 30, steps: 30, daysPerYear: 252 })),
    );
    expect(split.some((e) => e.startsWith('market.split: train + validation must leave'))).toBe(true);
    const dhlnnVarianceCost = with_((c) => {
      c.risk = { measure: 'variance-cost', gamma: 1000 };
      c.strategies.push({ id: 'dhlnn', type: 'dhlnn', network: { layers: 2, units: 8 }, training: { epochs: 1, batchSize: 64, learningRate: 1e-3, freshPaths: false }, inner: { steps: 5, tolerance: 1e-4, precondition: 'adam' } });
    });
    expect(errorsOf(dhlnnVarianceCost).some((e) => e.startsWith('risk.measure: DHLNN linearises a risk measure of the P&L alone'))).toBe(true);
  });

  it('words what is wrong with a forecaster market: its split dates, its factor panel, its daily steps', () => {
    const forecaster = (edit: (m: any) => void) =>
      errorsOf(
        with_((c) => {
          c.market = structuredClone(PRESETS['paper000-forecast-factors'].config.market);
          c.market.maturityDays = c.market.steps = 20;
          edit(c.market);
        }),
      );
    expect(forecaster(() => {})).toEqual([]);
    expect(forecaster((m) => (m.split = { trainEnd: '2017-31-12', validationEnd: '2018-12-31' }))).toEqual(['market.split.trainEnd: must be a date yyyy-mm-dd']);
    expect(forecaster((m) => (m.split = { trainEnd: '2018-12-31', validationEnd: '2017-12-31' }))).toEqual(['market.split: trainEnd must come before validationEnd']);
    expect(forecaster((m) => (m.split = { train: 0.5 }))).toEqual(['market.split: must be shares {train, validation} or dates {trainEnd, validationEnd}']);
    expect(forecaster((m) => (m.forecaster.latents = 31))).toEqual(["market.forecaster.latents: k = 31 latent assets is more than the panel's 30 assets"]);
    expect(forecaster((m) => (m.data.factors = 31))).toContain('market.data.factors: Too big: expected number to be <=16');
    expect(forecaster((m) => (m.steps = 5))).toEqual(['market.steps: price data are daily: steps must equal maturityDays (20)']);
  });
});
