/**
 * SAC (paper 000 §4.4, eq. 45) in its modern form, Stable-Baselines3's (Haarnoja et al. 2018b): no separate
 * V network; twin critics and their Polyak targets; the tanh-squashed Gaussian actor of
 * squashed-gaussian.ts, whose MLP outputs the mean and log sigma of u (a = tanh(u) in the normalised action
 * space). On each minibatch, with alpha = exp(log alpha) before this step's temperature update:
 *   temperature  L(alpha) = -mean(log alpha (log pi(a|s) + targetEntropy))       (when autoTemperature)
 *   critics      y = r + gamma (1 - done) (min_k Q'_k(s', a') - alpha log pi(a'|s')),  a' ~ pi(.|s')
 *                L(Q) = 1/2 sum_k mean (Q_k(s, a) - y)^2
 *   actor        L(pi) = mean(alpha log pi(a~|s) - min_k Q_k(s, a~)),  a~ ~ pi(.|s) reparameterised
 * (the last is eq. 45's KL to exp(Q)/Z up to a constant), then the targets follow by Polyak averaging.
 */
import * as tf from '@tensorflow/tfjs';
import type { AgentFigures } from '../experiment/events';
import type { RlStrategy } from '../experiment/schema';
import { Mlp } from '../policies/mlp';
import type { RandomStream } from '../random/stream';
import { adam, OffPolicyAgent, type StepFigures } from './off-policy-agent';
import { QNetwork } from './q-network';
import type { TransitionBatch } from './replay-buffer';
import { LOG_STD_MAX, LOG_STD_MIN, squashedSample } from './squashed-gaussian';
import { childStream } from '../random/stream';
import { StreamCursor } from './stream-cursor';
import { polyakUpdate } from './target-network';

export class Sac extends OffPolicyAgent {
  /** Outputs [mean, log sigma] of the pre-squash Gaussian. */
  readonly actor: Mlp;
  readonly critics: QNetwork[];
  private readonly criticTargets: QNetwork[];
  private readonly logTemperature: tf.Variable<tf.Rank.R0>;
  private readonly actorOptimiser: tf.AdamOptimizer;
  private readonly criticOptimiser: tf.AdamOptimizer;
  private readonly temperatureOptimiser: tf.AdamOptimizer;
  private readonly noise: StreamCursor;
  private readonly sac: Extract<RlStrategy, { type: 'sac' }>['sac'];

  constructor(s: Extract<RlStrategy, { type: 'sac' }>, stateSize: number, rng: RandomStream) {
    super(s.rl, s.sac, stateSize, rng);
    const { layers, units } = s.network;
    this.sac = s.sac;
    this.actor = new Mlp(stateSize, layers, units, 2, childStream(rng, 'actor'));
    const criticStreams = [1, 2].map((k) => childStream(rng, `critic-${k}`));
    this.critics = criticStreams.map((r) => new QNetwork(stateSize, layers, units, r));
    this.criticTargets = criticStreams.map((r) => new QNetwork(stateSize, layers, units, r));
    this.logTemperature = tf.tidy(() => tf.variable(tf.scalar(Math.log(s.sac.temperature))));
    this.actorOptimiser = adam(s.rl.learningRate);
    this.criticOptimiser = adam(s.rl.learningRate);
    this.temperatureOptimiser = adam(s.rl.learningRate);
    this.noise = new StreamCursor(childStream(rng, 'policy-noise'));
  }

  /** Mean and clipped log sigma [m, 1] of the pre-squash Gaussian at states [m, S]. */
  private gaussian(states: tf.Tensor2D): { mean: tf.Tensor2D; logStd: tf.Tensor2D } {
    return tf.tidy(() => {
      const out = this.actor.apply(states);
      const m = states.shape[0];
      return { mean: out.slice([0, 0], [m, 1]), logStd: tf.clipByValue(out.slice([0, 1], [m, 1]), LOG_STD_MIN, LOG_STD_MAX) };
    });
  }

  /** A reparameterised draw of the policy at `states` with the next normals of the policy's stream. */
  private sample(states: tf.Tensor2D, noise: Float32Array): { action: tf.Tensor2D; logProb: tf.Tensor1D } {
    return tf.tidy(() => {
      const { mean, logStd } = this.gaussian(states);
      return squashedSample(mean, logStd, tf.tensor2d(noise, [states.shape[0], 1]));
    });
  }

  protected explore(states: tf.Tensor2D): tf.Tensor2D {
    const noise = this.noise.normals(states.shape[0]);
    return tf.tidy(() => this.sample(states, noise).action);
  }

  protected greedy(states: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.tanh(this.gaussian(states).mean));
  }

  gradientStep(b: TransitionBatch): StepFigures {
    const m = b.states.shape[0];
    const noiseNow = this.noise.normals(m);
    const noiseNext = this.noise.normals(m);
    return tf.tidy(() => {
      const alpha = tf.exp(this.logTemperature) as tf.Scalar;
      const now = this.gaussian(b.states);
      if (this.sac.autoTemperature) {
        const { logProb } = squashedSample(now.mean, now.logStd, tf.tensor2d(noiseNow, [m, 1]));
        const target = tf.add(logProb, this.sac.targetEntropy);
        this.temperatureOptimiser.minimize(() => tf.neg(tf.mean(tf.mul(this.logTemperature, target))), false, [this.logTemperature]);
      }
      const next = this.sample(b.next, noiseNext);
      const qNext = this.criticTargets.map((c) => c.value(b.next, next.action)).reduce((x, y) => tf.minimum(x, y));
      const soft = tf.sub(qNext, tf.mul(alpha, next.logProb));
      const y = tf.add(b.rewards, tf.mul(tf.mul(tf.sub(1, b.done), this.rl.gamma), soft));
      const criticVariables = this.critics.flatMap((c) => c.variables);
      const loss = this.criticOptimiser.minimize(
        () => tf.mul(0.5, this.critics.map((c) => tf.mean(tf.square(tf.sub(c.value(b.states, b.actions), y)))).reduce((u, v) => tf.add(u, v))) as tf.Scalar,
        true,
        criticVariables,
      )!;
      this.actorOptimiser.minimize(
        () => {
          const pi = this.sample(b.states, noiseNow);
          const q = this.critics.map((c) => c.value(b.states, pi.action)).reduce((x, y) => tf.minimum(x, y));
          return tf.mean(tf.sub(tf.mul(alpha, pi.logProb), q)) as tf.Scalar;
        },
        false,
        this.actor.variables,
      );
      polyakUpdate(this.criticTargets.flatMap((c) => c.variables), criticVariables, this.settings.tau);
      return {
        q: tf.mean(this.critics[0].value(b.states, b.actions)) as tf.Scalar,
        value_loss: loss,
        policy_std: tf.mean(tf.exp(now.logStd)) as tf.Scalar,
      };
    });
  }

  /** alpha now. */
  protected async ownFigures(): Promise<AgentFigures> {
    const alpha = tf.exp(this.logTemperature);
    const [value] = await alpha.data();
    alpha.dispose();
    return { temperature: value };
  }

  protected disposeNetworks(): void {
    for (const net of [this.actor, ...this.critics, ...this.criticTargets]) net.dispose();
    this.logTemperature.dispose();
    this.actorOptimiser.dispose();
    this.criticOptimiser.dispose();
    this.temperatureOptimiser.dispose();
  }
}
