/**
 * The recurrent hedgers of paper 002, trained by Adam and by DH-KFAC side by side: validation loss against
 * iterations and seconds, raw and smoothed as the race reads it, with the target and the steps ratio (fig. 3),
 * gradient variance, the preconditioner's largest eigenvalue (fig. 4) and kappa along each step, terminal P&L variants on a log scale (fig. 5) and quantile bands of the hedges over
 * time with the cliquet's reset dates (fig. 6).
 */
import { useMemo, useState } from 'react';
import type { Data, Layout } from 'plotly.js';
import type { HedgeBand, RecurrentOptimizer, StrategyInfo } from '../../engine/experiment/events';
import { raceTarget, smoothedLoss, stepsRatio, targetReached } from '../../engine/experiment/race-target';
import type { Experiment } from '../../engine/experiment/schema';
import { useLab } from '../lab-store';
import type { EventOf, RunView, ValidationSeries } from '../run-view';
import { countTicks, decadeTicks } from './axis-ticks';
import { useEmptyMessage } from './empty-message';
import { strategyColor, translucent } from './palette';
import { BASE_LAYOUT, Plot, type Figure } from './plot';
import { significant } from './significant';

export const isRecurrent = (s: StrategyInfo): boolean => s.type === 'recurrent';

/** The optimiser that trains `s`. */
function optimizerOf(s: StrategyInfo): RecurrentOptimizer | null {
  return s.optimizer ?? null;
}

function useRecurrentStrategies(): { strategies: StrategyInfo[]; racers: StrategyInfo[] } {
  const strategies = useLab((s) => s.view.strategies);
  const racers = useMemo(() => strategies.filter(isRecurrent), [strategies]);
  return { strategies, racers };
}

const seconds = (s: number) => `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;

const positive = (values: readonly (number | null)[]) => values.every((v) => v === null || v > 0);

// ---------------------------------------------------------------------------------------------- fig. 3

interface Target {
  loss: number;
  label: string;
  /** Adam's latest smoothed loss while Adam still trains: the line moves, and no one has reached anything yet. */
  provisional: boolean;
}

/**
 * The race's target by the engine's rule (race-target.ts) over the racers whose training is over (each is
 * scored on the test paths as it finishes); until Adam's is, Adam's latest smoothed validation loss, provisional.
 */
function targetOf(config: Experiment | null, racers: StrategyInfo[], validation: RunView['validation'], pnl: RunView['pnl']): Target | null {
  if (!config) return null;
  const finished = new Map(racers.filter((s) => pnl[s.id] && validation[s.id]).map((s) => [s.id, validation[s.id]!]));
  const fixed = raceTarget(config, finished);
  if (fixed !== null) return { loss: fixed, label: 'target', provisional: false };
  const adam = racers.find((s) => optimizerOf(s) === 'adam');
  const latest = adam && validation[adam.id] ? smoothedLoss(validation[adam.id]!.loss).at(-1) : undefined;
  return latest === undefined ? null : { loss: latest, label: 'Adam’s latest loss (provisional target)', provisional: true };
}

/**
 * "DH-KFAC reached the target in 60 steps (41 s), Adam, lr 1e-3 in 240 steps (95 s), ...: 0.25 of the fastest
 * Adam's steps", once there is a target; crossings are read on the smoothed curves (race-target.ts).
 */
function raceSummary(racers: StrategyInfo[], validation: Record<string, ValidationSeries>, target: Target): string {
  if (target.provisional) {
    return `No target yet: the dotted line is Adam’s latest smoothed validation loss (${significant(target.loss)}), provisional until Adam has spent its budget; steps to the target are counted then.`;
  }
  const rank = (s: StrategyInfo) => (optimizerOf(s) === 'dh-kfac' ? 0 : 1);
  const rows = [...racers]
    .sort((a, b) => rank(a) - rank(b))
    .map((s) => ({ s, ...(validation[s.id] ? targetReached(validation[s.id]!, target.loss) : { steps: null, seconds: null }) }));
  let said = false;
  const parts = rows.map(({ s, steps, seconds: t }) => {
    if (steps === null) return `${s.label} not reached`;
    if (steps === 0) return `${s.label} at the target from the start`;
    const verb = said ? 'in' : 'reached the target in';
    said = true;
    return `${s.label} ${verb} ${steps} steps${t === null ? '' : ` (${seconds(t)})`}`;
  });
  const ratio = stepsRatio(rows.flatMap(({ s, steps }) => (optimizerOf(s) ? [{ optimizer: optimizerOf(s)!, steps }] : [])));
  const adams = racers.filter((s) => optimizerOf(s) === 'adam').length;
  return parts.join(', ') + (ratio === null || ratio === 0 ? '' : `: ${ratio.toFixed(2)} of ${adams > 1 ? 'the fastest Adam’s' : 'Adam’s'} steps`);
}

export function ValidationRaceChart() {
  const validation = useLab((s) => s.view.validation);
  const pnl = useLab((s) => s.view.pnl);
  const config = useLab((s) => s.run.config);
  const { strategies, racers } = useRecurrentStrategies();
  const empty = useEmptyMessage({
    before: 'Press Run: the validation loss of each optimiser appears here',
    during: 'Waiting for the first validation loss…',
  });
  const target = useMemo(() => targetOf(config, racers, validation, pnl), [config, racers, validation, pnl]);
  const figure = useMemo((): Figure | null => {
    const shown = racers.filter((s) => validation[s.id]);
    if (shown.length === 0) return null;
    // Each validation loss as a thin translucent line, the smoothed curve the race reads crossings on as a solid one.
    const data: Data[] = shown.flatMap((s): Data[] => {
      const series = validation[s.id]!;
      const colour = strategyColor(strategies, s.id);
      const smoothed = smoothedLoss(series.loss);
      const curves = (x: number[], unit: string, axes: { xaxis?: string; yaxis?: string }): Data[] => [
        { type: 'scatter', mode: 'lines', name: `${s.label}, each validation`, legendgroup: s.id, showlegend: false, x, y: series.loss, line: { color: translucent(colour, 0.45), width: 1 }, hovertemplate: `${s.label}<br>${unit}<br>loss %{y:.4g}<extra></extra>`, ...axes } as Data,
        { type: 'scatter', mode: 'lines', name: s.label, legendgroup: s.id, showlegend: !axes.xaxis, x, y: smoothed, line: { color: colour, width: 2 }, hovertemplate: `${s.label}<br>${unit}<br>smoothed loss %{y:.4g}<extra></extra>`, ...axes } as Data,
      ];
      return [...curves(series.steps, 'step %{x}', {}), ...curves(series.seconds, '%{x:.1f} s', { xaxis: 'x2', yaxis: 'y2' })];
    });
    if (target) {
      const span = (key: 'steps' | 'seconds') => [Math.min(...shown.map((s) => validation[s.id]![key][0] ?? 0)), Math.max(...shown.map((s) => validation[s.id]![key].at(-1) ?? 0))];
      const line = { color: target.provisional ? '#9ca3af' : '#111827', width: 1.5, dash: target.provisional ? ('dot' as const) : ('dash' as const) };
      const y = [target.loss, target.loss];
      const hovertemplate = `${target.label} %{y:.4g}<extra></extra>`;
      data.push(
        { type: 'scatter', mode: 'lines', name: target.label, legendgroup: 'target', x: span('steps'), y, line, hovertemplate },
        { type: 'scatter', mode: 'lines', name: target.label, legendgroup: 'target', showlegend: false, x: span('seconds'), y, xaxis: 'x2', yaxis: 'y2', line, hovertemplate },
      );
    }
    const losses = [...shown.flatMap((s) => validation[s.id]!.loss), ...(target ? [target.loss] : [])];
    const scale = positive(losses) ? decadeTicks(losses) : { type: 'linear' as const };
    const lastStep = Math.max(...shown.map((s) => validation[s.id]!.steps.at(-1) ?? 0));
    const latest = shown.map((s) => {
      const series = validation[s.id]!;
      return `${s.label} ${significant(series.loss.at(-1)!)} at iteration ${series.steps.at(-1)} (${seconds(series.seconds.at(-1)!)})`;
    });
    return {
      data,
      layout: {
        ...BASE_LAYOUT,
        showlegend: true,
        grid: { rows: 1, columns: 2, pattern: 'independent' },
        xaxis: { title: { text: 'iteration' }, zeroline: false, ...countTicks(lastStep) },
        xaxis2: { title: { text: 'wall-clock seconds' }, zeroline: false },
        yaxis: { title: { text: 'validation loss' }, ...scale },
        yaxis2: { ...scale, matches: 'y' },
        margin: { l: 64, r: 12, t: 8, b: 44 },
      } as Partial<Layout>,
      summary: `Validation loss against iterations and seconds, each point and smoothed (the running minimum of 3-point averages): ${latest.join('; ')}${target ? `; ${target.label} ${significant(target.loss)}` : ''}.`,
    };
  }, [racers, strategies, validation, target]);
  return (
    <>
      <Plot figure={figure} empty={empty} testId="chart-race" height={320} />
      <p className="panel-hint" data-testid="race-summary">
        {figure && target ? raceSummary(racers, validation, target) : '\u00a0'}
      </p>
    </>
  );
}

// ---------------------------------------------------------------------------------------------- fig. 4

/** Colours of kappa's curvature blocks (input, LSTM blocks, output, gains), in the order DH-KFAC reports them. */
const BLOCK_COLOURS = ['#2563eb', '#059669', '#dc2626', '#7c3aed', '#db2777', '#0891b2', '#ca8a04', '#6b7280', '#65a30d'];

/** Panels of the curvature chart, top to bottom: their y axes and domains. */
const PANELS = { variance: { axis: 'y', domain: [0.74, 0.96] }, eigenvalue: { axis: 'y2', domain: [0.4, 0.62] }, kappa: { axis: 'y3', domain: [0, 0.28] } } as const;

export function CurvatureChart() {
  const curvature = useLab((s) => s.view.curvature);
  const { strategies, racers } = useRecurrentStrategies();
  const empty = useEmptyMessage({
    before: 'Press Run: gradient variance, the preconditioner’s largest eigenvalue and kappa appear here',
    during: 'Waiting for the first curvature estimate…',
  });
  const figure = useMemo((): Figure | null => {
    const shown = racers.filter((s) => curvature[s.id]);
    if (shown.length === 0) return null;
    const kfacs = shown.filter((s) => Object.keys(curvature[s.id]!.kappa).length > 0);
    const data: Data[] = shown.flatMap((s): Data[] => {
      const series = curvature[s.id]!;
      const line = { color: strategyColor(strategies, s.id), width: 2 };
      const variance: Data = {
        type: 'scatter',
        mode: 'lines',
        name: s.label,
        legendgroup: s.id,
        x: series.steps,
        y: series.gradientVariance,
        line,
        hovertemplate: `${s.label}<br>step %{x}<br>gradient variance %{y:.3g}<extra></extra>`,
      };
      if (series.maxEigenvalue.every((v) => v === null)) return [variance];
      return [
        variance,
        {
          type: 'scatter',
          mode: 'lines',
          name: s.label,
          legendgroup: s.id,
          showlegend: false,
          x: series.steps,
          y: series.maxEigenvalue,
          yaxis: 'y2',
          line,
          hovertemplate: `${s.label}<br>step %{x}<br>largest eigenvalue %{y:.3g}<extra></extra>`,
        },
      ];
    });
    // kappa by block; with several DH-KFAC hedgers, each its own dash.
    const dashes = ['solid', 'dot', 'dash', 'dashdot'] as const;
    kfacs.forEach((s, k) => {
      const series = curvature[s.id]!;
      Object.entries(series.kappa).forEach(([block, values], b) => {
        const name = kfacs.length > 1 ? `${block} (${s.label})` : block;
        data.push({
          type: 'scatter',
          mode: 'lines',
          name,
          legendgroup: `kappa ${block}`,
          x: series.steps.slice(0, values.length),
          y: values,
          yaxis: 'y3',
          line: { color: BLOCK_COLOURS[b % BLOCK_COLOURS.length]!, width: 1.5, dash: dashes[k % dashes.length] },
          hovertemplate: `${name}<br>step %{x}<br>κ %{y:.3g}<extra></extra>`,
        });
      });
    });
    if (kfacs.length > 0) {
      // kappa = 1: the preconditioner knew the curvature along the step.
      const steps = kfacs.flatMap((s) => curvature[s.id]!.steps);
      data.push({ type: 'scatter', mode: 'lines', name: 'κ = 1', showlegend: false, x: [Math.min(...steps), Math.max(...steps)], y: [1, 1], yaxis: 'y3', line: { color: '#111827', width: 1, dash: 'dash' }, hovertemplate: 'κ = 1: the curvature DH-KFAC assumed<extra></extra>' });
    }
    const eigenvalues = shown.flatMap((s) => curvature[s.id]!.maxEigenvalue.filter((v): v is number => v !== null));
    const variances = shown.flatMap((s) => curvature[s.id]!.gradientVariance);
    const kappas = kfacs.flatMap((s) => Object.values(curvature[s.id]!.kappa).flat().filter((v): v is number => v !== null));
    const lastStep = Math.max(...shown.map((s) => curvature[s.id]!.steps.at(-1) ?? 0));
    const hasKfac = racers.some((s) => optimizerOf(s) === 'dh-kfac');
    const waiting = hasKfac ? 'DH-KFAC’s largest eigenvalue appears here once DH-KFAC trains' : 'Adam keeps no curvature estimate: add a DH-KFAC hedger to see one';
    const waitingKappa = hasKfac ? 'κ appears here once DH-KFAC trains' : 'κ measures DH-KFAC’s steps: add a DH-KFAC hedger to see it';
    const panelTitle = (text: string, axis: string) => ({ text, xref: 'x domain', yref: `${axis} domain`, x: 0, y: 1, xanchor: 'left', yanchor: 'bottom', showarrow: false });
    const note = (text: string, axis: string) => ({ text, xref: 'x domain', yref: `${axis} domain`, x: 0.5, y: 0.5, showarrow: false, font: { color: '#6b7280' } });
    const emptyAxis = (domain: readonly number[]) => ({ domain, anchor: 'x', showticklabels: false, showgrid: false, zeroline: false, range: [0, 1] });
    const latest = (values: (s: StrategyInfo) => (number | null)[]) =>
      shown.flatMap((s) => {
        const v = values(s).findLast((x) => x !== null);
        return v === undefined || v === null ? [] : [`${s.label} ${significant(v)}`];
      });
    const kfacLatest = latest((s) => curvature[s.id]!.maxEigenvalue);
    const kappaLatest = kfacs.flatMap((s) =>
      Object.entries(curvature[s.id]!.kappa).flatMap(([block, v]) => {
        const last = v.findLast((x) => x !== null);
        return last === undefined || last === null ? [] : [`${block} ${significant(last)}`];
      }),
    );
    return {
      data,
      layout: {
        ...BASE_LAYOUT,
        showlegend: true,
        xaxis: { title: { text: 'iteration' }, zeroline: false, anchor: 'y3', ...countTicks(lastStep) },
        yaxis: { domain: PANELS.variance.domain, anchor: 'x', ...decadeTicks(variances) },
        yaxis2: eigenvalues.length > 0 ? { domain: PANELS.eigenvalue.domain, anchor: 'x', ...decadeTicks(eigenvalues) } : emptyAxis(PANELS.eigenvalue.domain),
        yaxis3: kappas.length > 0 ? { domain: PANELS.kappa.domain, anchor: 'x', ...decadeTicks([...kappas, 1]) } : emptyAxis(PANELS.kappa.domain),
        annotations: [
          panelTitle('gradient variance (single paths)', PANELS.variance.axis),
          panelTitle('largest eigenvalue of DH-KFAC’s preconditioner', PANELS.eigenvalue.axis),
          panelTitle('κ: true / assumed curvature along each step', PANELS.kappa.axis),
          ...(eigenvalues.length > 0 ? [] : [note(waiting, PANELS.eigenvalue.axis)]),
          ...(kappas.length > 0 ? [] : [note(waitingKappa, PANELS.kappa.axis)]),
        ],
        margin: { l: 56, r: 12, t: 8, b: 44 },
      } as Partial<Layout>,
      summary:
        `Curvature by iteration. Latest gradient variance: ${latest((s) => curvature[s.id]!.gradientVariance).join(', ')}. ` +
        (kfacLatest.length > 0 ? `Latest largest eigenvalue of DH-KFAC’s preconditioner: ${kfacLatest.join(', ')}. ` : `${waiting}. `) +
        (kappaLatest.length > 0 ? `Latest κ by block: ${kappaLatest.join(', ')}.` : `${waitingKappa}.`),
    };
  }, [racers, strategies, curvature]);
  return <Plot figure={figure} empty={empty} testId="chart-curvature" height={520} />;
}

// ------------------------------------------------------------------------------------------ figs. 5, 6

/** The recurrent strategies with data in `record`, and the one shown: the reader's pick, else DH-KFAC's, else the first. */
function useShownStrategy(record: Record<string, unknown>) {
  const { strategies, racers } = useRecurrentStrategies();
  const [picked, setPicked] = useState<string | null>(null);
  const choices = racers.filter((s) => record[s.id]);
  const shown = choices.find((s) => s.id === picked) ?? choices.find((s) => optimizerOf(s) === 'dh-kfac') ?? choices[0] ?? null;
  return { strategies, choices, shown, setPicked };
}

/** A labelled select, always on the page (disabled with fewer than two choices) so the card never jumps. */
function Picker(props: { label: string; testId: string; value: string; options: { value: string; label: string }[]; onChange: (value: string) => void }) {
  return (
    <label className="field">
      <span className="field-label">{props.label}</span>
      <select data-testid={props.testId} value={props.value} disabled={props.options.length < 2} onChange={(e) => props.onChange(e.target.value)}>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

const strategyOptions = (choices: StrategyInfo[]) => choices.map((s) => ({ value: s.id, label: s.label }));

/** Colours of the variants after the learned hedge, in the engine's order (unhedged, without options). */
const OTHER_VARIANTS = ['#6b7280', '#d97706', '#0891b2'];

export function PnlVariantsChart() {
  const pnlVariants = useLab((s) => s.view.pnlVariants);
  const { strategies, choices, shown, setPicked } = useShownStrategy(pnlVariants);
  const empty = useEmptyMessage({
    before: 'Press Run: the learned hedge’s P&L beside the unhedged one appears here',
    during: 'Appears when the recurrent hedger is scored on the test paths…',
  });
  const figure = useMemo((): Figure | null => {
    const ev = shown && pnlVariants[shown.id];
    if (!ev) return null;
    const data: Data[] = ev.variants.map((v, k) => {
      const { edges, density } = v.histogram;
      const colour = k === 0 ? strategyColor(strategies, ev.strategyId) : OTHER_VARIANTS[(k - 1) % OTHER_VARIANTS.length]!;
      const name = `${v.label} (std ${v.std.toPrecision(3)}, skew ${v.skew.toFixed(1)})`;
      return {
        type: 'bar',
        name,
        x: Array.from(density, (_, i) => (edges[i] + edges[i + 1]) / 2),
        width: Array.from(density, (_, i) => edges[i + 1] - edges[i]),
        y: Array.from(density, (d) => (d > 0 ? d : null)),
        marker: { color: translucent(colour, 0.45), line: { color: colour, width: 0.5 } },
        hovertemplate: `${v.label}<br>P&L %{x:.4g}<br>density %{y:.3g}<extra></extra>`,
      };
    });
    return {
      data,
      layout: {
        ...BASE_LAYOUT,
        showlegend: true,
        barmode: 'overlay',
        bargap: 0,
        legend: { ...BASE_LAYOUT.legend, orientation: 'v' },
        xaxis: { title: { text: 'hedging error Γ_T − ψ (before costs)' }, zeroline: true, zerolinecolor: '#9ca3af' },
        yaxis: { title: { text: 'density (log scale)' }, ...decadeTicks(ev.variants.flatMap((v) => Array.from(v.histogram.density))) },
        margin: { l: 56, r: 16, t: 72, b: 44 },
      },
      summary: `Densities of the hedging error Γ_T − ψ before costs on the test paths, log scale: ${ev.variants.map((v) => `${v.label} std ${significant(v.std)}, skew ${significant(v.skew)}`).join('; ')}.`,
    };
  }, [shown, pnlVariants, strategies]);
  return (
    <>
      <div className="panel-fields">
        <Picker label="Strategy" testId="pnl-variants-strategy" value={shown?.id ?? ''} options={strategyOptions(choices)} onChange={setPicked} />
      </div>
      <Plot figure={figure} empty={empty} testId="chart-pnl-variants" height={340} />
    </>
  );
}

const percent = (p: number) => `${Math.round(p * 100)}%`;

/** Nested quantile bands (outer lightest), the median as a line, dotted lines at the cliquet's resets. */
function bandFigure(ev: EventOf<'hedge-bands'>, band: HedgeBand, colour: string): Figure {
  const p = ev.probabilities;
  const n = p.length;
  const x = Array.from(ev.times, (_, t) => t);
  const customdata = Array.from(ev.times);
  const quantileTrace = (k: number, extra: Partial<Data>): Data => ({
    type: 'scatter',
    mode: 'lines',
    x,
    y: Array.from(band.quantiles[k]!),
    customdata,
    hovertemplate: `${percent(p[k]!)} quantile %{y:.3g}<br>step %{x} (%{customdata:.3f} years)<extra></extra>`,
    ...extra,
  } as Data);
  const data: Data[] = [];
  for (let k = 0; k < Math.floor(n / 2); k++) {
    const name = `${percent(p[k]!)}–${percent(p[n - 1 - k]!)} of paths`;
    data.push(
      quantileTrace(k, { name, legendgroup: name, showlegend: false, line: { width: 0, color: colour } }),
      quantileTrace(n - 1 - k, { name, legendgroup: name, fill: 'tonexty', fillcolor: translucent(colour, 0.15 + 0.2 * k), line: { width: 0, color: colour } }),
    );
  }
  if (n % 2 === 1) data.push(quantileTrace((n - 1) / 2, { name: 'median', line: { width: 2, color: colour } }));
  const quantity = band.quantity === 'position' ? 'held' : 'bought';
  const last = ev.times.length - 1;
  const at = (k: number, t: number) => significant(band.quantiles[k]![t]!);
  return {
    data,
    layout: {
      ...BASE_LAYOUT,
      showlegend: true,
      hovermode: 'x unified',
      xaxis: { title: { text: 'rebalancing date (step)' }, zeroline: false },
      yaxis: { title: { text: `${band.instrument} ${quantity}` }, zeroline: true, zerolinecolor: '#9ca3af' },
      shapes: ev.resetSteps.map((t) => ({ type: 'line', xref: 'x', yref: 'paper', x0: t, x1: t, y0: 0, y1: 1, line: { color: '#6b7280', width: 1, dash: 'dot' } })),
    },
    summary:
      `${band.instrument} ${quantity} at each of ${last + 1} dates across the test paths: ` +
      `between ${percent(p[0]!)} and ${percent(p[n - 1]!)} quantiles ${at(0, 0)} to ${at(n - 1, 0)} at step 0 and ${at(0, last)} to ${at(n - 1, last)} at step ${last}` +
      (ev.resetSteps.length ? `; resets at steps ${ev.resetSteps.join(', ')}.` : '.'),
  };
}

export function HedgeBandsChart() {
  const hedgeBands = useLab((s) => s.view.hedgeBands);
  const { strategies, choices, shown, setPicked } = useShownStrategy(hedgeBands);
  const [pickedInstrument, setPickedInstrument] = useState<string | null>(null);
  const [pickedOption, setPickedOption] = useState<string | null>(null);
  const empty = useEmptyMessage({
    before: 'Press Run: the spread of each hedge over time appears here',
    during: 'Appears when the recurrent hedger is scored on the test paths…',
  });
  const ev = shown ? hedgeBands[shown.id] : undefined;
  const bands = ev?.bands ?? [];
  const options = bands.filter((b) => b.quantity === 'trade');
  const top = bands.find((b) => b.instrument === pickedInstrument) ?? bands.find((b) => b.quantity === 'position') ?? bands[0];
  const bottom = options.find((b) => b.instrument === pickedOption) ?? options.find((b) => b.instrument.includes('1.01 x 20')) ?? options[0];
  const colour = ev ? strategyColor(strategies, ev.strategyId) : '';
  const topFigure = useMemo(() => (ev && top ? bandFigure(ev, top, colour) : null), [ev, top, colour]);
  const bottomFigure = useMemo(() => (ev && bottom ? bandFigure(ev, bottom, colour) : null), [ev, bottom, colour]);
  const instrumentOptions = (list: HedgeBand[]) => list.map((b) => ({ value: b.instrument, label: b.instrument }));
  return (
    <>
      <div className="panel-fields">
        <Picker label="Strategy" testId="hedge-bands-strategy" value={shown?.id ?? ''} options={strategyOptions(choices)} onChange={setPicked} />
        <Picker label="Instrument (top)" testId="hedge-bands-instrument" value={top?.instrument ?? ''} options={instrumentOptions(bands)} onChange={setPickedInstrument} />
      </div>
      <Plot figure={topFigure} empty={empty} testId="chart-hedge-bands" height={280} />
      <div className="panel-fields">
        <Picker label="Option (bottom): trades" testId="hedge-bands-option" value={bottom?.instrument ?? ''} options={instrumentOptions(options)} onChange={setPickedOption} />
      </div>
      <Plot figure={bottomFigure} empty={ev ? 'No options among the instruments: the hedger trades the underlying only' : empty} testId="chart-hedge-bands-option" height={280} />
    </>
  );
}
