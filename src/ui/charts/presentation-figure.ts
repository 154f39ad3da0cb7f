/**
 * A chart's figure for a projector (the Present view): the same traces and axes, every text size (the
 * page's font, axis titles, ticks, legend, annotations, colour bars, hover labels) and the margins that hold
 * them scaled by PRESENTATION_SCALE, and every line and marker thickened by as much, so that the back of a
 * room reads what a screen shows at arm's length. Nothing else changes (data, ranges, colours, positions in
 * data or paper units), and the input is left as it was: each object of the figure is copied; its data
 * arrays, which neither this nor Plotly writes to, are shared.
 */
import type { Data, Layout } from 'plotly.js';
import type { Figure } from './figure';

export const PRESENTATION_SCALE = 2;

/** Plotly's font size where a figure sets none. */
const PLOTLY_FONT_SIZE = 12;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/** Whether `key` of an object that sits under `owner` is a size to scale: a font's size, a line's width... */
function isScaled(owner: string | null, key: string): boolean {
  if (owner === null) return false;
  if (owner.endsWith('font')) return key === 'size'; // font, tickfont, textfont, insidetextfont...
  if (owner === 'line') return key === 'width';
  if (owner === 'marker') return key === 'size';
  if (owner === 'colorbar') return key === 'thickness';
  return owner === 'margin'; // l, r, t, b, pad
}

/** A copy of `value` (an object under `owner`, or an array of them) with its sizes scaled. */
function scaled(value: unknown, owner: string | null, scale: number): unknown {
  if (Array.isArray(value)) return value.some(isRecord) ? value.map((v) => scaled(v, owner, scale)) : value;
  if (!isRecord(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, typeof v === 'number' && isScaled(owner, key) ? v * scale : scaled(v, key, scale)]));
}

/** `figure` with fonts, margins, lines and markers `scale` times as large. */
export function presentationFigure(figure: Figure, scale = PRESENTATION_SCALE): Figure {
  const layout = scaled(figure.layout, null, scale) as Partial<Layout>;
  return {
    data: figure.data.map((trace) => scaled(trace, null, scale) as Data),
    layout: { ...layout, font: { ...layout.font, size: (figure.layout.font?.size ?? PLOTLY_FONT_SIZE) * scale } },
    summary: figure.summary,
  };
}
