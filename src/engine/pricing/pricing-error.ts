/**
 * The error a pricer throws when it cannot give a finite answer within its bounded work (issue 13 "Hard to
 * break"): a series that would need more terms than its cap, a quadrature that reaches its interval cap
 * without meeting its tolerance, a result that is not a finite number. The message is one line that names the
 * routine, the inputs that drove it there and what to change; the CLI reports it with exit 2.
 */
export class PricingError extends RangeError {
  override readonly name = 'PricingError';
}

/** `value` when it is a finite number; else a PricingError saying which quantity is not finite and why. */
export function finiteResult(value: number, what: string, cause: string): number {
  if (Number.isFinite(value)) return value;
  throw new PricingError(`${what} is ${value}, not a finite number: ${cause}`);
}
