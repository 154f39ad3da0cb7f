/**
 * Black-Scholes implied volatility: the sigma at which bsPrice (pricing/black-scholes.ts) matches a quoted
 * price. Paper 000 hedges with the implied delta (its eq. 26) computed from such a sigma.
 *
 * A price has an implied volatility iff it lies strictly inside the no-arbitrage bounds
 *   call: max(S - K e^{-rT}, 0) < C < S,   put: max(K e^{-rT} - S, 0) < P < K e^{-rT},
 * the limits of the price as sigma -> 0 and sigma -> infinity. The solver removes the intrinsic value
 * max(+-(S - K e^{-rT}), 0) and matches what is left, the time value, to the price of the out-of-the-money
 * option of the same strike (by put-call parity C - (S - K e^{-rT}) = P), which bsPrice computes without
 * cancellation: deep in-the-money quotes thereby keep their accuracy.
 *
 * The time value is increasing in sigma, so a bracket [lo, hi] with otm(lo) < timeValue < otm(hi) is kept
 * around the root. Newton steps are taken on ln otm(sigma) - ln timeValue (derivative vega / otm), which stays
 * fast for far out-of-the-money quotes whose price decays like exp(-ln(S/K)^2 / (2 sigma^2 T)); they start at
 * the Manaster-Koehler point sigma = sqrt(2 |ln(S / (K e^{-rT}))| / T), where vega is largest. A step that
 * leaves the bracket or does not halve the residual is replaced by bisection, geometric once the bracket has
 * a positive lower end; until a price above the quote is seen the upper end is open and grows at least
 * twofold. It stops when |otm - timeValue| <= 1e-12 (relative below a price of 1) or when the bracket has
 * shrunk to a few ulps (the price is then as close as float64 allows).
 */
import { bsGreeks, type OptionKind } from './black-scholes';

export interface ImpliedVolInput {
  price: number;
  spot: number;
  strike: number;
  /** Time to maturity in years, > 0. */
  maturity: number;
  rate: number;
  kind: OptionKind;
}

export type ImpliedVolResult = { ok: true; sigma: number } | { ok: false; error: string };

const MAX_ITERATIONS = 500;

export function impliedVol(input: ImpliedVolInput): ImpliedVolResult {
  const { price, spot, strike, maturity, rate, kind } = input;
  for (const field of ['price', 'spot', 'strike', 'maturity', 'rate'] as const) {
    if (!Number.isFinite(input[field])) return { ok: false, error: `${field} must be a finite number, got ${input[field]}` };
  }
  if (!(spot > 0)) return { ok: false, error: `spot must be positive, got ${spot}` };
  if (!(strike > 0)) return { ok: false, error: `strike must be positive, got ${strike}` };
  if (!(maturity > 0)) return { ok: false, error: `maturity must be positive, got ${maturity}` };

  const discountedStrike = strike * Math.exp(-rate * maturity);
  const intrinsic = kind === 'call' ? Math.max(spot - discountedStrike, 0) : Math.max(discountedStrike - spot, 0);
  const upper = kind === 'call' ? spot : discountedStrike;
  if (!(price > intrinsic)) {
    const bound = kind === 'call' ? 'max(S - K e^{-rT}, 0)' : 'max(K e^{-rT} - S, 0)';
    return { ok: false, error: `${kind} price ${price} is not above the no-arbitrage lower bound ${bound} = ${intrinsic}` };
  }
  if (!(price < upper)) {
    const bound = kind === 'call' ? 'S' : 'K e^{-rT}';
    return { ok: false, error: `${kind} price ${price} is not below the no-arbitrage upper bound ${bound} = ${upper}` };
  }

  const timeValue = price - intrinsic;
  const logTimeValue = Math.log(timeValue);
  const otmKind: OptionKind = spot < discountedStrike ? 'call' : 'put';
  const tolerance = 1e-12 * Math.min(1, timeValue);

  let lo = 0;
  let hi = Infinity;
  let sigma = Math.sqrt((2 * Math.abs(Math.log(spot / discountedStrike))) / maturity);
  if (!(sigma > 0)) sigma = (Math.sqrt((2 * Math.PI) / maturity) * timeValue) / spot; // Brenner-Subrahmanyam, at the money
  let previousResidual = Infinity;
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    const { price: otm, vega } = bsGreeks({ spot, strike, maturity, rate, sigma, kind: otmKind });
    const f = otm - timeValue;
    if (Math.abs(f) <= tolerance) return { ok: true, sigma };
    if (f < 0) lo = sigma;
    else hi = sigma;
    if (hi < Infinity && hi - lo <= 4 * Number.EPSILON * hi) return { ok: true, sigma };

    // Newton on ln(otm) - ln(timeValue), d/dsigma = vega / otm; NaN where otm underflows to 0.
    const residual = Math.log(otm) - logTimeValue;
    const newton = sigma - (residual * otm) / vega;
    const newtonUsable = newton > lo && newton < hi && Math.abs(residual) <= 0.5 * previousResidual;
    previousResidual = Math.abs(residual);
    if (newtonUsable) sigma = newton;
    else if (hi === Infinity) sigma = Number.isFinite(newton) && newton > 2 * sigma ? newton : 2 * sigma;
    else if (lo > 0) sigma = Math.sqrt(lo * hi);
    else sigma = hi / 16;
  }
  return { ok: false, error: `implied volatility did not converge in ${MAX_ITERATIONS} iterations (price ${price})` };
}
