/**
 * The experiment's market as the engine uses it: the simulator or the data behind each model, prepared once
 * per run (a Heston price table, a regime fit, historical windows), and the samples of paths it yields.
 * Named streams keep runs reproducible and strategies independent: test paths `market/test`, training paths
 * `market/train/<epoch>` when drawn fresh, else `market/train`, shared by every trainable strategy, and the
 * Monte Carlo premium `market/premium`.
 *
 * Data-driven markets follow paper 003 §3: the dates are split chronologically (train, validation, test);
 * `historical` trains on windows of the training dates (resampled with replacement each epoch) and
 * `regime-switching` on paths simulated from the regime model fitted on the training dates; both are tested
 * on every window of the test dates, which no fit has seen. The validation dates are held out of both.
 */
import { correlatedGbmPaths } from '../markets/correlated-gbm';
import { gbmPaths } from '../markets/gbm';
import { hestonPaths } from '../markets/heston';
import { chronologicalSplit, historicalWindows } from '../markets/historical-windows';
import { mertonPaths } from '../markets/merton';
import { fitRegimeModel, regimeAt, regimePaths, type RegimeModel } from '../markets/regime-switching';
import { realisedVolatilityOver } from '../data/realised-volatility';
import type { PricePanel } from '../data/price-panel';
import { stream, type RandomStream } from '../random/stream';
import { floatingPremiumModels, type FloatingPremium } from './option-premiums';
import { claimPremium } from './premium';
import { isDataMarket, stepYears, type DataMarket, type Experiment, type Market } from './schema';

/** Paths of every traded asset (asset 0 underlies the claim), plus the state some models expose. */
export interface MarketSample {
  n: number;
  /** Per asset, row-major [n, steps + 1]. */
  assets: Float32Array[];
  /** Heston variance v_t, [n, steps + 1]. */
  variance?: Float32Array;
  /** Regime label of each path (regime-switching market). */
  regime?: Int32Array;
}

/** What a person should know about the prepared market (shown beside the results). */
export interface MarketSummary {
  assets: string[];
  /** Data markets: date ranges and window counts of the chronological split. */
  split?: { train: [string, string]; validation: [string, string] | null; test: [string, string]; trainWindows: number; testWindows: number; skippedWindows: number };
  /** Regime-switching: BIC per number of regimes, the chosen K and each regime's annualised vol and share of days. */
  regimes?: { bic: number[]; chosen: number; volatility: number[]; frequency: number[]; features: string[] };
}

export interface PreparedMarket {
  summary: MarketSummary;
  steps: number;
  dt: number;
  /** Constant volatility of the claim's underlying when the model has one (classic hedges, features). */
  volatility: number | null;
  /** Annualised vol of asset 0 per regime (regime-switching). */
  regimeVolatility?: number[];
  /** Premium received for the claim (experiment/premium.ts). */
  premium: number;
  /** Premiums per unit of spot of the floating-grid options (experiment/option-premiums.ts). */
  floatingPremiums: FloatingPremium[];
  testSample(): MarketSample;
  /** `n` paths of the training distribution from a stream. */
  draw(n: number, rng: RandomStream): MarketSample;
}

/** The market before its premiums are attached. */
export type MarketPaths = Omit<PreparedMarket, 'premium' | 'floatingPremiums'>;

/** `n` training paths of an epoch: fresh per epoch or one fixed set (streams `market/train[/<epoch>]`). */
export function trainingSample(cfg: Experiment, market: PreparedMarket, epoch: number, fresh: boolean, n: number): MarketSample {
  return market.draw(n, fresh ? stream(cfg.seed, 'market', 'train', epoch) : stream(cfg.seed, 'market', 'train'));
}

export class MarketDataError extends Error {}

/** Total volatility of Merton's log-returns per unit time: sqrt(sigma^2 + lambda (m^2 + s^2)). */
function mertonVolatility(m: Extract<Market, { model: 'merton' }>): number {
  return Math.sqrt(m.volatility ** 2 + m.jumpIntensity * (m.jumpMean ** 2 + m.jumpStd ** 2));
}

/** Simulated markets: the same simulator draws test and training paths from different streams. */
function simulatedMarket(cfg: Experiment): MarketPaths {
  const m = cfg.market;
  const steps = m.steps;
  const dt = stepYears(m);
  const draw = (n: number, rng: RandomStream, test = false): MarketSample => {
    switch (m.model) {
      case 'gbm': {
        const volatility = test && m.testVolatility !== undefined ? m.testVolatility : m.volatility;
        return { n, assets: [gbmPaths({ s0: m.s0, drift: m.drift, volatility, steps, dt }, n, rng)] };
      }
      case 'merton':
        return { n, assets: [mertonPaths({ ...m, steps, dt }, n, rng)] };
      case 'heston': {
        const { spot, variance } = hestonPaths({ s0: m.s0, drift: m.drift, v0: m.v0, kappa: m.kappa, theta: m.theta, xi: m.xi, rho: m.rho, steps, dt }, n, rng);
        return { n, assets: [spot], variance };
      }
      case 'correlated-gbm':
        return {
          n,
          assets: correlatedGbmPaths(
            { s0: m.volatilities.map(() => m.s0), drift: m.volatilities.map(() => m.drift), volatilities: m.volatilities, correlation: m.correlation, steps, dt },
            n,
            rng,
          ),
        };
      default:
        throw new Error(`${m.model} is not a simulated market`);
    }
  };
  const volatility = m.model === 'gbm' ? m.volatility : m.model === 'merton' ? mertonVolatility(m) : m.model === 'correlated-gbm' ? m.volatilities[0] : null;
  const assets = m.model === 'correlated-gbm' ? m.volatilities.map((_, i) => `asset ${i + 1}`) : ['spot'];
  return {
    summary: { assets },
    steps,
    dt,
    volatility,
    testSample: () => draw(cfg.paths.test, stream(cfg.seed, 'market', 'test'), true),
    draw,
  };
}

/** The symbols of the panel the market uses, in order (the claim is on the first). */
function selectedSymbols(m: DataMarket, data: PricePanel): number[] {
  if (m.data.source === 'sp500' || m.data.symbols.length === 0) return data.symbols.slice(0, 8).map((_, i) => i);
  return m.data.symbols.map((s) => {
    const i = data.symbols.indexOf(s);
    if (i < 0) throw new MarketDataError(`market.data.symbols: "${s}" is not in the loaded data (it has ${data.symbols.join(', ')})`);
    return i;
  });
}

const isoRange = (dates: string[], [a, b]: [number, number]): [string, string] => [dates[a], dates[b - 1]];

/** Data markets (paper 003 §3.1-3.2). */
function dataMarket(cfg: Experiment, m: DataMarket, data: PricePanel): MarketPaths {
  const symbols = selectedSymbols(m, data);
  const close = symbols.map((i) => data.close[i]);
  const split = chronologicalSplit(data.dates.length, m.split);
  const steps = m.steps;
  const dt = stepYears(m);
  const periodsPerYear = m.daysPerYear;
  const windows = (range: [number, number]) => historicalWindows(data, symbols, range, steps, m.s0);
  const train = windows(split.train);
  const test = windows(split.test);
  if (test.count === 0) throw new MarketDataError(`market.split: the test dates hold no complete window of ${steps} days`);
  const summary: MarketSummary = {
    assets: symbols.map((i) => data.symbols[i]),
    split: {
      train: isoRange(data.dates, split.train),
      validation: split.validation[1] > split.validation[0] ? isoRange(data.dates, split.validation) : null,
      test: isoRange(data.dates, split.test),
      trainWindows: train.count,
      testWindows: test.count,
      skippedWindows: train.skipped + test.skipped,
    },
  };
  const sampleOf = (w: typeof test, rows: ArrayLike<number>): MarketSample => {
    const cols = steps + 1;
    const assets = w.paths.map((p) => {
      const out = new Float32Array(rows.length * cols);
      for (let i = 0; i < rows.length; i++) out.set(p.subarray(rows[i] * cols, (rows[i] + 1) * cols), i * cols);
      return out;
    });
    return { n: rows.length, assets };
  };
  const allTest = Int32Array.from({ length: test.count }, (_, i) => i);

  if (m.model === 'historical') {
    if (train.count === 0) throw new MarketDataError(`market.split: the training dates hold no complete window of ${steps} days`);
    const volatility = realisedVolatilityOver(close[0], split.train, periodsPerYear);
    return {
      summary,
      steps,
      dt,
      volatility,
      testSample: () => sampleOf(test, allTest),
      draw: (n, rng) => {
        const u = rng.uniforms(new Float64Array(n));
        return sampleOf(train, Int32Array.from(u, (x) => Math.floor(x * train.count)));
      },
    };
  }

  let model: RegimeModel;
  try {
    model = fitRegimeModel(close, split.train, { maxRegimes: m.maxRegimes, periodsPerYear, seed: cfg.seed });
  } catch (e) {
    throw new MarketDataError(`market: the regime fit failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  const regimeVolatility = model.regimeVolatility.map((v) => v[0]);
  summary.regimes = { bic: model.bicByK, chosen: model.regimes, volatility: regimeVolatility, frequency: model.frequency, features: model.featureNames };
  const testRegimes = Int32Array.from(test.startIndices, (t) => regimeAt(model, close, t));
  return {
    summary,
    steps,
    dt,
    volatility: null,
    regimeVolatility,
    testSample: () => ({ ...sampleOf(test, allTest), regime: testRegimes }),
    draw: (n, rng) => {
      const { assets, regime } = regimePaths(model, n, steps, dt, m.s0, rng);
      return { n, assets, regime };
    },
  };
}

/** The market's paths; data markets need the price data (`data`), others ignore it. */
export function marketPaths(cfg: Experiment, data?: PricePanel): MarketPaths {
  const m = cfg.market;
  if (!isDataMarket(m)) return simulatedMarket(cfg);
  if (!data) {
    const what = m.data.source === 'sp500' ? 'the bundled S&P 500 series' : `the imported file "${m.data.file}"`;
    throw new MarketDataError(`market.data: this experiment needs ${what}; load it first`);
  }
  return dataMarket(cfg, m, data);
}

/** The market with the claim's premium and the option premium models attached. */
export async function prepareMarket(cfg: Experiment, data?: PricePanel): Promise<PreparedMarket> {
  const paths = marketPaths(cfg, data);
  return { ...paths, premium: (await claimPremium(cfg, paths.draw)).value, floatingPremiums: floatingPremiumModels(cfg) };
}
