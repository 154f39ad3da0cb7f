/**
 * Price data for the CLI: the bundled series (vega-datasets' data/sp500-2000.csv for the S&P 500,
 * @observablehq/sample-datasets' aapl.csv for AAPL; data/bundled-series.ts), read from the installed
 * packages, and CSV files given with `run --data FILE.csv` (one per asset, or a long table),
 * parsed and aligned by the engine (src/engine/data). A malformed file is a usage error naming its lines.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { formatCsvErrors, parsePriceCsv } from '../engine/data/csv';
import { alignPanels, type PricePanel } from '../engine/data/price-panel';
import { sp500Panel } from '../engine/data/sp500';
import { AAPL_MODULE_PATH, bundledPanel, bundledSeriesPanel } from '../engine/data/bundled-series';
import type { BundledSymbol } from '../engine/experiment/schema';
import { readInputFile } from './input-file';
import { stderrLine } from './terminal-text';
import { UsageError } from './usage-error';

/** Past this a file's text does not fit in one string (V8 holds at most 512 MiB of it). */
const MAX_CSV_BYTES = 256 * 1024 * 1024;

/**
 * A bundled series' file: vega-datasets' exports hide its data folder, so the S&P 500 is found next to the
 * package's entry point; the AAPL file is one of its package's exports.
 */
function bundledFile(symbol: BundledSymbol): string {
  const require = createRequire(import.meta.url);
  return symbol === 'SPX' ? join(dirname(require.resolve('vega-datasets')), '..', 'data', 'sp500-2000.csv') : require.resolve(AAPL_MODULE_PATH);
}

/** The bundled S&P 500 series (the `sp500` data source). */
export function bundledSp500(): PricePanel {
  return sp500Panel(readFileSync(bundledFile('SPX'), 'utf8'));
}

/** The panel of a `bundled` data source: the series `symbols`, in order, on the dates they all have. */
export function bundledData(symbols: readonly BundledSymbol[]): PricePanel {
  const series = Object.fromEntries(symbols.map((s) => [s, bundledSeriesPanel(s, readFileSync(bundledFile(s), 'utf8'))]));
  return bundledPanel(symbols, series);
}

export function readCsvFiles(files: string[]): PricePanel {
  const panels = files.map((file) => {
    const r = parsePriceCsv(readInputFile('--data', file, MAX_CSV_BYTES), basename(file));
    if (!r.ok) throw new UsageError(`--data: ${formatCsvErrors(r).join('; ')}`);
    for (const w of r.warnings) stderrLine(`hedgelab: ${w}`);
    return r.panel;
  });
  try {
    return panels.length === 1 ? panels[0] : alignPanels(panels);
  } catch (e) {
    throw new UsageError(`--data: ${(e as Error).message}`);
  }
}
