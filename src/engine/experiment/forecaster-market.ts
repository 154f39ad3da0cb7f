/**
 * The forecaster market (paper 000 §3.1, eq. 10-11): hedgers train on paths the trained forecaster samples,
 * each from a training date's own L-day history, under the physical measure or the risk-neutral one (the
 * generalised GBM of forecast/path-sampling.ts, whose discounted close is a martingale). The paths are drawn
 * once, when the market is prepared, into a pool of `paths.train` paths from training start dates drawn
 * uniformly (stream `market/forecaster/train`); a training sample is the pool's paths at uniformly drawn
 * rows, as the historical market resamples its windows. The test paths are sampled the same way from every
 * test date in turn (`testOn: 'forecaster'`), or are the real windows of the test dates (`testOn: 'real'`),
 * which no fit has seen. Its summary dates each part by its returns' end dates, as the forecast report does.
 *
 * A forecaster panel may hold many assets (a factor panel has 30): the hedgers trade the first
 * `instruments.hedgeSet` of them (the claim's first), the claim's asset alone when it is absent. The Black-Scholes
 * hedges, features and implied delta use sigma-bar, the forecaster's mean daily sigma of the claim's asset over
 * the training pool, annualised: the constant vol that prices the pool's ATM call closest to its Monte Carlo
 * price (path-sampling's test).
 */
import type { PricePanel } from '../data/price-panel';
import type { ForecastSetup } from '../forecast/forecast-setup';
import { windowsPerPass } from '../forecast/forecaster-scores';
import { cumulativeClose, samplePaths } from '../forecast/path-sampling';
import { closeIndex, returnWindows } from '../forecast/return-windows';
import type { SpatioTemporalForecaster } from '../forecast/spatio-temporal-forecaster';
import { historicalWindows } from '../markets/historical-windows';
import { stream, type RandomStream } from '../random/stream';
import { MarketDataError, type MarketPaths, type MarketSample } from './market';
import { stepYears, type Experiment, type ForecasterMarket } from './schema';

/** Paths of the traded assets, [n, steps + 1] each, and the claim's asset's mean sigma^2 a day. */
interface SampledPool {
  assets: Float32Array[];
  meanVariance: number;
}

/** `starts.length` paths of `steps` days, path p from return index starts[p] (its history the L returns before). */
async function sampledPool(model: SpatioTemporalForecaster, setup: ForecastSetup, m: ForecasterMarket, starts: number[], traded: number, rng: RandomStream): Promise<SampledPool> {
  const { context } = m.forecaster;
  const n = setup.returns.returns.length;
  const c = setup.returns.channels[0]!.length;
  const steps = m.steps;
  const history = returnWindows(setup.returns.channels, starts.map((t) => t - context), context);
  let sampled;
  try {
    sampled = await samplePaths(model, history, {
      horizon: steps,
      paths: starts.length,
      measure: m.measure,
      rate: m.rate,
      dt: stepYears(m),
      rng,
      chunk: windowsPerPass(model, context + steps),
    });
  } finally {
    history.dispose();
  }
  const cols = steps + 1;
  const assets = Array.from({ length: traded }, (_, a) => {
    const cumulative = cumulativeClose(sampled, a);
    const out = new Float32Array(starts.length * cols);
    for (let p = 0; p < starts.length; p++) {
      out[p * cols] = m.s0;
      for (let d = 0; d < steps; d++) out[p * cols + d + 1] = m.s0 * Math.exp(cumulative[p * steps + d]!);
    }
    return out;
  });
  let variance = 0;
  for (let p = 0; p < starts.length; p++) for (let d = 0; d < steps; d++) variance += sampled.sigma[closeIndex(p, d, 0, steps, n, c)]! ** 2;
  return { assets, meanVariance: variance / (starts.length * steps) };
}

/** The forecaster market's paths for `cfg` from the trained `model` on `setup`'s returns of `panel`. */
export async function forecasterMarketPaths(cfg: Experiment, m: ForecasterMarket, panel: PricePanel, setup: ForecastSetup, model: SpatioTemporalForecaster): Promise<MarketPaths> {
  const symbols = setup.returns.symbols;
  const traded = cfg.instruments.hedgeSet ?? 1;
  if (traded > symbols.length) throw new MarketDataError(`instruments.hedgeSet: the forecaster's data have ${symbols.length} assets (${symbols.join(', ')}): a hedge set of ${traded} is larger`);
  const { context } = m.forecaster;
  const steps = m.steps;
  const dt = stepYears(m);
  const { trainEnd, validationEnd } = setup.split;
  const days = setup.returns.dates.length;
  // Training paths start after L training returns and no later than the end of training.
  const first = context;
  const u = stream(cfg.seed, 'market', 'forecaster', 'starts').uniforms(new Float64Array(cfg.paths.train));
  const trainStarts = Array.from(u, (x) => first + Math.floor(x * (trainEnd - first + 1)));
  const pool = await sampledPool(model, setup, m, trainStarts, traded, stream(cfg.seed, 'market', 'forecaster', 'train'));
  const sigma = Math.sqrt(pool.meanVariance / dt);

  let testSample: () => MarketSample;
  let testWindows = 0;
  let testRange: [string, string];
  if (m.testOn === 'forecaster') {
    const from = Math.max(validationEnd, context);
    const testStarts = Array.from({ length: cfg.paths.test }, (_, k) => from + (k % (days - from + 1)));
    const test = await sampledPool(model, setup, m, testStarts, traded, stream(cfg.seed, 'market', 'forecaster', 'test'));
    testSample = () => ({ n: testStarts.length, assets: test.assets });
    testRange = setup.ranges.test;
  } else {
    // The price dates of the test returns: validationEnd .. the last.
    const windows = historicalWindows(panel, symbols.slice(0, traded).map((_, i) => i), [validationEnd, panel.dates.length], steps, m.s0);
    if (windows.count === 0) {
      throw new MarketDataError(`market.testOn: the test dates (${panel.dates[validationEnd]} to ${panel.dates.at(-1)}) hold no complete window of ${steps} days: shorten the maturity or move the split`);
    }
    testWindows = windows.count;
    const all = windows.paths();
    testSample = () => ({ n: windows.count, assets: all });
    testRange = setup.ranges.test;
  }
  const draw = (n: number, rng: RandomStream): MarketSample => {
    const rows = Array.from(rng.uniforms(new Float64Array(n)), (x) => Math.floor(x * trainStarts.length));
    const cols = steps + 1;
    return {
      n,
      assets: pool.assets.map((series) => {
        const out = new Float32Array(n * cols);
        rows.forEach((r, p) => out.set(series.subarray(r * cols, (r + 1) * cols), p * cols));
        return out;
      }),
    };
  };
  return {
    summary: {
      assets: symbols.slice(0, traded),
      split: {
        train: setup.ranges.train,
        validation: setup.ranges.validation,
        test: testRange,
        trainWindows: trainStarts.length,
        validationWindows: 0,
        testWindows: m.testOn === 'real' ? testWindows : cfg.paths.test,
        skippedWindows: 0,
      },
      impliedVolatility: { source: `the forecaster's mean sigma over its training paths, ${(100 * sigma).toFixed(1)}% a year (proxy)`, proxy: true },
    },
    steps,
    dt,
    volatility: sigma,
    impliedVolatility: { kind: 'constant', sigma },
    testSample,
    draw,
    validationSample: (n, rng) => draw(n, rng),
  };
}
