/**
 * Merton's (1976) price of a European call or put under the jump-diffusion of markets/merton.ts with risk-neutral
 * drift mu = r: conditionally on n jumps before T the log price is normal, so the price is the Poisson mixture
 *
 *   V = sum_{n >= 0} e^{-lambda' T} (lambda' T)^n / n!  BS(S, K, T, r_n, sigma_n),
 *   lambda' = lambda (1 + kbar),  sigma_n^2 = sigma^2 + n delta^2 / T,  r_n = r - lambda kbar + n (m + delta^2/2) / T,
 *
 * with BS the Black-Scholes price (pricing/black-scholes.ts). The weights are computed in log space (no
 * underflow of e^{-lambda' T} for large lambda' T). The remainder after term n is bounded by the Poisson tail
 * times the largest a term can be: a call is at most S; a put at most K e^{-r_n T}, and e^{-lambda' T}
 * (lambda' T)^n / n! e^{-r_n T} = e^{-rT} e^{-lambda T} (lambda T)^n / n!. Once n + 1 >= 2 max(lambda T, lambda' T)
 * successive weights at least halve, so each tail is at most its last weight; the sum stops when twice that
 * bound is below 1e-17 of the price so far.
 *
 * Each term is formed in log space too: the call's weighted Black-Scholes price is
 * e^{-lambda' T} (lambda' T)^n / n! S N(d1) - K e^{-rT} e^{-lambda T} (lambda T)^n / n! N(d2) (the put's alike), with
 * d1 = (ln(S/K) + r_n T + sigma_n^2 T / 2) / (sigma_n sqrt T), so that neither e^{-r_n T} (huge when
 * lambda kbar T is) nor e^{-lambda' T} is ever formed alone: a plain BS(r_n, sigma_n) overflows to Inf x 0 = NaN.
 * The sum needs about 2 max(lambda T, lambda' T) terms; past MAX_TERMS it is refused with a PricingError
 * (pricing/pricing-error.ts) instead of running for hours, as is a result that is not finite.
 */
import { mertonMeanJump } from '../markets/merton';
import { bsPrice, type OptionKind } from './black-scholes';
import { normCdf } from './normal';
import { finiteResult, PricingError } from './pricing-error';

export interface MertonInput {
  spot: number;
  strike: number;
  /** Time to maturity in years. */
  maturity: number;
  /** Continuously compounded risk-free rate. */
  rate: number;
  /** sigma of the diffusion part. */
  volatility: number;
  /** lambda: expected number of jumps per year. */
  jumpIntensity: number;
  /** m: mean of the log jump size. */
  jumpMean: number;
  /** delta: standard deviation of the log jump size. */
  jumpStd: number;
  kind: OptionKind;
}

const RELATIVE_TAIL = 1e-17;
/** The most series terms summed: ~10 ms; the experiment schema's Merton markets need at most ~14,000. */
export const MAX_TERMS = 100_000;

export function mertonPrice(i: MertonInput): number {
  const t = Math.max(i.maturity, 0);
  const lambdaT = i.jumpIntensity * t;
  if (!(lambdaT > 0)) return bsPrice({ spot: i.spot, strike: i.strike, maturity: t, rate: i.rate, sigma: i.volatility, kind: i.kind });

  const kbar = mertonMeanJump(i.jumpMean, i.jumpStd);
  const meanJumps = lambdaT * (1 + kbar);
  const needed = 2 * Math.max(meanJumps, lambdaT);
  if (!(needed < MAX_TERMS)) {
    throw new PricingError(
      `merton: the jump series needs more than ${MAX_TERMS.toLocaleString('en-US')} terms (about 2 lambda (1 + kbar) T = ${needed.toPrecision(3)}) ` +
        `at lambda ${i.jumpIntensity}, jumpMean ${i.jumpMean}, jumpStd ${i.jumpStd}, maturity ${i.maturity}: lower the jump intensity, the jump size or the maturity`,
    );
  }
  const call = i.kind === 'call';
  const logJump = i.jumpMean + 0.5 * i.jumpStd * i.jumpStd;
  const discountedStrike = i.strike * Math.exp(-i.rate * t);
  const moneyness = Math.log(i.spot / i.strike) + (i.rate - i.jumpIntensity * kbar) * t;
  const largestTerm = call ? i.spot : discountedStrike;
  let logWeight = -meanJumps; // log of e^{-lambda' T} (lambda' T)^n / n!, the weight of S N(d1)
  let logBound = -lambdaT; // log of e^{-lambda T} (lambda T)^n / n!, that of K e^{-rT} N(d2)
  let price = 0;
  for (let n = 0; n < MAX_TERMS; n++) {
    const sd = Math.sqrt(i.volatility * i.volatility * t + n * i.jumpStd * i.jumpStd);
    const x = moneyness + n * logJump; // ln(S/K) + r_n T
    const d1 = sd > 0 ? x / sd + 0.5 * sd : x > 0 ? Infinity : x < 0 ? -Infinity : 0;
    const d2 = d1 - sd;
    const asset = i.spot * Math.exp(logWeight);
    const cash = discountedStrike * Math.exp(logBound);
    price += call ? asset * normCdf(d1) - cash * normCdf(d2) : cash * normCdf(-d2) - asset * normCdf(-d1);
    const tail = 2 * largestTerm * Math.exp(call ? logWeight : logBound);
    if (n + 1 >= needed && !(tail > RELATIVE_TAIL * price)) {
      return finiteResult(price, 'merton: the price', `at lambda ${i.jumpIntensity}, jumpMean ${i.jumpMean}, jumpStd ${i.jumpStd}`);
    }
    logWeight += Math.log(meanJumps) - Math.log(n + 1);
    logBound += Math.log(lambdaT) - Math.log(n + 1);
  }
  throw new PricingError(`merton: the jump series did not converge in ${MAX_TERMS.toLocaleString('en-US')} terms at lambda ${i.jumpIntensity}, jumpMean ${i.jumpMean}, jumpStd ${i.jumpStd}`);
}
