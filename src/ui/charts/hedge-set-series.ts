/**
 * Paper 003 fig. 3's series from a comparison record (experiment/comparison.ts): for a sweep with an
 * `instruments.hedgeSet` axis, one panel per value of the other axes (the seed aside; a market by the data
 * it trains on: 'historical' the market windows, 'regime-switching' the regime model, 'signature-diffusion' the
 * generators), and in each, per
 * strategy, a metric against the hedge-set size, the mean over the panel's cells of that size (its seeds).
 */
import { axisLabel, type ComparisonRecord, type StrategyRecord } from '../../engine/experiment/comparison';
import type { Metrics } from '../../engine/experiment/events';
import { valueLabel, type SweepValue } from '../../engine/experiment/sweep';

/** The sweep path of paper 003 fig. 3's x axis. */
export const HEDGE_SET_AXIS = 'instruments.hedgeSet';

/** Paper 003's names of the training markets: the windows of the data themselves, the regime model fitted to them, or the generators trained on them. */
const MARKET_NAMES: Record<string, string> = { historical: 'market windows', 'regime-switching': 'regime model', 'signature-diffusion': 'signature diffusion' };

/** A panel's title: every axis but the hedge set and the seed, a market by the data it trains on. */
function panelTitle(params: Record<string, SweepValue>): string {
  const parts = Object.entries(params)
    .filter(([path]) => path !== HEDGE_SET_AXIS && path !== 'seed')
    .map(([path, v]) => {
      const label = valueLabel(v);
      return path === 'market' ? (MARKET_NAMES[label] ?? label) : `${axisLabel(path)} ${label}`;
    });
  return parts.join(', ') || 'the form’s experiment';
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

export interface HedgeSetPanel {
  title: string;
  /** One line per strategy with a value at some size: y[j] at sizes[j], null where none is scored yet. */
  lines: { strategy: StrategyRecord; y: (number | null)[] }[];
}

/** The hedge-set sizes (ascending) and the panels, or null when the record sweeps no hedge set. */
export function hedgeSetSeries(record: ComparisonRecord, metric: keyof Metrics): { sizes: number[]; panels: HedgeSetPanel[] } | null {
  const axis = record.axes.find((a) => a.path === HEDGE_SET_AXIS);
  if (!axis || record.cells.length === 0) return null;
  const sizes = [...new Set(axis.values.map(Number))].sort((a, b) => a - b);
  const byTitle = new Map<string, ComparisonRecord['cells']>();
  for (const cell of record.cells) {
    const title = panelTitle(cell.params);
    byTitle.set(title, [...(byTitle.get(title) ?? []), cell]);
  }
  const first = record.cells[0]!;
  const panels = [...byTitle].map(([title, cells]): HedgeSetPanel => {
    const lines = first.strategies.map((strategy, i) => ({
      strategy,
      y: sizes.map((size) => {
        const values = cells
          .filter((c) => Number(c.params[HEDGE_SET_AXIS]) === size)
          .map((c) => c.strategies[i]?.metrics?.[metric])
          .filter((v): v is number => typeof v === 'number');
        return values.length ? mean(values) : null;
      }),
    }));
    return { title, lines: lines.filter((l) => l.y.some((v) => v !== null)) };
  });
  return { sizes, panels };
}
