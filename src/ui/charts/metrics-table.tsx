/**
 * The metrics table (events.ts `Metrics`; its columns and rows are metrics-columns.ts'): one row per strategy,
 * on the test paths, to 3 significant digits, mean, std and avg_r under paper 000's names too (avg_PV, std_PV,
 * avg_r of eq. 40); under a hedger that trades options, the same policy with its option trades removed.
 * Above it, the number of test paths the table rests on and, when too few lie beyond a VaR / ES level
 * (risk/tail-sample.ts), a warning that names those columns, which are greyed; once a run is done, its
 * "Download results" button, beside "Download CSV" (the table as it stands, at full precision) from the first row.
 */
import { useMemo } from 'react';
import type { MarketInfo, Metrics } from '../../engine/experiment/events';
import { unreliableTails, MIN_TAIL_OUTCOMES, type UnreliableTail } from '../../engine/risk/tail-sample';
import { DownloadResultButton } from '../download-result-button';
import { download, exportFileName, shownExperiment } from '../file-download';
import { useLab } from '../lab-store';
import { useEmptyMessage } from './empty-message';
import { metricLabel, METRICS_COLUMNS, metricsCsv, metricsTableRows, type MetricsTableRow } from './metrics-columns';
import { strategyColor, translucent } from './palette';
import { rounded, significant } from './significant';

/** "A, B and C". */
const listed = (items: string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/**
 * n beside the table and, when some tail levels rest on too few outcomes, which columns and why; where a
 * strategy hedges at the implied volatility (implied delta, the RL agents' expert), where that comes from.
 */
function TestSample({ market, tails, impliedDelta, rows }: { market: MarketInfo; tails: UnreliableTail[]; impliedDelta: boolean; rows: MetricsTableRow[] }) {
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
          {listed(tails.flatMap((t) => t.metrics.map(metricLabel)))} are unreliable: fewer than {MIN_TAIL_OUTCOMES} of the {market.testPaths} {unit} lie
          beyond {tails.length > 1 ? 'those levels' : 'that level'} ({tails.map((t) => `${rounded(t.outcomes)} beyond ${t.percent}%`).join(', ')}). Add {unit} for a
          trustworthy tail.
        </p>
      )}
      {rows.length > 0 && <DownloadCsvButton rows={rows} />}
      <DownloadResultButton />
    </div>
  );
}

/** "Download CSV": the table's rows and columns, every number at full precision. */
function DownloadCsvButton({ rows }: { rows: MetricsTableRow[] }) {
  const experiment = useLab(shownExperiment);
  return (
    <button
      type="button"
      data-testid="download-metrics-csv"
      title="Save this table as a CSV file: one row per strategy, the columns as shown here, every number at full precision"
      onClick={() => download(exportFileName(experiment, 'metrics', 'csv'), 'text/csv', metricsCsv(rows))}
    >
      Download CSV
    </button>
  );
}

function MetricsRow({ label, colour, metrics, unreliable }: { label: string; colour: string; metrics: Metrics; unreliable: Set<keyof Metrics> }) {
  return (
    <tr>
      <th scope="row">
        <span className="swatch" style={{ background: colour }} />
        {label}
      </th>
      {METRICS_COLUMNS.map((c) => (
        <td key={c.key} className={unreliable.has(c.key) ? 'unreliable' : undefined}>
          {significant(metrics[c.key])}
        </td>
      ))}
    </tr>
  );
}

export function MetricsTable() {
  const scored = useLab((s) => s.view.metrics);
  const strategies = useLab((s) => s.view.strategies);
  const result = useLab((s) => s.view.result);
  const market = useLab((s) => s.view.market);
  const rows = useMemo(() => (scored ? metricsTableRows(scored, strategies, result) : []), [scored, strategies, result]);
  const tails = market ? unreliableTails(market.testPaths) : [];
  const impliedDelta = strategies.some((s) => s.type === 'implied-delta' || s.type === 'bc-rppo');
  const unreliable = new Set(tails.flatMap((t) => t.metrics));
  const empty = useEmptyMessage({
    before: 'Press Run: one row per strategy appears here when the test paths are scored.',
    during: 'The table fills in once every strategy has been scored on the test paths…',
  });
  return (
    <>
      {market && <TestSample market={market} tails={tails} impliedDelta={impliedDelta} rows={rows} />}
      <div className="table-scroll">
        <table className="metrics" data-testid="metrics-table">
          <thead>
            <tr>
              <th scope="col">strategy</th>
              {METRICS_COLUMNS.map((c) => (
                <th key={c.key} scope="col" title={unreliable.has(c.key) ? `${c.about} (unreliable: too few test outcomes beyond the level)` : c.about} className={unreliable.has(c.key) ? 'unreliable' : undefined}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const colour = strategyColor(strategies, row.strategyId);
              return (
                <MetricsRow
                  key={`${row.strategyId}${row.withoutOptions ? '/without-options' : ''}`}
                  label={row.label}
                  colour={row.withoutOptions ? translucent(colour, 0.35) : colour}
                  metrics={row.metrics}
                  unreliable={unreliable}
                />
              );
            })}
            {!scored && (
              <tr className="empty">
                <td colSpan={METRICS_COLUMNS.length + 1}>{empty}</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
