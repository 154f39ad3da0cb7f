/**
 * Starting settings of paper 000's RL agents, for the form's new rows, the presets and the tests. Where the
 * paper is silent they are Stable-Baselines3's (v2) defaults, each named below; the departures are for a
 * browser tab: actor and critic MLPs of 2 x 64 for every agent (SB3: [400, 300] for DDPG/TD3, [256, 256] for
 * SAC), replay buffers of 100,000 transitions (SB3: 1e6) and Gaussian exploration noise of std 0.1 for DDPG
 * and TD3 (SB3's own examples; its default is none). No tfjs here: the page's main thread imports it.
 */
import type { Strategy } from './schema';

type Of<T extends Strategy['type']> = Extract<Strategy, { type: T }>;

/** Paper 000 §4.2 holds long positions of at most one unit of the underlying per option; avg_r is scored every 10 updates. */
const rl = (learningRate: number): Of<'ppo'>['rl'] => ({
  updates: 200,
  episodes: 512,
  learningRate,
  gamma: 0.99,
  bounds: { min: 0, max: 1 },
  evaluateEvery: 10,
  marketFeatures: false,
});

const network = { layers: 2, units: 64 };

/** SB3 off-policy defaults: learning_starts 100, batch_size 256, tau 0.005, train_freq 1, gradient_steps 1. */
const offPolicy = { buffer: 100_000, batchSize: 256, tau: 0.005, learningStarts: 100, gradientSteps: 1 };

export const RL_DEFAULTS = {
  /**
   * Algorithm 1 (behaviour cloning, lambda_entropy 0.01) then Algorithm 2 with PPO's clip 0.2 and GAE lambda
   * 0.95, 10 actor and 10 critic updates per rollout, 4 stacked frames and a GRU of 32 units; fine-tuning at
   * 1e-4, below PPO's 3e-4, so that it refines the cloned expert rather than leaving it.
   */
  'bc-rppo': (id = 'bc-rppo'): Of<'bc-rppo'> => ({
    id,
    type: 'bc-rppo',
    network,
    rl: rl(1e-4),
    bc: { enabled: true, epochs: 50, batchSize: 256, learningRate: 1e-3, entropy: 0.01 },
    rppo: { actorUpdates: 10, criticUpdates: 10, minibatch: 256, clip: 0.2, lambda: 0.95, entropy: 0, maxGradNorm: 0.5, frames: 4, gru: true, gruUnits: 32 },
  }),
  /** SB3 A2C: learning_rate 7e-4 (RMSprop), gae_lambda 1, ent_coef 0, vf_coef 0.5, max_grad_norm 0.5. */
  a2c: (id = 'a2c'): Of<'a2c'> => ({ id, type: 'a2c', network, rl: rl(7e-4), a2c: { lambda: 1, entropy: 0, valueCoef: 0.5, maxGradNorm: 0.5 } }),
  /** SB3 PPO: learning_rate 3e-4, n_epochs 10, batch_size 64, clip_range 0.2, gae_lambda 0.95, ent_coef 0, vf_coef 0.5, max_grad_norm 0.5. */
  ppo: (id = 'ppo'): Of<'ppo'> => ({ id, type: 'ppo', network, rl: rl(3e-4), ppo: { epochs: 10, minibatch: 64, clip: 0.2, lambda: 0.95, entropy: 0, valueCoef: 0.5, maxGradNorm: 0.5 } }),
  /** SB3 DDPG: learning_rate 1e-3. */
  ddpg: (id = 'ddpg'): Of<'ddpg'> => ({ id, type: 'ddpg', network, rl: rl(1e-3), ddpg: { ...offPolicy, actionNoise: 0.1 } }),
  /** SB3 TD3: learning_rate 1e-3, policy_delay 2, target_policy_noise 0.2, target_noise_clip 0.5. */
  td3: (id = 'td3'): Of<'td3'> => ({ id, type: 'td3', network, rl: rl(1e-3), td3: { ...offPolicy, actionNoise: 0.1, policyDelay: 2, targetNoise: 0.2, noiseClip: 0.5 } }),
  /** SB3 SAC: learning_rate 3e-4, ent_coef 'auto' starting at 1, target_entropy -dim(A) = -1. */
  sac: (id = 'sac'): Of<'sac'> => ({ id, type: 'sac', network, rl: rl(3e-4), sac: { ...offPolicy, temperature: 1, autoTemperature: true, targetEntropy: -1 } }),
};
