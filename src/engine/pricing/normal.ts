/**
 * The standard normal distribution in float64: density, distribution function and quantile.
 *
 * normCdf follows W. J. Cody, "Rational Chebyshev approximations for the error function" (Math. Comp. 23,
 * 1969), in the form of his ANORM routine (SPECFUN, also R's pnorm): three rational approximations on
 * |x| <= 0.66291, <= sqrt(32) and beyond, each tail evaluated directly so that Phi(-37) keeps full relative
 * precision (about 1e-15) instead of cancelling in 1 - Phi(37). The Gaussian factor exp(-x^2/2) is split as
 * exp(-a^2/2) exp(-(x-a)(x+a)/2) with a = x rounded to sixteenths, so the squaring adds no rounding error.
 *
 * normInv is P. J. Acklam's rational approximation (relative error 1.15e-9) refined by one Halley step on
 * Phi(x) - p, which brings it to float64 precision; the upper half uses the exact reflection
 * Phi^{-1}(p) = -Phi^{-1}(1 - p) (1 - p is exact for p >= 0.5), so both tails keep full relative accuracy.
 * These back the Black-Scholes formulas of paper 001 §5.1 (pricing/black-scholes.ts).
 */

const INV_SQRT_2PI = 0.3989422804014327; // 1 / sqrt(2 pi)

/** exp(-x^2 / 2) without the rounding error of squaring x (x is split at 1/16ths, whose square is exact). */
function gaussianFactor(x: number): number {
  const a = Math.trunc(x * 16) / 16;
  return Math.exp(-0.5 * a * a) * Math.exp(-0.5 * (x - a) * (x + a));
}

/** phi(x) = exp(-x^2 / 2) / sqrt(2 pi). */
export function normPdf(x: number): number {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? NaN : 0;
  return INV_SQRT_2PI * gaussianFactor(x);
}

// Cody's coefficients (ANORM): |x| <= 0.66291.
const A = [2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249, 0.065682337918207449113];
const B = [47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956];
// 0.66291 < |x| <= sqrt(32).
const C = [
  0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226, 2494.5375852903726711,
  6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218, 1.0765576773720192317e-8,
];
const D = [
  22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755, 18615.571640885098091,
  34900.952721145977266, 38912.003286093271411, 19685.429676859990727,
];
// |x| > sqrt(32).
const P = [0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466, 2.9112874951168792e-5, 0.02307344176494017303];
const Q = [1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244, 7.29751555083966205e-5];

/** Beyond this |x| the tail Phi(-|x|) is below the smallest float64. */
const TAIL_UNDERFLOW = 38.5;

/** Upper tail 1 - Phi(y) for y >= 0.66291, by Cody's rational approximations. */
function upperTail(y: number): number {
  if (y > TAIL_UNDERFLOW) return 0;
  let ratio: number;
  if (y <= Math.sqrt(32)) {
    let num = C[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]) * y;
      den = (den + D[i]) * y;
    }
    ratio = (num + C[7]) / (den + D[7]);
  } else {
    const z = 1 / (y * y);
    let num = P[5] * z;
    let den = z;
    for (let i = 0; i < 4; i++) {
      num = (num + P[i]) * z;
      den = (den + Q[i]) * z;
    }
    ratio = (INV_SQRT_2PI - (z * (num + P[4])) / (den + Q[4])) / y;
  }
  return gaussianFactor(y) * ratio;
}

/** Phi(x) = P(Z <= x) for a standard normal Z, relative accuracy about 1e-15 in both tails. */
export function normCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const y = Math.abs(x);
  if (y <= 0.66291) {
    const z = x * x;
    let num = A[4] * z;
    let den = z;
    for (let i = 0; i < 3; i++) {
      num = (num + A[i]) * z;
      den = (den + B[i]) * z;
    }
    return 0.5 + (x * (num + A[3])) / (den + B[3]);
  }
  const tail = upperTail(y);
  return x > 0 ? 1 - tail : tail;
}

// Acklam's coefficients.
const AA = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const AB = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const AC = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const AD = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/** Acklam's approximation of Phi^{-1}(p) for 0 < p <= 0.5. */
function acklamLowerHalf(p: number): number {
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((AC[0] * q + AC[1]) * q + AC[2]) * q + AC[3]) * q + AC[4]) * q + AC[5]) /
      ((((AD[0] * q + AD[1]) * q + AD[2]) * q + AD[3]) * q + 1)
    );
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((AA[0] * r + AA[1]) * r + AA[2]) * r + AA[3]) * r + AA[4]) * r + AA[5]) * q) /
    (((((AB[0] * r + AB[1]) * r + AB[2]) * r + AB[3]) * r + AB[4]) * r + 1)
  );
}

/** Phi^{-1}(p): -Infinity at 0, +Infinity at 1, NaN outside [0, 1]. */
export function normInv(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p > 0.5) return -normInv(1 - p);
  const x = acklamLowerHalf(p);
  // One Halley step on f(x) = Phi(x) - p: f' = phi(x), f''/f' = -x.
  const density = normPdf(x);
  if (!(density > 0)) return x; // p below ~1e-308: phi(x) underflows and x is already as good as it gets
  const u = (normCdf(x) - p) / density;
  return x - u / (1 + 0.5 * x * u);
}
