/**
 * What a chart draws, apart from drawing it (plot.tsx): a Plotly figure with its text alternative, and the
 * layout every chart starts from. Pure data, so that the figures' builders load without the page's store.
 */
import type { Data, Layout } from 'plotly.js';

export interface Figure {
  data: Data[];
  layout: Partial<Layout>;
  /** The chart's text alternative: what it shows and its key numbers, read by screen readers in its place. */
  summary: string;
}

export const BASE_LAYOUT: Partial<Layout> = {
  autosize: true,
  margin: { l: 56, r: 16, t: 8, b: 44 },
  paper_bgcolor: 'rgba(0,0,0,0)',
  plot_bgcolor: '#ffffff',
  font: { family: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif', size: 12, color: '#1f2937' },
  legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom', bgcolor: 'rgba(0,0,0,0)' },
  hovermode: 'closest',
};
