/**
 * The CLI's `price` requests: Black-Scholes price and greeks, or the implied volatility of a price
 * (src/engine/pricing). Validated with zod so a bad request names its field.
 */
import { z } from 'zod';
import { bsGreeks } from '../engine/pricing/black-scholes';
import { impliedVol } from '../engine/pricing/implied-vol';

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
]);

export type PriceAnswer =
  | { ok: true; value: { price: number; delta: number; gamma: number; vega: number; theta: number } | { sigma: number } }
  | { ok: false; error: string };

export function priceRequest(input: unknown): PriceAnswer {
  const r = requestSchema.safeParse(input);
  if (!r.success) {
    return { ok: false, error: r.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ') };
  }
  const q = r.data;
  const base = { spot: q.s0, strike: q.strike, maturity: q.maturity, rate: q.rate, kind: q.kind };
  if (q.model === 'bs') return { ok: true, value: bsGreeks({ ...base, sigma: q.sigma }) };
  const iv = impliedVol({ ...base, price: q.price });
  return iv.ok ? { ok: true, value: { sigma: iv.sigma } } : { ok: false, error: `price: ${iv.error}` };
}
