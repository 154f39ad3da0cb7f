/**
 * The holding surface: the deep hedger's hedge ratio over log-moneyness x time to maturity, beside the
 * Black-Scholes delta on the same grid and the same colour scale, so a class can see where the network
 * departs from the textbook (paper 001, the "no-transaction band" figures). At phone width the two panels
 * stack, each titled above itself, so neither titles nor axes overlap.
 */
import { useMemo } from 'react';
import type { Layout } from 'plotly.js';
import { useLab } from '../lab-store';
import { useEmptyMessage } from './empty-message';
import { StrategyMenu, useStrategyPick } from './strategy-pick';
import { usePhoneWidth } from '../phone-width';
import { BASE_LAYOUT, Plot, type Figure } from './plot';
import { significant } from './significant';

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
  const daysPerYear = useLab((s) => s.run.config?.market.daysPerYear ?? 365);
  const { ids, id, record: surface, label, labelOf, pick: setPicked } = useStrategyPick(surfaces);
  const phone = usePhoneWidth();
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
    const reference = surface.reference;
    const [cmin, cmax] = reference ? range(surface.hedge, reference) : range(surface.hedge);
    const heat = (z: Float32Array, panel: '' | '2', name: string) => ({
      type: 'heatmap' as const,
      name,
      x,
      y,
      z: grid(z, columns),
      xaxis: `x${panel}`,
      yaxis: `y${panel}`,
      coloraxis: 'coloraxis',
      zsmooth: 'fast' as const,
      hovertemplate: `${name}<br>${surface.moneynessLabel} %{x:.3f}<br>%{y:.1f} days left<br>hedge %{z:.3f}<extra></extra>`,
    });
    const stacked = phone && reference !== null;
    const moneyness = { text: `log-moneyness ${surface.moneynessLabel}` };
    const title = (text: string, axis: '' | '2') => ({
      text: `<b>${text}</b>`,
      xref: `x${axis} domain`,
      yref: `y${axis} domain`,
      x: 0.5,
      y: 1,
      yanchor: 'bottom',
      showarrow: false,
    });
    const spread = (name: string, values: Float32Array) => {
      const [lo, hi] = range(values);
      return `${name} from ${significant(lo)} to ${significant(hi)}`;
    };
    return {
      data: reference ? [heat(surface.hedge, '', label), heat(reference, '2', 'Black-Scholes delta')] : [heat(surface.hedge, '', label)],
      layout: {
        ...BASE_LAYOUT,
        margin: { l: 56, r: 16, t: 28, b: 44 },
        showlegend: false,
        xaxis: { title: moneyness, domain: stacked ? [0, 0.86] : reference ? [0, 0.44] : [0, 0.9], anchor: 'y' },
        yaxis: { title: { text: 'days to maturity' }, domain: stacked ? [0.6, 1] : [0, 1], anchor: 'x' },
        xaxis2: { title: moneyness, domain: stacked ? [0, 0.86] : [0.5, 0.94], anchor: 'y2', visible: reference !== null },
        yaxis2: { domain: stacked ? [0, 0.4] : [0, 1], anchor: 'x2', matches: 'y', showticklabels: stacked, title: { text: stacked ? 'days to maturity' : '' }, visible: reference !== null },
        coloraxis: { cmin, cmax, colorscale: 'Viridis', colorbar: { title: { text: 'hedge', side: 'right' }, thickness: 14, x: stacked ? 0.9 : 0.96 } },
        annotations: (reference ? [title(label, ''), title('Black-Scholes delta', '2')] : [title(label, '')]) as Layout['annotations'],
      },
      summary:
        `Hedge ratio over ${surface.moneynessLabel} from ${significant(x[0]!)} to ${significant(x.at(-1)!)} and ${significant(Math.min(...y))} to ${significant(Math.max(...y))} days to maturity: ` +
        [spread(label, surface.hedge), ...(reference ? [spread('Black-Scholes delta', reference)] : [])].join('; ') +
        '.',
    };
  }, [surface, label, daysPerYear, phone]);

  return (
    <>
      <StrategyMenu ids={ids} id={id} labelOf={labelOf} pick={setPicked} />
      <Plot figure={figure} empty={empty} testId="chart-surface" height={phone && surface?.reference ? 620 : 360} />
    </>
  );
}
