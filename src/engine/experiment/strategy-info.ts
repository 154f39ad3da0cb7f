/**
 * What a strategy is called and whether it trains, from its configuration alone: the label the page, the
 * comparison and the CLI show ("Deep hedger (MLP) 3x32", "Recurrent 2x32 (DH-KFAC)"). No tfjs here, so the
 * page's main thread can name strategies without loading the engine's networks (strategies.ts builds them).
 */
import type { StrategyInfo } from './events';
import { isRecurrent, isTrained, type Strategy } from './schema';

const LABELS: Record<Strategy['type'], string> = {
  'no-hedge': 'No hedge',
  'bs-delta': 'Black-Scholes delta',
  'whalley-wilmott': 'Whalley-Wilmott band',
  'deep-mlp': 'Deep hedger (MLP)',
  dhmlp: 'DHMLP',
  dhntb: 'DHNTB',
  dhlnn: 'DHLNN',
  recurrent: 'Recurrent',
};

export function strategyInfo(s: Strategy): StrategyInfo {
  if (isRecurrent(s)) {
    const by = s.optimizer.type === 'adam' ? 'Adam' : 'DH-KFAC';
    return { id: s.id, type: s.type, label: `${LABELS[s.type]} ${s.network.blocks}x${s.network.units} (${by})`, trainable: true, optimizer: s.optimizer.type };
  }
  const label = isTrained(s) ? `${LABELS[s.type]} ${s.network.layers}x${s.network.units}` : LABELS[s.type];
  return { id: s.id, type: s.type, label, trainable: isTrained(s) };
}
