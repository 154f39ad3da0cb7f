/**
 * The error a path simulator throws when its scheme does not exist for the parameters given (Andersen's QE-M
 * martingale correction for rho xi dt too large, a Poisson step mean beyond its table): issue 13, every
 * numeric routine bounds its work and says what to change. A refusal of the experiment as configured, not a
 * failure of the engine.
 */
export class SimulationError extends RangeError {
  override readonly name = 'SimulationError';
}
