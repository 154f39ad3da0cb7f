/**
 * Every RL agent of paper 000 from its strategy configuration: BC-RPPO (§3.3, Algorithms 1-2) and the
 * baselines of §4.4, A2C (eq. 41), PPO (eq. 42), DDPG (eq. 43-44), TD3 and SAC (eq. 45). Each draws every
 * random number (initial weights, exploration, minibatch order) from the strategy's own streams
 * stream(seed, 'rl', id, ...), so that one agent's settings never change another's numbers.
 */
import type { RlStrategy } from '../experiment/schema';
import { stream } from '../random/stream';
import { A2cAgent } from './a2c';
import type { AgentStreams } from './actor-critic';
import type { RlAgent } from './agent';
import { Ddpg } from './ddpg';
import { PpoAgent } from './ppo';
import { RppoAgent } from './rppo';
import { Sac } from './sac';
import { Td3 } from './td3';

/** The agent for states of `stateSize` values (HedgingEnvironment.stateSize). */
export function createAgent(s: RlStrategy, stateSize: number, seed: number): RlAgent {
  const streams: AgentStreams = (...parts) => stream(seed, 'rl', s.id, ...parts);
  switch (s.type) {
    case 'bc-rppo':
      return new RppoAgent(s, stateSize, streams);
    case 'ppo':
      return new PpoAgent(s, stateSize, streams);
    case 'a2c':
      return new A2cAgent(s, stateSize, streams);
    case 'ddpg':
      return new Ddpg(s, stateSize, stream(seed, 'rl', s.id));
    case 'td3':
      return new Td3(s, stateSize, stream(seed, 'rl', s.id));
    case 'sac':
      return new Sac(s, stateSize, stream(seed, 'rl', s.id));
  }
}
