/**
 * BC-RPPO of paper 000 §3.3 (Algorithms 1 and 2): the recurrent actor and critic of recurrent-actor.ts,
 * cloned from the expert first (behaviour-cloning.ts, where bc.enabled; off: the "without BC" ablation),
 * then fine-tuned by recurrent PPO. Each update (Algorithm 2, one n_epoch):
 *   line 2   roll out every episode with the stochastic policy (rollout.ts), keeping ln pi_old;
 *   line 5   GAE advantages with the critic of the rollout (eq. 33), the same for every actor pass;
 *   line 4-8 n_actor_update shuffled passes over the transitions in minibatches, each one Adam step on the
 *            clipped surrogate (eq. 36/42, advantages normalised within the minibatch) plus lambda_entropy
 *            Loss_entropy (eq. 28), the gradient clipped to maxGradNorm;
 *   line 9-10 then n_critic_update passes, each minibatch one Adam step on (V(s_t) - V_t^target)^2 with the
 *            lambda-returns V^target = V_old + A of eq. 38 (Algorithm 2 writes the loss as the squared
 *            advantage, which is the same quantity at the rollout's critic).
 * Actor and critic have Adam optimisers of their own at rl.learningRate (eps 1e-5 as SB3's); behaviour
 * cloning has its own at bc.learningRate.
 */
import * as tf from '@tensorflow/tfjs';
import type { AgentFigures } from '../experiment/events';
import type { RlStrategy } from '../experiment/schema';
import { clippedStep, type AgentStreams } from './actor-critic';
import type { ExpertTrajectories } from './agent';
import { cloneEpoch, expertPairs, type ExpertPairs } from './behaviour-cloning';
import type { HedgingEnvironment } from './hedging-environment';
import { gatherTransitions, logProbAndEntropy, OnPolicyAgent } from './on-policy';
import { clippedSurrogate, normaliseAdvantages } from './ppo';
import { RecurrentActorCritic } from './recurrent-actor';
import { minibatches } from './rollout';

type BcRppo = Extract<RlStrategy, { type: 'bc-rppo' }>;

export class RppoAgent extends OnPolicyAgent {
  declare readonly net: RecurrentActorCritic;
  private readonly actorOptimizer: tf.AdamOptimizer;
  private readonly criticOptimizer: tf.AdamOptimizer;
  private readonly bcOptimizer: tf.AdamOptimizer;
  /** The expert's pairs while behaviour cloning runs (built on its first epoch, freed by the first update). */
  private cloned: { expert: ExpertTrajectories; pairs: ExpertPairs } | null = null;
  readonly pretrain?: (expert: ExpertTrajectories, epoch: number) => Promise<AgentFigures>;

  constructor(
    private readonly s: BcRppo,
    stateSize: number,
    streams: AgentStreams,
  ) {
    const { min, max } = s.rl.bounds;
    const { frames, gru, gruUnits } = s.rppo;
    super(new RecurrentActorCritic({ stateSize, frames, gru, gruUnits, layers: s.network.layers, units: s.network.units, centre: (min + max) / 2 }, streams), streams, s.rl.gamma);
    this.actorOptimizer = tf.train.adam(s.rl.learningRate, 0.9, 0.999, 1e-5);
    this.criticOptimizer = tf.train.adam(s.rl.learningRate, 0.9, 0.999, 1e-5);
    this.bcOptimizer = tf.train.adam(s.bc.learningRate);
    if (s.bc.enabled) this.pretrain = (expert, epoch) => this.clone(expert, epoch);
  }

  private async clone(expert: ExpertTrajectories, epoch: number): Promise<AgentFigures> {
    if (this.cloned?.expert !== expert) {
      this.release();
      this.cloned = { expert, pairs: expertPairs(expert, this.net.frames) };
    }
    return cloneEpoch(this.net, this.bcOptimizer, this.cloned.pairs, this.s.bc.batchSize, this.s.bc.entropy, this.streams('bc', epoch));
  }

  private release(): void {
    if (this.cloned) tf.dispose([this.cloned.pairs.inputs, this.cloned.pairs.actions]);
    this.cloned = null;
  }

  update(env: HedgingEnvironment, update: number, rewardScale: number): Promise<AgentFigures> {
    this.release();
    const { rppo } = this.s;
    const count = env.steps * env.paths;
    return this.learnFrom(env, update, rewardScale, rppo.lambda, rppo.clip, (t) => {
      for (let j = 1; j <= rppo.actorUpdates; j++) {
        for (const index of minibatches(count, rppo.minibatch, this.streams('actor', update, j))) {
          tf.tidy(() => {
            const b = gatherTransitions(t, index);
            const advantages = normaliseAdvantages(b.advantages);
            const loss = () => {
              const { logProb, entropy } = logProbAndEntropy(this.net, b);
              return tf.sub(clippedSurrogate(logProb, b.logProbs, advantages, rppo.clip), tf.mul(rppo.entropy, tf.mean(entropy))) as tf.Scalar;
            };
            clippedStep(this.actorOptimizer, loss, this.net.actorVariables, rppo.maxGradNorm);
          });
        }
      }
      for (let j = 1; j <= rppo.criticUpdates; j++) {
        for (const index of minibatches(count, rppo.minibatch, this.streams('critic', update, j))) {
          tf.tidy(() => {
            const b = gatherTransitions(t, index);
            const loss = () => tf.mean(tf.square(tf.sub(this.net.value(b.inputs), b.returns))) as tf.Scalar;
            clippedStep(this.criticOptimizer, loss, this.net.criticVariables, rppo.maxGradNorm);
          });
        }
      }
    });
  }

  protected disposeOptimisers(): void {
    this.release();
    for (const o of [this.actorOptimizer, this.criticOptimizer, this.bcOptimizer]) o.dispose();
  }
}
