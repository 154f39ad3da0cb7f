/**
 * What the forecaster market (paper 000 §2) learns from: the close-to-close log-returns of eq. 1 of every asset
 * of its price panel, split chronologically into training, validation and test returns, and each asset's
 * market value for Market Value Dropout (eq. 7). A return r_t runs from date t to date t + 1 and belongs to the
 * part its end date falls in: "training to 2017-12-31" holds the returns that end by then, and the test period
 * "from 2019-01-01" starts with the return from the last close of 2018. A split by fractions cuts the returns
 * as the other data markets cut their dates. Each asset's market value for eq. 7 is its share of the panel's
 * total of mean close x volume over the training dates (a share, so that tau reads on one scale whatever the
 * currency and size of the market; the paper does not say) where the data have volume (the bundled series, CSVs with a Volume column); where
 * they have none (the factor panel, a CSV without it) every asset's is equal and eq. 7's softmax drops assets
 * uniformly; `marketValueSource` says which, for the UI.
 */
import type { PricePanel } from '../data/price-panel';
import { chronologicalSplit } from '../markets/historical-windows';
import type { ForecasterMarket } from '../experiment/schema';
import type { ReturnSplit } from './baseline-forecasts';
import { logReturns, type ReturnPanel } from './log-returns';
import { sampleVariance } from './sample-moments';

export interface ForecastSetup {
  returns: ReturnPanel;
  split: ReturnSplit;
  /** First and last dates of each part, as the returns' end dates (the date a return is known). */
  ranges: { train: [string, string]; validation: [string, string]; test: [string, string] };
  /** Each asset's standard deviation of its finite training returns: the forecaster's scale (spatio-temporal-forecaster.ts). */
  scale: number[];
  marketValue: number[];
  /** How the market values were set, for the UI. */
  marketValueSource: string;
}

/** The setup is impossible as configured (too few returns in a part for the context). */
export class ForecastSetupError extends Error {}

/** Returns ending on or before `date`: the r_t with dates[t + 1] <= date. */
function endingBy(dates: string[], date: string): number {
  let n = 0;
  while (n + 1 < dates.length && dates[n + 1]! <= date) n++;
  return n;
}

/** The returns of `panel` (its symbols in order) split as the market says; refused when a part cannot hold a forecast. */
export function forecastSetup(m: ForecasterMarket, panel: PricePanel): ForecastSetup {
  const all = logReturns(panel);
  // `inputs: 'close'`: the close-to-close channel alone, whatever bars the data have.
  const returns = m.inputs === 'close' ? { ...all, channels: all.returns.map((r) => [r]) } : all;
  const n = returns.dates.length;
  const split: ReturnSplit =
    'trainEnd' in m.split
      ? { trainEnd: endingBy(panel.dates, m.split.trainEnd), validationEnd: endingBy(panel.dates, m.split.validationEnd) }
      : (({ train, validation }) => ({ trainEnd: train[1], validationEnd: validation[1] }))(chronologicalSplit(n, m.split));
  const end = (t: number) => panel.dates[t + 1]!;
  const { context, horizon } = m.forecaster;
  const parts: [string, number, number, number][] = [
    ['training', 0, split.trainEnd, context + horizon],
    ['validation', split.trainEnd, split.validationEnd, horizon],
    ['test', split.validationEnd, n, 1],
  ];
  for (const [name, from, to, least] of parts) {
    if (to - from < least) {
      throw new ForecastSetupError(
        `market.split: the ${name} part of the data holds ${to - from} returns (${n} in all, ${panel.dates[0]} to ${panel.dates.at(-1)}); ` +
          `it needs at least ${least} (context ${context} and horizon ${horizon} days): move the split or shorten the context`,
      );
    }
  }
  const range = (from: number, to: number): [string, string] => [end(from), end(to - 1)];
  return {
    returns,
    split,
    ranges: { train: range(0, split.trainEnd), validation: range(split.trainEnd, split.validationEnd), test: range(split.validationEnd, n) },
    scale: returns.returns.map((r, i) => {
      const s = Math.sqrt(sampleVariance(r.subarray(0, split.trainEnd)));
      if (!(s > 0)) throw new ForecastSetupError(`market.data: ${panel.symbols[i]} has fewer than two distinct training returns; the forecaster cannot read its scale`);
      return s;
    }),
    ...marketValues(panel, split.trainEnd),
  };
}

/** Mean close x volume of each asset over the price dates of the training returns, or equal values where some asset has no volume there. */
function marketValues(panel: PricePanel, trainEnd: number): Pick<ForecastSetup, 'marketValue' | 'marketValueSource'> {
  const values = panel.volume?.map((volume, i) => {
    let [sum, n] = [0, 0];
    for (let t = 0; t <= trainEnd; t++) {
      const v = panel.close[i]![t]! * volume[t]!;
      if (Number.isFinite(v) && v > 0) [sum, n] = [sum + v, n + 1];
    }
    return n > 0 ? sum / n : NaN;
  });
  if (values?.every(Number.isFinite)) {
    const total = values.reduce((a, b) => a + b, 0);
    return { marketValue: values.map((v) => v / total), marketValueSource: "each asset's share of mean price x volume over the training dates" };
  }
  const why = panel.volume ? 'some asset has no volume on the training dates' : 'the price data carry no volume';
  return { marketValue: panel.symbols.map(() => 1), marketValueSource: `equal weights (${why})` };
}
