/**
 * What the metrics table shows, apart from how it looks: its columns (name, meaning), its rows (one per
 * strategy, and under a hedger that trades options the same policy with its option trades removed, paper 002
 * fig. 5) and the same rows as CSV for "Download CSV": the table's header names and every number at full
 * precision, not the table's 3 significant digits.
 */
import { csvRow } from '../../engine/data/csv-row';
import type { Metrics, RunResult, StrategyInfo } from '../../engine/experiment/events';

export const METRICS_COLUMNS: { key: keyof Metrics; label: string; about: string }[] = [
  { key: 'mean', label: 'mean (avg_PV)', about: 'Mean terminal P&L: paper 000’s avg_PV, the mean of PV_T (eq. 40)' },
  { key: 'std', label: 'std (std_PV)', about: 'Standard deviation of the P&L (divisor n − 1): paper 000’s std_PV (eq. 40)' },
  { key: 'var90', label: 'VaR 90', about: 'Value at risk at 90% (a loss, positive)' },
  { key: 'var95', label: 'VaR 95', about: 'Value at risk at 95%' },
  { key: 'var99', label: 'VaR 99', about: 'Value at risk at 99%' },
  { key: 'es90', label: 'ES 90', about: 'Expected shortfall at 90%: mean loss in the worst 10%' },
  { key: 'es95', label: 'ES 95', about: 'Expected shortfall at 95%' },
  { key: 'es99', label: 'ES 99', about: 'Expected shortfall at 99%' },
  { key: 'entropic', label: 'entropic', about: 'Entropic risk (1/λ) log E[exp(−λ P&L)]' },
  { key: 'avg_r', label: 'avg_r', about: 'Mean reward −PV_T², the RL agents’ objective (paper 000 eq. 40); closer to 0 is better' },
  { key: 'skew', label: 'skew', about: 'Skewness of the P&L' },
  { key: 'kurtosis', label: 'kurtosis', about: 'Excess kurtosis of the P&L' },
  { key: 'turnover', label: 'turnover', about: 'Mean total |change in position| per path' },
  { key: 'cost', label: 'cost', about: 'Mean transaction costs paid per path' },
  { key: 'price', label: 'price', about: 'Indifference price under the risk measure' },
  { key: 'risk', label: 'risk', about: 'The experiment’s risk measure of the P&L' },
];

/** A metric's column name ("ES 95"). */
export const metricLabel = (key: keyof Metrics): string => METRICS_COLUMNS.find((c) => c.key === key)!.label;

/** A row of the table. */
export interface MetricsTableRow {
  strategyId: string;
  /** The strategy's label, with " without options" on the row of its policy without option trades. */
  label: string;
  withoutOptions: boolean;
  metrics: Metrics;
}

/** The table's rows, in the order the run scored its strategies. */
export function metricsTableRows(scored: readonly { strategyId: string; metrics: Metrics }[], strategies: readonly StrategyInfo[], result: RunResult | null): MetricsTableRow[] {
  return scored.flatMap(({ strategyId, metrics }) => {
    const label = strategies.find((s) => s.id === strategyId)?.label ?? strategyId;
    const withoutOptions = result?.strategies.find((s) => s.id === strategyId)?.metricsWithoutOptions;
    const own: MetricsTableRow = { strategyId, label, withoutOptions: false, metrics };
    return withoutOptions ? [own, { strategyId, label: `${label} without options`, withoutOptions: true, metrics: withoutOptions }] : [own];
  });
}

/** The rows as a CSV file: a header line (strategy, then the table's column names), then one line per row. */
export function metricsCsv(rows: readonly MetricsTableRow[]): string {
  const lines = [csvRow(['strategy', ...METRICS_COLUMNS.map((c) => c.label)]), ...rows.map((r) => csvRow([r.label, ...METRICS_COLUMNS.map((c) => r.metrics[c.key])]))];
  return lines.join('\n') + '\n';
}
