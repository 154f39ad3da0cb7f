/**
 * The metrics table (events.ts `Metrics`): one row per strategy, on the test paths, to 3 significant digits;
 * under a hedger that trades options, the same policy with its option trades removed (paper 002 fig. 5).
 */
import { Fragment } from 'react';
import type { Metrics } from '../../engine/experiment/events';
import { useLab } from '../lab-store';
import { useEmptyMessage } from './empty-message';
import { strategyColor, translucent } from './palette';

const COLUMNS: { key: keyof Metrics; label: string; about: string }[] = [
  { key: 'mean', label: 'mean', about: 'Mean terminal P&L' },
  { key: 'std', label: 'std', about: 'Standard deviation of the P&L' },
  { key: 'var90', label: 'VaR 90', about: 'Value at risk at 90% (a loss, positive)' },
  { key: 'var95', label: 'VaR 95', about: 'Value at risk at 95%' },
  { key: 'var99', label: 'VaR 99', about: 'Value at risk at 99%' },
  { key: 'es90', label: 'ES 90', about: 'Expected shortfall at 90%: mean loss in the worst 10%' },
  { key: 'es95', label: 'ES 95', about: 'Expected shortfall at 95%' },
  { key: 'es99', label: 'ES 99', about: 'Expected shortfall at 99%' },
  { key: 'entropic', label: 'entropic', about: 'Entropic risk (1/λ) log E[exp(−λ P&L)]' },
  { key: 'avg_r', label: 'avg r', about: 'Mean of −PV², paper 000 eq. 40' },
  { key: 'skew', label: 'skew', about: 'Skewness of the P&L' },
  { key: 'kurtosis', label: 'kurtosis', about: 'Excess kurtosis of the P&L' },
  { key: 'turnover', label: 'turnover', about: 'Mean total |change in position| per path' },
  { key: 'cost', label: 'cost', about: 'Mean transaction costs paid per path' },
  { key: 'price', label: 'price', about: 'Indifference price under the risk measure' },
  { key: 'risk', label: 'risk', about: 'The experiment’s risk measure of the P&L' },
];

function format(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  return Math.abs(x) >= 1e4 || Math.abs(x) < 1e-3 ? x.toExponential(2) : x.toPrecision(3);
}

function MetricsRow({ label, colour, metrics }: { label: string; colour: string; metrics: Metrics }) {
  return (
    <tr>
      <th scope="row">
        <span className="swatch" style={{ background: colour }} />
        {label}
      </th>
      {COLUMNS.map((c) => (
        <td key={c.key}>{format(metrics[c.key])}</td>
      ))}
    </tr>
  );
}

export function MetricsTable() {
  const rows = useLab((s) => s.view.metrics);
  const strategies = useLab((s) => s.view.strategies);
  const result = useLab((s) => s.view.result);
  const empty = useEmptyMessage({
    before: 'Press Run: one row per strategy appears here when the test paths are scored.',
    during: 'The table fills in once every strategy has been scored on the test paths…',
  });
  return (
    <div className="table-scroll">
      <table className="metrics" data-testid="metrics-table">
        <thead>
          <tr>
            <th scope="col">strategy</th>
            {COLUMNS.map((c) => (
              <th key={c.key} scope="col" title={c.about}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows?.map((row) => {
            const label = strategies.find((s) => s.id === row.strategyId)?.label ?? row.strategyId;
            const colour = strategyColor(strategies, row.strategyId);
            const withoutOptions = result?.strategies.find((s) => s.id === row.strategyId)?.metricsWithoutOptions;
            return (
              <Fragment key={row.strategyId}>
                <MetricsRow label={label} colour={colour} metrics={row.metrics} />
                {withoutOptions && <MetricsRow label={`${label} without options`} colour={translucent(colour, 0.35)} metrics={withoutOptions} />}
              </Fragment>
            );
          })}
          {!rows && (
            <tr className="empty">
              <td colSpan={COLUMNS.length + 1}>{empty}</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
