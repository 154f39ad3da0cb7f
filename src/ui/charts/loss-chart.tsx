/** Training loss per epoch of every trainable strategy: the risk measure the optimiser is minimising. */
import { useMemo } from 'react';
import type { Data } from 'plotly.js';
import { useLab } from '../lab-store';
import { useEmptyMessage } from './empty-message';
import { strategyColor } from './palette';
import { countTicks } from './axis-ticks';
import { BASE_LAYOUT, Plot, type Figure } from './plot';
import { significant } from './significant';

export function LossChart() {
  const loss = useLab((s) => s.view.loss);
  const strategies = useLab((s) => s.view.strategies);
  const empty = useEmptyMessage({
    before: 'Press Run: the loss appears here, one point per epoch',
    during: 'Waiting for the first epoch…',
    noDeepHedger: 'No deep hedger in this experiment: nothing to train',
  });
  const figure = useMemo((): Figure | null => {
    const trained = strategies.filter((s) => s.trainable && loss[s.id]);
    const data: Data[] = trained.map((s) => ({
      type: 'scatter',
      mode: 'lines+markers',
      name: s.label,
      x: loss[s.id]!.epochs,
      y: loss[s.id]!.loss,
      line: { color: strategyColor(strategies, s.id), width: 2 },
      marker: { size: 4 },
    }));
    if (data.length === 0) return null;
    const latest = trained.map((s) => `${s.label} ${significant(loss[s.id]!.loss.at(-1)!)} after epoch ${loss[s.id]!.epochs.at(-1)}`);
    const lastEpoch = Math.max(...strategies.map((s) => loss[s.id]?.epochs.at(-1) ?? 0));
    return {
      data,
      layout: {
        ...BASE_LAYOUT,
        showlegend: true,
        xaxis: { title: { text: 'epoch' }, zeroline: false, ...countTicks(lastEpoch) },
        yaxis: { title: { text: 'loss (risk measure)' }, zeroline: false },
      },
      summary: `Training loss (the risk measure) by epoch. Latest: ${latest.join('; ')}.`,
    };
  }, [loss, strategies]);
  return <Plot figure={figure} empty={empty} testId="chart-loss" height={300} />;
}
