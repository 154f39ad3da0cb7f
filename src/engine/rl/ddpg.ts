/**
 * DDPG (paper 000 §4.4, eq. 43-44; Lillicrap et al. 2016), as Stable-Baselines3 writes it (TD3 with one
 * critic, no policy delay and no target smoothing). The deterministic actor mu(s) = tanh(MLP(s)) in the
 * normalised action space explores with Gaussian noise N(0, actionNoise^2) clipped to [-1, 1]; on each
 * minibatch the critics regress on the one-step target of eq. 43,
 *   y = r + gamma (1 - done) min_k Q'_k(s', a'),   a' = mu'(s')   (TD3 smooths a', td3.ts),
 * loss sum_k mean (Q_k(s, a) - y)^2, and every `policyDelay` critic steps the actor ascends Q_1(s, mu(s))
 * (eq. 44) and every target follows its network by Polyak averaging (target-network.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { AgentFigures } from '../experiment/events';
import type { RlStrategy } from '../experiment/schema';
import { Mlp } from '../policies/mlp';
import type { RandomStream } from '../random/stream';
import { adam, OffPolicyAgent, type OffPolicySettings, type RlSettings, type StepFigures } from './off-policy-agent';
import { QNetwork } from './q-network';
import type { TransitionBatch } from './replay-buffer';
import { childStream } from '../random/stream';
import { StreamCursor } from './stream-cursor';
import { polyakUpdate } from './target-network';

export interface DeterministicSettings extends OffPolicySettings {
  actionNoise: number;
  /** 1 (DDPG) or 2 (TD3's twin critics). */
  critics: number;
  policyDelay: number;
}

type Network = RlStrategy['network'];

/** The deterministic actor-critic that DDPG is and TD3 refines. */
export class DeterministicActorCritic extends OffPolicyAgent {
  readonly actor: Mlp;
  readonly critics: QNetwork[];
  private readonly actorTarget: Mlp;
  private readonly criticTargets: QNetwork[];
  private readonly actorOptimiser: tf.AdamOptimizer;
  private readonly criticOptimiser: tf.AdamOptimizer;
  private readonly exploration: StreamCursor;
  /** Critic updates so far (Stable-Baselines3's _n_updates). */
  private criticUpdates = 0;

  constructor(network: Network, rl: RlSettings, protected readonly deterministic: DeterministicSettings, stateSize: number, rng: RandomStream) {
    super(rl, deterministic, stateSize, rng);
    const { layers, units } = network;
    // A target starts as its network: built from the same stream.
    const actorStream = childStream(rng, 'actor');
    this.actor = new Mlp(stateSize, layers, units, 1, actorStream);
    this.actorTarget = new Mlp(stateSize, layers, units, 1, actorStream);
    const criticStreams = Array.from({ length: deterministic.critics }, (_, k) => childStream(rng, `critic-${k + 1}`));
    this.critics = criticStreams.map((r) => new QNetwork(stateSize, layers, units, r));
    this.criticTargets = criticStreams.map((r) => new QNetwork(stateSize, layers, units, r));
    this.actorOptimiser = adam(rl.learningRate);
    this.criticOptimiser = adam(rl.learningRate);
    this.exploration = new StreamCursor(childStream(rng, 'exploration'));
  }

  protected mu(net: Mlp, states: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.tanh(net.apply(states)));
  }

  protected explore(states: tf.Tensor2D): tf.Tensor2D {
    const m = states.shape[0];
    const noise = this.exploration.normals(m);
    return tf.tidy(() => tf.clipByValue(tf.add(this.mu(this.actor, states), tf.mul(tf.tensor2d(noise, [m, 1]), this.deterministic.actionNoise)), -1, 1));
  }

  protected greedy(states: tf.Tensor2D): tf.Tensor2D {
    return this.mu(this.actor, states);
  }

  /** a' of the critics' target at the next states (TD3 adds clipped noise). */
  protected targetAction(next: tf.Tensor2D): tf.Tensor2D {
    return this.mu(this.actorTarget, next);
  }

  gradientStep(b: TransitionBatch): StepFigures {
    return tf.tidy(() => {
      this.criticUpdates++;
      const next = this.targetAction(b.next);
      const q = this.criticTargets.map((c) => c.value(b.next, next));
      const minimum = q.reduce((x, y) => tf.minimum(x, y));
      const y = tf.add(b.rewards, tf.mul(tf.mul(tf.sub(1, b.done), this.rl.gamma), minimum));
      const criticVariables = this.critics.flatMap((c) => c.variables);
      const loss = this.criticOptimiser.minimize(
        () => this.critics.map((c) => tf.mean(tf.square(tf.sub(c.value(b.states, b.actions), y)))).reduce((u, v) => tf.add(u, v)) as tf.Scalar,
        true,
        criticVariables,
      )!;
      if (this.criticUpdates % this.deterministic.policyDelay === 0) {
        this.actorOptimiser.minimize(() => tf.neg(tf.mean(this.critics[0].value(b.states, this.mu(this.actor, b.states)))), false, this.actor.variables);
        polyakUpdate(this.criticTargets.flatMap((c) => c.variables), criticVariables, this.settings.tau);
        polyakUpdate(this.actorTarget.variables, this.actor.variables, this.settings.tau);
      }
      return { q: tf.mean(this.critics[0].value(b.states, b.actions)) as tf.Scalar, value_loss: loss };
    });
  }

  /** The exploration noise's std in position units. */
  protected ownFigures(): Promise<AgentFigures> {
    const { min, max } = this.rl.bounds;
    return Promise.resolve({ policy_std: (this.deterministic.actionNoise * (max - min)) / 2 });
  }

  protected disposeNetworks(): void {
    for (const net of [this.actor, this.actorTarget, ...this.critics, ...this.criticTargets]) net.dispose();
    this.actorOptimiser.dispose();
    this.criticOptimiser.dispose();
  }
}

export class Ddpg extends DeterministicActorCritic {
  constructor(s: Extract<RlStrategy, { type: 'ddpg' }>, stateSize: number, rng: RandomStream) {
    super(s.network, s.rl, { ...s.ddpg, critics: 1, policyDelay: 1 }, stateSize, rng);
  }
}
