/**
 * The comparison view's charts (paper 001 figures 2-12): P&L densities of every strategy at each checkpoint
 * as small multiples, entropic loss and expected shortfall at 0.9 per checkpoint, the same two across the
 * cells of the grid (mean and range over seeds when seeds are an axis), training curves against epochs
 * and wall-clock seconds; and paper 003 fig. 3: a metric against the hedge-set size, one trace per strategy,
 * one panel per value of the other axes (the training market: historical windows or the regime model).
 */
import { useMemo, useState } from 'react';
import type { Data, Layout } from 'plotly.js';
import { cellLabel, type CellRecord, type ComparisonRecord, type StrategyRecord } from '../../engine/experiment/comparison';
import type { Metrics } from '../../engine/experiment/events';
import { strategyColor, translucent } from './palette';
import { BASE_LAYOUT, Plot, type Figure } from './plot';
import { significant } from './significant';
import { hedgeSetSeries } from './hedge-set-series';

const colourOf = (cell: CellRecord, s: StrategyRecord) => strategyColor(cell.strategies.map((x) => ({ ...x, trainable: x.training.epochs.length > 0 })), s.id);

/** The checkpoint epochs of a cell; a classic hedge, scored once, stands at every one of them. */
function epochsOf(cell: CellRecord): number[] {
  const epochs = new Set(cell.strategies.flatMap((s) => s.checkpoints.map((c) => c.epoch)).filter((e) => e > 0));
  return [...epochs].sort((a, b) => a - b);
}

function scoredAt(s: StrategyRecord, epoch: number) {
  return s.checkpoints.find((c) => c.epoch === epoch) ?? (s.training.epochs.length === 0 ? s.checkpoints[0] : undefined);
}

const axisName = (prefix: 'x' | 'y', k: number) => (k === 0 ? prefix : `${prefix}${k + 1}`);
const layoutKey = (prefix: 'x' | 'y', k: number) => (k === 0 ? `${prefix}axis` : `${prefix}axis${k + 1}`);


/** A title above each panel of a one-row grid of small multiples. */
function panelTitles(titles: string[]): Layout['annotations'] {
  return titles.map((text, k) => ({
    text,
    xref: `${axisName('x', k)} domain`,
    yref: `${axisName('y', k)} domain`,
    x: 0.5,
    y: 1,
    xanchor: 'center',
    yanchor: 'bottom',
    showarrow: false,
    font: { size: 12 },
  })) as Layout['annotations'];
}
export function CheckpointDensities({ cell }: { cell: CellRecord | null }) {
  const figure = useMemo((): Figure | null => {
    if (!cell) return null;
    const epochs = epochsOf(cell);
    const panels = epochs.length ? epochs : [0];
    const data: Data[] = [];
    panels.forEach((epoch, k) => {
      for (const s of cell.strategies) {
        const c = scoredAt(s, epoch);
        if (!c) continue;
        const colour = colourOf(cell, s);
        const { edges, density } = c.histogram;
        data.push({
          type: 'scatter',
          mode: 'lines',
          name: s.label,
          legendgroup: s.id,
          showlegend: k === 0,
          x: Array.from(edges),
          y: [...density, density[density.length - 1] ?? 0],
          xaxis: axisName('x', k),
          yaxis: axisName('y', k),
          line: { shape: 'hv', color: colour, width: 1.3 },
          fill: 'tozeroy',
          fillcolor: translucent(colour, 0.15),
          hovertemplate: `${s.label}, epoch ${epoch}<br>P&L %{x:.4g}<br>density %{y:.3g}<extra></extra>`,
        });
      }
    });
    if (data.length === 0) return null;
    const layout: Partial<Layout> & Record<string, unknown> = {
      ...BASE_LAYOUT,
      showlegend: true,
      grid: { rows: 1, columns: panels.length, pattern: 'independent' },
      annotations: panelTitles(panels.map((epoch) => (epoch > 0 ? `epoch ${epoch}` : 'scored once'))),
      legend: { ...BASE_LAYOUT.legend, y: 1.16 },
      margin: { l: 48, r: 12, t: 44, b: 44 },
    };
    panels.forEach((_, k) => {
      layout[layoutKey('x', k)] = { title: { text: k === 0 ? 'terminal P&L' : '' }, zeroline: true, zerolinecolor: '#9ca3af' };
      layout[layoutKey('y', k)] = { title: { text: k === 0 ? 'density' : '' }, rangemode: 'tozero' };
    });
    const last = panels.at(-1)!;
    const stats = cell.strategies.flatMap((s) => {
      const c = scoredAt(s, last);
      return c ? [`${s.label} mean ${significant(c.metrics.mean)}, std ${significant(c.metrics.std)}`] : [];
    });
    const when = last > 0 ? `at epochs ${panels.join(', ')}` : 'scored once';
    return { data, layout, summary: `Densities of the terminal P&L ${when}. ${last > 0 ? `At epoch ${last}: ` : ''}${stats.join('; ')}.` };
  }, [cell]);
  return <Plot figure={figure} empty="Run a comparison: each strategy's P&L density at every checkpoint appears here" testId="chart-compare-densities" height={280} />;
}

const PAPER_METRICS: { key: keyof Metrics; title: string }[] = [
  { key: 'entropic', title: 'entropic loss' },
  { key: 'es90', title: 'expected shortfall 0.9' },
];

const PAPER_TITLES = `${PAPER_METRICS[0].title[0]!.toUpperCase()}${PAPER_METRICS[0].title.slice(1)} and ${PAPER_METRICS[1].title}`;
const paperValues = (m: Metrics) => PAPER_METRICS.map(({ key, title }) => `${title} ${significant(m[key])}`).join(', ');

function twoPanelLayout(xTitle: string, categories: boolean): Partial<Layout> & Record<string, unknown> {
  return {
    ...BASE_LAYOUT,
    showlegend: true,
    barmode: 'group',
    grid: { rows: 1, columns: 2, pattern: 'independent' },
    xaxis: { title: { text: xTitle }, type: categories ? 'category' : undefined },
    xaxis2: { title: { text: xTitle }, type: categories ? 'category' : undefined },
    yaxis: { title: { text: PAPER_METRICS[0].title } },
    yaxis2: { title: { text: PAPER_METRICS[1].title } },
    margin: { l: 64, r: 12, t: 8, b: 44 },
  };
}

export function CheckpointBars({ cell }: { cell: CellRecord | null }) {
  const figure = useMemo((): Figure | null => {
    if (!cell) return null;
    const epochs = epochsOf(cell);
    if (epochs.length === 0) return null;
    const data: Data[] = [];
    PAPER_METRICS.forEach(({ key }, k) => {
      for (const s of cell.strategies) {
        const y = epochs.map((e) => scoredAt(s, e)?.metrics[key] ?? null);
        if (y.every((v) => v === null)) continue;
        data.push({
          type: 'bar',
          name: s.label,
          legendgroup: s.id,
          showlegend: k === 0,
          x: epochs.map(String),
          y,
          xaxis: axisName('x', k),
          yaxis: axisName('y', k),
          marker: { color: colourOf(cell, s) },
          hovertemplate: `${s.label}<br>epoch %{x}<br>%{y:.4g}<extra></extra>`,
        });
      }
    });
    const last = epochs.at(-1)!;
    const values = cell.strategies.flatMap((s) => {
      const c = scoredAt(s, last);
      return c ? [`${s.label} ${paperValues(c.metrics)}`] : [];
    });
    return { data, layout: twoPanelLayout('epoch', true), summary: `${PAPER_TITLES} at epochs ${epochs.join(', ')}. At epoch ${last}: ${values.join('; ')}.` };
  }, [cell]);
  return <Plot figure={figure} empty="Entropic loss and expected shortfall at each checkpoint appear here" testId="chart-compare-checkpoints" height={280} />;
}

/** Cells grouped by every axis but the seed; each group's label. */
function groups(record: ComparisonRecord): { label: string; cells: CellRecord[] }[] {
  const byKey = new Map<string, CellRecord[]>();
  for (const cell of record.cells) {
    const key = cellLabel(cell.params, ['seed']);
    byKey.set(key, [...(byKey.get(key) ?? []), cell]);
  }
  return [...byKey].map(([label, cells]) => ({ label, cells }));
}

export function GridBars({ record }: { record: ComparisonRecord | null }) {
  const figure = useMemo((): Figure | null => {
    if (!record || record.cells.length < 2) return null;
    const grouped = groups(record);
    const first = record.cells[0];
    const data: Data[] = [];
    const said: string[] = [];
    PAPER_METRICS.forEach(({ key, title }, k) => {
      first.strategies.forEach((s0, i) => {
        const stats = grouped.map((g) => {
          const values = g.cells.map((c) => c.strategies[i]?.metrics?.[key]).filter((v): v is number => typeof v === 'number');
          if (values.length === 0) return null;
          const mean = values.reduce((a, b) => a + b, 0) / values.length;
          return { mean, low: mean - Math.min(...values), high: Math.max(...values) - mean };
        });
        if (stats.every((v) => v === null)) return;
        said.push(`${s0.label} ${title}: ${grouped.map((g, j) => `${g.label} ${stats[j] ? significant(stats[j].mean) : 'not yet'}`).join(', ')}`);
        data.push({
          type: 'bar',
          name: s0.label,
          legendgroup: s0.id,
          showlegend: k === 0,
          x: grouped.map((g) => g.label),
          y: stats.map((v) => v?.mean ?? null),
          error_y: { type: 'data', symmetric: false, array: stats.map((v) => v?.high ?? 0), arrayminus: stats.map((v) => v?.low ?? 0), visible: grouped.some((g) => g.cells.length > 1) },
          xaxis: axisName('x', k),
          yaxis: axisName('y', k),
          marker: { color: colourOf(first, s0) },
          hovertemplate: `${s0.label}<br>%{x}<br>%{y:.4g}<extra></extra>`,
        });
      });
    });
    if (data.length === 0) return null;
    return { data, layout: twoPanelLayout('cell', true), summary: `${PAPER_TITLES} per cell, mean over seeds. ${said.join('; ')}.` };
  }, [record]);
  return <Plot figure={figure} empty="With more than one cell, each strategy's final entropic loss and ES 0.9 per cell appear here (mean and range over seeds)" testId="chart-compare-grid" height={300} />;
}

export function TrainingCurves({ cell }: { cell: CellRecord | null }) {
  const figure = useMemo((): Figure | null => {
    if (!cell) return null;
    const trained = cell.strategies.filter((s) => s.training.epochs.length > 0);
    if (trained.length === 0) return null;
    const data: Data[] = [];
    for (const s of trained) {
      const colour = colourOf(cell, s);
      data.push(
        { type: 'scatter', mode: 'lines+markers', name: s.label, legendgroup: s.id, x: s.training.epochs, y: s.training.loss, line: { color: colour }, marker: { size: 4 } },
        {
          type: 'scatter',
          mode: 'lines+markers',
          name: s.label,
          legendgroup: s.id,
          showlegend: false,
          x: s.elapsed,
          y: s.training.loss,
          xaxis: 'x2',
          yaxis: 'y2',
          line: { color: colour },
          marker: { size: 4 },
        },
      );
    }
    return {
      data,
      layout: {
        ...BASE_LAYOUT,
        showlegend: true,
        grid: { rows: 1, columns: 2, pattern: 'independent' },
        xaxis: { title: { text: 'epoch' } },
        xaxis2: { title: { text: 'wall-clock seconds' } },
        yaxis: { title: { text: 'training loss' } },
        yaxis2: { title: { text: 'training loss' } },
        margin: { l: 64, r: 12, t: 8, b: 44 },
      } as Partial<Layout>,
      summary:
        'Training loss against epochs and wall-clock seconds: ' +
        trained.map((s) => `${s.label} ${significant(s.training.loss.at(-1)!)} after ${s.training.epochs.at(-1)} epochs (${significant(s.elapsed.at(-1) ?? 0)} s)`).join('; ') +
        '.',
    };
  }, [cell]);
  return <Plot figure={figure} empty="Training curves against epochs and wall time appear here" testId="chart-compare-training" height={280} />;
}

/** The metrics fig. 3 can show: the paper's mean P&L, and its spread and tail. */
const HEDGE_SET_METRICS: { key: keyof Metrics; label: string }[] = [
  { key: 'mean', label: 'mean P&L' },
  { key: 'std', label: 'std of the P&L' },
  { key: 'es95', label: 'ES 95%' },
];

/**
 * Paper 003 fig. 3: a metric on the test windows against the number of assets traded, one trace per strategy,
 * one panel per value of the other axes, side by side; the mean over seeds where seeds are an axis.
 */
export function HedgeSetChart({ record }: { record: ComparisonRecord | null }) {
  const [metric, setMetric] = useState<keyof Metrics>('mean');
  const figure = useMemo((): Figure | null => {
    const series = record ? hedgeSetSeries(record, metric) : null;
    if (!record || !series) return null;
    const { sizes, panels } = series;
    const first = record.cells[0]!;
    const { label } = HEDGE_SET_METRICS.find((m) => m.key === metric)!;
    const data: Data[] = [];
    const said: string[] = [];
    panels.forEach(({ title, lines }, k) => {
      for (const { strategy: s0, y } of lines) {
        said.push(`${title}, ${s0.label}: ${sizes.map((size, j) => `${size} asset${size === 1 ? '' : 's'} ${y[j] === null ? 'not yet' : significant(y[j]!)}`).join(', ')}`);
        data.push({
          type: 'scatter',
          mode: 'lines+markers',
          name: s0.label,
          legendgroup: s0.id,
          showlegend: k === 0,
          x: sizes,
          y,
          xaxis: axisName('x', k),
          yaxis: axisName('y', k),
          line: { color: colourOf(first, s0), width: 2 },
          marker: { size: 7 },
          hovertemplate: `${s0.label}, ${title}<br>%{x} asset(s) traded<br>${label} %{y:.4g}<extra></extra>`,
        });
      }
    });
    if (data.length === 0) return null;
    const titles = panels.map((p) => p.title);
    const layout: Partial<Layout> & Record<string, unknown> = {
      ...BASE_LAYOUT,
      showlegend: true,
      grid: { rows: 1, columns: titles.length, pattern: 'independent' },
      legend: { ...BASE_LAYOUT.legend, y: 1.16 },
      margin: { l: 64, r: 12, t: 44, b: 44 },
      annotations: panelTitles(titles.map((text) => `<b>${text}</b>`)),
    };
    titles.forEach((_, k) => {
      layout[layoutKey('x', k)] = { title: { text: 'assets in the hedge set' }, tickvals: sizes, range: [sizes[0]! - 0.3, sizes.at(-1)! + 0.3] };
      layout[layoutKey('y', k)] = { title: { text: k === 0 ? label : '' }, zeroline: true, zerolinecolor: '#9ca3af', ...(k === 0 ? {} : { matches: 'y' }) };
    });
    return { data, layout, summary: `${label[0]!.toUpperCase()}${label.slice(1)} on the test windows against the hedge-set size (paper 003 fig. 3). ${said.join('; ')}.` };
  }, [record, metric]);
  return (
    <>
      <label className="chart-picker">
        Show{' '}
        <select value={metric} onChange={(e) => setMetric(e.target.value as keyof Metrics)} data-testid="hedge-set-metric">
          {HEDGE_SET_METRICS.map((m) => (
            <option key={m.key} value={m.key}>
              {m.label}
            </option>
          ))}
        </select>
      </label>
      <Plot figure={figure} empty="Run the comparison: each strategy's mean P&L per hedge-set size appears here, one panel per training market" testId="chart-compare-hedge-sets" height={320} />
    </>
  );
}
