/**
 * The CLI's `price` requests: Black-Scholes price and greeks, the implied volatility of a price, the Heston
 * price by Fourier inversion and Merton's jump-diffusion price (src/engine/pricing). Validated with zod so a
 * bad request names its field. Every model parameter takes its bounds from the experiment schema's market of
 * the same model (src/engine/experiment/schema.ts), and the maturity those of its horizon, so `price` accepts
 * exactly the markets an experiment can ask for; a pricer that cannot give a finite answer there throws a
 * PricingError (src/engine/pricing/pricing-error.ts), returned as the request's error, and no number of the
 * answer is ever NaN or infinite (JSON would print it as null).
 */
import { z } from 'zod';
import { marketSchema } from '../engine/experiment/schema';
import { bsGreeks } from '../engine/pricing/black-scholes';
import { hestonPrice } from '../engine/pricing/heston-fourier';
import { impliedVol } from '../engine/pricing/implied-vol';
import { mertonPrice } from '../engine/pricing/merton';
import { finiteResult, PricingError } from '../engine/pricing/pricing-error';

/** The experiment schema's gbm, heston and merton markets, whose field bounds a price request shares. */
const [gbmMarket, hestonMarket, mertonMarket] = marketSchema.options;
// Fails to compile if the schema's markets are ever reordered.
[gbmMarket.shape.model.value, hestonMarket.shape.model.value, mertonMarket.shape.model.value] satisfies ['gbm', 'heston', 'merton'];
const gbm = gbmMarket.shape;
const heston = hestonMarket.shape;
const merton = mertonMarket.shape;

/** An experiment's horizon, maturityDays 1 to 3650 at 365 to 250 days a year, in years. */
const MATURITY_MIN = 1 / 365;
const MATURITY_MAX = 3650 / 250;
const maturityRange = `must be from one day (1/365 year) to ${MATURITY_MAX} years, the horizons an experiment allows`;

const common = {
  s0: gbm.s0,
  strike: gbm.s0,
  maturity: z.number().finite().min(MATURITY_MIN, maturityRange).max(MATURITY_MAX, maturityRange),
  rate: z.number().finite().min(-1).max(1),
  kind: z.enum(['call', 'put']),
};

const requestSchema = z.discriminatedUnion('model', [
  z.strictObject({ model: z.literal('bs'), sigma: gbm.volatility, ...common }),
  z.strictObject({ model: z.literal('bs-implied-vol'), price: z.number().finite(), ...common }),
  z.strictObject({ model: z.literal('heston'), v0: heston.v0, kappa: heston.kappa, theta: heston.theta, xi: heston.xi, rho: heston.rho, ...common }),
  z.strictObject({ model: z.literal('merton'), sigma: merton.volatility, lambda: merton.jumpIntensity, jumpMean: merton.jumpMean, jumpStd: merton.jumpStd, ...common }),
]);

type PriceValue = { price: number; delta: number; gamma: number; vega: number; theta: number } | { sigma: number } | { price: number };

export type PriceAnswer = { ok: true; value: PriceValue } | { ok: false; error: string };

function answer(q: z.infer<typeof requestSchema>): PriceValue {
  const base = { spot: q.s0, strike: q.strike, maturity: q.maturity, rate: q.rate, kind: q.kind };
  if (q.model === 'bs') return bsGreeks({ ...base, sigma: q.sigma });
  if (q.model === 'heston') return { price: hestonPrice({ ...base, v0: q.v0, kappa: q.kappa, theta: q.theta, xi: q.xi, rho: q.rho }) };
  if (q.model === 'merton') {
    return { price: mertonPrice({ ...base, volatility: q.sigma, jumpIntensity: q.lambda, jumpMean: q.jumpMean, jumpStd: q.jumpStd }) };
  }
  const iv = impliedVol({ ...base, price: q.price });
  if (!iv.ok) throw new PricingError(`price: ${iv.error}`);
  return { sigma: iv.sigma };
}

export function priceRequest(input: unknown): PriceAnswer {
  const r = requestSchema.safeParse(input);
  if (!r.success) {
    return { ok: false, error: r.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ') };
  }
  try {
    const value = answer(r.data);
    for (const [key, x] of Object.entries(value)) finiteResult(x, `${r.data.model}: the ${key}`, 'these inputs have no finite answer in float64');
    return { ok: true, value };
  } catch (e) {
    if (e instanceof PricingError) return { ok: false, error: e.message };
    throw e;
  }
}
