/**
 * Every market, claim and instrument set runs end to end in Node on tiny versions of the presets: the run
 * finishes, every strategy's metrics are finite, the start event describes the prepared market, and no
 * tensor outlives the run.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { sp500Panel } from '../../src/engine/data/sp500';
import type { MarketInfo, RunEvent, RunResult } from '../../src/engine/experiment/events';
import { preset } from '../../src/engine/experiment/presets';
import { runExperiment } from '../../src/engine/experiment/run-experiment';
import type { Experiment } from '../../src/engine/experiment/schema';

const sp500 = sp500Panel(readFileSync('node_modules/vega-datasets/data/sp500-2000.csv', 'utf8'));

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A preset cut down to a few hundred paths, a short horizon and two epochs. */
function tiny(name: string, steps?: number): Experiment {
  const cfg = preset(name);
  if (steps) {
    cfg.market.steps = steps;
    cfg.market.maturityDays = steps;
  }
  cfg.paths = { train: 256, test: 256 };
  for (const s of cfg.strategies) {
    if (s.type === 'deep-mlp') {
      s.network = { layers: 2, units: 8 };
      s.training = { epochs: 2, batchSize: 128, learningRate: 1e-2, freshPaths: true };
    }
  }
  return cfg;
}

async function run(cfg: Experiment, data?: typeof sp500): Promise<{ result: RunResult; market: MarketInfo; losses: number[] }> {
  const before = tf.memory().numTensors;
  const events: RunEvent[] = [];
  for await (const e of runExperiment(cfg, { backend: 'cpu', liveEvaluations: 1, data })) events.push(e);
  expect(tf.memory().numTensors).toBe(before);
  const error = events.find((e) => e.type === 'error');
  expect(error).toBeUndefined();
  const done = events.find((e) => e.type === 'done');
  const start = events.find((e) => e.type === 'start');
  if (done?.type !== 'done' || start?.type !== 'start') throw new Error('no done or start event');
  for (const s of done.result.strategies) {
    for (const [k, v] of Object.entries(s.metrics)) expect(Number.isFinite(v), `${s.id}.${k} = ${v}`).toBe(true);
  }
  const losses = events.flatMap((e) => (e.type === 'loss' ? [e.loss] : []));
  return { result: done.result, market: start.market, losses };
}

describe('markets, claims and instruments end to end', () => {
  it('Heston with floating-grid options: variance feature, one instrument per option, a Fourier premium', async () => {
    const cfg = tiny('heston-options', 20);
    const { market, result } = await run(cfg);
    expect(market.features).toEqual(['log_moneyness', 'expiry_time', 'volatility']);
    expect(market.instruments).toHaveLength(1 + 8);
    expect(market.premium).toBeGreaterThan(0.02);
    expect(market.premium).toBeLessThan(0.04);
    const noHedge = result.strategies.find((s) => s.id === 'no-hedge')!;
    const delta = result.strategies.find((s) => s.id === 'bs-delta')!;
    expect(delta.metrics.std).toBeLessThan(noHedge.metrics.std / 2);
  });

  it('a cliquet on Heston: payoff-if-matured feature, the spot at the last reset, no classic delta', async () => {
    const { market } = await run(tiny('cliquet-heston'));
    expect(market.features).toContain('cliquet_payoff');
    expect(market.instruments).toHaveLength(12);
  });

  it('Merton jumps and the lookback call, with their closed-form premiums', async () => {
    const merton = await run(tiny('merton-jumps', 10));
    expect(merton.market.premium).toBeGreaterThan(0);
    const lookback = await run(tiny('lookback-gbm', 10));
    expect(lookback.market.features).toContain('log_max_moneyness');
    const delta = lookback.result.strategies.find((s) => s.id === 'bs-delta')!;
    const none = lookback.result.strategies.find((s) => s.id === 'no-hedge')!;
    expect(delta.metrics.std).toBeLessThan(none.metrics.std);
  });

  it('correlated assets: every asset is an instrument and a feature', async () => {
    const cfg = tiny('default', 5);
    cfg.market = { model: 'correlated-gbm', s0: 1, drift: 0, volatilities: [0.2, 0.3], correlation: [[1, 0.8], [0.8, 1]], maturityDays: 5, steps: 5, daysPerYear: 250 };
    const { market } = await run(cfg);
    expect(market.instruments).toEqual(['asset 1', 'asset 2']);
    expect(market.features).toContain('log_return_2');
  });

  it('S&P 500 windows: trains on resampled training windows, tests on every test window', async () => {
    const cfg = tiny('sp500-historical', 10);
    const { market, losses } = await run(cfg, sp500);
    expect(market.split!.testWindows).toBe(market.testPaths);
    expect(market.split!.train[0]).toBe('2000-01-03');
    expect(market.split!.test[0] > market.split!.train[1]).toBe(true);
    expect(losses.every(Number.isFinite)).toBe(true);
  });

  it('S&P 500 regimes: K chosen by BIC, the regime label a feature', async () => {
    const { market } = await run(tiny('sp500-regimes', 10), sp500);
    expect(market.regimes!.chosen).toBeGreaterThanOrEqual(2);
    expect(market.features).toContain('regime');
  });

  it('a data market without its data stops with a message naming the data', async () => {
    const events: RunEvent[] = [];
    for await (const e of runExperiment(tiny('sp500-historical', 10), { backend: 'cpu' })) events.push(e);
    expect(events).toEqual([{ type: 'error', message: 'market.data: this experiment needs the bundled S&P 500 series; load it first' }]);
  });

  it('fixed-grid options on GBM are held like assets', async () => {
    const cfg = tiny('default', 10);
    cfg.instruments.options = { grid: 'fixed', options: [{ kind: 'call', strike: 1, maturitySteps: 10 }, { kind: 'put', strike: 0.95, maturitySteps: 5 }], cost: 1e-3 };
    const { market } = await run(cfg);
    expect(market.instruments).toEqual(['spot', 'call K=1 10 steps', 'put K=0.95 5 steps']);
  });
});
