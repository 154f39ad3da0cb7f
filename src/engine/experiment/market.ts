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
 * on every window of the test dates, which no fit has seen. The validation dates are held out of both; their
 * windows (regime-switching: those with a regime label) are the validation sample that scores hedgers while
 * they train (early stopping, paper 003 §5), which other markets draw from the training distribution.
 *
 * The hedge set (paper 003 fig. 3): the samples and the summary keep only the first `instruments.hedgeSet`
 * assets (the claim's first), while windows and regime fits use every asset of the market, so every hedge-set
 * size is tested on the same windows.
 *
 * Every sample is checked where it is drawn, before it reaches the device: a price float32 cannot carry (not
 * finite, or 0 after underflow) stops the run with a MarketDataError that names the model, the path and the
 * step (issue 13). So do a premium that is not finite, test dates that hold no complete window (with the gaps
 * that broke them) and test windows beyond MAX_TEST_PATH_STEPS, the bound every simulated market has.
 *
 * Each market also says how it gives the implied volatility of paper 000's implied delta (eq. 24-26):
 * option quotes or a stated proxy (experiment/implied-volatility.ts), named in its summary. A European claim
 * with several strikes has one premium per strike; `premium` is their mean over the test paths.
 */
import { correlatedGbmPaths } from '../markets/correlated-gbm';
import { gbmPaths } from '../markets/gbm';
import { hestonPaths } from '../markets/heston';
import { chronologicalSplit, historicalWindows, usablePrice, type HistoricalWindows } from '../markets/historical-windows';
import { mertonPaths } from '../markets/merton';
import { featureLookback } from '../markets/regime-features';
import { fitRegimeModel, regimeAt, regimePaths, type RegimeModel } from '../markets/regime-switching';
import { realisedVolatilityOver } from '../data/realised-volatility';
import type { PricePanel } from '../data/price-panel';
import { formatCsvErrors } from '../data/csv';
import { quotedVolatilities, type OptionQuotes } from '../data/option-quotes';
import { claimStrikes } from '../claims/claim';
import {
  hestonImpliedVolatilityTable,
  QuotedSurface,
  trailingRealisedVolatility,
  windowImpliedVolatility,
  TRAILING_RETURNS,
  type ImpliedVolatilitySource,
  type ImpliedVolatilitySummary,
} from './implied-volatility';
import { stream, type RandomStream } from '../random/stream';
import { floatingPremiumModels, type FloatingPremium } from './option-premiums';
import { claimPremium, meanPathPremium } from './premium';
import { isDataMarket, MAX_TEST_PATH_STEPS, stepYears, type DataMarket, type Experiment, type ForecasterMarket, type Market, type WindowedMarket } from './schema';

/** Paths of every traded asset (asset 0 underlies the claim), plus the state some models expose. */
export interface MarketSample {
  n: number;
  /** Per asset, row-major [n, steps + 1]. */
  assets: Float32Array[];
  /** Heston variance v_t, [n, steps + 1]. */
  variance?: Float32Array;
  /** Regime label of each path (regime-switching market). */
  regime?: Int32Array;
  /** Implied volatility [n, steps] at each path's strike and rebalancing date (historical windows, quotes). */
  impliedVolatility?: Float32Array;
}

/** What a person should know about the prepared market (shown beside the results). */
export interface MarketSummary {
  assets: string[];
  /** Data markets: date ranges and window counts of the chronological split. */
  split?: {
    train: [string, string];
    validation: [string, string] | null;
    test: [string, string];
    trainWindows: number;
    /** Complete windows of the validation dates (regime-switching: those with a regime label); 0: validation paths are drawn. */
    validationWindows: number;
    testWindows: number;
    skippedWindows: number;
  };
  /** Regime-switching: BIC per number of regimes, the chosen K and each regime's annualised vol and share of days. */
  regimes?: { bic: number[]; chosen: number; volatility: number[]; frequency: number[]; features: string[] };
  /** Where the implied volatility of the implied delta comes from (quotes or a proxy, and the quotes' share). */
  impliedVolatility: ImpliedVolatilitySummary;
}

export interface PreparedMarket {
  summary: MarketSummary;
  steps: number;
  dt: number;
  /** Constant volatility of the claim's underlying when the model has one (classic hedges, features). */
  volatility: number | null;
  /** Annualised vol of asset 0 per regime (regime-switching). */
  regimeVolatility?: number[];
  /** Premium received for the claim (experiment/premium.ts): the mean over the test paths of each path's own. */
  premium: number;
  /** Premium per strike of the claim (claims/claim.ts claimStrikes; one value for one strike or none). */
  premiums: number[];
  /** How the implied volatility of a problem's paths is obtained where its sample carries none. */
  impliedVolatility: ImpliedVolatilitySource;
  /** Premiums per unit of spot of the floating-grid options (experiment/option-premiums.ts). */
  floatingPremiums: FloatingPremium[];
  testSample(): MarketSample;
  /** `n` paths of the training distribution from a stream. */
  draw(n: number, rng: RandomStream): MarketSample;
  /**
   * The validation sample (paper 003 §3.1): every window of the validation dates of a data market that has
   * some (`n` and `rng` unused), else `draw(n, rng)`.
   */
  validationSample(n: number, rng: RandomStream): MarketSample;
}

/** The market before its premiums are attached. */
export type MarketPaths = Omit<PreparedMarket, 'premium' | 'premiums' | 'floatingPremiums'>;

/** `n` training paths of an epoch: fresh per epoch or one fixed set (streams `market/train[/<epoch>]`). */
export function trainingSample(cfg: Experiment, market: PreparedMarket, epoch: number, fresh: boolean, n: number): MarketSample {
  return market.draw(n, fresh ? stream(cfg.seed, 'market', 'train', epoch) : stream(cfg.seed, 'market', 'train'));
}

/** The market cannot be built or sampled as configured (data, split, window, or prices float32 cannot carry). */
export class MarketDataError extends Error {}

/** Where the market's prices come from, as messages name it. */
export function marketOrigin(m: Market): string {
  if (m.model === 'signature-diffusion') return `signature diffusion of ${dataOrigin(m)}`;
  return isDataMarket(m) ? dataOrigin(m) : `the simulated ${m.model} market`;
}

/** The data a windowed market reads, as messages name it. */
function dataOrigin(m: WindowedMarket): string {
  switch (m.data.source) {
    case 'sp500':
      return 'the bundled S&P 500 series';
    case 'bundled':
      return `the bundled ${m.data.symbols.join(' + ')} series`;
    case 'imported':
      return `the imported file ${JSON.stringify(m.data.file)}`;
  }
}

/** What to change when a model's simulated prices leave float32's range. */
const SIMULATION_ADVICE: Record<Exclude<Market, WindowedMarket | ForecasterMarket>['model'], string> = {
  gbm: 'lower the volatility or the drift, or shorten the horizon',
  merton: 'lower the volatility, the jump intensity or the jump sizes, or shorten the horizon',
  heston: 'lower v0, theta or xi, or shorten the horizon',
  'correlated-gbm': 'lower the volatilities or the drift, or shorten the horizon',
};

/**
 * The sample when every price (and Heston variance) is one float32 carries, positive and finite; else a
 * MarketDataError naming the first bad value's asset, path and step. `where(path)` names a path in the message.
 */
export function checkedSample(sample: MarketSample, steps: number, origin: string, advice: string, where: (path: number) => string): MarketSample {
  const cols = steps + 1;
  const price = (v: number) => v > 0 && v < Infinity;
  const series = sample.assets.map((values, k) => ({ values, what: sample.assets.length > 1 ? `prices of asset ${k + 1}` : 'prices', ok: price }));
  if (sample.variance) series.push({ values: sample.variance, what: 'variance', ok: (v) => v >= 0 && v < Infinity });
  for (const { values, what, ok } of series) {
    const at = values.findIndex((v) => !ok(v));
    if (at < 0) continue;
    const v = values[at];
    const fault = Number.isNaN(v) ? 'become NaN' : v === Infinity ? 'overflow float32' : v === 0 ? 'underflow float32 (to 0)' : `become ${v}`;
    throw new MarketDataError(`${origin}: the ${what} ${fault} at step ${at % cols} of ${steps} (${where(Math.floor(at / cols))}): ${advice}`);
  }
  return sample;
}

/** Total volatility of Merton's log-returns per unit time: sqrt(sigma^2 + lambda (m^2 + s^2)). */
function mertonVolatility(m: Extract<Market, { model: 'merton' }>): number {
  return Math.sqrt(m.volatility ** 2 + m.jumpIntensity * (m.jumpMean ** 2 + m.jumpStd ** 2));
}

/** Simulated markets: the same simulator draws test and training paths from different streams. */
function simulatedMarket(cfg: Experiment): MarketPaths {
  const m = cfg.market;
  const steps = m.steps;
  const dt = stepYears(m);
  const simulate = (n: number, rng: RandomStream, test: boolean): MarketSample => {
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
  const origin = marketOrigin(m);
  const advice = isDataMarket(m) || m.model === 'forecaster' || m.model === 'signature-diffusion' ? '' : SIMULATION_ADVICE[m.model];
  const draw = (n: number, rng: RandomStream, test = false): MarketSample =>
    checkedSample(simulate(n, rng, test), steps, origin, advice, (path) => `${test ? 'test' : 'a drawn'} path ${path + 1}`);
  const volatility = m.model === 'gbm' ? m.volatility : m.model === 'merton' ? mertonVolatility(m) : m.model === 'correlated-gbm' ? m.volatilities[0] : null;
  const assets = m.model === 'correlated-gbm' ? m.volatilities.map((_, i) => `asset ${i + 1}`) : ['spot'];
  const { impliedVolatility, source } = simulatedImpliedVolatility(cfg, dt);
  return {
    summary: { assets, impliedVolatility: { source, proxy: true } },
    steps,
    dt,
    volatility,
    impliedVolatility,
    testSample: () => draw(cfg.paths.test, stream(cfg.seed, 'market', 'test'), true),
    draw,
    validationSample: (n, rng) => draw(n, rng),
  };
}

/** The proxy implied volatility of a simulated market (experiment/implied-volatility.ts) and its description. */
function simulatedImpliedVolatility(cfg: Experiment, dt: number): { impliedVolatility: ImpliedVolatilitySource; source: string } {
  const m = cfg.market;
  switch (m.model) {
    case 'gbm':
      return { impliedVolatility: { kind: 'constant', sigma: m.volatility }, source: 'model sigma (proxy)' };
    case 'merton':
      return { impliedVolatility: { kind: 'constant', sigma: m.volatility }, source: "Merton's diffusive sigma, jumps left out (proxy)" };
    case 'correlated-gbm':
      return { impliedVolatility: { kind: 'constant', sigma: m.volatilities[0] }, source: "sigma of asset 1, the claim's underlying (proxy)" };
    case 'heston': {
      const values = hestonImpliedVolatilityTable(m, claimStrikes(cfg.claim).length ? claimStrikes(cfg.claim) : [m.s0], m.steps, dt);
      return { impliedVolatility: { kind: 'table', values }, source: "implied vol of the Heston Fourier price at each path's strike and remaining maturity, today's smile from v0 (proxy)" };
    }
    default:
      throw new Error(`${m.model} is not a simulated market`);
  }
}

/** The symbols of the panel the market uses, in order (the claim is on the first). */
/** The market's symbols' rows in the loaded data (at most 8 where the source does not name them). */
export function selectedSymbols(m: WindowedMarket, data: PricePanel): number[] {
  if (m.data.source === 'sp500' || (m.data.source === 'imported' && m.data.symbols.length === 0)) return data.symbols.slice(0, 8).map((_, i) => i);
  return m.data.symbols.map((s) => {
    const i = data.symbols.indexOf(s);
    if (i < 0) throw new MarketDataError(`market.data.symbols: "${s}" is not in the loaded data (it has ${data.symbols.join(', ')})`);
    return i;
  });
}

export const isoRange = (dates: string[], [a, b]: [number, number]): [string, string] => [dates[a], dates[b - 1]];

/** Gaps listed by name in a message before the rest are counted. */
const LISTED_GAPS = 5;
const REGIME_ADVICE = 'the regimes fitted on the training dates are too volatile for this horizon: shorten it or move the split';
export const WINDOW_ADVICE = "check the series' prices around that date (a window's prices are S0 times their ratios to its first day's)";

/** A range of the data for messages: its first and last dates and how many. */
function describeRange(data: PricePanel, [a, b]: [number, number]): string {
  if (b === a) return 'no dates';
  return b - a === 1 ? `only ${data.dates[a]}` : `${data.dates[a]} to ${data.dates[b - 1]}, ${(b - a).toLocaleString('en-US')} dates`;
}

/** The dates of `gaps` with the symbols that have no price on each, the first few by name. */
function describeGaps(data: PricePanel, symbols: number[], gaps: Int32Array): string {
  const listed = Array.from(gaps.subarray(0, LISTED_GAPS), (t) => {
    const missing = symbols.filter((s) => !usablePrice(data.close[s][t])).map((s) => data.symbols[s]);
    return `${data.dates[t]} (${missing.join(', ')})`;
  });
  const more = gaps.length - listed.length;
  return `${listed.join(', ')}${more > 0 ? ` and ${more} more date${more === 1 ? '' : 's'}` : ''}`;
}

/**
 * The windows of one range of a data market, refused with the reason when there is none: the range's dates
 * and either the gaps (dates missing a price) that broke every window or how many dates it lacks.
 */
export function windowsOf(which: 'training' | 'test', m: WindowedMarket, data: PricePanel, symbols: number[], range: [number, number]): HistoricalWindows {
  const w = historicalWindows(data, symbols, range, m.steps, m.s0);
  if (w.count > 0) return w;
  const short = m.steps + 1 - (range[1] - range[0]);
  const why = short > 0 ? `the range is ${short} date${short === 1 ? '' : 's'} short` : `missing prices on ${describeGaps(data, symbols, w.gaps)} break every one`;
  throw new MarketDataError(
    `market.split: the ${which} dates of ${marketOrigin(m)} (${describeRange(data, range)}) hold no complete window of ${m.steps} days ` +
      `(${m.steps + 1} consecutive dates with a price for every symbol used): ${why}; import a longer series, give the ${which} dates a larger share of the split or shorten the maturity`,
  );
}

/** Refuses test windows beyond the MAX_TEST_PATH_STEPS every simulated market is held to, saying how to shorten them. */
export function boundTestWindows(m: WindowedMarket, data: PricePanel, range: [number, number], test: HistoricalWindows): void {
  const work = test.count * m.steps;
  if (work <= MAX_TEST_PATH_STEPS) return;
  const dates = Math.floor(MAX_TEST_PATH_STEPS / m.steps) + m.steps;
  const testShare = 1 - m.split.train - m.split.validation;
  const split = 1 - dates / data.dates.length;
  const n = (x: number) => x.toLocaleString('en-US');
  const shares = split <= 0.95 ? `raise split.train + split.validation to at least ${Math.ceil(split * 100) / 100}, ` : '';
  throw new MarketDataError(
    `market.split: the test dates of ${marketOrigin(m)} (${describeRange(data, range)}) hold ${n(test.count)} windows of ${m.steps} days, ` +
      `${n(work)} test path-steps, over the ${n(MAX_TEST_PATH_STEPS)} a run holds: keep at most ${n(dates)} test dates (${shares}or import at most ` +
      `${n(Math.floor(dates / testShare))} dates in all) or shorten the maturity`,
  );
}

/** The quotes' smiles on the dates of `data` for its symbol `symbol` (the claim's underlying), or the file's errors as a MarketDataError. */
function quotedSurface(quotes: OptionQuotes, data: PricePanel, symbol: number): QuotedSurface {
  const r = quotedVolatilities(quotes, data.dates, data.close[symbol], data.symbols[symbol]);
  if (!r.ok) throw new MarketDataError(`market.quotes: ${formatCsvErrors(r).join('; ')}`);
  return new QuotedSurface(r.volatilities);
}

/** The summary line of quoted implied vols: their share of the test path-dates and the proxy elsewhere. */
function quotedSummary(quoted: number, pathDates: number, proxy: string): ImpliedVolatilitySummary {
  const coverage = pathDates > 0 ? quoted / pathDates : 0;
  return { source: `option quotes, ${Math.round(coverage * 100)}% of test path-dates (the rest: ${proxy})`, proxy: quoted === 0, coverage };
}

/** Data markets (paper 003 §3.1-3.2). */
function dataMarket(cfg: Experiment, m: DataMarket, data: PricePanel, quotes?: OptionQuotes): MarketPaths {
  const symbols = selectedSymbols(m, data);
  const close = symbols.map((i) => data.close[i]);
  const split = chronologicalSplit(data.dates.length, m.split);
  const steps = m.steps;
  const dt = stepYears(m);
  const periodsPerYear = m.daysPerYear;
  const origin = marketOrigin(m);
  const test = windowsOf('test', m, data, symbols, split.test);
  boundTestWindows(m, data, split.test, test);
  // Regime-switching markets train on simulated paths: their training dates need no complete window.
  const train = m.model === 'historical' ? windowsOf('training', m, data, symbols, split.train) : historicalWindows(data, symbols, split.train, steps, m.s0);
  const validation = historicalWindows(data, symbols, split.validation, steps, m.s0);
  const summary: MarketSummary = {
    assets: symbols.map((i) => data.symbols[i]),
    impliedVolatility: { source: '', proxy: true },
    split: {
      train: isoRange(data.dates, split.train),
      validation: split.validation[1] > split.validation[0] ? isoRange(data.dates, split.validation) : null,
      test: isoRange(data.dates, split.test),
      trainWindows: train.count,
      validationWindows: validation.count,
      testWindows: test.count,
      skippedWindows: train.skipped + validation.skipped + test.skipped,
    },
  };
  /** The windows `rows` of `w` as a sample, each price checked. */
  const sampleOf = (w: HistoricalWindows, rows: ArrayLike<number>, which: string): MarketSample =>
    checkedSample({ n: rows.length, assets: w.paths(rows) }, steps, origin, WINDOW_ADVICE, (path) => `the ${which} window from ${w.startDates[rows[path]]}`);
  const every = (w: HistoricalWindows) => Int32Array.from({ length: w.count }, (_, i) => i);
  const allTest = every(test);
  const surface = quotes ? quotedSurface(quotes, data, symbols[0]) : null;
  const strikes = claimStrikes(cfg.claim).length ? claimStrikes(cfg.claim) : [m.s0];
  /** [n, steps] implied vols of the windows `rows` of `w`, and how many path-dates the quotes priced. */
  const windowVolatility = (w: HistoricalWindows, rows: ArrayLike<number>, proxy: (path: number, date: number) => number) =>
    windowImpliedVolatility({ starts: Array.from(rows, (r) => w.startIndices[r]), steps, dt, strikes, s0: m.s0, close: close[0], surface, proxy });

  if (m.model === 'historical') {
    const volatility = realisedVolatilityOver(close[0], split.train, periodsPerYear);
    const trailing = trailingRealisedVolatility(close[0], periodsPerYear, volatility);
    const proxy = (_: number, date: number) => trailing[date];
    const testVolatility = windowVolatility(test, allTest, proxy);
    const proxyName = `trailing ${TRAILING_RETURNS}-day realised vol`;
    summary.impliedVolatility = surface ? quotedSummary(testVolatility.quoted, test.count * steps, proxyName) : { source: `${proxyName} (proxy)`, proxy: true };
    /** The windows `rows` of `w` with their implied vols. */
    const windowSample = (w: HistoricalWindows, rows: Int32Array, which: string): MarketSample => ({ ...sampleOf(w, rows, which), impliedVolatility: windowVolatility(w, rows, proxy).values });
    const draw = (n: number, rng: RandomStream) => {
      const u = rng.uniforms(new Float64Array(n));
      return windowSample(train, Int32Array.from(u, (x) => Math.floor(x * train.count)), 'training');
    };
    return {
      summary,
      steps,
      dt,
      volatility,
      impliedVolatility: { kind: 'sample' },
      testSample: () => ({ ...sampleOf(test, allTest, 'test'), impliedVolatility: testVolatility.values }),
      draw,
      validationSample: (n, rng) => (validation.count > 0 ? windowSample(validation, every(validation), 'validation') : draw(n, rng)),
    };
  }

  let model: RegimeModel;
  try {
    model = fitRegimeModel(close, split.train, { maxRegimes: m.maxRegimes, periodsPerYear, seed: cfg.seed });
  } catch (e) {
    throw new MarketDataError(`market: the regime fit on the training dates of ${origin} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  const regimeVolatility = model.regimeVolatility.map((v) => v[0]);
  summary.regimes = { bic: model.bicByK, chosen: model.regimes, volatility: regimeVolatility, frequency: model.frequency, features: model.featureNames };
  // A window is labelled by the regime of its first date; one whose look-back has a missing price has none and is left out.
  const labelledWindows = (w: HistoricalWindows) => {
    const regimes = Array.from(w.startIndices, (t) => regimeAt(model, close, t));
    const rows = Int32Array.from(regimes.keys()).filter((r) => regimes[r] >= 0);
    return { rows, regimes: Int32Array.from(rows, (r) => regimes[r]) };
  };
  const { rows: labelled, regimes: testRegimes } = labelledWindows(test);
  if (labelled.length === 0) {
    const lookback = featureLookback(symbols.length) + 2;
    const from = Math.max(0, test.startIndices[0] - lookback + 1);
    const gaps = Int32Array.from({ length: split.test[1] - from }, (_, k) => from + k).filter((t) => symbols.some((s) => !usablePrice(data.close[s][t])));
    const why = gaps.length > 0 ? `missing prices on ${describeGaps(data, symbols, gaps)} break every one` : `the series begins too few dates before them`;
    throw new MarketDataError(
      `market.split: no test window of ${origin} starts on a date with a regime (prices on each of the ${lookback} dates up to it): ${why}; import a series without gaps before its test dates`,
    );
  }
  const valid = labelledWindows(validation);
  summary.split = {
    ...summary.split!,
    validationWindows: valid.rows.length,
    testWindows: labelled.length,
    skippedWindows: summary.split!.skippedWindows + validation.count - valid.rows.length + test.count - labelled.length,
  };
  // With quotes every sample carries its implied vols (simulated paths: their regime's vol at every date).
  const testVolatility = surface ? windowVolatility(test, labelled, (path) => regimeVolatility[testRegimes[path]]) : null;
  summary.impliedVolatility = testVolatility
    ? quotedSummary(testVolatility.quoted, labelled.length * steps, "the regime's vol")
    : { source: "the path's regime vol (proxy)", proxy: true };
  const regimeColumns = (regime: Int32Array) => Float32Array.from({ length: regime.length * steps }, (_, k) => regimeVolatility[regime[Math.floor(k / steps)]]);
  const draw = (n: number, rng: RandomStream) => {
    const { assets, regime } = regimePaths(model, n, steps, dt, m.s0, rng);
    const sample = checkedSample({ n, assets, regime }, steps, origin, REGIME_ADVICE, (path) => `simulated regime path ${path + 1}`);
    return testVolatility ? { ...sample, impliedVolatility: regimeColumns(regime) } : sample;
  };
  /** The validation windows with their labels (and, with quotes, their implied vols, as the test windows have). */
  const validationWindows = (): MarketSample => {
    const sample = { ...sampleOf(validation, valid.rows, 'validation'), regime: valid.regimes };
    return surface ? { ...sample, impliedVolatility: windowVolatility(validation, valid.rows, (path) => regimeVolatility[valid.regimes[path]]).values } : sample;
  };
  return {
    summary,
    steps,
    dt,
    volatility: null,
    regimeVolatility,
    impliedVolatility: testVolatility ? { kind: 'sample' } : { kind: 'volatility' },
    testSample: () => ({ ...sampleOf(test, labelled, 'test'), regime: testRegimes, ...(testVolatility && { impliedVolatility: testVolatility.values }) }),
    draw,
    validationSample: (n, rng) => (valid.rows.length > 0 ? validationWindows() : draw(n, rng)),
  };
}

/**
 * The hedge set (paper 003 fig. 3): the market's samples and summary with only the first `instruments.hedgeSet`
 * assets (all when absent); a hedge set larger than the market's assets is refused.
 */
function hedgeSetOf(cfg: Experiment, paths: MarketPaths): MarketPaths {
  const all = paths.summary.assets.length;
  const k = cfg.instruments.hedgeSet ?? all;
  if (k > all) {
    const which = all === 1 ? 'one asset' : `${all} assets`;
    throw new MarketDataError(`instruments.hedgeSet: ${marketOrigin(cfg.market)} has ${which} (${paths.summary.assets.join(', ')}): a hedge set of ${k} is larger`);
  }
  if (k === all) return paths;
  const traded = (s: MarketSample): MarketSample => ({ ...s, assets: s.assets.slice(0, k) });
  return {
    ...paths,
    summary: { ...paths.summary, assets: paths.summary.assets.slice(0, k) },
    testSample: () => traded(paths.testSample()),
    draw: (n, rng) => traded(paths.draw(n, rng)),
    validationSample: (n, rng) => traded(paths.validationSample(n, rng)),
  };
}

/**
 * The market's paths; data markets need the price data (`data`), others ignore it. Option quotes (`quotes`)
 * are used when the market names a quotes file (without them, as in a preview, the proxy is used).
 */
export function marketPaths(cfg: Experiment, data?: PricePanel, quotes?: OptionQuotes): MarketPaths {
  const m = cfg.market;
  if (m.model === 'forecaster') throw new MarketDataError("market: the forecaster market's paths come from its trained forecaster; press Run to train it (experiment/forecaster-market.ts)");
  if (m.model === 'signature-diffusion') throw new MarketDataError("market: the signature-diffusion market's paths come from its trained generators; press Run to train them (experiment/diffusion-market.ts)");
  if (!isDataMarket(m)) return hedgeSetOf(cfg, simulatedMarket(cfg));
  if (!data) throw new MarketDataError(`market.data: this experiment needs ${marketOrigin(m)}; load it first`);
  return hedgeSetOf(cfg, dataMarket(cfg, m, data, m.quotes ? quotes : undefined));
}

/** The market with the claim's premiums (one per strike) and the option premium models attached; a run needs the quotes its market names. */
export async function prepareMarket(cfg: Experiment, data?: PricePanel, quotes?: OptionQuotes, built?: MarketPaths): Promise<PreparedMarket> {
  const m = cfg.market;
  if (isDataMarket(m) && m.quotes && !quotes) throw new MarketDataError(`market.quotes: this experiment needs the option quotes ${JSON.stringify(m.quotes.file)}; load them first`);
  const paths = built ?? marketPaths(cfg, data, quotes);
  const premium = await claimPremium(cfg, paths.draw);
  const bad = premium.values.find((v) => !Number.isFinite(v));
  if (bad !== undefined) {
    throw new MarketDataError(`premium: the ${premium.method} price of the claim under ${marketOrigin(cfg.market)} is ${bad}: choose premium "zero" or a milder market`);
  }
  return { ...paths, premium: meanPathPremium(premium.values, paths.summary.split?.testWindows ?? cfg.paths.test), premiums: premium.values, floatingPremiums: floatingPremiumModels(cfg) };
}
