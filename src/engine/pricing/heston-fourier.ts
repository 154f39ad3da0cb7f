/**
 * European calls and puts under Heston (1993) by one Fourier integral (paper 002 §4.1 prices its floating
 * grid this way, with StochVolModels). Model, with X_T = ln(S_T / F_T) and forward F_T = S e^{(r - q) T}:
 *   dS = (r - q) S dt + sqrt(v) S dB,  dv = kappa (theta - v) dt + xi sqrt(v) dW,  d<B, W> = rho dt.
 *
 * Characteristic function phi(u) = E[e^{i u X_T}] = exp(C(u) + D(u) v0) in the "little Heston trap" form of
 * Albrecher, Mayer, Schoutens & Tistaert (2007), eqs. (2)-(3), which keeps the complex logarithm on its
 * principal branch for every u and T:
 *   beta = kappa - rho xi i u,  d = sqrt(beta^2 + xi^2 (u^2 + i u)),  g = (beta - d) / (beta + d),
 *   D = (beta - d) / xi^2 (1 - e^{-dT}) / (1 - g e^{-dT}),
 *   C = kappa theta / xi^2 [(beta - d) T - 2 ln((1 - g e^{-dT}) / (1 - g))].
 * Two rewritings remove the cancellations of small xi or short T: beta - d = -xi^2 (u^2 + i u) / (beta + d)
 * (so (beta - d) / xi^2 is formed without subtracting), and the logarithm is ln(1 + y) with
 * y = g (1 - e^{-dT}) / (1 - g) = O(xi^2), taken as y ln(1 + y) / y so that the division by xi^2 is exact;
 * 1 - e^{-dT} is a complex expm1. xi = 0 is then the deterministic-variance (Black-Scholes) limit.
 *
 * Price: with k = ln(K / F) and any damping alpha, on the contour u = v - i (alpha + 1) (Carr & Madan 1999;
 * Lewis 2000, whose contour is alpha = -1/2, where u^2 + i u = v^2 + 1/4 is real),
 *   call / (e^{-rT} F) = R(alpha) - (1/pi) int_0^inf Re[e^{-alpha k - i v k} phi(u) / (u^2 + i u)] dv,
 * R the residues crossed (1 for -1 < alpha < 0, 0 for alpha > 0). The Black-Scholes price of total variance
 * w = E int_0^T v dt = theta T + (v0 - theta)(1 - e^{-kappa T}) / kappa, phi_BS(u) = exp(-w (u^2 + i u) / 2), is
 * the control variate: the residues cancel, and for calls and puts alike
 *   price = BS(w) - e^{-rT} F / pi int_0^inf Re[e^{-alpha k - i v k} (phi - phi_BS)(u) / (u^2 + i u)] dv.
 * The Black-Scholes part (pricing/black-scholes.ts) carries the intrinsic value and most of the time value,
 * so an out-of-the-money price never comes from the difference of two large numbers.
 *
 * Contour: alpha = -1/2 near the money. Far from it (|k / w| > 3/4) Lewis's integrand oscillates at frequency
 * k over a width 1/sqrt(w) and cancels to a tiny price; there alpha moves to the Black-Scholes saddle point
 * k / w - 1/2, where the control variate's phase e^{-ivk} phi_BS cancels and the integrand has the size of the
 * price, but only as far as the Heston moment E[e^{(alpha + 1) X_T}] stays finite for twice the maturity (its
 * explosion time bounds alpha).
 *
 * Quadrature: the integrand is analytic but its scale spans four orders of magnitude over the supported
 * inputs (Gaussian width 1/sqrt(w), ~ 20 to 2000 from ten years to one day; an exponential tail
 * exp(-v sqrt(1 - rho^2)(v0 + kappa theta T) / xi) once v > 1/(xi T)). A fixed rule would need tuning per
 * regime, so the half line is mapped onto [0, 1) by v = c t / (1 - t), c = 1/sqrt(w), and integrated by
 * globally adaptive Gauss-Kronrod (QUADPACK's 10/21-point pair), splitting the interval of largest
 * |K21 - G10| until their sum is below max(1e-13, 1e-9 price) in units of the discounted forward, price
 * being that of the out-of-the-money option of the strike (calls and puts then share the integral). As
 * |K21 - G10| overstates the error of K21 for an analytic integrand, what is left is float64 rounding:
 * against Lewis's 15-digit values the error is ~1e-14 relative, and against a brute-force Gil-Pelaez
 * quadrature over maturities from one day to ten years, strikes 0.5 to 2 x spot, xi from 0.01 to 2, v0 from
 * 0.01 to 0.25 and rho from -0.9 to 0.5 it stays below 0.2 of the target max(1e-6 price, 1e-12 spot)
 * (tests/unit/heston-fourier.test.ts). Cost: 0.3 us per integrand evaluation; a price near the money takes
 * 5 to 6 intervals (~30-60 us). The slowest are deep wings of short maturities with xi ~ 2, whose slowly
 * decaying, oscillating tail needs up to ~150 intervals (~2 ms). Rounding below zero is returned as 0. The
 * work is capped at MAX_INTERVALS intervals (~170 ms for one price); a price still far from its tolerance
 * there, or not finite, is refused with a PricingError (pricing/pricing-error.ts) rather than returned. The
 * bookkeeping of a split costs O(m), not O(intervals m), so a table of m = 257 variances at the cap takes
 * seconds (then the integrand evaluations dominate) rather than tens of seconds.
 *
 * hestonPrices prices one option for many v0 at once: C(u) and D(u) do not depend on v0, so one adaptive
 * quadrature (refined until every price meets its tolerance) serves them all; the floating-grid price tables
 * (pricing/floating-grid-prices.ts) are built with it.
 */
import { bsPrice, type OptionKind } from './black-scholes';
import { finiteResult, PricingError } from './pricing-error';

export interface HestonPriceInput {
  spot: number;
  strike: number;
  /** Years. */
  maturity: number;
  /** Continuously compounded risk-free rate. */
  rate: number;
  /** Continuous dividend yield (default 0). */
  dividend?: number;
  v0: number;
  kappa: number;
  theta: number;
  xi: number;
  rho: number;
  kind: OptionKind;
}

/** The variance dynamics alone: what the characteristic function of ln(S_T / F_T) depends on. */
export type HestonModel = Pick<HestonPriceInput, 'v0' | 'kappa' | 'theta' | 'xi' | 'rho'>;

export interface Complex {
  re: number;
  im: number;
}

/** Writes C(u) and D(u) of phi(u) = exp(C + D v0) as [Re C, Im C, Re D, Im D] into out. */
function exponents(ur: number, ui: number, T: number, kappa: number, theta: number, xi: number, rho: number, out: Float64Array): void {
  const xi2 = xi * xi;
  // s = u^2 + i u; beta = kappa - rho xi i u.
  const sr = ur * ur - ui * ui - ui;
  const si = 2 * ur * ui + ur;
  const br = kappa + rho * xi * ui;
  const bi = -rho * xi * ur;
  // d = sqrt(beta^2 + xi^2 s), principal branch (Re d >= 0).
  const qr = br * br - bi * bi + xi2 * sr;
  const qi = 2 * br * bi + xi2 * si;
  const mod = Math.hypot(qr, qi);
  const dr = Math.sqrt(0.5 * (mod + qr));
  let di = Math.sqrt(0.5 * Math.max(mod - qr, 0));
  if (qi < 0) di = -di;
  // p = beta + d; h = (beta - d) / xi^2 = -s / p; g = xi^2 h / p.
  const pr = br + dr;
  const pi = bi + di;
  const pp = pr * pr + pi * pi;
  const hr = -(sr * pr + si * pi) / pp;
  const hi = -(si * pr - sr * pi) / pp;
  const gr = (xi2 * (hr * pr + hi * pi)) / pp;
  const gi = (xi2 * (hi * pr - hr * pi)) / pp;
  // E = e^{-dT}; oneMinusE = 1 - E = -expm1(-dT), accurate when |dT| is small.
  const xr = -dr * T;
  const xiT = -di * T;
  const ex = Math.exp(xr);
  const er = ex * Math.cos(xiT);
  const ei = ex * Math.sin(xiT);
  const halfSin = Math.sin(0.5 * xiT);
  const mr = -(Math.expm1(xr) * Math.cos(xiT) - 2 * halfSin * halfSin);
  const mi = -ei;
  // D = h (1 - E) / (1 - g E).
  const nr = 1 - (gr * er - gi * ei);
  const ni = -(gr * ei + gi * er);
  const nn = nr * nr + ni * ni;
  const hmr = hr * mr - hi * mi;
  const hmi = hr * mi + hi * mr;
  out[2] = (hmr * nr + hmi * ni) / nn;
  out[3] = (hmi * nr - hmr * ni) / nn;
  // y / xi^2 = h (1 - E) / (p (1 - g)); C = kappa theta [h T - 2 (y / xi^2) ln(1 + y) / y].
  const omr = 1 - gr;
  const omi = -gi;
  const zr = pr * omr - pi * omi;
  const zi = pr * omi + pi * omr;
  const zz = zr * zr + zi * zi;
  const yor = (hmr * zr + hmi * zi) / zz;
  const yoi = (hmi * zr - hmr * zi) / zz;
  const yr = xi2 * yor;
  const yi = xi2 * yoi;
  let lr: number;
  let li: number;
  if (yr * yr + yi * yi < 1e-8) {
    // ln(1 + y) / y = 1 - y/2 + y^2/3 - y^3/4, truncation below 1e-16.
    const y2r = yr * yr - yi * yi;
    const y2i = 2 * yr * yi;
    const y3r = y2r * yr - y2i * yi;
    const y3i = y2r * yi + y2i * yr;
    lr = 1 - yr / 2 + y2r / 3 - y3r / 4;
    li = -yi / 2 + y2i / 3 - y3i / 4;
  } else {
    const lnr = 0.5 * Math.log1p(2 * yr + yr * yr + yi * yi);
    const lni = Math.atan2(yi, 1 + yr);
    const yy = yr * yr + yi * yi;
    lr = (lnr * yr + lni * yi) / yy;
    li = (lni * yr - lnr * yi) / yy;
  }
  const kt = kappa * theta;
  out[0] = kt * (hr * T - 2 * (yor * lr - yoi * li));
  out[1] = kt * (hi * T - 2 * (yor * li + yoi * lr));
}

function checkModel(m: HestonModel, maturity: number): void {
  for (const field of ['v0', 'kappa', 'theta', 'xi', 'rho'] as const) {
    if (!Number.isFinite(m[field])) throw new RangeError(`Heston ${field} must be a finite number, got ${m[field]}`);
  }
  if (!(maturity > 0 && Number.isFinite(maturity))) throw new RangeError(`maturity must be positive and finite, got ${maturity}`);
  if (m.v0 < 0) throw new RangeError(`Heston v0 must be >= 0, got ${m.v0}`);
  if (!(m.kappa > 0)) throw new RangeError(`Heston kappa must be > 0, got ${m.kappa}`);
  if (!(m.theta > 0)) throw new RangeError(`Heston theta must be > 0, got ${m.theta}`);
  if (m.xi < 0) throw new RangeError(`Heston xi must be >= 0, got ${m.xi}`);
  if (Math.abs(m.rho) > 1) throw new RangeError(`Heston rho must lie in [-1, 1], got ${m.rho}`);
}

/** phi(u) = E[exp(i u ln(S_T / F_T))] for complex u (the "little Heston trap" form; see the header). */
export function hestonCharacteristicFunction(u: Complex, maturity: number, model: HestonModel): Complex {
  checkModel(model, maturity);
  const ce = new Float64Array(4);
  exponents(u.re, u.im, maturity, model.kappa, model.theta, model.xi, model.rho, ce);
  const mag = Math.exp(ce[0] + ce[2] * model.v0);
  const arg = ce[1] + ce[3] * model.v0;
  return { re: mag * Math.cos(arg), im: mag * Math.sin(arg) };
}

// Gauss-Kronrod 21-point nodes and weights on [-1, 1] (QUADPACK QK21); the 10-point Gauss rule uses the
// odd-indexed nodes.
const XK = [
  0.995657163025808080735527280689003, 0.973906528517171720077964012084452, 0.930157491355708226001207180059508,
  0.865063366688984510732096688423493, 0.780817726586416897063717578345042, 0.679409568299024406234327365114874,
  0.562757134668604683339000099272694, 0.433395394129247190799265943165784, 0.294392862701460198131126603103866,
  0.14887433898163121088482600112972, 0,
];
const WK = [
  0.011694638867371874278064396062192, 0.03255816230796472747881897245939, 0.05475589657435199603138130024458,
  0.07503967481091995276704314091619, 0.093125454583697605535065465083366, 0.109387158802297641899210590325805,
  0.123491976262065851077208745052592, 0.134709217311473325928054001771707, 0.142775938577060080797094273138717,
  0.147739104901338491374841515972068, 0.149445554002916905664936468389821,
];
const WG = [
  0.066671344308688137593568809893332, 0.149451349150580593145776339657697, 0.219086362515982043995534934228163,
  0.269266719309996355091226921569469, 0.295524224714752870173892994651338,
];

/**
 * The adaptive quadrature stops when, for every price, the sum over intervals of |K21 - G10| is below
 * max(ABSOLUTE_TOLERANCE, RELATIVE_TOLERANCE |price|), prices in units of the discounted forward.
 */
const ABSOLUTE_TOLERANCE = 1e-13;
const RELATIVE_TOLERANCE = 1e-9;
const INITIAL_INTERVALS = 4;
const MAX_INTERVALS = 2000;
/**
 * At MAX_INTERVALS an error estimate up to this many tolerances (~1e-5 of the price, below what a float32
 * premium table or a printed price to five digits shows) is still returned; past it the price is refused
 * with a PricingError. Found only far from Feller's condition with xi near its bound of 5 (e.g. kappa 0.01,
 * theta 1e-4 over ten years, where |K21 - G10| stayed up to 1e10 tolerances).
 */
const ACCEPTED_EXCESS = 1e4;

/** A vector integrand on [0, 1): f(t, out) writes the m components at t into out. */
type VectorIntegrand = (t: number, out: Float64Array) => void;

/** K21 of each component of f on [lo, hi] into value, |K21 - G10| into error. */
function kronrod(f: VectorIntegrand, lo: number, hi: number, value: Float64Array, error: Float64Array, scratch: Float64Array[]): void {
  const mid = 0.5 * (lo + hi);
  const half = 0.5 * (hi - lo);
  const m = value.length;
  const [left, right] = scratch;
  value.fill(0);
  error.fill(0); // holds the G10 sum until the end
  f(mid, left);
  for (let c = 0; c < m; c++) value[c] = WK[10] * left[c];
  for (let j = 0; j < 10; j++) {
    f(mid - half * XK[j], left);
    f(mid + half * XK[j], right);
    for (let c = 0; c < m; c++) {
      const pair = left[c] + right[c];
      value[c] += WK[j] * pair;
      if (j % 2 === 1) error[c] += WG[(j - 1) / 2] * pair;
    }
  }
  for (let c = 0; c < m; c++) {
    error[c] = Math.abs((value[c] - error[c]) * half);
    value[c] *= half;
  }
}

/**
 * int_0^1 f(t) dt for every component, by globally adaptive Gauss-Kronrod: all components share the
 * intervals, and the one whose error is largest relative to its component's tolerance
 * max(ABSOLUTE_TOLERANCE, RELATIVE_TOLERANCE |offset + integral|) is split until every component is within
 * tolerance (or MAX_INTERVALS intervals are in use). `excess` is the largest error estimate in tolerances.
 */
function integrateUnit(f: VectorIntegrand, offsets: Float64Array): { total: Float64Array; excess: number } {
  const m = offsets.length;
  const scratch = [new Float64Array(m), new Float64Array(m)];
  const los: number[] = [];
  const his: number[] = [];
  const values: Float64Array[] = [];
  const errors: Float64Array[] = [];
  const add = (lo: number, hi: number, slot: number) => {
    const value = new Float64Array(m);
    const error = new Float64Array(m);
    kronrod(f, lo, hi, value, error, scratch);
    los[slot] = lo;
    his[slot] = hi;
    values[slot] = value;
    errors[slot] = error;
  };
  for (let j = 0; j < INITIAL_INTERVALS; j++) add(j / INITIAL_INTERVALS, (j + 1) / INITIAL_INTERVALS, j);
  const total = new Float64Array(m);
  const errorSum = new Float64Array(m);
  const tolerance = new Float64Array(m);
  /** Per interval, its largest error in tolerances, as of its creation or the last refresh. */
  const ratio: number[] = [];
  const accumulate = (j: number, sign: 1 | -1) => {
    for (let c = 0; c < m; c++) {
      total[c] += sign * values[j][c];
      errorSum[c] += sign * errors[j][c];
    }
  };
  const rank = (j: number) => {
    let r = 0;
    for (let c = 0; c < m; c++) r = Math.max(r, errors[j][c] / tolerance[c]);
    ratio[j] = r;
  };
  const measure = () => {
    let excess = 0;
    for (let c = 0; c < m; c++) {
      tolerance[c] = Math.max(ABSOLUTE_TOLERANCE, RELATIVE_TOLERANCE * Math.abs(offsets[c] + total[c]));
      excess = Math.max(excess, errorSum[c] / tolerance[c]);
    }
    return excess;
  };
  // The sums are kept by adding each split's two halves and removing the interval they replace (O(m) a
  // split, not O(intervals m)); they are summed afresh, and every interval re-ranked against the current
  // tolerances, whenever the interval count doubles, and before the running sums' word that it has converged
  // is taken: their rounding drift cannot stop the refinement early, and stale ranks are renewed.
  let refreshAt = 0;
  for (;;) {
    let excess = measure();
    const refresh = values.length >= refreshAt || excess <= 1;
    if (refresh) {
      total.fill(0);
      errorSum.fill(0);
      for (let j = 0; j < values.length; j++) accumulate(j, 1);
      excess = measure();
    }
    if (excess <= 1 || values.length >= MAX_INTERVALS) return { total, excess };
    if (values.length >= refreshAt) {
      for (let j = 0; j < values.length; j++) rank(j);
      refreshAt = 2 * values.length;
    }
    let worst = 0;
    for (let j = 1; j < values.length; j++) if (ratio[j] > ratio[worst]) worst = j;
    const lo = los[worst];
    const hi = his[worst];
    const mid = 0.5 * (lo + hi);
    if (!(mid > lo && mid < hi)) return { total, excess }; // the interval cannot be split further in float64
    accumulate(worst, -1);
    add(lo, mid, worst);
    add(mid, hi, values.length);
    for (const j of [worst, values.length - 1]) {
      accumulate(j, 1);
      rank(j);
    }
  }
}

/**
 * Explosion time T*(omega) of the moment E[e^{omega X_T}] for omega outside [0, 1]: the time at which the
 * Riccati equation B' = omega (omega - 1) / 2 - beta B + xi^2 B^2 / 2, B(0) = 0, blows up, with
 * beta = kappa - rho xi omega and discriminant D = beta^2 - xi^2 omega (omega - 1) (cf. Andersen & Piterbarg,
 * "Moment explosions in stochastic volatility models", 2007): infinite if D >= 0 and beta > 0; (1 / sqrt D) ln((beta - sqrt D) / (beta + sqrt D)) if D >= 0 and
 * beta < 0; (2 / sqrt(-D)) (pi / 2 + arctan(beta / sqrt(-D))) if D < 0.
 */
function explosionTime(omega: number, kappa: number, xi: number, rho: number): number {
  const beta = kappa - rho * xi * omega;
  const disc = beta * beta - xi * xi * omega * (omega - 1);
  if (disc > 0) return beta > 0 ? Infinity : Math.log((beta - Math.sqrt(disc)) / (beta + Math.sqrt(disc))) / Math.sqrt(disc);
  if (disc === 0) return beta > 0 ? Infinity : 2 / -beta;
  const root = Math.sqrt(-disc);
  return (2 / root) * (0.5 * Math.PI + Math.atan(beta / root));
}

/**
 * The largest |omega - 1/2| along the ray from 1/2 through `sign` infinity (sign +1: omega > 1, -1: omega < 0)
 * whose moment E[e^{omega X_T}] stays finite for twice the maturity, by bisection on T*(omega) = 2 T (T* falls
 * monotonically away from [0, 1]); capped at 1e6.
 */
function momentReach(sign: 1 | -1, T: number, kappa: number, xi: number, rho: number): number {
  const finite = (r: number) => explosionTime(0.5 + sign * r, kappa, xi, rho) > 2 * T;
  let lo = 0.5;
  let hi = 1;
  while (finite(hi)) {
    lo = hi;
    hi *= 2;
    if (hi > 1e6) return 1e6;
  }
  for (let j = 0; j < 60 && hi - lo > 1e-3 * lo; j++) {
    const mid = 0.5 * (lo + hi);
    if (finite(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * The damping alpha of the contour Im u = -(alpha + 1): the Black-Scholes saddle point k / w - 1/2, where the
 * control variate's integrand stops oscillating and its size is that of the price, kept inside the strip of
 * finite Heston moments; Lewis's alpha = -1/2 when the saddle is near it (near the money), so that alpha stays
 * clear of the poles 0 and -1.
 */
function contourDamping(k: number, w: number, T: number, kappa: number, xi: number, rho: number): number {
  const saddle = k / w - 0.5;
  if (Math.abs(saddle + 0.5) <= 0.75) return -0.5;
  const sign = saddle > 0 ? 1 : -1;
  const reach = Math.min(Math.abs(saddle + 0.5), momentReach(sign, T, kappa, xi, rho));
  return reach > 0.75 ? -0.5 + sign * reach : -0.5;
}

/** Price of a European call or put under Heston; see the header for the method and its accuracy. */
export function hestonPrice(i: HestonPriceInput): number {
  return hestonPrices(i, [i.v0])[0];
}

/**
 * Prices of one option for several initial variances v0, all else equal: C(u) and D(u) do not depend on v0,
 * so one quadrature (refined until every price meets the tolerance) serves them all, at a fraction of the
 * cost of separate calls. Each element is what hestonPrice gives for that v0, to the same accuracy.
 */
export function hestonPrices(i: Omit<HestonPriceInput, 'v0'>, v0s: ArrayLike<number>): Float64Array {
  const { spot, strike, maturity: T, rate: r, kappa, theta, xi, rho, kind } = i;
  const q = i.dividend ?? 0;
  const m = v0s.length;
  for (let c = 0; c < m; c++) checkModel({ v0: v0s[c], kappa, theta, xi, rho }, T);
  for (const field of ['spot', 'strike', 'rate'] as const) {
    if (!Number.isFinite(i[field])) throw new RangeError(`${field} must be a finite number, got ${i[field]}`);
  }
  if (!Number.isFinite(q)) throw new RangeError(`dividend must be a finite number, got ${q}`);
  if (!(spot > 0)) throw new RangeError(`spot must be positive, got ${spot}`);
  if (!(strike > 0)) throw new RangeError(`strike must be positive, got ${strike}`);
  if (m === 0) return new Float64Array(0);

  const forward = spot * Math.exp((r - q) * T);
  const unit = Math.exp(-r * T) * forward;
  const k = Math.log(strike / forward);
  const reversion = -Math.expm1(-kappa * T) / kappa;
  const w = new Float64Array(m);
  const control = new Float64Array(m);
  // The quadrature's relative tolerance refers to the out-of-the-money price, so that a call and a put of the
  // same strike get the same integral and keep put-call parity to rounding.
  const outOfTheMoney = new Float64Array(m);
  const otmKind = strike >= forward ? 'call' : 'put';
  for (let c = 0; c < m; c++) {
    w[c] = theta * (T - reversion) + v0s[c] * reversion;
    const bs = { spot: spot * Math.exp(-q * T), strike, maturity: T, rate: r, sigma: Math.sqrt(w[c] / T) };
    control[c] = bsPrice({ ...bs, kind }) / unit;
    outOfTheMoney[c] = kind === otmKind ? control[c] : bsPrice({ ...bs, kind: otmKind }) / unit;
  }
  let wMin = Infinity;
  let wMax = 0;
  for (const x of w) {
    wMin = Math.min(wMin, x);
    wMax = Math.max(wMax, x);
  }
  // The widest price's saddle lies between -1/2 and every other price's saddle, so no price's integrand is
  // larger on this contour than on Lewis's.
  const alpha = contourDamping(k, wMax, T, kappa, xi, rho);
  const omega = alpha + 1;
  const scale = 1 / Math.sqrt(wMin);
  const ce = new Float64Array(4);
  // (1/pi) times the integrand of -int_0^inf Re[e^{-alpha k - i v k} (phi - phi_BS)(u) / (u^2 + i u)] dv,
  // u = v - i omega, in t = v / (scale + v).
  const integrand: VectorIntegrand = (t, out) => {
    const v = (scale * t) / (1 - t);
    const jacobian = scale / ((1 - t) * (1 - t)) / Math.PI;
    const sr = v * v - omega * alpha;
    const si = v * (1 - 2 * omega);
    const norm = -jacobian / (sr * sr + si * si);
    exponents(v, -omega, T, kappa, theta, xi, rho, ce);
    const shift = -alpha * k;
    if (si === 0) {
      // Lewis's contour (alpha = -1/2): u^2 + i u is real and phi_BS(u) too.
      const cosine = Math.cos(v * k);
      for (let c = 0; c < m; c++) {
        const heston = Math.exp(ce[0] + ce[2] * v0s[c] + shift) * Math.cos(ce[1] + ce[3] * v0s[c] - v * k);
        out[c] = (heston - Math.exp(shift - 0.5 * w[c] * sr) * cosine) * sr * norm;
      }
      return;
    }
    for (let c = 0; c < m; c++) {
      const hestonMag = Math.exp(ce[0] + ce[2] * v0s[c] + shift);
      const hestonArg = ce[1] + ce[3] * v0s[c] - v * k;
      const bsMag = Math.exp(shift - 0.5 * w[c] * sr);
      const bsArg = -0.5 * w[c] * si - v * k;
      const zr = hestonMag * Math.cos(hestonArg) - bsMag * Math.cos(bsArg);
      const zi = hestonMag * Math.sin(hestonArg) - bsMag * Math.sin(bsArg);
      out[c] = (zr * sr + zi * si) * norm;
    }
  };
  const { total: gap, excess } = integrateUnit(integrand, outOfTheMoney);
  const at = `at kappa ${kappa}, theta ${theta}, xi ${xi}, rho ${rho}, maturity ${T}, strike ${strike}`;
  if (!(excess <= ACCEPTED_EXCESS)) {
    throw new PricingError(
      `heston: the Fourier integral misses its tolerance by ${excess.toPrecision(2)} times after ${MAX_INTERVALS} intervals ${at}: ` +
        'the variance is far from Feller\'s condition 2 kappa theta >= xi^2; raise kappa or theta, or lower xi or the maturity',
    );
  }
  const prices = new Float64Array(m);
  for (let c = 0; c < m; c++) prices[c] = finiteResult(Math.max(unit * (control[c] + gap[c]), 0), 'heston: the price', at);
  return prices;
}
