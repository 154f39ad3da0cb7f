/**
 * Two kept runs side by side (issue 18): for each strategy of either run, its P&L densities on the test paths
 * overlaid on one chart (the P&L chart's figure, pnl-chart.tsx: run A solid, run B dashed), and a table of
 * its metrics in run A, in run B and the difference B − A. Strategies are matched by id; one that only a run
 * has shows that run alone.
 */
import { useMemo } from 'react';
import type { Metrics, StrategyInfo } from '../engine/experiment/events';
import { ChartTitle } from './charts/chart-title';
import { METRICS_COLUMNS } from './charts/metrics-columns';
import { Plot } from './charts/plot';
import { pnlFigure, type PnlSeries } from './charts/pnl-chart';
import { significant } from './charts/significant';
import { savedAtText, scoredMetrics, type RunRecord } from './run-record';
import { useRunHistory } from './run-history-store';

/** Run A's and run B's colours on every comparison chart. */
const RUN_COLORS = { a: '#2563eb', b: '#ea580c' } as const;

const signed = (x: number) => (x > 0 ? `+${significant(x)}` : significant(x));

function runFacts(run: RunRecord): string {
  return `${savedAtText(run.savedAt)}, ${run.outcome}, ${run.backend.active}`;
}

/** Run A's and run B's density of one strategy, where scored; names stay fixed text (run names are shown in HTML text, not in the chart). */
function densities(id: string, a: RunRecord, b: RunRecord): PnlSeries[] {
  const series = (run: RunRecord, name: string, color: string, dash?: 'dash'): PnlSeries[] => {
    const pnl = run.view.pnl[id];
    return pnl ? [{ name, color, histogram: pnl.histogram, metrics: pnl.metrics, dash }] : [];
  };
  return [...series(a, 'Run A', RUN_COLORS.a), ...series(b, 'Run B', RUN_COLORS.b, 'dash')];
}

function StrategyComparison({ strategy, a, b, metricsA, metricsB }: { strategy: StrategyInfo; a: RunRecord; b: RunRecord; metricsA?: Metrics; metricsB?: Metrics }) {
  const figure = useMemo(() => pnlFigure(densities(strategy.id, a, b)), [strategy.id, a, b]);
  const cell = (m: Metrics | undefined, key: keyof Metrics) => (m ? significant(m[key]) : '—');
  return (
    <section className="card" data-testid="history-compare-strategy" data-strategy={strategy.id}>
      <h2>{strategy.label}</h2>
      <p className="about">P&L on the test paths: run A solid, run B dashed.</p>
      <ChartTitle value={`${strategy.label}: run A against run B`}>
        <Plot figure={figure} empty="Neither run scored this strategy." testId={`compare-pnl-${strategy.id}`} height={240} />
      </ChartTitle>
      <div className="table-scroll">
        <table className="metrics history-compare-table" data-testid={`compare-metrics-${strategy.id}`}>
          <thead>
            <tr>
              <th scope="col">metric</th>
              <th scope="col">run A</th>
              <th scope="col">run B</th>
              <th scope="col" title="Run B minus run A">B − A</th>
            </tr>
          </thead>
          <tbody>
            {METRICS_COLUMNS.map((c) => (
              <tr key={c.key}>
                <th scope="row" title={c.about}>
                  {c.label}
                </th>
                <td>{cell(metricsA, c.key)}</td>
                <td>{cell(metricsB, c.key)}</td>
                <td>{metricsA && metricsB ? signed(metricsB[c.key] - metricsA[c.key]) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function HistoryComparison() {
  const comparison = useRunHistory((s) => s.comparison);
  if (!comparison) return null;
  const { a, b } = comparison;
  const [metricsA, metricsB] = [scoredMetrics(a.view), scoredMetrics(b.view)];
  const strategies = [...a.view.strategies, ...b.view.strategies.filter((s) => !a.view.strategies.some((x) => x.id === s.id))];
  return (
    <>
      <section className="card wide" data-testid="history-comparison">
        <h2>Run A against run B</h2>
        <p className="history-compared">
          <span className="swatch" style={{ background: RUN_COLORS.a }} /> Run A: <strong>{a.name}</strong> ({runFacts(a)})
          <br />
          <span className="swatch" style={{ background: RUN_COLORS.b }} /> Run B: <strong>{b.name}</strong> ({runFacts(b)})
        </p>
        {strategies.length === 0 && <p className="about">Neither run has strategies to compare (a forecaster trained alone).</p>}
      </section>
      {strategies.map((s) => (
        <StrategyComparison key={s.id} strategy={s} a={a} b={b} metricsA={metricsA.get(s.id)} metricsB={metricsB.get(s.id)} />
      ))}
    </>
  );
}
