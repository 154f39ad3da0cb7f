/**
 * Plotly's cartesian bundle, loaded in its own chunk on first use (a chart with data), once per page.
 */
export type PlotlyModule = typeof import('plotly.js-cartesian-dist-min').default;

let plotly: Promise<PlotlyModule> | null = null;

/** Loads Plotly, the first time only. */
export const loadPlotly = (): Promise<PlotlyModule> => (plotly ??= import('plotly.js-cartesian-dist-min').then((m) => m.default));

/** Plotly if something has asked for it already, else null (nothing drawn, nothing to clear). */
export const requestedPlotly = (): Promise<PlotlyModule> | null => plotly;
