/**
 * Tensor hygiene on the paths a run can end by besides `done` (DESIGN.md "Runs stream events", issue 13): an
 * error event from inside training (a loss that overflows float32 on the first batch, with the threshold
 * variable of an OCE measure), an error before any tensor exists, a hedging problem whose build throws, and a
 * consumer that breaks out of runExperiment's stream mid-run (while a deep hedger trains, and mid-race of paper
 * 002's recurrent hedgers). Each leaves tf.memory().numTensors where it started.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePriceCsv } from '../../src/engine/data/csv';
import type { PricePanel } from '../../src/engine/data/price-panel';
import { sampledProblem, sampleLayout } from '../../src/engine/experiment/hedging-problem';
import { prepareMarket } from '../../src/engine/experiment/market';
import { preset } from '../../src/engine/experiment/presets';
import { runExperiment } from '../../src/engine/experiment/run-experiment';
import { collect } from '../fixtures/run-events';
import type { Experiment } from '../../src/engine/experiment/schema';
import { tinyRace } from '../fixtures/tiny-race';
import { tinyExperiment } from '../integration/tiny-experiment';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Closes alternating 1 and 1e19 from 2020-01-01: finite windows whose squared P&L overflows float32. */
function swinging(): PricePanel {
  const day = (i: number) => new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
  const r = parsePriceCsv(['Date,Close', ...Array.from({ length: 300 }, (_, i) => `${day(i)},${i % 2 ? '1e19' : '1'}`)].join('\n'), 'swing.csv');
  if (!r.ok) throw new Error('the fixture did not parse');
  return r.panel;
}

/** The S&P 500 windows preset on swing.csv: 10-day windows, no premium, a quadratic OCE (with its threshold), one small deep hedger. */
function swingingExperiment(): Experiment {
  const cfg = preset('sp500-historical');
  if (cfg.market.model !== 'historical') throw new Error('the preset changed');
  cfg.market = { ...cfg.market, data: { source: 'imported', file: 'swing.csv', symbols: [] }, maturityDays: 10, steps: 10 };
  cfg.premium = 'zero';
  cfg.risk = { measure: 'oce', loss: { type: 'quadratic', lambda: 1 } };
  cfg.paths = { train: 64, test: 64 };
  cfg.strategies = [
    { id: 'bs-delta', type: 'bs-delta' },
    { id: 'deep', type: 'deep-mlp', network: { layers: 2, units: 8 }, training: { epochs: 2, batchSize: 32, learningRate: 1e-3, freshPaths: true } },
  ];
  return cfg;
}

describe('no tensor outlives a run that ends without a result', () => {
  it('an error event from inside training', async () => {
    const before = tf.memory().numTensors;
    const events = await collect(runExperiment(swingingExperiment(), { backend: 'cpu', liveEvaluations: 0, data: swinging() }));
    expect(events.map((e) => e.type)).toContain('pnl');
    const last = events.at(-1)!;
    expect(last.type).toBe('error');
    expect(last.type === 'error' && last.message).toMatch(/^the training loss is Infinity on the first batch, before any update, so not because of the learning rate/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('an error event before any tensor is made', async () => {
    const before = tf.memory().numTensors;
    const cfg = swingingExperiment();
    const events = await collect(runExperiment(cfg, { backend: 'cpu' }));
    expect(events).toEqual([{ type: 'error', message: 'market.data: this experiment needs the imported file "swing.csv"; load it first' }]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a hedging problem whose build throws frees the rows it packed', async () => {
    const cfg = tinyExperiment();
    const market = { ...(await prepareMarket(cfg)), regimeVolatility: [0.2] };
    const cols = cfg.market.steps + 1;
    // A regime label outside the model's regimes: the gather of its volatility throws.
    const sample = { n: 2, assets: [new Float32Array(2 * cols).fill(100)], regime: Int32Array.of(0, -1) };
    const before = tf.memory().numTensors;
    expect(() => sampledProblem(cfg, market, sample, sampleLayout(sample, cfg.market.steps))).toThrow(/index value -1/);
    expect(tf.memory().numTensors).toBe(before);
  });

  for (const stopAt of ['start', 'pnl', 'loss', 'surface'] as const) {
    it(`a consumer that breaks out of the stream at its first ${stopAt} event`, async () => {
      const before = tf.memory().numTensors;
      const seen: string[] = [];
      for await (const e of runExperiment(tinyExperiment({ epochs: 3 }), { backend: 'cpu', liveEvaluations: 3 })) {
        seen.push(e.type);
        if (e.type === stopAt) break;
      }
      expect(seen.at(-1)).toBe(stopAt);
      expect(seen).not.toContain('done');
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('a consumer that breaks out of a recurrent race at its first validation event (DH-KFAC state included)', async () => {
    const before = tf.memory().numTensors;
    const seen: string[] = [];
    for await (const e of runExperiment(tinyRace({ testPaths: 32, kfacId: 'kfac' }), { backend: 'cpu' })) {
      seen.push(e.type);
      if (e.type === 'validation' && e.strategyId === 'kfac') break;
    }
    expect(seen.at(-1)).toBe('validation');
    expect(tf.memory().numTensors).toBe(before);
  });
});
