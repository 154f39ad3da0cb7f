/**
 * One sample path at a time: the spot on the left axis and each strategy's position on the right, as
 * steps (a position is held over a whole rebalancing interval).
 */
import { useMemo, useState } from 'react';
import type { Data } from 'plotly.js';
import { useLab } from '../lab-store';
import { useEmptyMessage } from './empty-message';
import { strategyColor } from './palette';
import { BASE_LAYOUT, Plot, type Figure } from './plot';
import { rounded, significant } from './significant';

export function PathsChart() {
  const paths = useLab((s) => s.view.paths);
  const strategies = useLab((s) => s.view.strategies);
  const daysPerYear = useLab((s) => s.run.config?.market.daysPerYear ?? 365);
  const [picked, setPicked] = useState(0);
  const empty = useEmptyMessage({
    before: 'Press Run: sample paths and the positions taken appear here',
    during: 'Waiting for the first strategy to be scored…',
  });
  const count = paths?.spot.length ?? 0;
  const index = Math.min(picked, Math.max(0, count - 1));

  const figure = useMemo((): Figure | null => {
    if (!paths || count === 0) return null;
    const days = Array.from(paths.times, (t) => t * daysPerYear);
    const spot = paths.spot[index]!;
    const data: Data[] = [
      {
        type: 'scatter',
        mode: 'lines+markers',
        name: 'spot S',
        x: days,
        y: Array.from(spot),
        line: { color: '#111827', width: 2.5 },
        marker: { size: 4 },
      },
    ];
    const finalPositions: string[] = [];
    for (const s of strategies) {
      const held = paths.positions[s.id]?.[index];
      if (!held) continue;
      finalPositions.push(`${s.label} ${significant(held.at(-1) ?? 0)}`);
      data.push({
        type: 'scatter',
        mode: 'lines',
        name: s.label,
        x: days.slice(0, held.length + 1),
        y: [...held, held[held.length - 1] ?? 0],
        yaxis: 'y2',
        line: { shape: 'hv', color: strategyColor(strategies, s.id), width: 2 },
      });
    }
    return {
      data,
      layout: {
        ...BASE_LAYOUT,
        margin: { l: 56, r: 56, t: 8, b: 44 },
        showlegend: true,
        xaxis: { title: { text: 'days' }, zeroline: false },
        yaxis: { title: { text: 'spot' }, zeroline: false },
        yaxis2: { title: { text: 'position (shares)' }, overlaying: 'y', side: 'right', tickmode: 'auto', nticks: 6, zeroline: true, showgrid: false },
      },
      summary:
        `Sample path ${index + 1} of ${count} over ${rounded(days.at(-1) ?? 0)} days: spot from ${significant(spot[0]!)} to ${significant(spot.at(-1)!)}` +
        (finalPositions.length ? `; shares held over the last step: ${finalPositions.join(', ')}.` : '.'),
    };
  }, [paths, strategies, count, index, daysPerYear]);

  return (
    <>
      {count > 1 && (
        <div className="chart-picker" role="group" aria-label="Sample path">
          Path{' '}
          {Array.from({ length: count }, (_, i) => (
            <button key={i} type="button" className={i === index ? 'selected' : ''} aria-pressed={i === index} onClick={() => setPicked(i)}>
              {i + 1}
            </button>
          ))}
        </div>
      )}
      <Plot figure={figure} empty={empty} testId="chart-paths" height={340} />
    </>
  );
}
