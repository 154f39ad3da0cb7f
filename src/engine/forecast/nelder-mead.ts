/**
 * The Nelder-Mead simplex minimiser (Nelder & Mead, Computer Journal 7, 1965) with the standard coefficients
 * reflection 1, expansion 2, contraction 1/2, shrink 1/2 and the inside/outside contractions of Lagarias et al.
 * (SIAM J. Optim. 9, 1998, §2). It stops when the simplex is both small and flat, max_i |x_i - x_best| <= xTolerance
 * (each coordinate) and max_i |f_i - f_best| <= fTolerance (scipy's xatol/fatol), or after maxIterations.
 * A NaN value counts as +Infinity, so an objective may refuse a point (a violated constraint) by returning
 * Infinity; the returned point is always the best vertex, whose value is finite whenever the start's is.
 */

export interface NelderMeadOptions {
  /** Edge of the initial simplex along each coordinate: one number for all, or one per coordinate (default 0.1). */
  step?: number | ArrayLike<number>;
  /** Default 1e-8. */
  xTolerance?: number;
  /** Default 1e-10. */
  fTolerance?: number;
  /** Default 200 per coordinate. */
  maxIterations?: number;
}

export interface NelderMeadResult {
  x: Float64Array;
  value: number;
  iterations: number;
  converged: boolean;
}

/** Minimises f from x0. */
export function nelderMead(f: (x: Float64Array) => number, x0: ArrayLike<number>, opts: NelderMeadOptions = {}): NelderMeadResult {
  const n = x0.length;
  if (n === 0) throw new RangeError('Nelder-Mead: the starting point has no coordinates');
  const xTolerance = opts.xTolerance ?? 1e-8;
  const fTolerance = opts.fTolerance ?? 1e-10;
  const maxIterations = opts.maxIterations ?? 200 * n;
  const step = opts.step ?? 0.1;
  const value = (x: Float64Array) => {
    const v = f(x);
    return Number.isNaN(v) ? Infinity : v;
  };

  const simplex: Float64Array[] = [];
  for (let i = 0; i <= n; i++) {
    const x = Float64Array.from(x0);
    if (i > 0) x[i - 1] += typeof step === 'number' ? step : step[i - 1];
    simplex.push(x);
  }
  const values = simplex.map(value);
  const order = simplex.map((_, i) => i);
  const centroid = new Float64Array(n);
  /** centroid + t (centroid - worst). */
  const along = (t: number, worst: Float64Array) => centroid.map((c, k) => c + t * (c - worst[k]));

  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations; iterations++) {
    order.sort((a, b) => values[a] - values[b]);
    const best = order[0], worst = order[n], secondWorst = order[n - 1];
    let spreadX = 0, spreadF = 0;
    for (let i = 1; i <= n; i++) {
      spreadF = Math.max(spreadF, Math.abs(values[order[i]] - values[best]));
      for (let k = 0; k < n; k++) spreadX = Math.max(spreadX, Math.abs(simplex[order[i]][k] - simplex[best][k]));
    }
    if (spreadX <= xTolerance && spreadF <= fTolerance) {
      converged = true;
      break;
    }

    centroid.fill(0);
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) centroid[k] += simplex[order[i]][k] / n;
    const xw = simplex[worst];
    const reflected = along(1, xw);
    const fr = value(reflected);
    let accepted: Float64Array | null = null, fa = 0;
    if (fr < values[best]) {
      const expanded = along(2, xw);
      const fe = value(expanded);
      [accepted, fa] = fe < fr ? [expanded, fe] : [reflected, fr];
    } else if (fr < values[secondWorst]) {
      [accepted, fa] = [reflected, fr];
    } else if (fr < values[worst]) {
      const outside = along(0.5, xw);
      const fo = value(outside);
      if (fo <= fr) [accepted, fa] = [outside, fo];
    } else {
      const inside = along(-0.5, xw);
      const fi = value(inside);
      if (fi < values[worst]) [accepted, fa] = [inside, fi];
    }
    if (accepted !== null) {
      simplex[worst] = accepted;
      values[worst] = fa;
    } else {
      const xb = simplex[best];
      for (let i = 0; i <= n; i++) {
        if (i === best) continue;
        simplex[i] = simplex[i].map((v, k) => xb[k] + 0.5 * (v - xb[k]));
        values[i] = value(simplex[i]);
      }
    }
  }
  order.sort((a, b) => values[a] - values[b]);
  return { x: simplex[order[0]], value: values[order[0]], iterations, converged };
}
