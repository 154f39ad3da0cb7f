/**
 * The signature-diffusion market (paper 003 §3.3): hedgers train on the pool of price paths the trained
 * generators sampled (diffusion-phase.ts), one generator per traded asset, each asset's paths independent of
 * the others' (the paper's generators are fitted per asset: "cross-asset dependencies are not explicitly
 * captured"); a training sample is the pool's paths at uniformly drawn rows, as the historical market
 * resamples its windows. They are tested on every real window of the test dates and scored while they train
 * on the real validation windows, as the historical and regime-switching markets are (market.ts), so the
 * three data sources of paper 003 fig. 3 meet the same test. The Black-Scholes hedges and features use the
 * realised volatility of the claim's asset over the training dates.
 */
import { realisedVolatilityOver } from '../data/realised-volatility';
import type { PricePanel } from '../data/price-panel';
import { chronologicalSplit, historicalWindows } from '../markets/historical-windows';
import type { RandomStream } from '../random/stream';
import { boundTestWindows, checkedSample, isoRange, marketOrigin, selectedSymbols, windowsOf, WINDOW_ADVICE, type MarketPaths, type MarketSample } from './market';
import { stepYears, type DiffusionMarket, type Experiment } from './schema';

/** Generated prices of one asset, `n` paths of steps + 1 prices from s0, row by row. */
export interface GeneratedPool {
  n: number;
  prices: Float32Array;
}

/** The market's paths: `pools` holds each traded asset's generated paths (the claim's asset first). */
export function diffusionMarketPaths(cfg: Experiment, m: DiffusionMarket, data: PricePanel, pools: GeneratedPool[]): MarketPaths {
  const symbols = selectedSymbols(m, data);
  const traded = cfg.instruments.hedgeSet ?? symbols.length;
  const split = chronologicalSplit(data.dates.length, m.split);
  const steps = m.steps;
  const cols = steps + 1;
  const origin = marketOrigin(m);
  const test = windowsOf('test', m, data, symbols, split.test);
  boundTestWindows(m, data, split.test, test);
  const validation = historicalWindows(data, symbols, split.validation, steps, m.s0);
  const volatility = realisedVolatilityOver(data.close[symbols[0]!]!, split.train, m.daysPerYear);
  const n = pools[0]!.n;
  const kept = (s: MarketSample): MarketSample => ({ ...s, assets: s.assets.slice(0, traded) });
  const every = (count: number) => Int32Array.from({ length: count }, (_, i) => i);
  const windows = (w: typeof test, which: string) =>
    kept(checkedSample({ n: w.count, assets: w.paths(every(w.count)) }, steps, origin, WINDOW_ADVICE, (path) => `the ${which} window from ${w.startDates[path]}`));
  const draw = (count: number, rng: RandomStream): MarketSample => {
    const rows = Array.from(rng.uniforms(new Float64Array(count)), (x) => Math.floor(x * n));
    return {
      n: count,
      assets: pools.slice(0, traded).map((pool) => {
        const out = new Float32Array(count * cols);
        rows.forEach((r, p) => out.set(pool.prices.subarray(r * cols, (r + 1) * cols), p * cols));
        return out;
      }),
    };
  };
  return {
    summary: {
      assets: symbols.slice(0, traded).map((i) => data.symbols[i]!),
      split: {
        train: isoRange(data.dates, split.train),
        validation: split.validation[1] > split.validation[0] ? isoRange(data.dates, split.validation) : null,
        test: isoRange(data.dates, split.test),
        trainWindows: n,
        validationWindows: validation.count,
        testWindows: test.count,
        skippedWindows: validation.skipped + test.skipped,
      },
      impliedVolatility: { source: `realised vol of the training dates, ${(100 * volatility).toFixed(1)}% a year (proxy)`, proxy: true },
    },
    steps,
    dt: stepYears(m),
    volatility,
    impliedVolatility: { kind: 'constant', sigma: volatility },
    testSample: () => windows(test, 'test'),
    draw,
    validationSample: (count, rng) => (validation.count > 0 ? windows(validation, 'validation') : draw(count, rng)),
  };
}
