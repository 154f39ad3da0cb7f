/**
 * Paper 000's presets (paper000-presets.ts) against the paper's setup (§4.1-4.2, §4.4, §4.6, Tables 1-6,
 * figs. 5-6), and the run estimate of an RL agent (run-cost.ts): affine in its updates, larger with the GRU.
 */
import { describe, expect, it } from 'vitest';
import { findPreset, findSweepPreset } from '../../src/engine/experiment/presets';
import { NEAR_THE_MONEY_STRIKES } from '../../src/engine/experiment/paper000-presets';
import { estimateRun } from '../../src/engine/experiment/run-cost';
import { parseSweep } from '../../src/engine/experiment/sweep';
import { parseExperiment, type Experiment, type RlStrategy } from '../../src/engine/experiment/schema';

function load(name: string): Experiment {
  const found = findPreset(name);
  if (!found.ok) throw new Error(found.error);
  return found.value;
}

describe('paper 000 presets', () => {
  it('hedge one-month calls with strikes 0.95 <= S0/K <= 1.05, long only in [0, 1]', () => {
    for (const name of ['paper000-gbm', 'paper000-sp500', 'paper000-sp500-cost']) {
      const cfg = load(name);
      expect(cfg.market.maturityDays, name).toBe(21);
      expect(cfg.claim.type === 'european' && cfg.claim.kind).toBe('call');
      const strikes = cfg.claim.type === 'european' ? (cfg.claim.strikes ?? []) : [];
      expect(strikes.length).toBe(11);
      const s0 = cfg.market.s0;
      for (const k of strikes) {
        expect(s0 / k).toBeGreaterThanOrEqual(0.95 - 1e-6); // strikes rounded to 6 decimals
        expect(s0 / k).toBeLessThanOrEqual(1.05 + 1e-6);
      }
      expect(new Set(strikes).size).toBe(strikes.length);
      const rl = cfg.strategies.filter((s): s is RlStrategy => 'rl' in s);
      for (const s of rl) expect(s.rl.bounds).toEqual({ min: 0, max: 1 });
    }
    expect(NEAR_THE_MONEY_STRIKES[0]).toBeCloseTo(1 / 0.95, 6);
  });

  it('compare implied delta, BC-RPPO, its two ablations and the five baselines (Tables 1-6)', () => {
    const cfg = load('paper000-gbm');
    expect(cfg.strategies.map((s) => s.type)).toEqual(['implied-delta', 'bc-rppo', 'bc-rppo', 'bc-rppo', 'a2c', 'ppo', 'ddpg', 'td3', 'sac']);
    const variants = cfg.strategies.filter((s) => s.type === 'bc-rppo').map((s) => s.type === 'bc-rppo' && [s.bc.enabled, s.rppo.gru]);
    expect(variants).toEqual([
      [true, true],
      [false, true],
      [true, false],
    ]);
  });

  it('split the S&P 500 dates in time, without costs and at 0.04% (Tables 2, 4 and 6)', () => {
    const free = load('paper000-sp500');
    const costly = load('paper000-sp500-cost');
    for (const cfg of [free, costly]) {
      expect(cfg.market.model).toBe('historical');
      if (cfg.market.model === 'historical') {
        expect(cfg.market.data).toEqual({ source: 'sp500' });
        expect(cfg.market.split.train + cfg.market.split.validation).toBeLessThan(1);
      }
    }
    expect(free.costs.proportional).toBe(0);
    expect(costly.costs.proportional).toBe(4e-4);
    expect(costly.strategies).toEqual(free.strategies);
  });

  it('sweep the cost rate for BC-RPPO against implied delta (figs. 5-6)', () => {
    const found = findSweepPreset('paper000-costs');
    if (!found.ok) throw new Error(found.error);
    const r = parseSweep(found.value);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.cells.map((c) => c.config.costs.proportional)).toEqual([0, 2e-4, 4e-4, 1e-3, 2e-3]);
    for (const c of r.cells) expect(c.config.strategies.map((s) => s.type)).toEqual(['implied-delta', 'bc-rppo']);
  });
});

describe('the run estimate of an RL agent', () => {
  const calibration = { backend: 'wasm', overheadSeconds: 2e-3, secondsPerPath: 1e-6, complete: true };
  const withAgent = (edit: (s: RlStrategy) => RlStrategy): Experiment => {
    const cfg = load('paper000-gbm');
    const agent = cfg.strategies.find((s): s is RlStrategy => s.type === 'bc-rppo')!;
    return { ...cfg, strategies: [edit(agent)] };
  };
  const seconds = (cfg: Experiment) => estimateRun(cfg, calibration, { liveEvaluations: 0 }).strategies[0].seconds;

  it('is affine in the updates (each update a rollout and its learning)', () => {
    const at = (updates: number) => seconds(withAgent((s) => ({ ...s, rl: { ...s.rl, updates, evaluateEvery: 10 } })));
    const step = at(200) - at(100);
    expect(step).toBeGreaterThan(0);
    expect(at(300) - at(200)).toBeCloseTo(step, 9);
  });

  it('costs more with the GRU than without, and more with more episodes', () => {
    const gru = seconds(withAgent((s) => s));
    const mlp = seconds(withAgent((s) => (s.type === 'bc-rppo' ? { ...s, rppo: { ...s.rppo, gru: false } } : s)));
    expect(gru).toBeGreaterThan(mlp);
    const wide = seconds(withAgent((s) => ({ ...s, rl: { ...s.rl, episodes: 2 * s.rl.episodes } })));
    expect(wide).toBeGreaterThan(gru);
  });
});

describe('the schema of the RL agents', () => {
  it('refuses behaviour cloning without an implied delta, and rollouts too large for the device', () => {
    const cfg = load('paper000-gbm');
    const agent = cfg.strategies.find((s): s is Extract<RlStrategy, { type: 'bc-rppo' }> => s.type === 'bc-rppo')!;
    const lookback = parseExperiment({ ...cfg, claim: { type: 'lookback', strike: 1 }, strategies: [agent] });
    expect(lookback.ok).toBe(false);
    if (!lookback.ok) expect(lookback.errors.join('\n')).toMatch(/^strategies\.0\.bc\.enabled: behaviour cloning imitates the implied delta/m);
    const unCloned = parseExperiment({ ...cfg, claim: { type: 'lookback', strike: 1 }, strategies: [{ ...agent, bc: { ...agent.bc, enabled: false } }] });
    expect(unCloned.ok).toBe(true);
    const huge = parseExperiment({ ...cfg, strategies: [{ ...agent, rl: { ...agent.rl, episodes: 65_536 } }], market: { ...cfg.market, maturityDays: 100, steps: 100 } });
    expect(huge.ok).toBe(false);
    if (!huge.ok) expect(huge.errors.join('\n')).toMatch(/strategies\.0\.rl\.episodes: episodes x steps = 6553600 exceeds 4,000,000/);
  });
});
