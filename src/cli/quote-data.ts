/**
 * Option quotes for the CLI: `run --quotes FILE.csv` (data/option-quotes.ts), read as `--data` files are.
 * The quotes give a historical or regime-switching market the implied volatility of paper 000's implied
 * delta (eq. 24-26) in place of its proxy; the config then names the file (market.quotes). A malformed file
 * is a usage error naming its lines and columns (exit 2); a quote outside the no-arbitrage bounds of its
 * date's close is refused when the market is prepared, naming its line as well (exit 2).
 */
import { basename } from 'node:path';
import { formatCsvErrors } from '../engine/data/csv';
import { parseOptionQuotesCsv, type OptionQuotes } from '../engine/data/option-quotes';
import { isDataMarket, parseExperiment, type Experiment } from '../engine/experiment/schema';
import { readInputFile } from './input-file';
import { UsageError } from './usage-error';

/** A quote file is a few megabytes (MAX_OPTION_QUOTES rows). */
const MAX_QUOTES_BYTES = 64 * 1024 * 1024;

/** The config with market.quotes naming `file`, and the quotes parsed from it; the config as it is without a file. */
export function withQuotes(cfg: Experiment, file: string | undefined): { cfg: Experiment; quotes?: OptionQuotes } {
  const m = cfg.market;
  if (file === undefined) {
    if (isDataMarket(m) && m.quotes) throw new UsageError(`this experiment uses the option quotes "${m.quotes.file}": pass them with --quotes FILE.csv`);
    return { cfg };
  }
  if (!isDataMarket(m)) throw new UsageError(`--quotes: the ${m.model} market has its own implied volatility; quotes go with a historical or regime-switching market`);
  const r = parseOptionQuotesCsv(readInputFile('--quotes', file, MAX_QUOTES_BYTES), basename(file));
  if (!r.ok) throw new UsageError(`--quotes: ${formatCsvErrors(r).join('; ')}`);
  const named = parseExperiment({ ...cfg, market: { ...m, quotes: { file: basename(file).slice(0, 120) } } });
  if (!named.ok) throw new UsageError(named.errors.join('; '));
  return { cfg: named.value, quotes: r.quotes };
}
