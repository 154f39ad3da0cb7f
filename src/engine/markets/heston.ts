/**
 * Heston paths (paper 002 §4.1: dx = x sqrt(v) dB, dv = kappa (theta - v) dt + xi sqrt(v) dW, d<B, W> = rho dt;
 * here with a drift mu in dx / x) by Andersen's quadratic-exponential scheme with the martingale correction
 * (L. Andersen, "Simple and efficient simulation of the Heston stochastic volatility model", J. Comp. Fin.
 * 11(3), 2008; "QE-M"). Exact in law for E[v] and Var[v] over each step, and E[S_t] = s0 e^{mu t} exactly;
 * robust when the Feller condition 2 kappa theta >= xi^2 fails (paper 002's kappa 8, theta 0.0625, xi 1).
 *
 * Variance, per step of length dt (Andersen §3, psi_c = 1.5), with E = e^{-kappa dt}:
 *   m = theta + (v - theta) E,  s^2 = v xi^2 E (1 - E) / kappa + theta xi^2 (1 - E)^2 / (2 kappa),  psi = s^2 / m^2
 *   psi <= psi_c:  b^2 = 2/psi - 1 + sqrt(2/psi) sqrt(2/psi - 1),  a = m / (1 + b^2),  v' = a (b + Z_v)^2
 *   psi >  psi_c:  p = (psi - 1) / (psi + 1),  beta = (1 - p) / m,  v' = 0 if U <= p else ln((1 - p) / (1 - U)) / beta
 * with U = Phi(Z_v) (Andersen's U_V, with Z_v = Phi^{-1}(U_V)). 1 - E is formed as -expm1(-kappa dt), so tiny dt
 * keeps its precision.
 *
 * Log-spot (Andersen §4, eq. (33), gamma1 = gamma2 = 1/2):
 *   ln S' = ln S + mu dt + K0* + K1 v + K2 v' + sqrt(K3 v + K4 v') Z_s,
 *   K1 = gamma1 dt (kappa rho / xi - 1/2) - rho / xi,  K2 = gamma2 dt (kappa rho / xi - 1/2) + rho / xi,
 *   K3 = gamma1 dt (1 - rho^2),  K4 = gamma2 dt (1 - rho^2),
 * where the martingale correction (Andersen §4, Proposition 5) replaces K0 = -rho kappa theta dt / xi by
 *   K0* = -ln M(A) - (K1 + K3 / 2) v,  A = K2 + K4 / 2,  M(A) = E[e^{A v'} | v]
 *   = exp(A b^2 a / (1 - 2 A a)) / sqrt(1 - 2 A a)  (quadratic branch),  p + beta (1 - p) / (beta - A)  (exponential),
 * so that E[S' | S, v] = S e^{mu dt}. Substituting, K0* + K1 v = -ln M(A) - K3 v / 2, so the step is
 * mu dt - ln M(A) - K3 v / 2 + K2 v' + ...: only K2 v' - ln M(A) ~ (rho / xi)(v' - E[v']) remains of the
 * rho / xi terms, with rounding ~1e-16 rho v / xi, harmless down to tiny xi. M(A) exists only for A < 1 / (2a) (resp. A < beta);
 * that holds unless rho > 0 and xi dt is of order one (Andersen §4), and the simulator throws a SimulationError
 * otherwise.
 *
 * Random numbers: path p uses normals 2 steps p .. 2 steps (p + 1) - 1 of its stream, Z_v = normal 2t and
 * Z_s = normal 2t + 1 at step t, so the first k paths of a larger draw are the k paths of a smaller one.
 * Computed in float64, stored as float32; both arrays row-major [n, steps + 1], column 0 holding s0 and v0.
 */
import type { RandomStream } from '../random/stream';
import { normCdf } from '../pricing/normal';
import { SimulationError } from './simulation-error';

export interface HestonParams {
  s0: number;
  drift: number;
  v0: number;
  kappa: number;
  theta: number;
  xi: number;
  rho: number;
  steps: number;
  /** Interval length in years. */
  dt: number;
}

export interface HestonPaths {
  /** Spot, row-major [n, steps + 1]. */
  spot: Float32Array;
  /** Variance v_t, row-major [n, steps + 1]; column 0 is v0. */
  variance: Float32Array;
}

/** Andersen's switching threshold between the quadratic and the exponential branch. */
const PSI_CRITICAL = 1.5;

function checkParams(p: HestonParams, n: number, firstPath: number): void {
  for (const field of ['s0', 'drift', 'v0', 'kappa', 'theta', 'xi', 'rho', 'dt'] as const) {
    if (!Number.isFinite(p[field])) throw new RangeError(`Heston ${field} must be a finite number, got ${p[field]}`);
  }
  if (!(p.s0 > 0)) throw new RangeError(`Heston s0 must be positive, got ${p.s0}`);
  if (p.v0 < 0) throw new RangeError(`Heston v0 must be >= 0, got ${p.v0}`);
  if (!(p.kappa > 0)) throw new RangeError(`Heston kappa must be positive, got ${p.kappa}`);
  if (!(p.theta > 0)) throw new RangeError(`Heston theta must be positive, got ${p.theta}`);
  if (!(p.xi > 0)) throw new RangeError(`Heston xi must be positive, got ${p.xi}`);
  if (Math.abs(p.rho) > 1) throw new RangeError(`Heston rho must lie in [-1, 1], got ${p.rho}`);
  if (!(p.dt > 0)) throw new RangeError(`Heston dt must be positive, got ${p.dt}`);
  if (!Number.isInteger(p.steps) || p.steps < 1) throw new RangeError(`Heston steps must be a positive integer, got ${p.steps}`);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`the number of paths must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(firstPath) || firstPath < 0) throw new RangeError(`firstPath must be a non-negative integer, got ${firstPath}`);
}

/** n Heston paths by QE-M; path i of the result is path firstPath + i of the stream. */
export function hestonPaths(p: HestonParams, n: number, rng: RandomStream, firstPath = 0): HestonPaths {
  checkParams(p, n, firstPath);
  const { s0, drift, v0, kappa, theta, xi, rho, steps, dt } = p;
  const cols = steps + 1;
  const spot = new Float32Array(n * cols);
  const variance = new Float32Array(n * cols);

  const decay = Math.exp(-kappa * dt);
  const oneMinusDecay = -Math.expm1(-kappa * dt);
  const xi2 = xi * xi;
  const varianceFromV = (xi2 * decay * oneMinusDecay) / kappa;
  const varianceConstant = (theta * xi2 * oneMinusDecay * oneMinusDecay) / (2 * kappa);
  const k2 = 0.5 * dt * ((kappa * rho) / xi - 0.5) + rho / xi;
  const k3 = 0.5 * dt * (1 - rho * rho);
  const k4 = k3;
  const tilt = k2 + 0.5 * k4; // A of the martingale correction
  const driftStep = drift * dt;

  const z = new Float64Array(2 * steps);
  for (let i = 0; i < n; i++) {
    rng.normals(z, (firstPath + i) * 2 * steps);
    let v = v0;
    let logS = Math.log(s0);
    spot[i * cols] = s0;
    variance[i * cols] = v0;
    for (let t = 0; t < steps; t++) {
      const zv = z[2 * t];
      const m = theta + (v - theta) * decay;
      const s2 = v * varianceFromV + varianceConstant;
      const psi = s2 / (m * m);
      let next: number;
      let logM: number; // ln E[e^{A v'} | v]
      if (psi <= PSI_CRITICAL) {
        const inv = 2 / psi;
        const b2 = inv - 1 + Math.sqrt(inv) * Math.sqrt(inv - 1);
        const b = Math.sqrt(b2);
        const scale = m / (1 + b2);
        const root = b + zv;
        next = scale * root * root;
        const denom = 1 - 2 * tilt * scale;
        if (!(denom > 0)) throw martingaleError(p);
        logM = (tilt * b2 * scale) / denom - 0.5 * Math.log1p(-2 * tilt * scale);
      } else {
        const prob = (psi - 1) / (psi + 1);
        const beta = (1 - prob) / m;
        // 1 - U = Phi(-Z_v), accurate in the upper tail.
        const survival = normCdf(-zv);
        next = survival >= 1 - prob ? 0 : Math.log((1 - prob) / survival) / beta;
        if (!(tilt < beta)) throw martingaleError(p);
        logM = Math.log(prob + (beta * (1 - prob)) / (beta - tilt));
      }
      logS += driftStep - logM - 0.5 * k3 * v + k2 * next + Math.sqrt(k3 * v + k4 * next) * z[2 * t + 1];
      v = next;
      spot[i * cols + t + 1] = Math.exp(logS);
      variance[i * cols + t + 1] = v;
    }
  }
  return { spot, variance };
}

function martingaleError(p: HestonParams): SimulationError {
  return new SimulationError(
    `the QE-M martingale correction does not exist for rho = ${p.rho}, xi = ${p.xi} at dt = ${p.dt} (Andersen 2008, Proposition 5): use smaller steps`,
  );
}
