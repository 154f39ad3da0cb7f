/**
 * DH-KFAC: Kronecker-factored second-order optimisation for deep hedging (paper 002 Algorithm 1).
 *
 * Each Kronecker layer l of the recurrent hedger (policies/recurrent-hedger.ts; weight and bias together as
 * W~ = [W; b], (in + 1) x out, the transpose of the paper's n_l x n_{l-1}) has a curvature block
 *   B_l ~ Q diag(D_l) Q^T,  Q = Q_A (x) Q_G                      (RNN-KFAC eq. 8 with EKFAC's rescaling, eq. 10)
 * with A_l = T^{-1/2} sum_t E_batch[a~_t a~_t^T] from the batch (line 5), G_l = T^{-1/2} sum_t g_t g_t^T from the
 * pseudo-gradients of `curvaturePaths` sampled paths (lines 6-11 sample one; trainers/recurrent-gradients.ts,
 * eq. 12), and D_l the moving average of (Q_A^T DW~ Q_G)^2 (line 12), all every N_cov iterations; eigenbases
 * every N_evd (lines 13-14; linalg/symmetric-eigen.ts). Over the first `earlyIterations` the curvature is
 * updated every iteration and the eigenbases every `earlyEigenEvery` (curvatureSchedule): the output layer starts
 * at 1e-3 of He scale, so the inner blocks' curvature grows by orders of magnitude while it trains, faster than
 * N_cov 5 and weight 0.05 follow. The moving averages are bias-corrected (biasCorrectedWeight), so the first
 * estimate replaces the identity they start from. The gradient of eq. 3 is preconditioned block by block,
 *   P = Q_A [ (Q_A^T grad Q_G) / ((1 - rho) D + rho mean(D)) ] Q_G^T         (lines 16-19, shrinkage eq. 11)
 * the step size is eta = min(sqrt(rho_TR / sum_l <P_l, grad_l>), eta_max) with rho_TR decaying (lines 20-21),
 * and the update theta -= m with momentum m = beta_mom m + eta P (lines 22-23, with eta inside the average:
 * the paper's m = beta_mom m + P, theta -= eta m multiplies the whole history by today's eta; for a constant eta
 * the two agree, and in our measurements both blew up at rho_TR 1e-3 with beta_mom 0.92; README, "Departures").
 *
 * RMSNorm gains are vectors, not products: their block is EKFAC's with Q = I, D the moving average of the
 * paths' own squared pseudo-gradients (as line 12 squares each path's rotated DW), damped the same way. (The
 * square of the paths' summed pseudo-gradient over m, used before, is one chi-square draw per entry whatever m:
 * on the cliquet race's first batch it was a median 0.28x of this, under 0.01x for 12% of the entries, whose
 * steps came out that much too large.) The first statistics are taken on the paths of the first batch (up to
 * 256) rather than one: from a single path's squared pseudo-gradient D is nearly singular, and the trust
 * region then allows huge steps along the directions it has not seen yet. On the first iteration the
 * eigenbases are computed before D so that D starts in them.
 *
 * On diagnostics iterations the step s (the velocity) is measured against a fresh estimate B of the curvature
 * from the pseudo-gradients of 64 of the batch's paths: kappa = s^T B s / s^T B^ s per block, B^ the
 * preconditioner's own (issue 19). kappa >> 1 means the preconditioner underestimates the curvature along
 * the step, which the trust region then lets grow too large.
 *
 * Everything stays on the device except A and G, read back every N_evd iterations for the eigensolver, and the
 * loss (one scalar per iteration).
 */
import * as tf from '@tensorflow/tfjs';
import { addAll } from '../kernels/add-n';
import { symmetricEigen } from '../linalg/symmetric-eigen';
import { sliceProblem, type HedgingProblem } from '../hedging/problem';
import type { RecurrentHedger } from '../policies/recurrent-hedger';
import type { RandomStream } from '../random/stream';
import type { StepCurvature } from '../experiment/events';
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
  earlyIterations: number;
  earlyEigenEvery: number;
  curvaturePaths: number;
  costCurvature: number;
}

/**
 * Which of lines 3-14 iteration i runs: A, G and D every N_cov iterations and the eigenbases every N_evd, or,
 * over the first `earlyIterations`, the curvature every iteration and the eigenbases every `earlyEigenEvery`
 * (iteration 0 always does both).
 */
export function curvatureSchedule(s: Pick<DhKfacSettings, 'covarianceEvery' | 'eigenEvery' | 'earlyIterations' | 'earlyEigenEvery'>, i: number): { covariance: boolean; eigenbases: boolean } {
  const early = i < s.earlyIterations;
  return { covariance: early || i % s.covarianceEvery === 0, eigenbases: i % (early ? s.earlyEigenEvery : s.eigenEvery) === 0 };
}

/**
 * The weight of the old value in the k-th update (k = 1, 2, ...) of a bias-corrected moving average with factor
 * beta: m_k = w m_(k-1) + (1 - w) x_k equals sum_i beta^(k-i) (1 - beta) x_i / (1 - beta^k), Adam's corrected
 * moment, so that the first estimate replaces the initial value and the next ones weigh in at 1/2, 1/3, ...
 * while beta^k is far from 0.
 */
export function biasCorrectedWeight(beta: number, k: number): number {
  return (beta * (1 - beta ** (k - 1))) / (1 - beta ** k);
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

/** Paths whose pseudo-gradients estimate the curvature B that kappa compares the preconditioner with. */
const PROBE_PATHS = 64;

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
    /** Z of the pseudo-gradients, the choice of their paths, and Z of the kappa diagnostic's. */
    private readonly streams: { noise: RandomStream; paths: RandomStream; probe: RandomStream },
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

  /** Moving average of line 5, 11 or 12, bias-corrected (the first value replaces the initial one). */
  private average(target: tf.Variable, value: tf.Tensor): void {
    const beta = biasCorrectedWeight(this.s.averaging, this.updates + 1);
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

  /** Lines 3-12 on this iteration's batch statistics and the pseudo-gradients of `paths`. */
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

  /**
   * The per-path pseudo-gradients of the batch's last PROBE_PATHS paths at the current weights, with their own Z:
   * the curvature B = mean_j G_j G_j^T that kappa measures the step against.
   */
  private probe(batch: HedgingProblem, i: number): { blocks: tf.Tensor3D[]; gains: tf.Tensor2D[] } {
    const n = batch.features.shape[1];
    const m = Math.min(n, PROBE_PATHS);
    const part = sliceProblem(batch, n - m, m);
    try {
      const pseudo = pseudoGradient(this.net, part.problem, this.s.gamma, this.s.costCurvature, this.streams.probe, i);
      tf.dispose([...pseudo.grads, ...pseudo.gradientFactors]);
      return { blocks: pseudo.perPath, gains: pseudo.perPathGains };
    } finally {
      tf.dispose(part.owned);
    }
  }

  /**
   * kappa = s^T B s / s^T B^ s of the step s just taken (the velocity, since theta -= m) for every Kronecker
   * block, B^ = Q diag(shrunk D) Q^T as it scaled the step, and for the RMSNorm gains together. kappa does not
   * depend on the length of s, so s is scaled to largest entry 1 first, and a short step's squares stay within
   * float32's normal range (GPUs flush smaller numbers to 0). null for a block that did not move.
   */
  private async kappa(probe: { blocks: tf.Tensor3D[]; gains: tf.Tensor2D[] }): Promise<StepCurvature[]> {
    const L = this.blocks.length;
    const rho = this.s.shrinkage;
    const ratios = tf.tidy(() => {
      const unit = (parts: tf.Tensor[]) => {
        const largest = tf.maximum(tf.max(tf.stack(parts.map((p) => tf.max(tf.abs(p))))), TINY);
        return parts.map((p) => tf.div(p, largest));
      };
      const along = (perPath: tf.Tensor, step: tf.Tensor) => tf.sum(tf.mul(perPath, step.expandDims(0)), perPath.rank === 3 ? [1, 2] : 1);
      const blocks = this.blocks.map((b, k) => {
        const [step] = unit([stacked(this.velocity[2 * k], this.velocity[2 * k + 1])]);
        const exact = tf.mean(tf.square(along(probe.blocks[k], step)));
        const rotated = tf.matMul(tf.matMul(b.qa.transpose(), step), b.qg);
        return tf.div(exact, tf.sum(tf.mul(tf.square(rotated), shrunk(b.d, rho))));
      });
      const gains = probe.gains.length
        ? (() => {
            const steps = unit(this.velocity.slice(2 * L));
            const exact = tf.mean(tf.square(addAll(probe.gains.map((g, l) => along(g, steps[l])))));
            return [tf.div(exact, addAll(this.gainD.map((d, l) => tf.sum(tf.mul(tf.square(steps[l]), shrunk(d, rho))))))];
          })()
        : [];
      return tf.stack([...blocks, ...gains]);
    });
    const values = await ratios.data();
    ratios.dispose();
    const names = [...this.net.layers.map((l) => l.name), ...(probe.gains.length ? ['gains'] : [])];
    return names.map((block, k) => ({ block, kappa: Number.isFinite(values[k]) ? values[k] : null }));
  }

  async step(batch: HedgingProblem, i: number, diagnostics: boolean): Promise<RecurrentStep> {
    const { covariance, eigenbases } = curvatureSchedule(this.s, i);
    const pass = batchPass(this.net, batch, this.s.gamma, covariance || diagnostics);
    let probe: { blocks: tf.Tensor3D[]; gains: tf.Tensor2D[] } | null = null;
    try {
      if (diagnostics) probe = this.probe(batch, i);
      if (covariance) {
        // The first statistics on (at most MICRO_BATCH of) the batch's paths, then on `curvaturePaths` of them
        // from a random start (the batch is in random order; line 6 samples one).
        const n = batch.features.shape[1];
        const m = Math.min(n, this.updates === 0 ? Math.max(MICRO_BATCH, this.s.curvaturePaths) : this.s.curvaturePaths);
        const start = this.updates === 0 ? 0 : Math.min(n - m, Math.floor(this.streams.paths.uniforms(new Float64Array(1), i)[0] * (n - m + 1)));
        const paths = sliceProblem(batch, start, m);
        try {
          await this.updateCurvature(pass.activationFactors!, paths.problem, i);
        } finally {
          tf.dispose(paths.owned);
        }
      }
      // (Iteration 0 has computed its eigenbases before its first D.)
      if (i > 0 && eigenbases) await this.eigenbases();
      this.update(pass.grads);
      this.trustRegion *= this.s.trustRegionDecay;
      const eigen = diagnostics ? this.maxEigenvalue() : null;
      const [loss, variance, largest, kappa] = await Promise.all([pass.loss.data(), diagnostics ? pass.gradientVariance!.data() : null, eigen?.data(), probe ? this.kappa(probe) : null]);
      eigen?.dispose();
      return { loss: loss[0], gradientVariance: variance ? variance[0] : null, maxEigenvalue: largest ? largest[0] : null, kappa };
    } finally {
      tf.dispose([pass.loss, ...pass.grads, ...(pass.activationFactors ?? []), pass.gradientVariance, ...(probe ? [...probe.blocks, ...probe.gains] : [])]);
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
      const dot = addAll(pre.map((p, i) => tf.sum(tf.mul(p, grads[i]))));
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
