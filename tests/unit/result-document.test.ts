/**
 * The result document (src/engine/experiment/result-document.ts), the JSON the CLI prints and the page's
 * "Download results" saves: paper 000's avg_PV / std_PV beside mean / std (eq. 40), a feed-forward hedger's
 * training record as the engine gives it (per-epoch clock and launches included), and a recurrent hedger's
 * race record in the CLI's names with its launches per iteration.
 */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/engine/experiment/presets';
import type { Metrics, RunResult } from '../../src/engine/experiment/events';
import { resultDocument } from '../../src/engine/experiment/result-document';

const metrics = (mean: number, std: number): Metrics => ({
  mean,
  std,
  var90: 0.1,
  var95: 0.2,
  var99: 0.3,
  es90: 0.15,
  es95: 0.25,
  es99: 0.35,
  entropic: 0.05,
  avg_r: -(std * std + mean * mean),
  skew: -0.5,
  kurtosis: 1.5,
  turnover: 2,
  cost: 0.001,
  price: 0.02,
  risk: 0.04,
});

function result(): RunResult {
  return {
    config: defaultConfig(),
    backend: 'wasm',
    strategies: [
      {
        id: 'deep-mlp',
        type: 'deep-mlp',
        label: 'Deep hedger',
        trainable: true,
        metrics: metrics(-0.01, 0.02),
        training: { epochs: [1, 2, 3], loss: [0.3, 0.2, 0.1], seconds: 1.5, epochSeconds: [0.9, 1.2, 1.5], launchesPerStep: { kernels: 120, dispatches: null } },
      },
      {
        id: 'adam',
        type: 'recurrent',
        label: 'Recurrent (Adam)',
        trainable: true,
        optimizer: 'adam',
        metrics: metrics(0.003, 0.04),
        validation: { steps: [0, 2, 4], loss: [1, 0.5, 0.25], seconds: [0, 0.4, 0.7], launchesPerStep: { kernels: 900, dispatches: 700 } },
        target: { targetLoss: 0.5, steps: 2, seconds: 0.4 },
      },
    ],
  };
}

describe('the result document', () => {
  it('keeps a feed-forward hedger as the engine gives it, with avg_PV and std_PV beside mean and std', () => {
    const doc = JSON.parse(JSON.stringify(resultDocument(result())));
    const mlp = doc.strategies[0];
    expect(doc.backend).toBe('wasm');
    expect(doc.config.name).toBe(defaultConfig().name);
    expect(mlp.metrics.avg_PV).toBe(-0.01);
    expect(mlp.metrics.std_PV).toBe(0.02);
    expect(mlp.metrics.mean).toBe(-0.01);
    expect(mlp.training).toEqual({ epochs: [1, 2, 3], loss: [0.3, 0.2, 0.1], seconds: 1.5, epochSeconds: [0.9, 1.2, 1.5], launchesPerStep: { kernels: 120, dispatches: null } });
  });

  it("names a recurrent hedger's race record as the CLI does, its launches per iteration included", () => {
    const doc = JSON.parse(JSON.stringify(resultDocument(result())));
    const adam = doc.strategies[1];
    expect(adam.training).toEqual({ steps: [0, 2, 4], validation_loss: [1, 0.5, 0.25], seconds: [0, 0.4, 0.7], launchesPerStep: { kernels: 900, dispatches: 700 } });
    expect(adam.validation).toBeUndefined();
    expect([adam.target_loss, adam.steps_to_target, adam.seconds_to_target]).toEqual([0.5, 2, 0.4]);
    expect(adam.metrics_without_options).toBeNull();
    expect(adam.hedging_error).toBeNull();
    expect(adam.metrics.std_PV).toBe(0.04);
  });
});
