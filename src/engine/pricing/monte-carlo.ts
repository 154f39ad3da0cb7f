/**
 * Monte Carlo price of a claim from payoffs simulated under the pricing measure: price = D mean(X) and
 * standard error = |D| s / sqrt(n), with s the sample standard deviation (n - 1 divisor) and D the discount
 * factor. The reference against which the closed forms of pricing/ (Merton, lookback) are checked, and the
 * price of claims without one (the cliquet of paper 002 §2.1). Float64, in two passes (the mean, then squared
 * deviations from it) so that a large common level does not cancel the spread.
 */

export interface MonteCarloEstimate {
  price: number;
  standardError: number;
  paths: number;
}

/** Discounted sample mean of `payoffs` and its standard error; needs at least 2 payoffs. */
export function monteCarloPrice(payoffs: ArrayLike<number>, discount = 1): MonteCarloEstimate {
  const n = payoffs.length;
  if (n < 2) throw new Error(`monteCarloPrice needs at least 2 payoffs to estimate a standard error, got ${n}`);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += payoffs[i];
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (payoffs[i] - mean) ** 2;
  const sd = Math.sqrt(squares / (n - 1));
  return { price: discount * mean, standardError: Math.abs(discount) * sd / Math.sqrt(n), paths: n };
}
