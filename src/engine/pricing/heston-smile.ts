/**
 * The Black-Scholes implied-volatility smile of the Heston model (paper 002 §4.1, fig. 1: the implied
 * volatility surface that moves with v_t): for each maturity and strike, the Fourier price
 * (pricing/heston-fourier.ts) of the out-of-the-money option (call for K >= F = S e^{(r - q) T}, put below)
 * inverted by impliedVol (pricing/implied-vol.ts). A dividend yield enters through the prepaid forward
 * S e^{-qT}, on which Black-Scholes with rate r prices the same option. Entries whose price has no implied
 * volatility (rounded onto a no-arbitrage bound, as far in the wings of very short maturities), or whose
 * price the Fourier quadrature refuses (a PricingError, far from Feller's condition), are NaN: a gap in the
 * smile, not a failed preview.
 */
import { hestonPrice, type HestonPriceInput } from './heston-fourier';
import { impliedVol } from './implied-vol';
import { PricingError } from './pricing-error';

export type HestonSmileParams = Omit<HestonPriceInput, 'strike' | 'maturity' | 'kind'>;

export interface HestonSmile {
  maturities: number[];
  strikes: number[];
  /** [maturity][strike]; NaN where the price has no implied volatility or was refused. */
  impliedVol: number[][];
}

export function hestonSmile(params: HestonSmileParams, maturities: number[], strikes: number[]): HestonSmile {
  const q = params.dividend ?? 0;
  const surface = maturities.map((maturity) => {
    const forward = params.spot * Math.exp((params.rate - q) * maturity);
    const prepaid = params.spot * Math.exp(-q * maturity);
    return strikes.map((strike) => {
      const kind = strike >= forward ? 'call' : 'put';
      let price: number;
      try {
        price = hestonPrice({ ...params, strike, maturity, kind });
      } catch (e) {
        if (e instanceof PricingError) return NaN;
        throw e;
      }
      const iv = impliedVol({ price, spot: prepaid, strike, maturity, rate: params.rate, kind });
      return iv.ok ? iv.sigma : NaN;
    });
  });
  return { maturities: [...maturities], strikes: [...strikes], impliedVol: surface };
}
