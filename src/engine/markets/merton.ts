/**
 * Merton (1976) jump-diffusion, simulated exactly at the grid dates:
 *   dS/S = (mu - lambda kbar) dt + sigma dW + (J - 1) dN,  log J ~ N(m, delta^2),  kbar = e^{m + delta^2/2} - 1,
 * so that E[S_T] = S0 e^{mu T}. Over one step of length dt,
 *   log S_{t+1} = log S_t + (mu - lambda kbar - sigma^2/2) dt + sigma sqrt(dt) Z + N m + delta sqrt(N) Z',
 * with N ~ Poisson(lambda dt) drawn by inversion of its distribution function from one uniform, and the sum of
 * the N normal log-jumps drawn as N m + delta sqrt(N) Z' (exact: a sum of N i.i.d. normals is normal).
 *
 * Draws per path come in one fixed block of B = 3 steps + (steps mod 2) draw indices of the stream (even, so
 * Box-Muller pairs never straddle two blocks): indices [pB, pB + 2 steps) are read as normals (Z_t, Z'_t for
 * step t at 2t, 2t + 1) and [pB + 2 steps, pB + 3 steps) as uniforms (the Poisson count of step t). So path p
 * depends only on its own block, and the first k paths of a larger draw are the k paths of a smaller one.
 * Computed in float64, stored as float32 (row-major, n x (steps + 1)), as markets/gbm.ts.
 */
import type { RandomStream } from '../random/stream';
import { SimulationError } from './simulation-error';

export interface MertonParams {
  s0: number;
  /** mu: the expected total rate of return, jumps included (E[S_T] = S0 e^{mu T}). */
  drift: number;
  /** sigma of the diffusion part. */
  volatility: number;
  /** lambda: expected number of jumps per year. */
  jumpIntensity: number;
  /** m: mean of the log jump size log J. */
  jumpMean: number;
  /** delta: standard deviation of the log jump size. */
  jumpStd: number;
  steps: number;
  /** Interval length in years. */
  dt: number;
}

/** kbar = E[J - 1] = e^{m + delta^2/2} - 1, the mean relative jump. */
export function mertonMeanJump(jumpMean: number, jumpStd: number): number {
  return Math.expm1(jumpMean + 0.5 * jumpStd * jumpStd);
}

/**
 * The largest Poisson mean of one step tabulated (~2 mean entries): the experiment schema's Merton markets
 * need at most lambda dt = 100 x 14.6 years.
 */
const MAX_STEP_JUMPS = 100_000;

/**
 * Distribution function of Poisson(mean) at 0, 1, 2, ... up to where it reaches 1 in float64 (or its
 * probabilities underflow), for inversion: the count is the first k with u <= F(k). A mean beyond
 * MAX_STEP_JUMPS is refused rather than tabulated without end.
 */
function poissonCdf(mean: number): Float64Array {
  if (!(mean >= 0 && mean <= MAX_STEP_JUMPS)) {
    throw new SimulationError(`merton: lambda dt = ${mean} expected jumps a step is outside [0, ${MAX_STEP_JUMPS.toLocaleString('en-US')}]: lower the jump intensity or use more steps`);
  }
  const cdf: number[] = [];
  let logPmf = -mean;
  let total = 0;
  for (let k = 0; ; k++) {
    const pmf = Math.exp(logPmf);
    total += pmf;
    cdf.push(total);
    if (total >= 1 || (k > mean && pmf < 1e-300)) break;
    logPmf += Math.log(mean) - Math.log(k + 1);
  }
  return Float64Array.from(cdf);
}

/** n paths of steps + 1 prices each, as a typed array (path i is path firstPath + i of the stream). */
export function mertonPaths(p: MertonParams, n: number, rng: RandomStream, firstPath = 0): Float32Array {
  const cols = p.steps + 1;
  const out = new Float32Array(n * cols);
  const block = 3 * p.steps + (p.steps % 2);
  const cdf = poissonCdf(p.jumpIntensity * p.dt);
  const mean = (p.drift - p.jumpIntensity * mertonMeanJump(p.jumpMean, p.jumpStd) - 0.5 * p.volatility * p.volatility) * p.dt;
  const scale = p.volatility * Math.sqrt(p.dt);
  const z = new Float64Array(2 * p.steps);
  const u = new Float64Array(p.steps);
  for (let i = 0; i < n; i++) {
    const start = (firstPath + i) * block;
    rng.normals(z, start);
    rng.uniforms(u, start + 2 * p.steps);
    let logS = Math.log(p.s0);
    out[i * cols] = p.s0;
    for (let t = 0; t < p.steps; t++) {
      let jumps = 0;
      while (jumps < cdf.length - 1 && u[t] > cdf[jumps]) jumps++;
      logS += mean + scale * z[2 * t];
      if (jumps > 0) logS += jumps * p.jumpMean + p.jumpStd * Math.sqrt(jumps) * z[2 * t + 1];
      out[i * cols + t + 1] = Math.exp(logS);
    }
  }
  return out;
}
