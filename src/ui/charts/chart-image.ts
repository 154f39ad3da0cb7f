/**
 * A chart as an image file, by Plotly's toImage: the figure on the chart's div as drawn (a zoom included:
 * Plotly keeps the current ranges in the layout it holds), redrawn off screen as a static plot at the
 * chart's size on white (the page draws charts on a transparent paper, which a dark slide would show
 * through): SVG as text, PNG at twice the chart's pixels, sharp on a slide or a projector. Plotly loads the
 * SVG into an <img> through a data: URL to paint the PNG, which the page's img-src allows; the bytes are
 * decoded here, never fetched (connect-src is 'self' alone).
 */
import type { PlotlyHTMLElement } from 'plotly.js';
import { loadPlotly } from './plotly-bundle';

declare module 'plotly.js' {
  interface ToImgopts {
    /** The image itself (SVG text, or PNG base64) rather than a data: URL; @types/plotly.js leaves it out. */
    imageDataOnly?: boolean;
  }
}

export type ImageFormat = 'png' | 'svg';

export const IMAGE_TYPES: Record<ImageFormat, string> = { png: 'image/png', svg: 'image/svg+xml' };

/** PNG's pixels per chart pixel. */
const PNG_SCALE = 2;

/** The chart Plotly has drawn on `div` as an image file's content. */
export async function chartImage(div: HTMLElement, format: ImageFormat): Promise<string | ArrayBuffer> {
  const Plotly = await loadPlotly();
  const { data, layout } = div as PlotlyHTMLElement;
  if (!data) throw new Error('the chart is still being drawn; try again in a moment');
  const image = await Plotly.toImage(
    { data, layout: { ...layout, paper_bgcolor: '#ffffff' } },
    { format, width: div.clientWidth, height: div.clientHeight, scale: format === 'png' ? PNG_SCALE : 1, imageDataOnly: true },
  );
  return format === 'svg' ? image : Uint8Array.from(atob(image), (c) => c.charCodeAt(0)).buffer;
}
