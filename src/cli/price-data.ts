/**
 * Price data for the CLI: the bundled S&P 500 series (vega-datasets' data/sp500-2000.csv, read from the
 * installed package) and CSV files given with `run --data FILE.csv` (one per asset, or a long table),
 * parsed and aligned by the engine (src/engine/data). A malformed file is a usage error naming its lines.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { formatCsvErrors, parsePriceCsv } from '../engine/data/csv';
import { alignPanels, type PricePanel } from '../engine/data/price-panel';
import { sp500Panel } from '../engine/data/sp500';
import { readInputFile } from './input-file';
import { stderrLine } from './terminal-text';
import { UsageError } from './usage-error';

/** Past this a file's text does not fit in one string (V8 holds at most 512 MiB of it). */
const MAX_CSV_BYTES = 256 * 1024 * 1024;

/** The bundled series; the package's exports hide its data folder, so it is found next to its entry point. */
export function bundledSp500(): PricePanel {
  const entry = createRequire(import.meta.url).resolve('vega-datasets');
  return sp500Panel(readFileSync(join(dirname(entry), '..', 'data', 'sp500-2000.csv'), 'utf8'));
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
