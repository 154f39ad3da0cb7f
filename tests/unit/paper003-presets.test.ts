/**
 * Paper 003's presets (paper003-presets.ts) against the paper's setup (§2-3, §4-5, 8.1.3, 8.3.3), and figure
 * 3's sweep: six cells (three data sources, two hedge sets), each hedge-set size tested on the same AAPL
 * windows (market level, no training).
 */
import { describe, expect, it } from 'vitest';
import { bundledData } from '../../src/cli/price-data';
import { prepareMarket } from '../../src/engine/experiment/market';
import { diffusionMarketPaths } from '../../src/engine/experiment/diffusion-market';
import { findPreset, findSweepPreset } from '../../src/engine/experiment/presets';
import { parseSweep } from '../../src/engine/experiment/sweep';
import { parseExperiment, stepYears, type DiffusionMarket, type Experiment } from '../../src/engine/experiment/schema';

function load(name: string): Experiment {
  const found = findPreset(name);
  if (!found.ok) throw new Error(found.error);
  return found.value;
}

describe('paper 003 presets', () => {
  it('a 30-day at-the-money call on AAPL (S0 = K = 100, dt = 1/365), hedged with AAPL, entropic lambda 1.3, no costs', () => {
    for (const name of ['paper003-aapl-market', 'paper003-aapl-regimes', 'paper003-aapl-diffusion']) {
      const cfg = load(name);
      const m = cfg.market;
      if (m.model !== 'historical' && m.model !== 'regime-switching' && m.model !== 'signature-diffusion') throw new Error(`${name}: not a data market`);
      expect(m.data).toEqual({ source: 'bundled', symbols: ['AAPL', 'SPX'] });
      expect([m.s0, m.steps, m.maturityDays, stepYears(m)]).toEqual([100, 30, 30, 1 / 365]);
      expect(m.split).toEqual({ train: 0.6, validation: 0.2 });
      expect(cfg.claim).toEqual({ type: 'european', kind: 'call', strike: m.s0 });
      expect(cfg.instruments.hedgeSet).toBe(1);
      expect(cfg.risk).toEqual({ measure: 'entropic', lambda: 1.3 });
      expect(cfg.costs.proportional).toBe(0);
      expect(cfg.strategies.map((s) => s.type)).toEqual(['bs-delta', 'deep-mlp', 'rnn', 'sigformer']);
    }
    expect(load('paper003-aapl-market').market.model).toBe('historical');
    const regimes = load('paper003-aapl-regimes').market;
    expect(regimes.model === 'regime-switching' && regimes.maxRegimes).toBe(4);
    // §3.3: 20,000 generated paths per asset.
    const diffusion = load('paper003-aapl-diffusion').market;
    expect(diffusion.model === 'signature-diffusion' && diffusion.diffusion.paths).toBe(20_000);
  });

  it("the sequence hedgers: §4.1's two-layer RNN, 8.3.3's SigFormer (MLP 4 d^2 as Tong et al.), lr 1e-3, clipped P&L, early stopping", () => {
    const cfg = load('paper003-aapl-market');
    const rnn = cfg.strategies.find((s) => s.type === 'rnn');
    const sig = cfg.strategies.find((s) => s.type === 'sigformer');
    if (rnn?.type !== 'rnn' || sig?.type !== 'sigformer') throw new Error('missing sequence hedgers');
    expect(rnn.network).toEqual({ layers: 2, units: 32, lags: cfg.market.steps });
    const d = sig.network.modelDim;
    expect(sig.network).toEqual({ modelDim: 8, order: 3, heads: 2, blocks: 2, mlpUnits: 4 * d * d, dropout: 0.1 });
    for (const s of [rnn, sig]) {
      expect(s.training.learningRate).toBe(1e-3);
      expect(s.training.patience).toBe(5);
      // The clip is half of S0; lambda x clip stays under ln(float32 max) = 88.7, so exp() cannot overflow.
      expect(s.training.clip).toBe(cfg.market.s0 / 2);
      expect(cfg.risk.measure === 'entropic' && cfg.risk.lambda * s.training.clip).toBeLessThan(Math.log(3.4e38));
      expect(s.training.batchSize).toBeLessThanOrEqual(cfg.paths.train);
    }
  });

  it('figure 3: market, regime and diffusion training x hedge sets of 1 and 2, each tested on the same windows', async () => {
    const found = findSweepPreset('paper003-hedge-sets');
    if (!found.ok) throw new Error(found.error);
    const r = parseSweep(found.value);
    if (!r.ok) throw new Error(r.errors.join('; '));
    expect(r.cells.map((c) => [(c.params.market as { model: string }).model, c.params['instruments.hedgeSet']])).toEqual([
      ['historical', 1],
      ['historical', 2],
      ['regime-switching', 1],
      ['regime-switching', 2],
      ['signature-diffusion', 1],
      ['signature-diffusion', 2],
    ]);
    const presets = ['paper003-aapl-market', 'paper003-aapl-regimes', 'paper003-aapl-diffusion'];
    expect(r.cells.map((c) => c.config.market)).toEqual([0, 0, 1, 1, 2, 2].map((k) => load(presets[k]!).market));
    const data = bundledData(['AAPL', 'SPX']);
    const tests = await Promise.all(r.cells.slice(0, 4).map(async (c) => (await prepareMarket(c.config, data)).testSample()));
    // The diffusion market's test windows are the same real ones (its generated pools only train).
    const pool = { n: 1, prices: new Float32Array(31).fill(100) };
    for (const c of r.cells.slice(4)) {
      const m = c.config.market as DiffusionMarket;
      const sample = diffusionMarketPaths(c.config, m, data, [pool, pool]).testSample();
      expect(sample.assets).toEqual(tests[c.config.instruments.hedgeSet === 1 ? 0 : 1]!.assets);
    }
    for (const [a, b] of [
      [0, 1],
      [2, 3],
    ]) {
      expect(tests[a].assets).toHaveLength(1);
      expect(tests[b].assets).toHaveLength(2);
      expect(tests[a].assets[0]).toEqual(tests[b].assets[0]);
      expect(tests[a].regime).toEqual(tests[b].regime);
    }
    // Every window of the last 20% of AAPL's dates, each one labelled with a regime.
    const testDates = data.dates.length - Math.round(0.8 * data.dates.length);
    expect(tests.map((t) => t.n)).toEqual(Array(4).fill(testDates - 30));
  });
});

describe("the SigFormer's batch bound (schema.ts, policies/sequence-network.ts)", () => {
  const withBatch = (batchSize: number) => {
    const cfg = structuredClone(load('paper003-aapl-market'));
    cfg.paths.train = 1024;
    for (const s of cfg.strategies) if (s.type === 'sigformer') s.training.batchSize = batchSize;
    return parseExperiment(cfg);
  };

  it("holds the paper's SigFormer (3,504 entries per path and date) up to 76 paths of 30 dates, and names the field beyond", () => {
    expect(withBatch(64).ok).toBe(true);
    expect(withBatch(76).ok).toBe(true);
    const refused = withBatch(77);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.errors.join('\n')).toMatch(/^strategies\.3\.training\.batchSize: a SigFormer of this size on 30 dates holds at most 76 paths per batch/m);
  });

  it('says on the network when not even one path fits (d 16, m 3, 8 heads, 6 blocks: 235,872 entries per path and date)', () => {
    const cfg = structuredClone(load('paper003-aapl-market'));
    if (cfg.market.model === 'historical') cfg.market = { ...cfg.market, steps: 40, maturityDays: 40 };
    for (const s of cfg.strategies) if (s.type === 'sigformer') s.network = { ...s.network, modelDim: 16, heads: 8, blocks: 6 };
    const refused = parseExperiment(cfg);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.errors.join('\n')).toMatch(/^strategies\.3\.network: this SigFormer is too large for 40 dates even one path at a time/m);
  });
});
