/**
 * Paper 000's experiments (§4) at browser scale: short calls with one month (21 trading days) to expiry and
 * strikes with 0.95 <= S_0/K <= 1.05 (§4.1), hedged long-only in the underlying, [0, 1] per option (§4.2),
 * by implied delta (eq. 26), BC-RPPO and its ablations (§4.6), and the five baselines of §4.4 (A2C, PPO,
 * DDPG, TD3, SAC). Prices are in units of S_0 = 1, so avg_r (eq. 40, mean of -PV_T^2) reads on the paper's
 * 1e-4 scale. `paper000-gbm` is the sanity case: on GBM without costs the implied delta at the model's
 * sigma is near-optimal. The S&P 500 presets hedge windows of the bundled index series (2000-2020) split in
 * time as §4.1 (train, then validation, then test), without costs (Tables 2, 4) and at 0.04% (Table 6);
 * `paper000-costs` sweeps the cost rate as figs. 5-6.
 */
import { RL_DEFAULTS } from './rl-defaults';
import { SCHEMA_VERSION, type Experiment, type ForecasterMarket, type RlStrategy } from './schema';

/** Strikes K = S_0 / m for moneyness m = S_0 / K from 0.95 to 1.05 in steps of 0.01 (§4.1). */
export const NEAR_THE_MONEY_STRIKES = Array.from({ length: 11 }, (_, i) => Number((1 / (0.95 + 0.01 * i)).toFixed(6)));

/**
 * Browser-scale budgets: 100 updates of 256 episodes for every agent; BC-RPPO clones the expert for 40
 * epochs first. The PPO family learns on minibatches of 2048 transitions (SB3's PPO: 64; BC-RPPO's default
 * 256): a few large steps per pass instead of a hundred small ones, which is what a tab can afford
 * (`npm run bench`: about 2 s per PPO update at 512, 0.6 s at 2048 on wasm on two cores).
 */
function budget<S extends RlStrategy>(s: S): S {
  const rl = { ...s.rl, updates: 100, episodes: 256 };
  if (s.type === 'ppo') return { ...s, rl, ppo: { ...s.ppo, minibatch: 2048 } };
  if (s.type === 'bc-rppo') return { ...s, rl, bc: { ...s.bc, epochs: 40, batchSize: 512 }, rppo: { ...s.rppo, minibatch: 2048 } };
  return { ...s, rl };
}

function agents(): Experiment['strategies'] {
  const bcRppo = RL_DEFAULTS['bc-rppo']();
  return [
    { id: 'implied-delta', type: 'implied-delta' },
    budget(bcRppo),
    budget({ ...bcRppo, id: 'without-bc', bc: { ...bcRppo.bc, enabled: false } }),
    budget({ ...bcRppo, id: 'without-rnn', rppo: { ...bcRppo.rppo, gru: false } }),
    budget(RL_DEFAULTS.a2c()),
    budget(RL_DEFAULTS.ppo()),
    budget(RL_DEFAULTS.ddpg()),
    budget(RL_DEFAULTS.td3()),
    budget(RL_DEFAULTS.sac()),
  ];
}

const month = { maturityDays: 21, steps: 21, daysPerYear: 252 } as const;

const common = {
  version: SCHEMA_VERSION,
  claim: { type: 'european', kind: 'call', strike: 1, strikes: NEAR_THE_MONEY_STRIKES },
  instruments: { options: { grid: 'none' } },
  premium: 'model',
  risk: { measure: 'quadratic' },
  paths: { train: 4096, test: 4096, validation: 1024 },
} as const;

export const paper000Gbm: Experiment = {
  ...common,
  name: 'Paper 000 sanity case: RL agents and implied delta on GBM, no costs',
  seed: 3,
  market: { model: 'gbm', s0: 1, drift: 0, volatility: 0.2, ...month },
  costs: { proportional: 0, closeAtMaturity: false },
  strategies: agents(),
};

/** §4.1's chronological split, on 2000-2020: the last tenth of the dates is tested. */
const sp500 = { model: 'historical', data: { source: 'sp500' }, split: { train: 0.8, validation: 0.1 }, s0: 1, ...month } as const;

export const paper000Sp500: Experiment = {
  ...common,
  name: 'Paper 000 Tables 2 and 4: S&P 500 windows, one month, no costs',
  seed: 5,
  market: sp500,
  costs: { proportional: 0, closeAtMaturity: false },
  paths: { train: 4096, test: 1024, validation: 1024 },
  strategies: agents(),
};

export const paper000Sp500Cost: Experiment = {
  ...paper000Sp500,
  name: 'Paper 000 Table 6: S&P 500 windows, one month, 0.04% costs',
  costs: { proportional: 4e-4, closeAtMaturity: false },
};

/** Figs. 5-6: BC-RPPO against implied delta as the cost rate grows. */
export const paper000CostSweep = {
  name: 'Paper 000 figs. 5-6',
  base: { ...paper000Sp500, name: 'Paper 000 figs. 5-6: S&P 500 windows, cost sweep', strategies: agents().slice(0, 2) },
  grid: { 'costs.proportional': [0, 2e-4, 4e-4, 1e-3, 2e-3] },
};

/**
 * Paper 000 §2 on the bundled S&P 500: the forecaster of the close-to-close returns, trained to 2017-12-31,
 * validated on 2018 and tested from 2019-01-01 to the end of the data (2020-04, the COVID crash included),
 * against the random walk, EWMA and GARCH(1,1); then the one-month calls of §4.1 hedged on its risk-neutral
 * paths and tested on the real test windows. One asset: k = 1 and no Market Value Dropout.
 */
export const paper000ForecastSp500: Experiment = {
  ...common,
  name: 'Paper 000 §2: the forecaster market on the S&P 500 (test 2019 to 2020-04)',
  seed: 11,
  market: {
    model: 'forecaster',
    data: { source: 'sp500' },
    split: { trainEnd: '2017-12-31', validationEnd: '2018-12-31' },
    forecaster: {
      context: 30,
      horizon: 10,
      latents: 1,
      width: 16,
      heads: 2,
      depth: 2,
      dropout: 0.1,
      marketValueDropout: { p: 0, tau: 1 },
      training: { epochs: 20, batchSize: 256, learningRate: 1e-3, patience: 4 },
    },
    measure: 'risk-neutral',
    rate: 0,
    testOn: 'real',
    // The bundled index file's open is the previous close on every day before 2008 (1,760 of them): no traded open.
    inputs: 'close',
    s0: 1,
    ...month,
  },
  costs: { proportional: 0, closeAtMaturity: false },
  paths: { train: 4096, test: 1024, validation: 1024 },
  strategies: [
    { id: 'implied-delta', type: 'implied-delta' },
    { id: 'bs-delta', type: 'bs-delta' },
    { id: 'deep-mlp', type: 'deep-mlp', network: { layers: 3, units: 32 }, training: { epochs: 40, batchSize: 1024, learningRate: 3e-3, freshPaths: true } },
  ],
};

/**
 * The low-rank encoder's own test (eq. 9): 30 simulated assets driven by 3 latent factors with regime-switching
 * vols (data/factor-panel.ts). With k = 3 latent assets the forecaster should reach a lower test NLL than the
 * same model with k = N = 30 (`paper000-forecast-factors-full`), and its attention map should gather each
 * factor's assets into one latent. Measured (CLI, wasm, 2 cores): a mean test NLL over the 30 assets of
 * -2.857 at k = 3 (5.5 s an epoch) against -2.841 at k = 30 (82 s an epoch, the cores shared), but the attention stays close to
 * uniform (each latent's weight on one factor's assets is 0.30-0.36, not 1). Hedged: a call on asset 1 with
 * asset 1, tested on forecaster paths.
 */
export const paper000ForecastFactors: Experiment = {
  ...paper000ForecastSp500,
  name: 'Paper 000 §2.2.2: the forecaster on a 30-asset, 3-factor panel, k = 3',
  market: {
    ...paper000ForecastSp500.market,
    data: { source: 'factor-panel', assets: 30, factors: 3, days: 2520, seed: 7 },
    split: { train: 0.7, validation: 0.15 },
    forecaster: {
      ...(paper000ForecastSp500.market as ForecasterMarket).forecaster,
      latents: 3,
      width: 8,
      context: 30,
      marketValueDropout: { p: 0.1, tau: 1 },
      // Batches of 256 left it undertrained (7 steps an epoch on 1,764 training days).
      training: { epochs: 30, batchSize: 64, learningRate: 1e-3, patience: 5 },
    },
    testOn: 'forecaster',
  } as ForecasterMarket,
  strategies: paper000ForecastSp500.strategies.slice(1),
};

export const paper000ForecastFactorsFull: Experiment = {
  ...paper000ForecastFactors,
  name: 'Paper 000 §2.2.2: the same panel with k = N = 30 latent assets (no compression)',
  market: { ...(paper000ForecastFactors.market as ForecasterMarket), forecaster: { ...(paper000ForecastFactors.market as ForecasterMarket).forecaster, latents: 30 } },
};
