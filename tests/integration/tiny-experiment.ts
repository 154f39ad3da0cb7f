/** A tiny experiment for integration tests: every strategy type, a few epochs, a few hundred paths. */
import { defaultConfig } from '../../src/engine/experiment/presets';
import type { Experiment } from '../../src/engine/experiment/schema';

export function tinyExperiment(overrides: { epochs?: number; batchSize?: number } = {}): Experiment {
  const cfg = defaultConfig();
  cfg.market.steps = 5;
  cfg.market.maturityDays = 5;
  cfg.paths = { train: 256, test: 256 };
  for (const s of cfg.strategies) {
    if (s.type === 'deep-mlp') {
      s.network = { layers: 2, units: 8 };
      s.training = { epochs: overrides.epochs ?? 4, batchSize: overrides.batchSize ?? 64, learningRate: 1e-2, freshPaths: true };
    }
  }
  return cfg;
}
