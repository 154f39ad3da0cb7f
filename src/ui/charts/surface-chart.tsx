/**
 * The holding surface: the deep hedger's hedge ratio over log-moneyness x time to maturity, beside the
 * Black-Scholes delta on the same grid and the same colour scale, so a class can see where the network
 * departs from the textbook (paper 001, the "no-transaction band" figures).
 */
import { useMemo, useState } from 'react';
import { useLab } from '../lab-store';
import { useEmptyMessage } from './empty-message';
import { BASE_LAYOUT, Plot, type Figure } from './plot';

/** Rows of a row-major grid, as plotly's z wants them. */
function grid(values: Float32Array, columns: number): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < values.length; i += columns) rows.push(Array.from(values.subarray(i, i + columns)));
  return rows;
}

function range(...arrays: Float32Array[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const a of arrays) for (const v of a) if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  return lo <= hi ? [lo, hi] : [0, 1];
}

export function SurfaceChart() {
  const surfaces = useLab((s) => s.view.surfaces);
  const strategies = useLab((s) => s.view.strategies);
  const daysPerYear = useLab((s) => s.run.config?.market.daysPerYear ?? 365);
  const ids = strategies.map((s) => s.id).filter((id) => surfaces[id]);
  const [picked, setPicked] = useState<string | null>(null);
  const id = picked !== null && ids.includes(picked) ? picked : (ids[0] ?? null);
  const surface = id ? surfaces[id] : undefined;
  const label = strategies.find((s) => s.id === id)?.label ?? id ?? '';
  const empty = useEmptyMessage({
    before: 'Press Run: the deep hedger’s holdings appear here',
    during: 'Appears when the deep hedger is first scored on the test paths…',
    noDeepHedger: 'No deep hedger in this experiment: tick one to see what it holds',
  });

  const figure = useMemo((): Figure | null => {
    if (!surface) return null;
    const columns = surface.logMoneyness.length;
    const x = Array.from(surface.logMoneyness);
    const y = Array.from(surface.timeToMaturity, (t) => t * daysPerYear);
    const [cmin, cmax] = surface.reference ? range(surface.hedge, surface.reference) : range(surface.hedge, surface.hedge);
    const heat = (z: Float32Array, xaxis: string, name: string) => ({
      type: 'heatmap' as const,
      name,
      x,
      y,
      z: grid(z, columns),
      xaxis,
      coloraxis: 'coloraxis',
      zsmooth: 'fast' as const,
      hovertemplate: `${name}<br>${surface.moneynessLabel} %{x:.3f}<br>%{y:.1f} days left<br>hedge %{z:.3f}<extra></extra>`,
    });
    return {
      data: surface.reference ? [heat(surface.hedge, 'x', label), heat(surface.reference, 'x2', 'Black-Scholes delta')] : [heat(surface.hedge, 'x', label)],
      layout: {
        ...BASE_LAYOUT,
        margin: { l: 56, r: 16, t: 28, b: 44 },
        showlegend: false,
        grid: { rows: 1, columns: 2, pattern: 'independent' },
        xaxis: { title: { text: `log-moneyness ${surface.moneynessLabel}` }, domain: surface.reference ? [0, 0.44] : [0, 0.9] },
        xaxis2: { title: { text: `log-moneyness ${surface.moneynessLabel}` }, domain: [0.5, 0.94], visible: surface.reference !== null },
        yaxis: { title: { text: 'days to maturity' } },
        yaxis2: { anchor: 'x2', matches: 'y', showticklabels: false },
        coloraxis: { cmin, cmax, colorscale: 'Viridis', colorbar: { title: { text: 'hedge', side: 'right' }, thickness: 14, x: 0.96 } },
        annotations: [
          { text: `<b>${label}</b>`, xref: 'paper', yref: 'paper', x: surface.reference ? 0.22 : 0.45, y: 1.0, yanchor: 'bottom', showarrow: false },
          ...(surface.reference
            ? [{ text: '<b>Black-Scholes delta</b>', xref: 'paper' as const, yref: 'paper' as const, x: 0.72, y: 1.0, yanchor: 'bottom' as const, showarrow: false }]
            : []),
        ],
      },
    };
  }, [surface, label, daysPerYear]);

  return (
    <>
      {ids.length > 1 && (
        <label className="chart-picker">
          Strategy{' '}
          <select value={id ?? ''} onChange={(e) => setPicked(e.target.value)}>
            {ids.map((i) => (
              <option key={i} value={i}>
                {strategies.find((s) => s.id === i)?.label ?? i}
              </option>
            ))}
          </select>
        </label>
      )}
      <Plot figure={figure} empty={empty} testId="chart-surface" height={360} />
    </>
  );
}
