/**
 * Adam (Kingma & Ba 2015) as paper 002 §4.1 trains the recurrent hedger: the learning rate rises linearly over
 * the first epoch (`warmup` iterations), then decays exponentially, lr_k = lr decay^(k - warmup); the gradient
 * is clipped to Euclidean norm `clipNorm` first. Written out (m, v, bias corrections) because tfjs's Adam has
 * no schedule. All on the device: one scalar (the loss) is read back per iteration.
 */
import * as tf from '@tensorflow/tfjs';
import { addAll } from '../kernels/add-n';
import type { RecurrentHedger } from '../policies/recurrent-hedger';
import { batchPass } from './recurrent-gradients';
import type { RecurrentOptimiser, RecurrentStep } from './recurrent-optimiser';

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-8;

export interface AdamSchedule {
  learningRate: number;
  decay: number;
  clipNorm: number;
  /** Iterations of linear warm-up (the paper: one epoch). */
  warmup: number;
}

/** The learning rate of iteration k (0-based). */
export function scheduledRate(s: AdamSchedule, k: number): number {
  return k < s.warmup ? (s.learningRate * (k + 1)) / s.warmup : s.learningRate * s.decay ** (k - s.warmup);
}

/** g scaled down to norm `clip` when longer (clip 0: unchanged). */
export function clipByGlobalNorm(grads: tf.Tensor[], clip: number): tf.Tensor[] {
  if (clip <= 0) return grads;
  return tf.tidy(() => {
    const norm = tf.sqrt(addAll(grads.map((g) => tf.sum(tf.square(g)))));
    const scale = tf.div(clip, tf.maximum(norm, clip));
    return grads.map((g) => tf.mul(g, scale));
  });
}

export class ScheduledAdam implements RecurrentOptimiser {
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];

  constructor(
    private readonly net: RecurrentHedger,
    private readonly gamma: number,
    private readonly schedule: AdamSchedule,
  ) {
    this.m = tf.tidy(() => net.variables.map((x) => tf.variable(tf.zerosLike(x))));
    this.v = tf.tidy(() => net.variables.map((x) => tf.variable(tf.zerosLike(x))));
  }

  async step(batch: Parameters<RecurrentOptimiser['step']>[0], k: number, diagnostics: boolean): Promise<RecurrentStep> {
    const pass = batchPass(this.net, batch, this.gamma, diagnostics);
    const rate = scheduledRate(this.schedule, k);
    tf.tidy(() => {
      const clipped = clipByGlobalNorm(pass.grads, this.schedule.clipNorm);
      const c1 = 1 - BETA1 ** (k + 1);
      const c2 = 1 - BETA2 ** (k + 1);
      this.net.variables.forEach((x, i) => {
        const g = clipped[i];
        this.m[i].assign(tf.add(tf.mul(this.m[i], BETA1), tf.mul(g, 1 - BETA1)));
        this.v[i].assign(tf.add(tf.mul(this.v[i], BETA2), tf.mul(tf.square(g), 1 - BETA2)));
        const update = tf.div(tf.div(this.m[i], c1), tf.add(tf.sqrt(tf.div(this.v[i], c2)), EPSILON));
        x.assign(tf.sub(x, tf.mul(update, rate)));
      });
    });
    const [loss, variance] = await Promise.all([pass.loss.data(), pass.gradientVariance?.data()]);
    tf.dispose([pass.loss, ...pass.grads, ...(pass.activationFactors ?? []), pass.gradientVariance]);
    return { loss: loss[0], gradientVariance: variance ? variance[0] : null, maxEigenvalue: null, kappa: null };
  }

  dispose(): void {
    tf.dispose([...this.m, ...this.v]);
  }
}
