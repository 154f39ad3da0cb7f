/**
 * What both optimisers of paper 002's recurrent hedger need from one pass through the hedging paths:
 *
 * batchPass: the objective of eq. 3 on a mini-batch and its gradient in every variable. With `stats`, each
 *   Kronecker layer's pre-activations carry a zero probe whose gradient is g_{t,j} = dL/ds_{t,j}, and the
 *   activations a_{t,j} are kept. Since path j's forward pass involves no other path, n g_{t,j} is the gradient
 *   of its own loss l_j = gamma (X_j - M)^2 + C_j (M the batch mean, held fixed), so the single-path gradients
 *   sum_t [a_{t,j}, 1]^T n g_{t,j} of every layer come out of the same backward pass. From them:
 *     A = T^{-1/2} sum_t E_batch[a~_t a~_t^T]   (Algorithm 1 line 5, a~ = [a, 1])
 *     the gradient variance of fig. 4: the trace of the covariance of single-path gradients (Kronecker layers).
 *
 * pseudoGradient (Algorithm 1 lines 6-9, eq. 12): on a single path with trades u (T x d), the inner Hessian of
 *   the surrogate l(u) = gamma (Gamma_T(u) - psi - M)^2 + sum_t sum_i c~_i (u_t^i)^2 is
 *     H_u = 2 gamma r r^T + 2 diag(c~),   r = (r_{t,T}^i) the return of one unit of instrument i bought at t.
 *   Any L with L L^T = H_u serves: L = [diag(sqrt(2 c~)) | sqrt(2 gamma) r] (T d x (T d + 1)) is exact and
 *   needs no Cholesky of a (T d)^2 matrix, so L Z = sqrt(2 c~) z + sqrt(2 gamma) r z_0 with Z = (z, z_0)
 *   standard normal. Back-propagating l^pseudo = <L Z, u> gives the pseudo-gradients DW (line 9) and, through
 *   the probes, g_t per layer (line 11). Costs in this lab are c B_t |u_t| with B_t the spot, so c~ = k c B_t.
 */
import * as tf from '@tensorflow/tfjs';
import { hedgingPnl } from '../hedging/pnl';
import type { HedgingProblem } from '../hedging/problem';
import { positionsFromTrades, type RecurrentHedger } from '../policies/recurrent-hedger';
import type { RandomStream } from '../random/stream';
import { varianceCostLoss } from '../risk/variance-cost';

export interface BatchPass {
  loss: tf.Scalar;
  /** Gradients in the order of the hedger's variables. */
  grads: tf.Tensor[];
  /** Per Kronecker layer, T^{-1/2} sum_t E_batch[a~ a~^T] (with `stats`). */
  activationFactors?: tf.Tensor2D[];
  /** Trace of the covariance of single-path gradients of the Kronecker layers (with `stats`). */
  gradientVariance?: tf.Scalar;
}

/** The objective of eq. 3 on a problem, with the trades from `params`. */
export function objective(net: RecurrentHedger, p: HedgingProblem, gamma: number, params?: tf.Tensor[], probes?: tf.Tensor2D[][], activations?: tf.Tensor2D[][]): tf.Scalar {
  const u = net.trades(p, params, { probes, activations });
  const { pnl, cost } = hedgingPnl(p, positionsFromTrades(p, u));
  return varianceCostLoss(pnl, cost, gamma);
}

/** Zero probes [n, out] per Kronecker layer and date. */
function zeroProbes(net: RecurrentHedger, steps: number, n: number): tf.Tensor2D[][] {
  return net.layers.map((l) => Array.from({ length: steps }, () => tf.zeros([n, l.bias.shape[0]]) as tf.Tensor2D));
}

/** Probes regrouped per layer and date from their place in a flat list. */
function regroup<T>(flat: T[], steps: number, layers: number): T[][] {
  return Array.from({ length: layers }, (_, k) => flat.slice(k * steps, (k + 1) * steps));
}

/** [m, k] -> [m, k + 1] with a trailing column of ones. */
function withOnes(a: tf.Tensor2D): tf.Tensor2D {
  return tf.concat([a, tf.ones([a.shape[0], 1])], 1);
}

export function batchPass(net: RecurrentHedger, p: HedgingProblem, gamma: number, stats: boolean): BatchPass {
  const vars = net.variables;
  const [steps, n] = p.features.shape;
  const probes = stats ? zeroProbes(net, steps, n) : [];
  const L = net.layers.length;
  const activations: tf.Tensor2D[][] = net.layers.map(() => []);
  try {
    const { value, grads } = tf.valueAndGrads((...xs: tf.Tensor[]) =>
      objective(net, p, gamma, xs.slice(0, vars.length), stats ? regroup(xs.slice(vars.length) as tf.Tensor2D[], steps, L) : undefined, stats ? activations : undefined),
    )([...vars, ...probes.flat()]);
    if (!stats) return { loss: value as tf.Scalar, grads };
    const probeGrads = regroup(grads.slice(vars.length), steps, L);
    const out = tf.tidy(() => {
      const factors: tf.Tensor2D[] = [];
      let perPathSquares = tf.scalar(0);
      let meanSquares = tf.scalar(0);
      net.layers.forEach((_, k) => {
        const a = withOnes(tf.concat(activations[k], 0) as tf.Tensor2D); // [T n, in + 1], date-major
        factors.push(tf.div(tf.matMul(a.transpose(), a), n * Math.sqrt(steps)) as tf.Tensor2D);
        const width = a.shape[1];
        const byPathA = a.reshape([steps, n, width]).transpose([1, 2, 0]); // [n, in + 1, T]
        const byPathG = tf.mul(tf.stack(probeGrads[k]), n).transpose([1, 0, 2]); // [n, T, out]
        const single = tf.matMul(byPathA, byPathG); // [n, in + 1, out]: each path's own gradient
        perPathSquares = tf.add(perPathSquares, tf.sum(tf.square(single)));
        meanSquares = tf.add(meanSquares, tf.sum(tf.square(tf.mean(single, 0))));
      });
      // tr Cov = (sum_j |g_j|^2 - n |mean g|^2) / (n - 1)
      const variance = tf.div(tf.sub(perPathSquares, tf.mul(meanSquares, n)), Math.max(1, n - 1)) as tf.Scalar;
      return { factors, variance };
    });
    tf.dispose(grads.slice(vars.length));
    return { loss: value as tf.Scalar, grads: grads.slice(0, vars.length), activationFactors: out.factors, gradientVariance: out.variance };
  } finally {
    tf.dispose(probes.flat());
    tf.dispose(activations.flat());
  }
}

export interface PseudoGradient {
  /** Pseudo-gradients summed over the paths, in the order of the hedger's variables (DW, Db per layer, then the gains). */
  grads: tf.Tensor[];
  /** Per Kronecker layer, T^{-1/2} sum_t g_t g_t^T, averaged over the paths. */
  gradientFactors: tf.Tensor2D[];
  /** Per Kronecker layer, each path's own pseudo-gradient [W; b]: [m, in + 1, out]. */
  perPath: tf.Tensor3D[];
}

/** [T, m, d] the sampled L Z of eq. 12 on each of the problem's m paths; `draw` indexes the Z in `rng`. */
export function sampledCurvatureDirection(p: HedgingProblem, gamma: number, costCurvature: number, rng: RandomStream, draw: number): tf.Tensor3D {
  const steps = p.steps;
  const d = p.instruments.length;
  const [m] = p.spot.shape;
  const z = rng.normals(new Float32Array(m * (steps * d + 1)), draw * m * (steps * d + 1));
  return tf.tidy(() => {
    const columns = p.instruments.map((inst) => {
      const r = inst.kind === 'trade' ? inst.returns : tf.sub(inst.price.slice([0, steps], [m, 1]), inst.price.slice([0, 0], [m, steps]));
      const basis = inst.costBasis.slice([0, 0], [m, steps]);
      return { r: tf.mul(r, inst.available), c: tf.mul(tf.mul(basis, inst.costRate * costCurvature), inst.available) };
    });
    const r = tf.stack(columns.map((x) => x.r.transpose()), 2); // [T, m, d]
    const c = tf.stack(columns.map((x) => x.c.transpose()), 2);
    const draws = tf.tensor2d(z, [m, steps * d + 1]);
    const noise = draws.slice([0, 0], [m, steps * d]).reshape([m, steps, d]).transpose([1, 0, 2]);
    const common = draws.slice([0, steps * d], [m, 1]).reshape([1, m, 1]);
    return tf.add(tf.mul(tf.sqrt(tf.mul(c, 2)), noise), tf.mul(tf.mul(r, common), Math.sqrt(2 * gamma))) as tf.Tensor3D;
  });
}

/**
 * Algorithm 1 lines 6-9 and the per-date g_t of line 11 on the m paths of `p` (one sampled path in the
 * algorithm; DH-KFAC starts its statistics from a whole batch); `draw` indexes Z in `rng`.
 */
export function pseudoGradient(net: RecurrentHedger, p: HedgingProblem, gamma: number, costCurvature: number, rng: RandomStream, draw: number): PseudoGradient {
  const vars = net.variables;
  const steps = p.steps;
  const [m] = p.spot.shape;
  const L = net.layers.length;
  const probes = zeroProbes(net, steps, m);
  const activations: tf.Tensor2D[][] = net.layers.map(() => []);
  const y = sampledCurvatureDirection(p, gamma, costCurvature, rng, draw);
  try {
    const grads = tf.grads((...xs: tf.Tensor[]) =>
      tf.sum(tf.mul(net.trades(p, xs.slice(0, vars.length), { probes: regroup(xs.slice(vars.length) as tf.Tensor2D[], steps, L), activations }), y)) as tf.Scalar,
    )([...vars, ...probes.flat()]);
    const out = tf.tidy(() => {
      const byLayer = regroup(grads.slice(vars.length), steps, L);
      const gradientFactors = byLayer.map((perDateGrads) => {
        const perDate = tf.concat(perDateGrads as tf.Tensor2D[], 0); // [T m, out]
        return tf.div(tf.matMul(perDate.transpose(), perDate), m * Math.sqrt(steps)) as tf.Tensor2D;
      });
      const perPath = byLayer.map((perDateGrads, k) => {
        const a = withOnes(tf.concat(activations[k], 0) as tf.Tensor2D);
        const byPathA = a.reshape([steps, m, a.shape[1]]).transpose([1, 2, 0]); // [m, in + 1, T]
        const byPathG = tf.stack(perDateGrads).transpose([1, 0, 2]); // [m, T, out]
        return tf.matMul(byPathA, byPathG) as tf.Tensor3D;
      });
      return { gradientFactors, perPath };
    });
    tf.dispose(grads.slice(vars.length));
    return { grads: grads.slice(0, vars.length), ...out };
  } finally {
    tf.dispose([...probes.flat(), ...activations.flat(), y]);
  }
}
