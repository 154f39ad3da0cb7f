/**
 * Plotly's cartesian distribution (scatter, bar, heatmap and the other 2-D traces the charts draw, a third
 * of the full bundle) ships no types of its own: it is plotly.js, typed by @types/plotly.js
 * (plotly-color-axis.d.ts adds what those leave out).
 */
declare module 'plotly.js-cartesian-dist-min' {
  import * as Plotly from 'plotly.js';
  export default Plotly;
}
