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

export class DataFileError extends Error {}

/** The bundled series; the package's exports hide its data folder, so it is found next to its entry point. */
export function bundledSp500(): PricePanel {
  const entry = createRequire(import.meta.url).resolve('vega-datasets');
  return sp500Panel(readFileSync(join(dirname(entry), '..', 'data', 'sp500-2000.csv'), 'utf8'));
}

export function readCsvFiles(files: string[]): PricePanel {
  const panels = files.map((file) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new DataFileError(`--data: cannot read ${file} (${(e as Error).message})`);
    }
    const r = parsePriceCsv(text, basename(file));
    if (!r.ok) throw new DataFileError(`--data: ${formatCsvErrors(r).join('; ')}`);
    for (const w of r.warnings) process.stderr.write(`hedgelab: ${w}\n`);
    return r.panel;
  });
  try {
    return panels.length === 1 ? panels[0] : alignPanels(panels);
  } catch (e) {
    throw new DataFileError(`--data: ${(e as Error).message}`);
  }
}
