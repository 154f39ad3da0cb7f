/**
 * The holding surface: a hedger's holding over log-moneyness x time to maturity, beside the Black-Scholes
 * delta on the same grid and the same colour scale, so a class can see where the network departs from the
 * textbook (paper 001, the "no-transaction band" figures); or every hedger side by side on ONE colour scale
 * (paper 003 fig. 4). A strategy trading several assets has one surface per asset (an asset menu picks
 * it). Paper 003's sequence hedgers hold what their path's history says, so their surface is empirical: the
 * mean holding of the test (path, date) pairs in each cell; an empty cell is left blank and hovering a cell
 * says how many pairs it averages. At phone width the panels stack, each titled above itself, so neither
 * titles nor axes overlap.
 */
import { useMemo, useState } from 'react';
import type { Data, Layout } from 'plotly.js';
import { useLab } from '../lab-store';
import { UNDERLYING, type EventOf } from '../run-view';
import { useEmptyMessage } from './empty-message';
import { StrategyMenu, useStrategyPick } from './strategy-pick';
import { usePhoneWidth } from '../phone-width';
import { BASE_LAYOUT, Plot, type Figure } from './plot';
import { significant } from './significant';

type Surface = EventOf<'surface'>;

/** One heatmap: its title, its values on its surface's grid, and for an empirical surface the pairs per cell. */
interface Panel {
  name: string;
  surface: Surface;
  values: Float32Array;
  count: Int32Array | undefined;
}

type Mode = 'one' | 'all';

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

const assetName = (instrument: string) => (instrument === UNDERLYING ? 'the claim’s underlying' : instrument);
const axis = (prefix: 'x' | 'y', k: number) => (k === 0 ? prefix : `${prefix}${k + 1}`);

/** Domains of `n` panels: side by side left of the colour bar, or stacked (phone) with room for each title. */
function domains(n: number, stacked: boolean): { x: [number, number]; y: [number, number] }[] {
  if (stacked) {
    const gap = 0.4 / n;
    const h = (1 - gap * (n - 1)) / n;
    return Array.from({ length: n }, (_, k) => ({ x: [0, 0.86], y: [1 - k * (h + gap) - h, 1 - k * (h + gap)] }));
  }
  const right = n === 1 ? 0.9 : 0.92;
  const gap = 0.04;
  const w = (right - gap * (n - 1)) / n;
  return Array.from({ length: n }, (_, k) => ({ x: [k * (w + gap), k * (w + gap) + w], y: [0, 1] }));
}

function surfaceFigure(panels: Panel[], phone: boolean, daysPerYear: number): Figure {
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
  const spread = (p: Panel) => {
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

const asPanel = (name: string, surface: Surface): Panel => ({ name, surface, values: surface.hedge, count: surface.count });
const referencePanel = (surface: Surface): Panel => ({ name: 'Black-Scholes delta', surface, values: surface.reference!, count: undefined });

export function SurfaceChart() {
  const surfaces = useLab((s) => s.view.surfaces);
  const strategies = useLab((s) => s.view.strategies);
  const daysPerYear = useLab((s) => s.run.config?.market.daysPerYear ?? 365);
  const { ids, id, record: set, labelOf, pick: setPicked } = useStrategyPick(surfaces);
  const [mode, setMode] = useState<Mode>('one');
  const [picked, setAsset] = useState<string | null>(null);
  const phone = usePhoneWidth();
  const empty = useEmptyMessage({
    before: 'Press Run: the deep hedger’s holdings appear here',
    during: 'Appears when the deep hedger is first scored on the test paths…',
    noDeepHedger: 'No deep hedger in this experiment: tick one to see what it holds',
  });
  const all = mode === 'all' && ids.length > 1;
  const shown = all ? ids : id ? [id] : [];
  const assets = [...new Set(shown.flatMap((i) => Object.keys(surfaces[i] ?? {})))];
  const asset = picked !== null && assets.includes(picked) ? picked : (assets[0] ?? null);

  const panels = useMemo((): Panel[] => {
    if (asset === null) return [];
    if (!all) {
      const surface = set?.[asset];
      if (!surface || !id) return [];
      return surface.reference ? [asPanel(labelOf(id), surface), referencePanel(surface)] : [asPanel(labelOf(id), surface)];
    }
    const own = ids.flatMap((i) => (surfaces[i]?.[asset] ? [asPanel(labelOf(i), surfaces[i][asset])] : []));
    const withReference = own.find((p) => p.surface.reference);
    return withReference ? [...own, referencePanel(withReference.surface)] : own;
    // `set`, `ids` and `labelOf` follow from the surfaces and the strategies.
  }, [all, asset, id, surfaces, strategies]);

  const figure = useMemo(() => (panels.length ? surfaceFigure(panels, phone, daysPerYear) : null), [panels, phone, daysPerYear]);
  const stackedHeight = phone && panels.length > 1 ? 310 * panels.length : 360;

  return (
    <>
      <div className="chart-picker">
        {ids.length > 1 && (
          <label className="chart-picker">
            Show{' '}
            <select value={mode} onChange={(e) => setMode(e.target.value as Mode)} data-testid="surface-view">
              <option value="one">one hedger beside Black-Scholes</option>
              <option value="all">every hedger, one colour scale</option>
            </select>
          </label>
        )}
        {!all && <StrategyMenu ids={ids} id={id} labelOf={labelOf} pick={setPicked} testId="surface-strategy" />}
        {assets.length > 1 && (
          <label className="chart-picker">
            Asset{' '}
            <select value={asset ?? ''} onChange={(e) => setAsset(e.target.value)} data-testid="surface-asset">
              {assets.map((a) => (
                <option key={a} value={a}>
                  {assetName(a)}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <Plot figure={figure} empty={empty} testId="chart-surface" height={stackedHeight} />
    </>
  );
}
