/**
 * The holding-surface figure (surface-chart.tsx) as a pure function of its panels: one heatmap per panel on
 * ONE colour axis (paper 003 fig. 4: a shared zmin / zmax across every hedger's surface), side by side or, at
 * phone width, stacked with room for each title. An empirical surface (a sequence hedger's: the mean holding
 * of the test path-dates in each cell) leaves an empty cell (NaN) blank and carries each cell's count for
 * the hover.
 */
import type { Data, Layout } from 'plotly.js';
import type { EventOf } from '../run-view';
import { BASE_LAYOUT, type Figure } from './figure';
import { significant } from './significant';

export type Surface = EventOf<'surface'>;

/** One heatmap: its title, its values on its surface's grid, and for an empirical surface the pairs per cell. */
export interface SurfacePanel {
  name: string;
  surface: Surface;
  values: Float32Array;
  count: Int32Array | undefined;
}

/** Rows of a row-major grid, as plotly's z wants them; NaN (an empty cell) becomes a gap. */
function grid<T extends ArrayLike<number>>(values: T, columns: number, blank: boolean): (number | null)[][] {
  const rows: (number | null)[][] = [];
  for (let i = 0; i < values.length; i += columns) {
    const row: (number | null)[] = [];
    for (let j = i; j < i + columns; j++) row.push(blank && !Number.isFinite(values[j]!) ? null : values[j]!);
    rows.push(row);
  }
  return rows;
}

function range(...arrays: Float32Array[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const a of arrays) for (const v of a) if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  return lo <= hi ? [lo, hi] : [0, 1];
}

const axis = (prefix: 'x' | 'y', k: number) => (k === 0 ? prefix : `${prefix}${k + 1}`);

/** Domains of `n` panels: side by side left of the colour bar, or stacked (phone) with room for each title. */
export function domains(n: number, stacked: boolean): { x: [number, number]; y: [number, number] }[] {
  if (stacked) {
    const gap = 0.4 / n;
    const h = (1 - gap * (n - 1)) / n;
    return Array.from({ length: n }, (_, k) => ({ x: [0, 0.86], y: [Math.max(0, 1 - k * (h + gap) - h), 1 - k * (h + gap)] }));
  }
  const right = n === 1 ? 0.9 : 0.92;
  const gap = 0.04;
  const w = (right - gap * (n - 1)) / n;
  return Array.from({ length: n }, (_, k) => ({ x: [k * (w + gap), k * (w + gap) + w], y: [0, 1] }));
}

export function surfaceFigure(panels: SurfacePanel[], phone: boolean, daysPerYear: number): Figure {
  const stacked = phone && panels.length > 1;
  const [cmin, cmax] = range(...panels.map((p) => p.values));
  const empirical = panels.some((p) => p.count);
  const at = domains(panels.length, stacked);
  const first = panels[0]!.surface;
  const moneyness = { text: `log-moneyness ${first.moneynessLabel}` };
  const data: Data[] = panels.map((p, k) => {
    const x = Array.from(p.surface.logMoneyness);
    const y = Array.from(p.surface.timeToMaturity, (t) => t * daysPerYear);
    const columns = x.length;
    const what = p.count ? 'mean holding %{z:.3f}<br>%{customdata} test path-dates' : 'hedge %{z:.3f}';
    return {
      type: 'heatmap',
      name: p.name,
      x,
      y,
      z: grid(p.values, columns, p.count !== undefined),
      ...(p.count ? { customdata: grid(p.count, columns, false) } : {}),
      xaxis: axis('x', k),
      yaxis: axis('y', k),
      coloraxis: 'coloraxis',
      // Cells of an empirical surface are bins: drawn as such, the empty ones blank.
      zsmooth: p.count ? false : 'fast',
      hoverongaps: false,
      hovertemplate: `${p.name}<br>${p.surface.moneynessLabel} %{x:.3f}<br>%{y:.1f} days left<br>${what}<extra></extra>`,
    } as Data;
  });
  const layout: Partial<Layout> & Record<string, unknown> = {
    ...BASE_LAYOUT,
    margin: { l: 56, r: 16, t: 28, b: 44 },
    showlegend: false,
    coloraxis: { cmin, cmax, colorscale: 'Viridis', colorbar: { title: { text: empirical ? 'holding' : 'hedge', side: 'right' }, thickness: 14, x: stacked ? 0.9 : 0.96 } },
    annotations: panels.map((p, k) => ({
      text: `<b>${p.name}</b>`,
      xref: `${axis('x', k)} domain`,
      yref: `${axis('y', k)} domain`,
      x: 0.5,
      y: 1,
      yanchor: 'bottom',
      showarrow: false,
    })) as Layout['annotations'],
  };
  panels.forEach((_, k) => {
    layout[k === 0 ? 'xaxis' : `xaxis${k + 1}`] = { title: moneyness, domain: at[k]!.x, anchor: axis('y', k) };
    layout[k === 0 ? 'yaxis' : `yaxis${k + 1}`] = {
      domain: at[k]!.y,
      anchor: axis('x', k),
      ...(k === 0 ? {} : { matches: 'y' }),
      showticklabels: k === 0 || stacked,
      title: { text: k === 0 || stacked ? 'days to maturity' : '' },
    };
  });
  const days = panels.flatMap((p) => Array.from(p.surface.timeToMaturity, (t) => t * daysPerYear));
  const spread = (p: SurfacePanel) => {
    const [lo, hi] = range(p.values);
    const empty = p.count ? p.count.reduce((n, c) => n + (c === 0 ? 1 : 0), 0) : 0;
    return `${p.name} from ${significant(lo)} to ${significant(hi)}${p.count ? ` (mean over test path-dates, ${empty} of ${p.count.length} cells empty)` : ''}`;
  };
  const x0 = first.logMoneyness;
  return {
    data,
    layout,
    summary:
      `${empirical ? 'Holding' : 'Hedge ratio'} over ${first.moneynessLabel} from ${significant(x0[0]!)} to ${significant(x0.at(-1)!)} and ${significant(Math.min(...days))} to ${significant(Math.max(...days))} days to maturity` +
      `${panels.length > 2 ? `, on one colour scale from ${significant(cmin)} to ${significant(cmax)}` : ''}: ${panels.map(spread).join('; ')}.`,
  };
}
