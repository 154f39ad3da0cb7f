/**
 * Paper 003's experiments (§2-5) on the bundled AAPL and S&P 500 series (data/bundled-series.ts): a 30-day
 * at-the-money call on AAPL, windows re-based to S0 = 100 (§2, §3.1), dt = 1/365 (8.1.3), dates split in
 * time into train 60%, validation 20%, test 20% (§3.1; on AAPL's 1,260 dates: 222 validation and 222 test
 * windows, the paper's "222 price paths per asset" a year), no transaction costs (the paper charges none),
 * the model's premium, and the entropic risk with lambda 1.3 (8.3.3) for training and scoring. Strategies:
 * Black-Scholes delta, a 2 x 32 MLP, the RNN of §4.1 (2 LSTM layers of 32 over the last 30 days' returns:
 * the whole window) and the SigFormer of §4.2 with the paper's d 8, order 3, 2 heads, 2 blocks (8.3.3), MLP
 * width 4 d^2 = 256 as Tong et al.'s Block, dropout 0.1. The trained hedgers learn at 1e-3 on 256 fresh
 * paths an epoch in batches of 64 for up to 20 epochs; the sequence hedgers stop after 5 without a better
 * validation loss (§5: early stopping as regularisation) on the 222 validation windows. Browser scale: the
 * SigFormer's third signature level has d^3 = 512 entries per date, and its attention projects it to
 * heads x 512, so one wasm step on 64 paths takes about 15 s and a batch of 256 outgrows wasm's memory (the
 * run aborts); an epoch of 256 paths takes 40-70 s on wasm (2 cores), faster on WebGPU. The P&L is clipped
 * to +-50 (half of S0: a 30-day AAPL move that large never happens in the data, so the clip only catches a
 * diverging policy, and lambda x 50 = 65 keeps exp() inside float32's range even without log-sum-exp). `paper003-aapl-market` trains on the training windows (§3.1),
 * `paper003-aapl-regimes` on the regime-switching GBM fitted to them (§3.2, up to 4 regimes); both hedge
 * with AAPL alone (hedge set 1) and are tested on the same AAPL windows; `paper003-aapl-diffusion` on the
 * signature-diffusion generator's paths (§3.3). `paper003-hedge-sets` is figure 3's grid: the three data
 * sources x hedge sets of 1 and 2 (AAPL, then AAPL and SPX).
 */
import { SCHEMA_VERSION, type DiffusionSettings, type Experiment, type Market } from './schema';

/**
 * Paper 003 §3.3's generator as the lab runs it: 20,000 paths per asset (the paper's), stitched from 5-day
 * segments embedded to depth 3 (16 varying log-signature coordinates: depth 4's 57 invert far too sensitively,
 * README "Signature diffusion: measurements"), a score Transformer of width 32 and 2 blocks trained 100 epochs
 * (sampled from the moving average of its weights), 50 reverse-SDE steps, and the daily residuals of training
 * segments added back to the generated ones.
 */
export const PAPER003_DIFFUSION: DiffusionSettings = {
  segmentDays: 5,
  depth: 3,
  stride: 1,
  network: { width: 32, heads: 1, layers: 2, mlpUnits: 64 },
  training: { epochs: 100, batchSize: 64, learningRate: 1e-3 },
  residuals: 'bootstrap',
  sampling: { sampler: 'reverse-sde', steps: 50 },
  paths: 20_000,
};

const market = (model: 'historical' | 'regime-switching' | 'signature-diffusion'): Market => {
  const common = { data: { source: 'bundled' as const, symbols: ['AAPL' as const, 'SPX' as const] }, split: { train: 0.6, validation: 0.2 }, s0: 100, maturityDays: 30, steps: 30, daysPerYear: 365 as const };
  if (model === 'signature-diffusion') return { model, ...common, diffusion: PAPER003_DIFFUSION };
  return model === 'historical' ? { model, ...common } : { model, ...common, maxRegimes: 4 };
};

const sequenceTraining = { epochs: 20, batchSize: 64, learningRate: 1e-3, freshPaths: true, clip: 50, patience: 5 };

export const paper003AaplMarket: Experiment = {
  version: SCHEMA_VERSION,
  name: 'Paper 003: a 30-day call on AAPL, trained on market windows',
  seed: 3,
  market: market('historical'),
  claim: { type: 'european', kind: 'call', strike: 100 },
  instruments: { options: { grid: 'none' }, hedgeSet: 1 },
  costs: { proportional: 0, closeAtMaturity: false },
  premium: 'model',
  risk: { measure: 'entropic', lambda: 1.3 },
  paths: { train: 256, test: 1024 },
  strategies: [
    { id: 'bs-delta', type: 'bs-delta' },
    { id: 'deep-mlp', type: 'deep-mlp', network: { layers: 2, units: 32 }, training: { epochs: 20, batchSize: 64, learningRate: 1e-3, freshPaths: true } },
    { id: 'rnn', type: 'rnn', network: { layers: 2, units: 32, lags: 30 }, training: sequenceTraining },
    { id: 'sigformer', type: 'sigformer', network: { modelDim: 8, order: 3, heads: 2, blocks: 2, mlpUnits: 256, dropout: 0.1 }, training: sequenceTraining },
  ],
};

export const paper003AaplRegimes: Experiment = {
  ...paper003AaplMarket,
  name: 'Paper 003: a 30-day call on AAPL, trained on regime-switching GBM',
  market: market('regime-switching'),
};

/** The same hedgers trained on signature-diffusion paths of AAPL (§3.3), tested on the real AAPL test windows. */
export const paper003AaplDiffusion: Experiment = {
  ...paper003AaplMarket,
  name: 'Paper 003: a 30-day call on AAPL, trained on signature-diffusion paths',
  market: market('signature-diffusion'),
};

/** Figure 3: hedgers trained on market windows, regime-switching GBM and signature diffusion, hedging with AAPL alone and with AAPL and SPX. */
export const paper003HedgeSets = {
  name: 'Paper 003 fig. 3',
  base: { ...paper003AaplMarket, name: 'Paper 003 fig. 3: AAPL call, hedge sets' },
  grid: { market: [market('historical'), market('regime-switching'), market('signature-diffusion')], 'instruments.hedgeSet': [1, 2] },
};
