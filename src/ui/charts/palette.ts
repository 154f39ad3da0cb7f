/**
 * One colour per strategy, the same on every chart and in the metrics table: grey for no hedge, blue for
 * Black-Scholes delta, green for Whalley-Wilmott, red (then purple, brown...) for deep hedgers, orange for
 * DHMLP, teal for DHNTB, violet for DHLNN, gold (then dark and light gold) for paper 002's recurrent hedgers,
 * which race one per optimizer; navy for implied delta and one hue per RL agent of paper 000 (crimson BC-RPPO);
 * lime for paper 003's RNN and purple for its SigFormer (apart from the deep hedger's red beside which it is drawn).
 */
import type { StrategyInfo } from '../../engine/experiment/events';
import type { StrategyType } from '../../engine/experiment/schema';

const BY_TYPE: Record<StrategyType, readonly string[]> = {
  'no-hedge': ['#6b7280', '#9ca3af'],
  'bs-delta': ['#2563eb', '#60a5fa'],
  'whalley-wilmott': ['#059669', '#34d399'],
  'deep-mlp': ['#dc2626', '#7c3aed', '#b45309', '#db2777', '#0891b2'],
  dhmlp: ['#ea580c', '#fb923c'],
  dhntb: ['#0d9488', '#5eead4'],
  dhlnn: ['#7c3aed', '#c4b5fd'],
  recurrent: ['#ca8a04', '#713f12', '#facc15', '#c2410c'],
  'implied-delta': ['#1e3a8a', '#93c5fd'],
  'bc-rppo': ['#be123c', '#fb7185', '#881337'],
  a2c: ['#4d7c0f', '#a3e635'],
  ppo: ['#c2410c', '#fdba74'],
  ddpg: ['#4338ca', '#a5b4fc'],
  td3: ['#0e7490', '#67e8f9'],
  sac: ['#a21caf', '#f0abfc'],
  rnn: ['#65a30d', '#bef264'],
  sigformer: ['#9333ea', '#581c87', '#d8b4fe'],
};

/** The colour of `id` among `strategies`: its type's colour, the next shade for a second of a type. */
export function strategyColor(strategies: readonly StrategyInfo[], id: string): string {
  const s = strategies.find((x) => x.id === id);
  if (!s) return '#111827';
  const shades = BY_TYPE[s.type];
  const rank = strategies.filter((x) => x.type === s.type).indexOf(s);
  return shades[rank % shades.length]!;
}

/** `#rrggbb` at opacity `alpha`, for filled areas that overlay. */
export function translucent(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}
