/**
 * The variance-preserving SDE of score-based generative modelling (Song, Sohl-Dickstein, Kingma, Kumar,
 * Ermon and Poole, "Score-based generative modeling through stochastic differential equations", ICLR 2021,
 * eqs. 11, 6, 13 and 32-33), which SigDiffusions trains on log-signature coordinates:
 *   dx = -1/2 beta(t) x dt + sqrt(beta(t)) dw,   beta(t) = beta_min + t (beta_max - beta_min),  t in [0, 1],
 * with beta_min 0.1 and beta_max 20 (their defaults), so that x_t | x_0 ~ N(alpha_t x_0, sigma_t^2 I),
 *   alpha_t = exp(-t^2 (beta_max - beta_min) / 4 - t beta_min / 2),   sigma_t^2 = 1 - alpha_t^2.
 * Denoising score matching with their weighting lambda(t) = sigma_t^2: the loss E || sigma_t s(x_t, t) + z ||^2
 * for x_t = alpha_t x_0 + sigma_t z, t ~ U(eps, 1) stratified over the batch. Sampling from x_1 ~ N(0, I) back to t = eps with N steps of
 * either the reverse-time SDE by Euler-Maruyama,
 *   x <- x + [1/2 beta x + beta s(x, t)] dt + sqrt(beta dt) z,
 * or the probability-flow ODE dx/dt = -1/2 beta (x + s(x, t)) by Heun's method (deterministic given x_1).
 */
import * as tf from '@tensorflow/tfjs';
import type { RandomStream } from '../random/stream';

export interface VpSde {
  betaMin: number;
  betaMax: number;
  /** The smallest time trained and sampled to (the data's x_eps, nearly x_0). */
  eps: number;
}

export const VP_SDE: VpSde = { betaMin: 0.1, betaMax: 20, eps: 1e-3 };

export function beta(sde: VpSde, t: number): number {
  return sde.betaMin + t * (sde.betaMax - sde.betaMin);
}

/** alpha_t and sigma_t of the perturbation kernel x_t | x_0 ~ N(alpha_t x_0, sigma_t^2 I). */
export function marginal(sde: VpSde, t: number): { alpha: number; sigma: number } {
  const alpha = Math.exp((-t * t * (sde.betaMax - sde.betaMin)) / 4 - (t * sde.betaMin) / 2);
  return { alpha, sigma: Math.sqrt(1 - alpha * alpha) };
}

/** sigma_t for times t [n] as a column [n, 1], on the device (no read-back). */
export function sigmaColumn(sde: VpSde, t: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => {
    const logAlpha = tf.sub(tf.mul(tf.square(t), -(sde.betaMax - sde.betaMin) / 4), tf.mul(t, sde.betaMin / 2));
    return tf.sqrt(tf.sub(1, tf.exp(tf.mul(logAlpha, 2)))).reshape([-1, 1]) as tf.Tensor2D;
  });
}

/** The model's score at times t [n] for points x [n, d]. */
export type ScoreModel = (x: tf.Tensor2D, t: tf.Tensor1D) => tf.Tensor2D;

/**
 * The denoising score-matching loss of `score` on the batch x0 [n, d], with each row's time and noise from
 * `rng` (draws indexed by `draw`): mean over rows of || sigma_t s(x_t, t) + z ||^2 / d.
 */
export function scoreMatchingLoss(sde: VpSde, score: ScoreModel, x0: tf.Tensor2D, rng: RandomStream, draw: number): tf.Scalar {
  const [n, d] = x0.shape;
  const u = rng.uniforms(new Float32Array(n), draw * n * (d + 1));
  const z = rng.normals(new Float32Array(n * d), draw * n * (d + 1) + n);
  // Stratified over the batch (SigDiffusions' low-discrepancy times): row i in [eps, 1]'s i-th n-th.
  const times = u.map((v, i) => sde.eps + ((1 - sde.eps) * (i + v)) / n);
  const scales = Array.from(times, (t) => marginal(sde, t));
  return tf.tidy(() => {
    const alpha = tf.tensor2d(Float32Array.from(scales, (m) => m.alpha), [n, 1]);
    const sigma = tf.tensor2d(Float32Array.from(scales, (m) => m.sigma), [n, 1]);
    const noise = tf.tensor2d(z, [n, d]);
    const xt = tf.add(tf.mul(alpha, x0), tf.mul(sigma, noise)) as tf.Tensor2D;
    const residual = tf.add(tf.mul(sigma, score(xt, tf.tensor1d(times))), noise);
    return tf.mean(tf.sum(tf.square(residual), 1)).div(d) as tf.Scalar;
  });
}

export type Sampler = 'reverse-sde' | 'probability-flow';

/**
 * n samples in d dimensions by `steps` steps from t = 1 to eps; the noise of x_1 and of the reverse SDE's steps
 * from `rng`. Yields the steps done after each step (a turn for progress and Stop) and returns the samples,
 * which the caller owns; a consumer that stops reading frees the current state.
 */
export async function* sampling(sde: VpSde, score: ScoreModel, n: number, d: number, steps: number, sampler: Sampler, rng: RandomStream): AsyncGenerator<number, tf.Tensor2D> {
  let x = tf.tensor2d(rng.normals(new Float32Array(n * d), 0), [n, d]);
  const dt = (1 - sde.eps) / steps;
  const at = (t: number) => tf.fill([n], t) as tf.Tensor1D;
  // dx/dt of the probability-flow ODE.
  const drift = (y: tf.Tensor2D, t: number) => tf.tidy(() => tf.mul(tf.add(y, score(y, at(t))), -0.5 * beta(sde, t)) as tf.Tensor2D);
  let done = false;
  try {
    for (let k = 0; k < steps; k++) {
      const t = 1 - k * dt;
      const next = tf.tidy(() => {
        if (sampler === 'probability-flow') {
          const k1 = drift(x, t);
          const predicted = tf.sub(x, tf.mul(k1, dt)) as tf.Tensor2D;
          return tf.sub(x, tf.mul(tf.add(k1, drift(predicted, t - dt)), dt / 2)) as tf.Tensor2D;
        }
        const b = beta(sde, t);
        const z = tf.tensor2d(rng.normals(new Float32Array(n * d), (k + 1) * n * d), [n, d]);
        const reverse = tf.add(tf.mul(x, 0.5 * b), tf.mul(score(x, at(t)), b));
        return tf.add(tf.add(x, tf.mul(reverse, dt)), tf.mul(z, Math.sqrt(b * dt))) as tf.Tensor2D;
      });
      x.dispose();
      x = next;
      yield k + 1;
    }
    done = true;
    return x;
  } finally {
    if (!done) x.dispose();
  }
}

/** Score evaluations a sampler makes in `steps` steps (Heun's two a step for the probability-flow ODE). */
export function scoreEvaluations(sampler: Sampler, steps: number): number {
  return sampler === 'probability-flow' ? 2 * steps : steps;
}
