/**
 * Built-in experiments: the page's default and pfhedge's README problem (shared/reference/pfhedge-peer.json:
 * European call, strike 1, S0 1, sigma 0.2, 20 steps of 1/250, cost 1e-4, entropic lambda 1, MLP 4x32).
 */
import { parseExperiment, SCHEMA_VERSION, type Experiment } from './schema';

const pfhedgeReadme: Experiment = {
  version: SCHEMA_VERSION,
  name: 'pfhedge README: European call, cost 1e-4',
  seed: 42,
  market: { model: 'gbm', s0: 1, drift: 0, volatility: 0.2, maturityDays: 20, steps: 20, daysPerYear: 250 },
  claim: { type: 'european', kind: 'call', strike: 1 },
  costs: { proportional: 1e-4, closeAtMaturity: false },
  premium: 'zero',
  risk: { measure: 'entropic', lambda: 1 },
  paths: { train: 10_000, test: 10_000 },
  strategies: [
    { id: 'no-hedge', type: 'no-hedge' },
    { id: 'bs-delta', type: 'bs-delta' },
    {
      id: 'deep-mlp',
      type: 'deep-mlp',
      network: { layers: 4, units: 32 },
      training: { epochs: 200, batchSize: 10_000, learningRate: 1e-3, freshPaths: true },
    },
  ],
};

const defaultExperiment: Experiment = {
  version: SCHEMA_VERSION,
  name: 'Deep hedging a European call with costs',
  seed: 1,
  market: { model: 'gbm', s0: 1, drift: 0, volatility: 0.2, maturityDays: 20, steps: 20, daysPerYear: 250 },
  claim: { type: 'european', kind: 'call', strike: 1 },
  costs: { proportional: 1e-3, closeAtMaturity: false },
  premium: 'black-scholes',
  risk: { measure: 'entropic', lambda: 10 },
  paths: { train: 4096, test: 4096 },
  strategies: [
    { id: 'no-hedge', type: 'no-hedge' },
    { id: 'bs-delta', type: 'bs-delta' },
    { id: 'whalley-wilmott', type: 'whalley-wilmott', riskAversion: 10 },
    {
      id: 'deep-mlp',
      type: 'deep-mlp',
      network: { layers: 3, units: 32 },
      training: { epochs: 60, batchSize: 1024, learningRate: 3e-3, freshPaths: true },
    },
  ],
};

export const PRESETS: Readonly<Record<string, { description: string; config: Experiment }>> = {
  default: { description: "The page's default: deep hedger vs Black-Scholes delta and Whalley-Wilmott, cost 1e-3, entropic lambda 10", config: defaultExperiment },
  'pfhedge-readme': { description: "pfhedge's README problem: 200 epochs of 10,000 paths, MLP 4x32, cost 1e-4", config: pfhedgeReadme },
};

/** A deep copy of a preset, validated (a preset that fails its own schema is a bug caught by tests). */
export function preset(name: string): Experiment {
  const p = PRESETS[name];
  if (!p) throw new Error(`unknown preset "${name}"; known: ${Object.keys(PRESETS).join(', ')}`);
  const r = parseExperiment(structuredClone(p.config));
  if (!r.ok) throw new Error(`preset ${name} is invalid: ${r.errors.join('; ')}`);
  return r.value;
}

export function defaultConfig(): Experiment {
  return preset('default');
}
