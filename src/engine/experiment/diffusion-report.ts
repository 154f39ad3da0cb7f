/**
 * How the signature-diffusion generators' paths compare with the real ones (issue 20; paper 003 fig. 1), per
 * asset, each data source of paper 003 beside the real test dates: the market's training windows (§3.1), the
 * regime-switching GBM fitted to the training dates (§3.2) and the generators' paths (§3.3). For each, the
 * stylised facts of its daily log-returns (generators/stylised-facts.ts: the KS statistic against the real test
 * returns, excess kurtosis, autocorrelation of returns and absolute returns and the leverage effect at lags
 * 1-10) and the signature-kernel MMD^2 (signatures/signature-kernel.ts, Goursat PDE, unbiased) between its
 * N-day paths and the real test windows, each path read as (t / T, log(S_t / S_0) / (sigma_d sqrt(N))) with
 * sigma_d the real daily std of the training dates, so both channels are of order 1. The real series' facts
 * are over the test dates themselves (split at any missing price). Fig. 1: each source's training returns
 * as a density beside the real validation and test returns', on common bins.
 */
import { signatureMmd2, type Path } from '../signatures/signature-kernel';
import { stylisedFacts, type StylisedFacts } from '../generators/stylised-facts';

export type DataSourceName = 'market' | 'regime' | 'diffusion';

/** The rows of the table: the real test dates, then each data source's training paths. */
export interface FactsRow extends StylisedFacts {
  source: 'real test' | DataSourceName;
  /** Std of the daily log-returns. */
  dailyStd: number;
  /** Signature-kernel MMD^2 of the source's N-day paths against the real test windows (null for the real row). */
  mmd: number | null;
}

/** Paper 003 fig. 1 on common bins: densities of daily log-returns. */
export interface ReturnDistributions {
  edges: number[];
  /** Each data source's training returns. */
  train: Record<DataSourceName, number[]>;
  /** The real validation and test dates' returns. */
  validation: number[];
  test: number[];
}

/** Quantile bands of price paths from s0 over the days (0..N): the generated paths' and the real test windows'. */
export interface GeneratedFan {
  quantiles: number[];
  generated: Float64Array[];
  real: Float64Array[];
}

export const FAN_QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95];
/** Paths per side of an MMD (the kernel's Gram matrices grow with its square). */
export const MMD_PATHS = 128;
const HISTOGRAM_BINS = 60;
/** The histograms reach this many training stds either side of 0. */
const HISTOGRAM_REACH = 6;

/** Runs of consecutive finite daily log-returns of `close` over the dates [a, b). */
export function returnRuns(close: ArrayLike<number>, [a, b]: [number, number]): Float64Array[] {
  const runs: Float64Array[] = [];
  let run: number[] = [];
  for (let t = a + 1; t < b; t++) {
    const r = Math.log(close[t]! / close[t - 1]!);
    if (Number.isFinite(r)) run.push(r);
    else if (run.length > 0) {
      runs.push(Float64Array.from(run));
      run = [];
    }
  }
  if (run.length > 0) runs.push(Float64Array.from(run));
  return runs;
}

/** The daily log-returns of each path of `n` rows of steps + 1 prices. */
export function pathReturns(prices: ArrayLike<number>, n: number, steps: number): Float64Array[] {
  const cols = steps + 1;
  return Array.from({ length: n }, (_, p) => Float64Array.from({ length: steps }, (_, d) => Math.log(prices[p * cols + d + 1]! / prices[p * cols + d]!)));
}

function std(runs: readonly Float64Array[]): number {
  let [n, s, s2] = [0, 0, 0];
  for (const r of runs) for (const x of r) [n, s, s2] = [n + 1, s + x, s2 + x * x];
  return Math.sqrt(Math.max(0, s2 / n - (s / n) ** 2));
}

/** Up to MMD_PATHS of the paths, evenly spread over them, as kernel paths (t / T, log(S_t / S_0) / scale). */
function kernelPaths(prices: ArrayLike<number>, n: number, steps: number, scale: number): Path[] {
  const cols = steps + 1;
  const k = Math.min(n, MMD_PATHS);
  return Array.from({ length: k }, (_, j) => {
    const p = Math.floor((j * n) / k);
    return Array.from({ length: cols }, (_, d) => [d / steps, Math.log(prices[p * cols + d]! / prices[p * cols]!) / scale]);
  });
}

/** Densities of `runs`' values on the bins of `edges`; values outside them are left out. */
function density(runs: readonly Float64Array[], edges: number[]): number[] {
  const counts = new Array<number>(edges.length - 1).fill(0);
  const [lo, width] = [edges[0]!, edges[1]! - edges[0]!];
  let total = 0;
  for (const r of runs) {
    for (const x of r) {
      total++;
      const b = Math.floor((x - lo) / width);
      if (b >= 0 && b < counts.length) counts[b]!++;
    }
  }
  return counts.map((c) => (total > 0 ? c / (total * width) : 0));
}

export interface SourcePaths {
  /** Rows of steps + 1 prices. */
  prices: ArrayLike<number>;
  n: number;
}

/**
 * The facts table, fig. 1's densities and the fan of one asset: `real` its test, validation and training
 * returns (runs) and test windows, `sources` each data source's N-day training paths.
 */
export function compareSources(
  steps: number,
  real: { train: Float64Array[]; validation: Float64Array[]; test: Float64Array[]; testWindows: SourcePaths },
  sources: Record<DataSourceName, SourcePaths>,
): { facts: FactsRow[]; distribution: ReturnDistributions; fan: GeneratedFan } {
  const reference = real.test.flatMap((r) => Array.from(r));
  const sigma = std(real.train);
  const scale = sigma * Math.sqrt(steps);
  const realKernel = kernelPaths(real.testWindows.prices, real.testWindows.n, steps, scale);
  const names: DataSourceName[] = ['market', 'regime', 'diffusion'];
  const returns = Object.fromEntries(names.map((s) => [s, pathReturns(sources[s].prices, sources[s].n, steps)])) as Record<DataSourceName, Float64Array[]>;
  // The market's training paths are overlapping windows: its returns are the training dates' own, each once.
  returns.market = real.train;
  const facts: FactsRow[] = [
    { source: 'real test', ...stylisedFacts(real.test), dailyStd: std(real.test), mmd: null },
    ...names.map((s) => ({
      source: s,
      ...stylisedFacts(returns[s], reference),
      dailyStd: std(returns[s]),
      mmd: signatureMmd2(kernelPaths(sources[s].prices, sources[s].n, steps, scale), realKernel),
    })),
  ];
  const reach = HISTOGRAM_REACH * sigma;
  const edges = Array.from({ length: HISTOGRAM_BINS + 1 }, (_, k) => -reach + (2 * reach * k) / HISTOGRAM_BINS);
  const distribution: ReturnDistributions = {
    edges,
    train: Object.fromEntries(names.map((s) => [s, density(returns[s], edges)])) as Record<DataSourceName, number[]>,
    validation: density(real.validation, edges),
    test: density(real.test, edges),
  };
  return { facts, distribution, fan: { quantiles: FAN_QUANTILES, generated: bands(sources.diffusion, steps), real: bands(real.testWindows, steps) } };
}

/** FAN_QUANTILES of the paths' prices at each day. */
function bands(paths: SourcePaths, steps: number): Float64Array[] {
  const cols = steps + 1;
  const columns = Array.from({ length: cols }, (_, d) => Float64Array.from({ length: paths.n }, (_, p) => paths.prices[p * cols + d]!).sort());
  return FAN_QUANTILES.map((q) => Float64Array.from(columns, (c) => c[Math.min(c.length - 1, Math.floor(q * c.length))]!));
}
