/**
 * Paper 000 figs. 7-10: where on the test paths a strategy's terminal portfolio value PV_T (eq. 17) is
 * won or lost. Each cell is the mean PV_T of the (path, date) pairs whose S_t / K falls in a moneyness bin
 * (x) at a time to maturity T - t (y), as the engine's `pv-map` event bins them; hovering shows how many
 * pairs a cell averages. Red is a loss, blue a gain, white zero; empty cells are left blank.
 */
import { useMemo } from 'react';
import { useLab } from '../lab-store';
import { useEmptyMessage } from './empty-message';
import { StrategyMenu, useStrategyPick } from './strategy-pick';
import { BASE_LAYOUT, Plot, type Figure } from './plot';
import { significant } from './significant';

/** Diverging around zero: losses red, gains blue. */
const COLOURS: [number, string][] = [
  [0, '#b91c1c'],
  [0.5, '#f8fafc'],
  [1, '#1d4ed8'],
];

export function PvMapChart() {
  const maps = useLab((s) => s.view.pvMaps);
  const daysPerYear = useLab((s) => s.run.config?.market.daysPerYear ?? 365);
  const { ids, id, record: map, label, labelOf, pick: setPicked } = useStrategyPick(maps);
  const empty = useEmptyMessage({
    before: 'Press Run: where each strategy’s PV_T is won or lost, by S_t/K and time to maturity',
    during: 'Appears when a strategy is scored on the test paths…',
  });

  const figure = useMemo((): Figure | null => {
    if (!map) return null;
    const edges = map.moneynessEdges;
    const bins = edges.length - 1;
    const x = Array.from({ length: bins }, (_, j) => (edges[j]! + edges[j + 1]!) / 2);
    const y = Array.from(map.timeToMaturity, (t) => t * daysPerYear);
    const z: (number | null)[][] = [];
    const counts: number[][] = [];
    let extreme = 0;
    let cells = 0;
    let lowest = { value: Infinity, x: 0, y: 0 };
    for (let i = 0; i < y.length; i++) {
      const row: (number | null)[] = [];
      const rowCounts: number[] = [];
      for (let j = 0; j < bins; j++) {
        const n = map.count[i * bins + j]!;
        const v = map.meanPv[i * bins + j]!;
        rowCounts.push(n);
        row.push(n > 0 ? v : null);
        if (n > 0) {
          cells++;
          extreme = Math.max(extreme, Math.abs(v));
          if (v < lowest.value) lowest = { value: v, x: x[j]!, y: y[i]! };
        }
      }
      z.push(row);
      counts.push(rowCounts);
    }
    const bound = extreme > 0 ? extreme : 1;
    return {
      data: [
        {
          type: 'heatmap',
          name: label,
          x,
          y,
          z,
          customdata: counts,
          zmin: -bound,
          zmax: bound,
          colorscale: COLOURS,
          hoverongaps: false,
          colorbar: { title: { text: 'mean PV_T', side: 'right' }, thickness: 14, exponentformat: 'power' },
          hovertemplate: `${label}<br>S_t/K %{x:.3f}<br>%{y:.1f} days to maturity<br>mean PV_T %{z:.3g}<br>%{customdata} path-dates<extra></extra>`,
        },
      ],
      layout: {
        ...BASE_LAYOUT,
        showlegend: false,
        xaxis: { title: { text: 'moneyness S_t / K' }, zeroline: false },
        yaxis: { title: { text: 'days to maturity T − t' }, zeroline: false },
      },
      summary:
        `${label}: mean terminal portfolio value PV_T over ${cells} cells of S_t/K from ${significant(edges[0]!)} to ${significant(edges[bins]!)} and ` +
        `${significant(Math.min(...y))} to ${significant(Math.max(...y))} days to maturity; ` +
        (cells > 0 ? `largest |mean| ${significant(extreme)}, the worst cell ${significant(lowest.value)} at S_t/K ${significant(lowest.x)}, ${significant(lowest.y)} days left.` : 'no path visited any cell.'),
    };
  }, [map, label, daysPerYear]);

  return (
    <>
      <StrategyMenu ids={ids} id={id} labelOf={labelOf} pick={setPicked} testId="pv-map-strategy" />
      <Plot figure={figure} empty={empty} testId="chart-pv-map" height={340} />
    </>
  );
}
