/** The metrics table's rows and its "Download CSV" (src/ui/charts/metrics-columns.ts). */
import { describe, expect, it } from 'vitest';
import { tableRows, type CsvError } from '../../src/engine/data/csv';
import type { Metrics, RunResult, StrategyInfo } from '../../src/engine/experiment/events';
import { METRICS_COLUMNS, metricsCsv, metricsTableRows } from '../../src/ui/charts/metrics-columns';

/** Metrics whose every value is distinct and needs all 17 digits. */
const metrics = (seed: number): Metrics => Object.fromEntries(METRICS_COLUMNS.map((c, i) => [c.key, (seed + i) / 3 - 1e-9 * i])) as unknown as Metrics;

const strategies = [
  { id: 'delta', type: 'bs-delta', label: 'Black-Scholes delta, "textbook"', trainable: false },
  { id: 'deep', type: 'deep-mlp', label: 'Deep hedger', trainable: true },
] as StrategyInfo[];

const read = (text: string) => {
  const errors: CsvError[] = [];
  const rows = tableRows(text, errors).map((r) => r.fields);
  expect(errors).toEqual([]);
  return rows;
};

describe('metrics table', () => {
  it('has one row per scored strategy, and the policy without its option trades under a hedger that trades options', () => {
    const scored = [
      { strategyId: 'delta', metrics: metrics(1) },
      { strategyId: 'deep', metrics: metrics(2) },
    ];
    expect(metricsTableRows(scored, strategies, null).map((r) => [r.label, r.withoutOptions])).toEqual([
      ['Black-Scholes delta, "textbook"', false],
      ['Deep hedger', false],
    ]);
    const result = { strategies: [{ id: 'deep', metricsWithoutOptions: metrics(3) }] } as unknown as RunResult;
    const rows = metricsTableRows(scored, strategies, result);
    expect(rows.map((r) => [r.strategyId, r.label, r.withoutOptions])).toEqual([
      ['delta', 'Black-Scholes delta, "textbook"', false],
      ['deep', 'Deep hedger', false],
      ['deep', 'Deep hedger without options', true],
    ]);
    expect(rows[2]!.metrics).toEqual(metrics(3));
    // A strategy the run has not announced keeps its id.
    expect(metricsTableRows([{ strategyId: 'late', metrics: metrics(4) }], strategies, null)[0]!.label).toBe('late');
  });

  it('downloads as CSV: the header as the table names its columns, each row its label and full-precision numbers', () => {
    const rows = metricsTableRows(
      [
        { strategyId: 'delta', metrics: metrics(1) },
        { strategyId: 'deep', metrics: metrics(2) },
      ],
      strategies,
      null,
    );
    const text = metricsCsv(rows);
    expect(text.split('\n')[0]).toBe('strategy,mean (avg_PV),std (std_PV),VaR 90,VaR 95,VaR 99,ES 90,ES 95,ES 99,entropic,avg_r,skew,kurtosis,turnover,cost,price,risk');
    expect(text.endsWith('\n')).toBe(true);
    const [header, ...lines] = read(text);
    expect(header).toHaveLength(1 + METRICS_COLUMNS.length);
    expect(lines.map((l) => l[0])).toEqual(['Black-Scholes delta, "textbook"', 'Deep hedger']);
    lines.forEach((line, k) => expect(line.slice(1).map(Number)).toEqual(METRICS_COLUMNS.map((c) => rows[k]!.metrics[c.key])));
  });
});
