/**
 * A Plotly chart on a stable div. Figures are drawn with Plotly.react (which diffs against the last one),
 * one chart per task, newest figure only: a burst of updates never becomes one long task on the main
 * thread (DESIGN.md, "The main thread never blocks"). Plotly (its cartesian bundle: the scatter, bar and
 * heatmap traces the charts draw) loads in its own chunk when a chart first has data (the market preview,
 * once the worker has started), so neither the form nor Run waits for it; until then a chart shows a sentence.
 */
import { useEffect, useRef } from 'react';
import type { Config, Data, Layout } from 'plotly.js';

export interface Figure {
  data: Data[];
  layout: Partial<Layout>;
  /** The chart's text alternative: what it shows and its key numbers, read by screen readers in its place. */
  summary: string;
}

type PlotlyModule = typeof import('plotly.js-cartesian-dist-min').default;

let plotly: Promise<PlotlyModule> | null = null;
const loadPlotly = () => (plotly ??= import('plotly.js-cartesian-dist-min').then((m) => m.default));

const CONFIG: Partial<Config> = {
  responsive: true,
  displaylogo: false,
  modeBarButtonsToRemove: ['select2d', 'lasso2d', 'autoScale2d'],
};

/** Figures waiting to be drawn, at most one per chart; null clears a chart. */
const waiting = new Map<HTMLDivElement, Figure | null>();
let drawing = false;

async function drawNext(): Promise<void> {
  const next = waiting.entries().next();
  if (next.done) {
    drawing = false;
    return;
  }
  const [div, figure] = next.value;
  waiting.delete(div);
  try {
    // Only a loaded Plotly has drawn anything to clear.
    if (figure === null) await plotly?.then((Plotly) => Plotly.purge(div));
    else {
      const Plotly = await loadPlotly();
      if (div.isConnected) await Plotly.react(div, figure.data, figure.layout, CONFIG);
    }
  } finally {
    setTimeout(drawNext, 0);
  }
}

function schedule(div: HTMLDivElement, figure: Figure | null): void {
  waiting.set(div, figure);
  if (!drawing) {
    drawing = true;
    setTimeout(drawNext, 0);
  }
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

/**
 * A chart, or while `figure` is null the sentence `empty` in its place (plain HTML, so it shows before
 * Plotly has loaded). A drawn chart is an image to assistive technology, labelled by its figure's summary.
 */
export function Plot({ figure, empty, testId, height }: { figure: Figure | null; empty: string; testId: string; height: number }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (ref.current) schedule(ref.current, figure);
  }, [figure]);
  useEffect(() => {
    const div = ref.current;
    return () => {
      if (!div) return;
      waiting.delete(div);
      void plotly?.then((Plotly) => Plotly.purge(div));
    };
  }, []);
  return (
    <div className="plot-frame">
      <div ref={ref} className="plot" data-testid={testId} style={{ height }} role={figure ? 'img' : undefined} aria-label={figure?.summary} aria-hidden={figure ? undefined : true} />
      {figure === null && <p className="plot-empty">{empty}</p>}
    </div>
  );
}
