/**
 * Training dynamics of a sequence hedger under the entropic risk (paper 003 appendix 8.4, eq. 11-14): after
 * each epoch, its mean holding of each asset of the hedge set over the validation paths and dates (left
 * axis) and its validation loss (right axis). Early epochs are dominated by the tail of the short claim,
 * which drives the holdings "long everywhere" (eq. 13); later ones by the mean (eq. 14). A dotted line marks
 * the epoch early stopping keeps (its weights are the ones scored on the test paths).
 */
import { useMemo } from 'react';
import type { Data, Layout } from 'plotly.js';
import { useLab } from '../lab-store';
import { countTicks } from './axis-ticks';
import { useEmptyMessage } from './empty-message';
import { StrategyMenu, useStrategyPick } from './strategy-pick';
import { BASE_LAYOUT, Plot, type Figure } from './plot';
import { significant } from './significant';

/** One colour per asset of the hedge set, in its order; the validation loss is grey. */
const ASSET_COLOURS = ['#1d4ed8', '#b45309', '#047857', '#7c3aed', '#be123c', '#0e7490', '#4d7c0f', '#a21caf'];
const LOSS_COLOUR = '#6b7280';

export function DynamicsChart() {
  const holdings = useLab((s) => s.view.holdings);
  const result = useLab((s) => s.view.result);
  const { ids, id, record: series, label, labelOf, pick } = useStrategyPick(holdings);
  const empty = useEmptyMessage({
    before: 'Press Run: each sequence hedger’s mean holdings and validation loss appear here, epoch by epoch',
    during: 'Appears after the first epoch…',
  });

  const figure = useMemo((): Figure | null => {
    if (!series || series.validation.epochs.length === 0) return null;
    // The run's record is final once it is done; until then the latest event says which epoch is best so far.
    const record = result?.strategies.find((s) => s.id === id)?.training?.earlyStopping;
    const best = record?.bestEpoch ?? series.bestEpoch;
    const assets = Object.entries(series.mean);
    const data: Data[] = assets.map(([asset, s], k) => ({
      type: 'scatter',
      mode: s.epochs.length > 60 ? 'lines' : 'lines+markers',
      name: `mean holding ${asset}`,
      x: s.epochs,
      y: s.loss,
      line: { color: ASSET_COLOURS[k % ASSET_COLOURS.length], width: 2 },
      marker: { size: 4 },
      hovertemplate: `${asset}<br>epoch %{x}<br>mean holding %{y:.4g}<extra></extra>`,
    }));
    data.push({
      type: 'scatter',
      mode: series.validation.epochs.length > 60 ? 'lines' : 'lines+markers',
      name: 'validation loss',
      x: series.validation.epochs,
      y: series.validation.loss,
      yaxis: 'y2',
      line: { color: LOSS_COLOUR, width: 1.5, dash: 'dash' },
      marker: { size: 4 },
      hovertemplate: 'validation loss<br>epoch %{x}<br>%{y:.4g}<extra></extra>',
    });
    const last = series.validation.epochs.at(-1)!;
    const layout: Partial<Layout> = {
      ...BASE_LAYOUT,
      showlegend: true,
      margin: { l: 56, r: 64, t: 8, b: 44 },
      xaxis: { title: { text: 'epoch' }, zeroline: false, ...countTicks(last) },
      yaxis: { title: { text: 'mean holding (validation)' }, zeroline: true, zerolinecolor: '#9ca3af', automargin: true },
      // Its own round ticks, not ones synced to the holdings' grid.
      yaxis2: { title: { text: 'validation loss' }, overlaying: 'y', side: 'right', showgrid: false, zeroline: false, automargin: true, tickmode: 'auto', tickformat: '.2~g' },
      ...(best !== null && best !== undefined
        ? {
            shapes: [{ type: 'line', xref: 'x', yref: 'paper', x0: best, x1: best, y0: 0, y1: 1, line: { color: '#111827', width: 1.5, dash: 'dot' } }],
            annotations: [{ x: best, xref: 'x', y: 1, yref: 'paper', yanchor: 'top', xanchor: 'left', text: `early stopping keeps epoch ${best}`, showarrow: false, font: { size: 11 } }],
          }
        : {}),
    };
    const holdingsSaid = assets.map(([asset, s]) => `${asset} ${significant(s.loss.at(-1)!)}`).join(', ');
    const stopped = best !== null && best !== undefined ? ` Early stopping keeps epoch ${best}${record ? ` (trained to epoch ${record.lastEpoch})` : ''}.` : '';
    return {
      data,
      layout,
      summary: `${label}: mean holding on the validation paths and validation loss by epoch. At epoch ${last}: ${holdingsSaid}; validation loss ${significant(series.validation.loss.at(-1)!)}.${stopped}`,
    };
  }, [series, result, id, label]);

  return (
    <>
      <StrategyMenu ids={ids} id={id} labelOf={labelOf} pick={pick} testId="dynamics-strategy" />
      <Plot figure={figure} empty={empty} testId="chart-dynamics" height={300} />
    </>
  );
}

