/**
 * TD3 (paper 000 §4.4; Fujimoto et al. 2018): DDPG (ddpg.ts, eq. 43-44) with twin critics whose minimum is
 * the target, the actor and the targets updated every `policyDelay` critic steps, and target policy
 * smoothing: a' = clip(mu'(s') + clip(eps, -noiseClip, noiseClip), -1, 1), eps ~ N(0, targetNoise^2), in the
 * normalised action space. Defaults are Stable-Baselines3's (experiment/rl-defaults.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { RlStrategy } from '../experiment/schema';
import type { RandomStream } from '../random/stream';
import { DeterministicActorCritic } from './ddpg';
import { childStream } from '../random/stream';
import { StreamCursor } from './stream-cursor';

/** clip(mu + clip(noise, -noiseClip, noiseClip), -1, 1), elementwise. */
export function smoothedTargetAction(mu: tf.Tensor2D, noise: tf.Tensor2D, noiseClip: number): tf.Tensor2D {
  return tf.tidy(() => tf.clipByValue(tf.add(mu, tf.clipByValue(noise, -noiseClip, noiseClip)), -1, 1));
}

export class Td3 extends DeterministicActorCritic {
  private readonly smoothing: StreamCursor;
  private readonly targetNoise: number;
  private readonly noiseClip: number;

  constructor(s: Extract<RlStrategy, { type: 'td3' }>, stateSize: number, rng: RandomStream) {
    super(s.network, s.rl, { ...s.td3, critics: 2 }, stateSize, rng);
    this.smoothing = new StreamCursor(childStream(rng, 'target-noise'));
    this.targetNoise = s.td3.targetNoise;
    this.noiseClip = s.td3.noiseClip;
  }

  protected override targetAction(next: tf.Tensor2D): tf.Tensor2D {
    const m = next.shape[0];
    const eps = this.smoothing.normals(m);
    return tf.tidy(() => smoothedTargetAction(super.targetAction(next), tf.mul(tf.tensor2d(eps, [m, 1]), this.targetNoise) as tf.Tensor2D, this.noiseClip));
  }
}
