/**
 * A Plotly chart on a stable div. Figures are drawn with Plotly.react (which diffs against the last one),
 * one chart per task, newest figure only: a burst of updates never becomes one long task on the main
 * thread (DESIGN.md, "The main thread never blocks"). Plotly (its cartesian bundle: the scatter, bar and
 * heatmap traces the charts draw) loads in its own chunk when a chart first has data (the market preview,
 * once the worker has started), so neither the form nor Run waits for it; until then a chart shows a sentence.
 * Under a drawn chart, its exports: PNG and SVG files (chart-image.ts) and Present, the same figure in large
 * type over the whole screen (presentation.tsx, presentation-figure.ts), following the chart as it updates.
 */
import { useContext, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type { Config } from 'plotly.js';
import type { Figure } from './figure';

export { BASE_LAYOUT, type Figure } from './figure';
import { download, exportFileName, shownExperiment } from '../file-download';
import { useLab } from '../lab-store';
import { chartImage, IMAGE_TYPES, type ImageFormat } from './chart-image';
import { ChartTitle } from './chart-title';
import { loadPlotly, requestedPlotly } from './plotly-bundle';
import { Presentation } from './presentation';
import { presentationFigure } from './presentation-figure';


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
    if (figure === null) await requestedPlotly()?.then((Plotly) => Plotly.purge(div));
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


/** The div Plotly draws `figure` on (`canvas`), or while `figure` is null the sentence `empty` in its place. */
function PlotCanvas({ canvas, figure, empty, testId, height }: { canvas: RefObject<HTMLDivElement | null>; figure: Figure | null; empty: string; testId: string; height: number | string }) {
  useEffect(() => {
    if (canvas.current) schedule(canvas.current, figure);
  }, [canvas, figure]);
  useEffect(() => {
    const div = canvas.current;
    return () => {
      if (!div) return;
      waiting.delete(div);
      void requestedPlotly()?.then((Plotly) => Plotly.purge(div));
    };
  }, [canvas]);
  return (
    <>
      <div ref={canvas} className="plot" data-testid={testId} style={{ height }} role={figure ? 'img' : undefined} aria-label={figure?.summary} aria-hidden={figure ? undefined : true} />
      {figure === null && <p className="plot-empty">{empty}</p>}
    </>
  );
}

/** The chart's name in its files: its test id without "chart-" ("chart-pnl" -> "pnl"). */
const chartPart = (testId: string) => testId.replace(/^chart-/, '');

/**
 * A chart, or while `figure` is null the sentence `empty` in its place (plain HTML, so it shows before
 * Plotly has loaded). A drawn chart is an image to assistive technology, labelled by its figure's summary;
 * below it, PNG, SVG and Present.
 */
export function Plot({ figure, empty, testId, height }: { figure: Figure | null; empty: string; testId: string; height: number }) {
  const title = useContext(ChartTitle) ?? '';
  const experiment = useLab(shownExperiment);
  const [presenting, setPresenting] = useState(false);
  const [saving, setSaving] = useState<ImageFormat | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const chart = useRef<HTMLDivElement>(null);
  const presented = useRef<HTMLDivElement>(null);
  const present = useRef<HTMLButtonElement>(null);
  const large = useMemo(() => (presenting && figure ? presentationFigure(figure) : null), [presenting, figure]);

  const save = async (format: ImageFormat) => {
    const div = chart.current;
    if (!div) return;
    setSaving(format);
    setFailure(null);
    try {
      download(exportFileName(experiment, chartPart(testId), format), IMAGE_TYPES[format], await chartImage(div, format));
    } catch (e) {
      setFailure(`Could not make the ${format.toUpperCase()}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setSaving(null);
    }
  };
  const named = title ? ` ${title}` : ' this chart';

  return (
    <div className="plot-frame">
      <PlotCanvas canvas={chart} figure={figure} empty={empty} testId={testId} height={height} />
      {figure && (
        <div className="chart-exports">
          {failure && (
            <span className="chart-export-failure" role="alert">
              {failure}
            </span>
          )}
          {(['png', 'svg'] as const).map((format) => (
            <button key={format} type="button" data-testid={`${testId}-${format}`} disabled={saving !== null} title={`Save${named} as a ${format.toUpperCase()} file`} onClick={() => void save(format)}>
              {format.toUpperCase()}
            </button>
          ))}
          <button ref={present} type="button" data-testid={`${testId}-present`} title={`Show${named} full screen in large type, for a projector`} onClick={() => setPresenting(true)}>
            Present
          </button>
        </div>
      )}
      {presenting && (
        <Presentation title={title} opener={present} onClose={() => setPresenting(false)}>
          <div className="plot-frame">
            <PlotCanvas canvas={presented} figure={large} empty={empty} testId="chart-present" height="100%" />
          </div>
        </Presentation>
      )}
    </div>
  );
}
