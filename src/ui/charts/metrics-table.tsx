/**
 * The metrics table (events.ts `Metrics`): one row per strategy, on the test paths, to 3 significant digits,
 * mean, std and avg_r under paper 000's names too (avg_PV, std_PV, avg_r of eq. 40);
 * under a hedger that trades options, the same policy with its option trades removed (paper 002 fig. 5).
 * Above it, the number of test paths the table rests on and, when too few lie beyond a VaR / ES level
 * (risk/tail-sample.ts), a warning that names those columns, which are greyed; once a run is done, its
 * "Download results" button.
 */
import { Fragment } from 'react';
import type { MarketInfo, Metrics } from '../../engine/experiment/events';
import { unreliableTails, MIN_TAIL_OUTCOMES, type UnreliableTail } from '../../engine/risk/tail-sample';
import { DownloadResultButton } from '../download-result-button';
import { useLab } from '../lab-store';
import { useEmptyMessage } from './empty-message';
import { strategyColor, translucent } from './palette';
import { rounded, significant } from './significant';

const COLUMNS: { key: keyof Metrics; label: string; about: string }[] = [
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

const labelOf = (key: keyof Metrics) => COLUMNS.find((c) => c.key === key)!.label;

/** "A, B and C". */
const listed = (items: string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/**
 * n beside the table and, when some tail levels rest on too few outcomes, which columns and why; where a
 * strategy hedges at the implied volatility (implied delta, the RL agents' expert), where that comes from.
 */
function TestSample({ market, tails, impliedDelta }: { market: MarketInfo; tails: UnreliableTail[]; impliedDelta: boolean }) {
  const unit = market.split ? 'test windows' : 'test paths';
  const iv = market.impliedVolatility;
  return (
    <div className="metrics-sample">
      <p data-testid="metrics-n">
        n = {market.testPaths} {unit}
      </p>
      {impliedDelta && iv?.source && (
        <p data-testid="implied-volatility-source" title="Paper 000 eq. 26: the Black-Scholes delta at this volatility is the implied delta, the RL agents’ expert">
          Implied volatility: {iv.source}
        </p>
      )}
      {tails.length > 0 && (
        <p className="metrics-warning" role="note" data-testid="tail-warning">
          {listed(tails.flatMap((t) => t.metrics.map(labelOf)))} are unreliable: fewer than {MIN_TAIL_OUTCOMES} of the {market.testPaths} {unit} lie
          beyond {tails.length > 1 ? 'those levels' : 'that level'} ({tails.map((t) => `${rounded(t.outcomes)} beyond ${t.percent}%`).join(', ')}). Add {unit} for a
          trustworthy tail.
        </p>
      )}
      <DownloadResultButton />
    </div>
  );
}

function MetricsRow({ label, colour, metrics, unreliable }: { label: string; colour: string; metrics: Metrics; unreliable: Set<keyof Metrics> }) {
  return (
    <tr>
      <th scope="row">
        <span className="swatch" style={{ background: colour }} />
        {label}
      </th>
      {COLUMNS.map((c) => (
        <td key={c.key} className={unreliable.has(c.key) ? 'unreliable' : undefined}>
          {significant(metrics[c.key])}
        </td>
      ))}
    </tr>
  );
}

export function MetricsTable() {
  const rows = useLab((s) => s.view.metrics);
  const strategies = useLab((s) => s.view.strategies);
  const result = useLab((s) => s.view.result);
  const market = useLab((s) => s.view.market);
  const tails = market ? unreliableTails(market.testPaths) : [];
  const impliedDelta = strategies.some((s) => s.type === 'implied-delta' || s.type === 'bc-rppo');
  const unreliable = new Set(tails.flatMap((t) => t.metrics));
  const empty = useEmptyMessage({
    before: 'Press Run: one row per strategy appears here when the test paths are scored.',
    during: 'The table fills in once every strategy has been scored on the test paths…',
  });
  return (
    <>
      {market && <TestSample market={market} tails={tails} impliedDelta={impliedDelta} />}
      <div className="table-scroll">
        <table className="metrics" data-testid="metrics-table">
          <thead>
            <tr>
              <th scope="col">strategy</th>
              {COLUMNS.map((c) => (
                <th key={c.key} scope="col" title={unreliable.has(c.key) ? `${c.about} (unreliable: too few test outcomes beyond the level)` : c.about} className={unreliable.has(c.key) ? 'unreliable' : undefined}>
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
                  <MetricsRow label={label} colour={colour} metrics={row.metrics} unreliable={unreliable} />
                  {withoutOptions && <MetricsRow label={`${label} without options`} colour={translucent(colour, 0.35)} metrics={withoutOptions} unreliable={unreliable} />}
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
    </>
  );
}
