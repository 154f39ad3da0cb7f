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
import { addAll } from '../kernels/add-n';
import { hedgingPnl } from '../hedging/pnl';
import { sliceProblem, type HedgingProblem } from '../hedging/problem';
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

/** The objective of eq. 3 on a problem, with the current weights. */
export function objective(net: RecurrentHedger, p: HedgingProblem, gamma: number): tf.Scalar {
  return tf.tidy(() => {
    const { pnl, cost } = hedgingPnl(p, net.positions(p));
    return varianceCostLoss(pnl, cost, gamma);
  });
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

/** Paths per differentiated pass: a pass keeps every date's activations for its backward pass. */
export const MICRO_BATCH = 256;

/** One differentiated pass over the paths of `p`, sums over its paths (the caller divides by the batch size n). */
interface PartialPass {
  /** sum_j l_j / n for the paths of this part. */
  loss: tf.Scalar;
  grads: tf.Tensor[];
  /** Per Kronecker layer, sum_t sum_j a~ a~^T over this part (with stats). */
  factorSums?: tf.Tensor2D[];
  /** sum_j |g_j|^2 of the paths' own gradients of the Kronecker layers (with stats). */
  perPathSquares?: tf.Scalar;
}

/**
 * The per-path losses l_j = gamma (X_j - M)^2 + C_j of the paths of `p`, summed and divided by the batch size n,
 * X = P&L + costs the hedging error, M its batch mean (held fixed; null: the mean over `p`, which is then the batch).
 */
function partialObjective(net: RecurrentHedger, p: HedgingProblem, gamma: number, n: number, centre: tf.Scalar | null, params: tf.Tensor[], probes?: tf.Tensor2D[][], activations?: tf.Tensor2D[][]): tf.Scalar {
  const u = net.trades(p, params, { probes, activations });
  const { pnl, cost } = hedgingPnl(p, positionsFromTrades(p, u));
  if (!centre) return varianceCostLoss(pnl, cost, gamma);
  const error = tf.sub(tf.add(pnl, cost), centre);
  return tf.div(tf.add(tf.mul(tf.sum(tf.square(error)), gamma), tf.sum(cost)), n) as tf.Scalar;
}

function partialPass(net: RecurrentHedger, p: HedgingProblem, gamma: number, n: number, centre: tf.Scalar | null, stats: boolean): PartialPass {
  const vars = net.variables;
  const [steps, m] = p.features.shape;
  const probes = stats ? zeroProbes(net, steps, m) : [];
  const L = net.layers.length;
  const activations: tf.Tensor2D[][] = net.layers.map(() => []);
  try {
    const { value, grads } = tf.valueAndGrads((...xs: tf.Tensor[]) =>
      partialObjective(net, p, gamma, n, centre, xs.slice(0, vars.length), stats ? regroup(xs.slice(vars.length) as tf.Tensor2D[], steps, L) : undefined, stats ? activations : undefined),
    )([...vars, ...probes.flat()]);
    if (!stats) return { loss: value as tf.Scalar, grads };
    const probeGrads = regroup(grads.slice(vars.length), steps, L);
    const out = tf.tidy(() => {
      const factorSums: tf.Tensor2D[] = [];
      let perPathSquares = tf.scalar(0);
      net.layers.forEach((_, k) => {
        const a = withOnes(tf.concat(activations[k], 0) as tf.Tensor2D); // [T m, in + 1], date-major
        factorSums.push(tf.matMul(a.transpose(), a));
        const byPathA = a.reshape([steps, m, a.shape[1]]).transpose([1, 2, 0]); // [m, in + 1, T]
        const byPathG = tf.mul(tf.stack(probeGrads[k]), n).transpose([1, 0, 2]); // [m, T, out]
        perPathSquares = tf.add(perPathSquares, tf.sum(tf.square(tf.matMul(byPathA, byPathG)))); // each path's own gradient
      });
      return { factorSums, perPathSquares: perPathSquares as tf.Scalar };
    });
    tf.dispose(grads.slice(vars.length));
    return { loss: value as tf.Scalar, grads: grads.slice(0, vars.length), ...out };
  } finally {
    tf.dispose(probes.flat());
    tf.dispose(activations.flat());
  }
}

/** Adds `b` into `a` (same structure), disposing both; null `a` takes `b`. */
function accumulate<T extends tf.Tensor>(a: T[] | undefined, b: T[] | undefined): T[] | undefined {
  if (!a || !b) return b ?? a;
  const sum = a.map((x, i) => tf.add(x, b[i]) as T);
  tf.dispose([...a, ...b]);
  return sum;
}

/**
 * The objective of eq. 3 on the batch `p` and its gradient, in passes of at most MICRO_BATCH paths: with the
 * batch mean M of the hedging error computed first and held fixed, the gradient is the sum of the paths' own
 * (the derivative through M is gamma 2 sum_j (X_j - M) dM = 0), so the passes add up to the exact batch gradient.
 */
export function batchPass(net: RecurrentHedger, p: HedgingProblem, gamma: number, stats: boolean): BatchPass {
  const [steps, n] = p.features.shape;
  const L = net.layers.length;
  let total: PartialPass;
  if (n <= MICRO_BATCH) total = partialPass(net, p, gamma, n, null, stats);
  else {
    const centre = tf.tidy(() => {
      const { pnl, cost } = hedgingPnl(p, net.positions(p));
      return tf.mean(tf.add(pnl, cost)) as tf.Scalar;
    });
    let acc: PartialPass | null = null;
    for (let start = 0; start < n; start += MICRO_BATCH) {
      const part = sliceProblem(p, start, Math.min(MICRO_BATCH, n - start));
      const pass = partialPass(net, part.problem, gamma, n, centre, stats);
      tf.dispose(part.owned);
      acc = acc
        ? {
            loss: accumulate([acc.loss], [pass.loss])![0],
            grads: accumulate(acc.grads, pass.grads)!,
            factorSums: accumulate(acc.factorSums, pass.factorSums),
            perPathSquares: accumulate(acc.perPathSquares && [acc.perPathSquares], pass.perPathSquares && [pass.perPathSquares])?.[0],
          }
        : pass;
    }
    centre.dispose();
    total = acc!;
  }
  if (!stats) return { loss: total.loss, grads: total.grads };
  const out = tf.tidy(() => {
    const activationFactors = total.factorSums!.map((a) => tf.div(a, n * Math.sqrt(steps)) as tf.Tensor2D);
    // |mean g|^2 over the Kronecker layers: their weights and biases, the first 2L variables.
    const meanSquares = addAll(total.grads.slice(0, 2 * L).map((g) => tf.sum(tf.square(g))));
    // tr Cov = (sum_j |g_j|^2 - n |mean g|^2) / (n - 1)
    const gradientVariance = tf.div(tf.sub(total.perPathSquares!, tf.mul(meanSquares, n)), Math.max(1, n - 1)) as tf.Scalar;
    return { activationFactors, gradientVariance };
  });
  tf.dispose([...total.factorSums!, total.perPathSquares!]);
  return { loss: total.loss, grads: total.grads, ...out };
}

export interface PseudoGradient {
  /** Pseudo-gradients summed over the paths, in the order of the hedger's variables (DW, Db per layer, then the gains). */
  grads: tf.Tensor[];
  /** Per Kronecker layer, T^{-1/2} sum_t g_t g_t^T, averaged over the paths. */
  gradientFactors: tf.Tensor2D[];
  /** Per Kronecker layer, each path's own pseudo-gradient [W; b]: [m, in + 1, out]. */
  perPath: tf.Tensor3D[];
  /** Per RMSNorm gain, each path's own pseudo-gradient: [m, units]. */
  perPathGains: tf.Tensor2D[];
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
  const normalised: tf.Tensor2D[][] = net.gains.map(() => []);
  const y = sampledCurvatureDirection(p, gamma, costCurvature, rng, draw);
  try {
    const grads = tf.grads((...xs: tf.Tensor[]) =>
      tf.sum(tf.mul(net.trades(p, xs.slice(0, vars.length), { probes: regroup(xs.slice(vars.length) as tf.Tensor2D[], steps, L), activations, normalised }), y)) as tf.Scalar,
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
      // Block l's gain scales x = g * h^, which enters only the gate product [x, h] W + b of Kronecker layer
      // l + 1: dl_j/dx_t = (g_t W^T)[:, :units], so path j's own gain gradient is sum_t dl_j/dx_t * h^_t.
      const perPathGains = net.gains.map((_, l) => {
        const units = net.units;
        const toX = vars[2 * (l + 1)].slice([0, 0], [units, -1]) as tf.Tensor2D; // the rows of W that x meets
        const perDate = byLayer[l + 1].map((g, t) => tf.mul(tf.matMul(g as tf.Tensor2D, toX, false, true), normalised[l][t]));
        return addAll(perDate) as tf.Tensor2D;
      });
      return { gradientFactors, perPath, perPathGains };
    });
    tf.dispose(grads.slice(vars.length));
    return { grads: grads.slice(0, vars.length), ...out };
  } finally {
    tf.dispose([...probes.flat(), ...activations.flat(), ...normalised.flat(), y]);
  }
}
