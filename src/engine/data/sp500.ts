/**
 * The bundled S&P 500 series: vega-datasets' sp500-2000.csv, Yahoo Finance daily prices of the index from
 * 2000-01-03 to 2020-04-17 (5,105 trading days), the lab's stand-in for the historical adjusted closes of
 * paper 003 §3.1. The engine reads no files: the caller loads the text (a bundler import of
 * SP500_MODULE_PATH in the browser, the file system in Node) and passes it in.
 */
import { formatCsvErrors, parsePriceCsv } from './csv';
import type { PricePanel } from './price-panel';

/**
 * The file's path inside node_modules. The package's `exports` field hides its data folder from bare
 * specifiers, so Vite imports '/node_modules/' + this path + '?raw', and Node reads it beside the package.
 */
export const SP500_MODULE_PATH = 'vega-datasets/data/sp500-2000.csv';

/** The series as a one-symbol panel, 'SPX'. Throws only if the bundled text is not the file it should be. */
export function sp500Panel(csvText: string): PricePanel {
  const parsed = parsePriceCsv(csvText, 'SPX.csv');
  if (!parsed.ok) throw new Error(`the bundled S&P 500 file is corrupt: ${formatCsvErrors(parsed).slice(0, 3).join('; ')}`);
  if (parsed.panel.symbols.length !== 1 || parsed.panel.symbols[0] !== 'SPX')
    throw new Error(`the bundled S&P 500 file is corrupt: it holds symbols ${parsed.panel.symbols.join(', ')}, not one series`);
  return parsed.panel;
}
