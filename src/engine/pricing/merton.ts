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
 */
import { mertonMeanJump } from '../markets/merton';
import { bsPrice, type OptionKind } from './black-scholes';

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

export function mertonPrice(i: MertonInput): number {
  const t = Math.max(i.maturity, 0);
  const lambdaT = i.jumpIntensity * t;
  const bs = (rate: number, sigma: number) => bsPrice({ spot: i.spot, strike: i.strike, maturity: t, rate, sigma, kind: i.kind });
  if (!(lambdaT > 0)) return bs(i.rate, i.volatility);

  const kbar = mertonMeanJump(i.jumpMean, i.jumpStd);
  const meanJumps = lambdaT * (1 + kbar);
  if (!Number.isFinite(meanJumps)) return NaN;
  const logJump = i.jumpMean + 0.5 * i.jumpStd * i.jumpStd;
  const largestTerm = i.kind === 'call' ? i.spot : i.strike * Math.exp(-i.rate * t);
  let logWeight = -meanJumps; // log of e^{-lambda' T} (lambda' T)^n / n!
  let logBound = -lambdaT; // log of e^{-lambda T} (lambda T)^n / n!, the put's weight times e^{(r_n - r) T}
  let price = 0;
  for (let n = 0; ; n++) {
    const sigma = Math.sqrt(i.volatility * i.volatility + (n * i.jumpStd * i.jumpStd) / t);
    const rate = i.rate - i.jumpIntensity * kbar + (n * logJump) / t;
    price += Math.exp(logWeight) * bs(rate, sigma);
    const tail = 2 * largestTerm * Math.exp(i.kind === 'call' ? logWeight : logBound);
    if (n + 1 >= 2 * Math.max(meanJumps, lambdaT) && !(tail > RELATIVE_TAIL * price)) return price;
    logWeight += Math.log(meanJumps) - Math.log(n + 1);
    logBound += Math.log(lambdaT) - Math.log(n + 1);
  }
}
