/**
 * Premiums of the vanilla options on the floating grid (paper 002 §2.1 (b), footnote 9) under Heston with
 * zero rate (paper 002 §4.1). Option i has a fixed maturity tau_i (in steps of dt years) and a fixed moneyness
 * m_i = K_t^i / x_t; it is a call if m_i > 1 and a put if m_i <= 1 (paper: k_i = ln m_i > 0 call, k_i <= 0
 * put, so only out-of- or at-the-money options trade). Heston prices are homogeneous of degree one in
 * (spot, strike), so the premium per unit spot is a function of v_t alone:
 *   c_i(v) = hestonPrice({ spot: 1, strike: m_i, maturity: tau_i dt, rate: 0, v0: v, ... }).
 *
 * Each c_i is tabulated once per experiment on nodes uniform in x = sqrt(sqrt(v) / volMax) in [0, 1], i.e.
 * sqrt(v) = volMax x^2: c_i depends on v = volMax^2 x^4 smoothly and is even in x, and this grid is eight times
 * finer than a uniform one in sqrt(v) where short-dated prices bend sharply (small v, where the price of a
 * 10-day option changes on a scale of sqrt(v) ~ 0.01 - 0.1) and a little coarser at large v, where they are
 * nearly linear. Between nodes c_i is interpolated by cubic Hermite polynomials whose slopes are fourth-order
 * central differences of the node values (with the even reflection c_i(-x) = c_i(x) at x = 0, one-sided
 * fourth-order differences at the last two nodes): error O(h^4), about h^4 max |d^4 c / dx^4| / 384. All nodes
 * and the midpoints between them are priced by one shared Fourier quadrature per option (hestonPrices,
 * pricing/heston-fourier.ts); `interpolationError` is the largest |interpolated - exact| over every option's
 * midpoints, where the error of cubic Hermite interpolation peaks (at random points the error stays within a
 * few per cent of it). Defaults: volMax = sqrt(theta + 20 xi^2 / kappa) clamped to [1, 3] (for paper 002's
 * model 1.6: the stationary law of v is exponential with mean 0.0625, and P(v > 2.56) = e^{-41}), 129 nodes.
 * For paper 002's model and the 19 options of footnote 9 the interpolation error is 5e-10 per unit spot
 * (below float32's resolution of the premiums) and the table builds in 50-100 ms (first build, cold JIT);
 * for the same options under other models it was 7e-10 (kappa 2, theta 0.04, xi 0.3), 3e-9 (kappa 0.5,
 * theta 0.01, xi 0.1) and 5e-8 (kappa 1, theta 0.2, xi 2, whose default volMax is 3): pass more points for
 * a finer table, the error falls like points^-4.
 *
 * Variances beyond volMax^2 (rare by the choice of volMax) are priced exactly by hestonPrice, so the table is
 * never extrapolated; a negative or NaN variance is an error.
 */
import { hestonPrice, hestonPrices, type HestonPriceInput } from './heston-fourier';

export interface FloatingOption {
  /** Time to maturity in steps of dt. */
  maturitySteps: number;
  /** K / x_t. */
  moneyness: number;
}

/** Call for moneyness above 1, put at or below (paper 002 §2.1: k > 0 call, k <= 0 put). */
export function optionKind(o: FloatingOption): 'call' | 'put' {
  return o.moneyness > 1 ? 'call' : 'put';
}

export interface HestonVarianceModel {
  kappa: number;
  theta: number;
  xi: number;
  rho: number;
}

const DEFAULT_POINTS = 129;

export class FloatingGridPriceTable {
  /** Largest |interpolated - exact| price per unit spot found midway between nodes, over all options. */
  readonly interpolationError: number;
  /** The grid covers sqrt(v) in [0, volMax] ... */
  readonly volMax: number;
  /** ... with this many nodes, equally spaced in sqrt(sqrt(v) / volMax). */
  readonly points: number;
  private readonly step: number;
  private readonly inputs: Omit<HestonPriceInput, 'v0'>[];
  private readonly values: Float64Array[];
  /** Slopes times the node spacing. */
  private readonly slopes: Float64Array[];
  /** Hermite basis [segment, h00, h10, h01, h11] of the last variance looked up. */
  private readonly basis = new Float64Array(5);

  constructor(model: HestonVarianceModel, dt: number, options: FloatingOption[], grid: { volMax?: number; points?: number } = {}) {
    if (!(dt > 0 && Number.isFinite(dt))) throw new RangeError(`dt must be positive and finite, got ${dt}`);
    options.forEach((o, i) => {
      if (!Number.isInteger(o.maturitySteps) || o.maturitySteps < 1) throw new RangeError(`options[${i}].maturitySteps must be a positive integer, got ${o.maturitySteps}`);
      if (!(o.moneyness > 0 && Number.isFinite(o.moneyness))) throw new RangeError(`options[${i}].moneyness must be positive and finite, got ${o.moneyness}`);
    });
    const { kappa, theta, xi, rho } = model;
    this.volMax = grid.volMax ?? Math.min(3, Math.max(1, Math.sqrt(theta + (20 * xi * xi) / kappa)));
    if (!(this.volMax > 0 && Number.isFinite(this.volMax))) throw new RangeError(`grid.volMax must be positive and finite, got ${this.volMax}`);
    this.points = grid.points ?? DEFAULT_POINTS;
    if (!Number.isInteger(this.points) || this.points < 5) throw new RangeError(`grid.points must be an integer >= 5, got ${this.points}`);
    const segments = this.points - 1;
    this.step = 1 / segments;
    this.inputs = options.map((o) => ({ spot: 1, strike: o.moneyness, maturity: o.maturitySteps * dt, rate: 0, kappa, theta, xi, rho, kind: optionKind(o) }));

    // Nodes j h (j = 0 .. segments), then midpoints (j + 1/2) h, priced together.
    const variances = new Float64Array(2 * segments + 1);
    const variance = (x: number) => (this.volMax * x * x) ** 2;
    for (let j = 0; j <= segments; j++) variances[j] = variance(j / segments);
    for (let j = 0; j < segments; j++) variances[segments + 1 + j] = variance((j + 0.5) / segments);
    this.values = [];
    this.slopes = [];
    let worst = 0;
    for (const input of this.inputs) {
      const exact = hestonPrices(input, variances);
      const y = exact.slice(0, segments + 1);
      this.values.push(y);
      this.slopes.push(hermiteSlopes(y));
      const i = this.values.length - 1;
      for (let j = 0; j < segments; j++) {
        this.lookUp((j + 0.5) / segments);
        worst = Math.max(worst, Math.abs(this.interpolate(i) - exact[segments + 1 + j]));
      }
    }
    this.interpolationError = worst;
  }

  /** Price per unit spot of option `option` when the variance is v. */
  price(option: number, v: number): number {
    if (!(option >= 0 && option < this.inputs.length && Number.isInteger(option))) throw new RangeError(`no option ${option} (the table has ${this.inputs.length})`);
    if (!(v >= 0)) throw new RangeError(`variance must be >= 0, got ${v}`);
    const s = Math.sqrt(v);
    if (s > this.volMax) return hestonPrice({ ...this.inputs[option], v0: v });
    this.lookUp(Math.sqrt(s / this.volMax));
    return this.interpolate(option);
  }

  /**
   * Premiums per unit spot of every option at each rebalancing date t = 0 .. steps - 1: out[i] is [n, steps]
   * row-major, from variance [n, steps + 1] (column steps, the terminal date, is not used).
   */
  premiums(variance: Float32Array, n: number, steps: number): Float32Array[] {
    const cols = steps + 1;
    if (variance.length !== n * cols) throw new RangeError(`variance has ${variance.length} entries, expected n x (steps + 1) = ${n * cols}`);
    const out = this.inputs.map(() => new Float32Array(n * steps));
    for (let p = 0; p < n; p++) {
      for (let t = 0; t < steps; t++) {
        const v = variance[p * cols + t];
        const at = p * steps + t;
        if (!(v >= 0)) throw new RangeError(`variance must be >= 0, got ${v} on path ${p} at date ${t}`);
        const s = Math.sqrt(v);
        if (s > this.volMax) {
          for (let i = 0; i < out.length; i++) out[i][at] = hestonPrice({ ...this.inputs[i], v0: v });
          continue;
        }
        this.lookUp(Math.sqrt(s / this.volMax));
        for (let i = 0; i < out.length; i++) out[i][at] = this.interpolate(i);
      }
    }
    return out;
  }

  /** Segment and Hermite basis of the grid coordinate x in [0, 1] into this.basis. */
  private lookUp(coordinate: number): void {
    const x = coordinate / this.step;
    const j = Math.min(Math.floor(x), this.points - 2);
    const t = x - j;
    const t2 = t * t;
    const t3 = t2 * t;
    const b = this.basis;
    b[0] = j;
    b[1] = 2 * t3 - 3 * t2 + 1;
    b[2] = t3 - 2 * t2 + t;
    b[3] = 3 * t2 - 2 * t3;
    b[4] = t3 - t2;
  }

  /** Option i's cubic Hermite interpolant on the segment and at the point of the last lookUp. */
  private interpolate(i: number): number {
    const b = this.basis;
    const j = b[0];
    const y = this.values[i];
    const d = this.slopes[i];
    return b[1] * y[j] + b[2] * d[j] + b[3] * y[j + 1] + b[4] * d[j + 1];
  }
}

/**
 * Slopes times the node spacing at every node, by fourth-order differences: central ones in the interior and
 * at s = 0 (where y(-s) = y(s)), one-sided ones at the last two nodes. Needs at least five nodes.
 */
function hermiteSlopes(y: Float64Array): Float64Array {
  const n = y.length - 1;
  const d = new Float64Array(n + 1);
  const at = (j: number) => y[Math.abs(j)];
  for (let j = 0; j <= n - 2; j++) d[j] = (at(j - 2) - 8 * at(j - 1) + 8 * y[j + 1] - y[j + 2]) / 12;
  d[n - 1] = (-y[n - 4] + 6 * y[n - 3] - 18 * y[n - 2] + 10 * y[n - 1] + 3 * y[n]) / 12;
  d[n] = (3 * y[n - 4] - 16 * y[n - 3] + 36 * y[n - 2] - 48 * y[n - 1] + 25 * y[n]) / 12;
  return d;
}
