/**
 * What a strategy is called and whether it trains, from its configuration alone: the label the page, the
 * comparison and the CLI show ("Deep hedger (MLP) 3x32", "Recurrent 2x32 (DH-KFAC, trust region 1e-3)", "BC-RPPO without BC 2x64"). No tfjs here, so the
 * page's main thread can name strategies without loading the engine's networks (strategies.ts builds them).
 */
import type { StrategyInfo } from './events';
import { isRecurrent, isRl, isSequence, isTrained, type Strategy } from './schema';

const LABELS: Record<Strategy['type'], string> = {
  'no-hedge': 'No hedge',
  'bs-delta': 'Black-Scholes delta',
  'whalley-wilmott': 'Whalley-Wilmott band',
  'deep-mlp': 'Deep hedger (MLP)',
  dhmlp: 'DHMLP',
  dhntb: 'DHNTB',
  dhlnn: 'DHLNN',
  recurrent: 'Recurrent',
  'implied-delta': 'Implied delta',
  'bc-rppo': 'BC-RPPO',
  a2c: 'A2C',
  ppo: 'PPO',
  ddpg: 'DDPG',
  td3: 'TD3',
  sac: 'SAC',
  rnn: 'RNN',
  sigformer: 'SigFormer',
};

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** BC-RPPO's ablations of paper 000 §4.6 say which part they leave out. */
function ablation(s: Extract<Strategy, { type: 'bc-rppo' }>): string {
  const without = [...(s.bc.enabled ? [] : ['BC']), ...(s.rppo.gru ? [] : ['RNN'])];
  return without.length ? ` without ${without.join(' and ')}` : '';
}

/** 0.0003 as 3e-4, 0.0025 as 2.5e-3. */
function shortNumber(x: number): string {
  return x.toExponential().replace('e+', 'e');
}

export function strategyInfo(s: Strategy): StrategyInfo {
  if (isRecurrent(s)) {
    // The learning rate or trust region tells apart the hedgers of a tuned race (paper002-race: three Adams).
    const by = s.optimizer.type === 'adam' ? `Adam, lr ${shortNumber(s.optimizer.learningRate)}` : `DH-KFAC, trust region ${shortNumber(s.optimizer.trustRegion)}`;
    return { id: s.id, type: s.type, label: `${LABELS[s.type]} ${s.network.blocks}x${s.network.units} (${by})`, trainable: true, optimizer: s.optimizer.type };
  }
  if (isRl(s)) {
    const label = `${LABELS[s.type]}${s.type === 'bc-rppo' ? ablation(s) : ''} ${s.network.layers}x${s.network.units}`;
    return { id: s.id, type: s.type, label, trainable: true };
  }
  if (isSequence(s)) {
    const size = s.type === 'rnn'
      ? `${s.network.layers}x${s.network.units}, ${s.network.lags} lags`
      : `d ${s.network.modelDim}, m ${s.network.order}, ${plural(s.network.heads, 'head')}, ${plural(s.network.blocks, 'block')}`;
    return { id: s.id, type: s.type, label: `${LABELS[s.type]} (${size})`, trainable: true };
  }
  const label = isTrained(s) ? `${LABELS[s.type]} ${s.network.layers}x${s.network.units}` : LABELS[s.type];
  return { id: s.id, type: s.type, label, trainable: isTrained(s) };
}
