/**
 * The sample mean and unbiased sample variance of the finite values of a series (NaN marks a missing value and is
 * skipped): xbar = sum x_i / n and s^2 = sum (x_i - xbar)^2 / (n - 1) over the n finite x_i. They scale the
 * random-walk baseline's window and start the EWMA and GARCH(1,1) recursions (random-walk.ts, ewma.ts, garch.ts).
 */

/** xbar of the finite values of x; NaN when none is finite. */
export function sampleMean(x: ArrayLike<number>): number {
  let n = 0;
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isFinite(x[i])) {
      n++;
      sum += x[i];
    }
  }
  return sum / n;
}

/** s^2 of the finite values of x; NaN when fewer than two are finite. */
export function sampleVariance(x: ArrayLike<number>): number {
  const mean = sampleMean(x);
  let n = 0;
  let squares = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isFinite(x[i])) {
      n++;
      squares += (x[i] - mean) ** 2;
    }
  }
  return n < 2 ? NaN : squares / (n - 1);
}
