/**
 * DH-KFAC: Kronecker-factored second-order optimisation for deep hedging (paper 002 Algorithm 1).
 *
 * Each Kronecker layer l of the recurrent hedger (policies/recurrent-hedger.ts; weight and bias together as
 * W~ = [W; b], (in + 1) x out, the transpose of the paper's n_l x n_{l-1}) has a curvature block
 *   B_l ~ Q diag(D_l) Q^T,  Q = Q_A (x) Q_G                      (RNN-KFAC eq. 8 with EKFAC's rescaling, eq. 10)
 * with A_l = T^{-1/2} sum_t E_batch[a~_t a~_t^T] from the batch (line 5), G_l = T^{-1/2} sum_t g_t g_t^T from the
 * pseudo-gradient of one sampled path (lines 6-11; trainers/recurrent-gradients.ts, eq. 12), and
 * D_l the moving average of (Q_A^T DW~ Q_G)^2 (line 12), all every N_cov iterations; eigenbases every N_evd
 * (lines 13-14; linalg/symmetric-eigen.ts). The gradient of eq. 3 is preconditioned block by block,
 *   P = Q_A [ (Q_A^T grad Q_G) / ((1 - rho) D + rho mean(D)) ] Q_G^T         (lines 16-19, shrinkage eq. 11)
 * the step size is eta = min(sqrt(rho_TR / sum_l <P_l, grad_l>), eta_max) with rho_TR decaying (lines 20-21),
 * and the update theta -= m with momentum m = beta_mom m + eta P (lines 22-23, with eta inside the average:
 * the paper's m = beta_mom m + P, theta -= eta m multiplies the whole history by today's eta, and eta swings
 * by orders of magnitude while D is young, which blew up our runs; for a constant eta the two agree).
 *
 * RMSNorm gains are vectors, not products: their block is EKFAC's with Q = I, D the moving average of the
 * paths' own squared pseudo-gradients (as line 12 squares each path's rotated DW), damped the same way. (The
 * square of the paths' summed pseudo-gradient over m, used before, is one chi-square draw per entry whatever m:
 * on the cliquet race's first batch it was a median 0.28x of this, under 0.01x for 12% of the entries, whose
 * steps came out that much too large.) The moving averages start from the first estimates (as a bias
 * correction would), and those are taken on the paths of the first batch (up to 256) rather than one: from a single path's
 * squared pseudo-gradient D is nearly singular, and the trust region then allows huge steps along the directions
 * it has not seen yet. On the first iteration the eigenbases are computed before D so that D starts in them.
 * Everything stays on the device except A and G, read back every N_evd iterations for the eigensolver, and the
 * loss (one scalar per iteration).
 */
import * as tf from '@tensorflow/tfjs';
import { symmetricEigen } from '../linalg/symmetric-eigen';
import { sliceProblem, type HedgingProblem } from '../hedging/problem';
import type { RecurrentHedger } from '../policies/recurrent-hedger';
import type { RandomStream } from '../random/stream';
import { batchPass, MICRO_BATCH, pseudoGradient } from './recurrent-gradients';
import type { RecurrentOptimiser, RecurrentStep } from './recurrent-optimiser';

export interface DhKfacSettings {
  gamma: number;
  trustRegion: number;
  trustRegionDecay: number;
  maxStepSize: number;
  shrinkage: number;
  momentum: number;
  averaging: number;
  covarianceEvery: number;
  eigenEvery: number;
  costCurvature: number;
}

interface Block {
  /** EMA of A (in + 1)^2 and G out^2, on the device. */
  a: tf.Variable<tf.Rank.R2>;
  g: tf.Variable<tf.Rank.R2>;
  /** Eigenbases (columns), on the device. */
  qa: tf.Tensor2D;
  qg: tf.Tensor2D;
  /** EMA of squared rotated pseudo-gradients, (in + 1) x out. */
  d: tf.Variable<tf.Rank.R2>;
}

/** [W; b] as one (in + 1) x out matrix. */
function stacked(w: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  return tf.concat([w as tf.Tensor2D, (b as tf.Tensor1D).reshape([1, -1])], 0);
}

/** Floor of the damped eigenvalues, so that a block without curvature yet (D = 0) divides by no zero. */
const TINY = 1e-20;

/** (1 - rho) D + rho mean(D): line 18's shrinkage towards the block's mean eigenvalue (eq. 11). */
export function shrunk(d: tf.Tensor, rho: number): tf.Tensor {
  return tf.maximum(tf.add(tf.mul(d, 1 - rho), tf.mul(tf.mean(d), rho)), TINY);
}

/** mean_j (Q_A^T X_j Q_G)^2 over the m matrices of X [m, in + 1, out] (line 12's sample of D). */
export function meanSquaredRotation(x: tf.Tensor3D, qa: tf.Tensor2D, qg: tf.Tensor2D): tf.Tensor2D {
  const [m, rows, cols] = x.shape;
  const left = tf.matMul(qa.transpose(), x.transpose([1, 0, 2]).reshape([rows, m * cols])); // Q_A^T X_j side by side
  const rotated = tf.matMul(left.reshape([rows, m, cols]).transpose([1, 0, 2]).reshape([m * rows, cols]), qg);
  return tf.mean(tf.square(rotated.reshape([m, rows, cols])), 0) as tf.Tensor2D;
}

/** Lines 17-19 for one Kronecker block: Q_A [(Q_A^T grad Q_G) / damped D] Q_G^T. */
export function preconditionBlock(grad: tf.Tensor2D, qa: tf.Tensor2D, qg: tf.Tensor2D, d: tf.Tensor2D, rho: number): tf.Tensor2D {
  return tf.tidy(() => {
    const rotated = tf.matMul(tf.matMul(qa.transpose(), grad), qg);
    return tf.matMul(tf.matMul(qa, tf.div(rotated, shrunk(d, rho))), qg.transpose());
  });
}

export class DhKfac implements RecurrentOptimiser {
  private readonly blocks: Block[];
  /** EMA of squared pseudo-gradients of the RMSNorm gains. */
  private readonly gainD: tf.Variable<tf.Rank.R1>[];
  private readonly velocity: tf.Variable[];
  private trustRegion: number;
  private updates = 0;
  private hasBasis = false;

  constructor(
    private readonly net: RecurrentHedger,
    private readonly s: DhKfacSettings,
    /** Z of the pseudo-gradients, and the choice of their paths. */
    private readonly streams: { noise: RandomStream; paths: RandomStream },
  ) {
    this.trustRegion = s.trustRegion;
    this.blocks = tf.tidy(() => net.layers.map((l) => {
      const [inputs, outputs] = l.weight.shape;
      return {
        a: tf.variable(tf.eye(inputs + 1)) as tf.Variable<tf.Rank.R2>,
        g: tf.variable(tf.eye(outputs)) as tf.Variable<tf.Rank.R2>,
        qa: tf.eye(inputs + 1) as tf.Tensor2D,
        qg: tf.eye(outputs) as tf.Tensor2D,
        d: tf.variable(tf.ones([inputs + 1, outputs])) as tf.Variable<tf.Rank.R2>,
      };
    }));
    this.gainD = tf.tidy(() => net.gains.map((g) => tf.variable(tf.onesLike(g)) as tf.Variable<tf.Rank.R1>));
    this.velocity = tf.tidy(() => net.variables.map((x) => tf.variable(tf.zerosLike(x))));
  }

  /** The current eigenbases and D of every Kronecker block, and the gains' D (for inspection and tests). */
  get curvature(): { blocks: readonly { qa: tf.Tensor2D; qg: tf.Tensor2D; d: tf.Tensor2D; a: tf.Tensor2D; g: tf.Tensor2D }[]; gains: readonly tf.Tensor1D[] } {
    return { blocks: this.blocks, gains: this.gainD };
  }

  /** Moving average of line 5, 11 or 12 (the first value replaces the initial one). */
  private average(target: tf.Variable, value: tf.Tensor): void {
    const beta = this.updates === 0 ? 0 : this.s.averaging;
    tf.tidy(() => target.assign(tf.add(tf.mul(target, beta), tf.mul(value, 1 - beta))));
  }

  /** Lines 13-14: eigenbases of every A_l and G_l. */
  private async eigenbases(): Promise<void> {
    const decompose = async (m: tf.Tensor2D) => {
      const n = m.shape[0];
      return tf.tensor2d(Float32Array.from(symmetricEigen(await m.data(), n).vectors), [n, n]);
    };
    for (const b of this.blocks) {
      const [a, g] = await Promise.all([decompose(b.a), decompose(b.g)]);
      tf.dispose([b.qa, b.qg]);
      b.qa = a;
      b.qg = g;
    }
    this.hasBasis = true;
  }

  /** Lines 3-12 on this iteration's batch statistics and the pseudo-gradients of `paths` (one sampled path after the first). */
  private async updateCurvature(factors: tf.Tensor2D[], paths: HedgingProblem, iteration: number): Promise<void> {
    const pseudo = pseudoGradient(this.net, paths, this.s.gamma, this.s.costCurvature, this.streams.noise, iteration);
    try {
      this.blocks.forEach((b, k) => {
        this.average(b.a, factors[k]);
        this.average(b.g, pseudo.gradientFactors[k]);
      });
      if (!this.hasBasis) await this.eigenbases();
      this.blocks.forEach((b, k) => {
        const squares = tf.tidy(() => meanSquaredRotation(pseudo.perPath[k], b.qa, b.qg));
        this.average(b.d, squares);
        squares.dispose();
      });
      this.gainD.forEach((d, l) => {
        // Line 12 with Q = I: the mean of the paths' own squared pseudo-gradients.
        const squares = tf.tidy(() => tf.mean(tf.square(pseudo.perPathGains[l]), 0));
        this.average(d, squares);
        squares.dispose();
      });
      this.updates++;
    } finally {
      tf.dispose([...pseudo.grads, ...pseudo.gradientFactors, ...pseudo.perPath, ...pseudo.perPathGains]);
    }
  }

  /** The damped preconditioner's largest eigenvalue over all blocks. */
  private maxEigenvalue(): tf.Scalar {
    return tf.tidy(() => tf.max(tf.stack([...this.blocks.map((b) => tf.max(shrunk(b.d, this.s.shrinkage))), ...this.gainD.map((d) => tf.max(shrunk(d, this.s.shrinkage)))])) as tf.Scalar);
  }

  async step(batch: HedgingProblem, onePath: (j: number) => HedgingProblem, i: number, diagnostics: boolean): Promise<RecurrentStep> {
    const covariance = i % this.s.covarianceEvery === 0;
    const pass = batchPass(this.net, batch, this.s.gamma, covariance || diagnostics);
    try {
      if (covariance) {
        const n = batch.features.shape[1];
        if (this.updates === 0) {
          // The first statistics on (at most MICRO_BATCH of) the batch's paths.
          const first = sliceProblem(batch, 0, Math.min(n, MICRO_BATCH));
          try {
            await this.updateCurvature(pass.activationFactors!, first.problem, i);
          } finally {
            tf.dispose(first.owned);
          }
        } else {
          const j = Math.min(n - 1, Math.floor(this.streams.paths.uniforms(new Float64Array(1), i)[0] * n));
          await this.updateCurvature(pass.activationFactors!, onePath(j), i);
        }
      }
      // (Iteration 0 has computed its eigenbases before its first D.)
      if (i > 0 && i % this.s.eigenEvery === 0) await this.eigenbases();
      this.update(pass.grads);
      this.trustRegion *= this.s.trustRegionDecay;
      const eigen = diagnostics ? this.maxEigenvalue() : null;
      const [loss, variance, largest] = await Promise.all([pass.loss.data(), diagnostics ? pass.gradientVariance!.data() : null, eigen?.data()]);
      eigen?.dispose();
      return { loss: loss[0], gradientVariance: variance ? variance[0] : null, maxEigenvalue: largest ? largest[0] : null };
    } finally {
      tf.dispose([pass.loss, ...pass.grads, ...(pass.activationFactors ?? []), pass.gradientVariance]);
    }
  }

  /** The preconditioned gradient of every variable (lines 16-19), in the order of the hedger's variables. */
  precondition(grads: tf.Tensor[]): tf.Tensor[] {
    return tf.tidy(() => {
      const rho = this.s.shrinkage;
      const out: tf.Tensor[] = [];
      this.blocks.forEach((b, k) => {
        const [w, bias] = [grads[2 * k], grads[2 * k + 1]];
        const p = preconditionBlock(stacked(w, bias), b.qa, b.qg, b.d, rho);
        const rows = w.shape[0];
        out.push(p.slice([0, 0], [rows, -1]), p.slice([rows, 0], [1, -1]).reshape(bias.shape));
      });
      const L = this.blocks.length;
      this.gainD.forEach((d, l) => out.push(tf.div(grads[2 * L + l], shrunk(d, rho))));
      return out;
    });
  }

  /** Lines 16-23. */
  private update(grads: tf.Tensor[]): void {
    tf.tidy(() => {
      const pre = this.precondition(grads);
      const dot = tf.addN(pre.map((p, i) => tf.sum(tf.mul(p, grads[i]))));
      const eta = tf.minimum(tf.sqrt(tf.div(this.trustRegion, tf.maximum(dot, 1e-30))), this.s.maxStepSize);
      this.net.variables.forEach((x, i) => {
        this.velocity[i].assign(tf.add(tf.mul(this.velocity[i], this.s.momentum), tf.mul(pre[i], eta)));
        x.assign(tf.sub(x, this.velocity[i]));
      });
    });
  }

  dispose(): void {
    tf.dispose([...this.blocks.flatMap((b) => [b.a, b.g, b.qa, b.qg, b.d]), ...this.gainD, ...this.velocity]);
  }
}
