/**
 * The one layout attribute the charts use that @types/plotly.js leaves out: `coloraxis`, a colour scale
 * shared by several heatmaps (the holding surface and the Black-Scholes delta beside it).
 */
import type { ColorBar, ColorScale } from 'plotly.js';

declare module 'plotly.js' {
  interface Layout {
    coloraxis: Partial<{ cmin: number; cmax: number; colorscale: ColorScale; colorbar: Partial<ColorBar> }>;
  }
}
