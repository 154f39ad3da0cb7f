/**
 * Scores of a Gaussian forecast N(mu, sigma^2) (paper 000 §2, eq. 5) against a realised value y, z = (y - mu) / sigma:
 *   NLL  = 0.5 ln(2 pi) + ln sigma + z^2 / 2                    (eq. 6 per term, plus its constant),
 *   CRPS = int (F(x) - 1{x >= y})^2 dx = sigma [z (2 Phi(z) - 1) + 2 phi(z) - 1 / sqrt(pi)]
 *          (the closed form in Gneiting & Raftery, JASA 102, 2007; negatively oriented: smaller is better),
 * and membership of y in the central interval of probability `level`, mu +- sigma Phi^{-1}((1 + level) / 2).
 * Phi, phi and Phi^{-1} are pricing/normal.ts's.
 */
import { normCdf, normInv, normPdf } from '../pricing/normal';

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
const INV_SQRT_PI = 1 / Math.sqrt(Math.PI);

/** Negative log-density of y under N(mu, sigma^2). */
export function gaussianNll(mu: number, sigma: number, y: number): number {
  const z = (y - mu) / sigma;
  return HALF_LOG_TWO_PI + Math.log(sigma) + 0.5 * z * z;
}

/** CRPS(N(mu, sigma^2), y) in closed form. */
export function gaussianCrps(mu: number, sigma: number, y: number): number {
  const z = (y - mu) / sigma;
  return sigma * (z * (2 * normCdf(z) - 1) + 2 * normPdf(z) - INV_SQRT_PI);
}

/** Refuses a central-interval probability outside (0, 1). */
export function checkLevel(level: number): void {
  if (!(level > 0 && level < 1)) throw new RangeError(`central interval: level must lie strictly between 0 and 1, not ${level}`);
}

/** Phi^{-1}((1 + level) / 2): the half-width in sigmas of the central interval of probability `level`. */
export function centralHalfWidth(level: number): number {
  checkLevel(level);
  return normInv(0.5 * (1 + level));
}

/** Whether y lies in the central `level` interval of N(mu, sigma^2), i.e. |y - mu| <= sigma Phi^{-1}((1 + level) / 2). */
export function gaussianCovers(mu: number, sigma: number, y: number, level: number): boolean {
  return Math.abs(y - mu) <= sigma * centralHalfWidth(level);
}
