/**
 * The CLI's `price` requests: Black-Scholes price and greeks, the implied volatility of a price, the Heston
 * price by Fourier inversion and Merton's jump-diffusion price (src/engine/pricing). Validated with zod so a
 * bad request names its field.
 */
import { z } from 'zod';
import { bsGreeks } from '../engine/pricing/black-scholes';
import { hestonPrice } from '../engine/pricing/heston-fourier';
import { impliedVol } from '../engine/pricing/implied-vol';
import { mertonPrice } from '../engine/pricing/merton';

const common = {
  s0: z.number().finite().positive(),
  strike: z.number().finite().positive(),
  maturity: z.number().finite().min(0).max(100),
  rate: z.number().finite().min(-1).max(1),
  kind: z.enum(['call', 'put']),
};

const requestSchema = z.discriminatedUnion('model', [
  z.strictObject({ model: z.literal('bs'), sigma: z.number().finite().positive().max(10), ...common }),
  z.strictObject({ model: z.literal('bs-implied-vol'), price: z.number().finite(), ...common }),
  z.strictObject({
    model: z.literal('heston'),
    v0: z.number().finite().min(0).max(10),
    kappa: z.number().finite().positive().max(100),
    theta: z.number().finite().min(0).max(10),
    xi: z.number().finite().positive().max(10),
    rho: z.number().finite().min(-1).max(1),
    ...common,
  }),
  z.strictObject({
    model: z.literal('merton'),
    sigma: z.number().finite().positive().max(10),
    lambda: z.number().finite().min(0).max(100),
    jumpMean: z.number().finite().min(-5).max(5),
    jumpStd: z.number().finite().min(0).max(5),
    ...common,
  }),
]);

export type PriceAnswer =
  | { ok: true; value: { price: number; delta: number; gamma: number; vega: number; theta: number } | { sigma: number } | { price: number } }
  | { ok: false; error: string };

export function priceRequest(input: unknown): PriceAnswer {
  const r = requestSchema.safeParse(input);
  if (!r.success) {
    return { ok: false, error: r.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ') };
  }
  const q = r.data;
  const base = { spot: q.s0, strike: q.strike, maturity: q.maturity, rate: q.rate, kind: q.kind };
  if (q.model === 'bs') return { ok: true, value: bsGreeks({ ...base, sigma: q.sigma }) };
  if (q.model === 'heston') return { ok: true, value: { price: hestonPrice({ ...base, v0: q.v0, kappa: q.kappa, theta: q.theta, xi: q.xi, rho: q.rho }) } };
  if (q.model === 'merton') {
    return { ok: true, value: { price: mertonPrice({ ...base, volatility: q.sigma, jumpIntensity: q.lambda, jumpMean: q.jumpMean, jumpStd: q.jumpStd }) } };
  }
  const iv = impliedVol({ ...base, price: q.price });
  return iv.ok ? { ok: true, value: { sigma: iv.sigma } } : { ok: false, error: `price: ${iv.error}` };
}
