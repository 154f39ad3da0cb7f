import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { blackScholesDelta, deltaAndGamma } from '../../src/engine/hedging/black-scholes-delta';
import { assetInstrument } from '../../src/engine/hedging/instruments';
import { clampIntoBand } from '../../src/engine/hedging/no-transaction-band';
import { hedgingPnl } from '../../src/engine/hedging/pnl';
import type { HedgingProblem } from '../../src/engine/hedging/problem';
import { whalleyWilmottPositions, whalleyWilmottWidth } from '../../src/engine/hedging/whalley-wilmott';
import { gbmPaths } from '../../src/engine/markets/gbm';
import { bsGreeks, bsPrice } from '../../src/engine/pricing/black-scholes';
import { stream } from '../../src/engine/random/stream';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A European call at strike 1 hedged in the underlying alone. */
function callProblem(spot: tf.Tensor2D, dt: number, extra: { payoff?: tf.Tensor1D; costRate?: number; closeAtMaturity?: boolean; premium?: number } = {}): HedgingProblem {
  const [n, cols] = spot.shape;
  const steps = cols - 1;
  return {
    spot,
    claim: { type: 'european', kind: 'call', strike: 1 },
    payoff: extra.payoff ?? (tf.relu(tf.sub(spot.slice([0, steps], [n, 1]).reshape([n]), 1)) as tf.Tensor1D),
    strike: tf.ones([n, 1]),
    premiums: tf.fill([n], extra.premium ?? 0) as tf.Tensor1D,
    premium: extra.premium ?? 0,
    instruments: [assetInstrument('spot', spot, extra.costRate ?? 0, extra.closeAtMaturity ?? false)],
    volatility: tf.fill([n, steps], 0.2) as tf.Tensor2D,
    impliedVolatility: tf.fill([n, steps], 0.2) as tf.Tensor2D,
    features: tf.zeros([steps, n, 1]) as tf.Tensor3D,
    featureNames: ['unused'],
    dt,
    steps,
  };
}

/** Terminal P&L of a short claim hedged with positions [n, T] in the underlying. */
function terminalPnl(x: { spot: tf.Tensor2D; positions: tf.Tensor2D; payoff: tf.Tensor1D; costRate: number; closeAtMaturity: boolean; premium: number }) {
  return hedgingPnl(callProblem(x.spot, 1 / 250, x), [x.positions]);
}

function problem(n: number, steps: number, seed = 5): HedgingProblem {
  const dt = 1 / 250;
  const spot = tf.tensor2d(gbmPaths({ s0: 1, drift: 0, volatility: 0.2, steps, dt }, n, stream(seed, 'p')), [n, steps + 1]);
  return callProblem(spot, dt);
}

const payoffOf = (p: HedgingProblem) => p.payoff;

describe('self-financing P&L with proportional costs (paper 000 eq. 17, paper 001 eq. 8)', () => {
  const p = problem(500, 20);
  const spot = p.spot.arraySync();

  it('of no hedge is premium minus payoff, with no cost or turnover', () => {
    const payoff = payoffOf(p);
    const r = terminalPnl({ spot: p.spot, positions: tf.zeros([500, 20]), payoff, costRate: 1e-2, closeAtMaturity: true, premium: 0.03 });
    const pnl = r.pnl.arraySync(), z = payoff.arraySync();
    for (let i = 0; i < 500; i += 37) expect(pnl[i]).toBeCloseTo(0.03 - z[i], 6);
    expect(Math.max(...r.cost.arraySync(), ...r.turnover.arraySync())).toBe(0);
  });

  it('of a held unit is S_T - S_0, less c S_0 to buy and c S_T to close', () => {
    const zero = tf.zeros([500]) as tf.Tensor1D;
    const open = terminalPnl({ spot: p.spot, positions: tf.ones([500, 20]), payoff: zero, costRate: 1e-3, closeAtMaturity: false, premium: 0 });
    const closed = terminalPnl({ spot: p.spot, positions: tf.ones([500, 20]), payoff: zero, costRate: 1e-3, closeAtMaturity: true, premium: 0 });
    const [a, b, ta, tb] = [open.pnl.arraySync(), closed.pnl.arraySync(), open.turnover.arraySync(), closed.turnover.arraySync()];
    for (let i = 0; i < 500; i += 41) {
      expect(a[i]).toBeCloseTo(spot[i][20] - spot[i][0] - 1e-3 * spot[i][0], 6);
      expect(b[i]).toBeCloseTo(a[i] - 1e-3 * spot[i][20], 6);
      expect(ta[i]).toBe(1);
      expect(tb[i]).toBe(2);
    }
  });

  it('charges c S_t |delta_t - delta_{t-1}| on every trade', () => {
    const positions = tf.tensor2d([[0.5, -0.5, 0.25]]);
    const s = tf.tensor2d([[1, 1.1, 0.9, 1.0]]);
    const r = terminalPnl({ spot: s, positions, payoff: tf.tensor1d([0]), costRate: 0.01, closeAtMaturity: true, premium: 0 });
    const gains = 0.5 * 0.1 - 0.5 * -0.2 + 0.25 * 0.1;
    const cost = 0.01 * (1 * 0.5 + 1.1 * 1 + 0.9 * 0.75 + 1.0 * 0.25);
    expect(r.cost.arraySync()[0]).toBeCloseTo(cost, 7);
    expect(r.turnover.arraySync()[0]).toBeCloseTo(2.5, 7);
    expect(r.pnl.arraySync()[0]).toBeCloseTo(gains - cost, 7);
  });
});

describe('Black-Scholes delta hedging', () => {
  it('replicates the call: with the BS premium and no costs, mean P&L ~ 0 and std ~ sqrt(pi/4) vega sigma / sqrt(N) (Derman-Kamal)', () => {
    const T = 20 / 250;
    const n = 20_000;
    const vega = bsGreeks({ spot: 1, strike: 1, maturity: T, rate: 0, sigma: 0.2, kind: 'call' }).vega;
    for (const steps of [10, 40]) {
      const dt = T / steps;
      const spot = tf.tensor2d(gbmPaths({ s0: 1, drift: 0, volatility: 0.2, steps, dt }, n, stream(9, 'q', steps)), [n, steps + 1]);
      const q = callProblem(spot, dt);
      const premium = bsPrice({ spot: 1, strike: 1, maturity: T, rate: 0, sigma: 0.2, kind: 'call' });
      const r = terminalPnl({ spot, positions: blackScholesDelta(q), payoff: payoffOf(q), costRate: 0, closeAtMaturity: false, premium });
      const x = r.pnl.arraySync();
      const mean = x.reduce((a, b) => a + b, 0) / n;
      const std = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
      expect(Math.abs(mean)).toBeLessThan((4 * std) / Math.sqrt(n));
      expect(std / (Math.sqrt(Math.PI / 4) * vega * 0.2 / Math.sqrt(steps))).toBeGreaterThan(0.85);
      expect(std / (Math.sqrt(Math.PI / 4) * vega * 0.2 / Math.sqrt(steps))).toBeLessThan(1.15);
    }
  });
});

describe('no-transaction bands', () => {
  it('clamp the previous position into the band, step by step from zero', () => {
    const lower = tf.tensor2d([[0.2, 0.1, 0.6, -0.5], [-1, -1, -1, -1]]);
    const upper = tf.tensor2d([[0.4, 0.3, 0.9, -0.2], [1, 1, 1, 1]]);
    expect(clampIntoBand(lower, upper).arraySync()).toEqual([
      [0.2, 0.2, 0.6, -0.2].map(Math.fround),
      [0, 0, 0, 0],
    ]);
  });

  it('give an inverted band (lower > upper) its midpoint, as pfhedge clamp(inverted_output="mean")', () => {
    const lower = tf.tensor2d([[0.5, 0.1, 0.9]]);
    const upper = tf.tensor2d([[0.3, 0.3, 0.5]]);
    expect(clampIntoBand(lower, upper).arraySync()).toEqual([[0.4, 0.3, 0.7].map(Math.fround)]);
  });

  it('Whalley-Wilmott stays within delta +- (3 c S Gamma^2 / 2a)^(1/3) and tends to delta as costs vanish', () => {
    const p = problem(300, 20);
    const { delta, gamma } = deltaAndGamma(p);
    const width = whalleyWilmottWidth(p.spot.slice([0, 0], [300, 20]), gamma, 1e-3, 1).arraySync() as number[][];
    const d = delta.arraySync();
    const held = whalleyWilmottPositions(p, 1e-3, 1).arraySync();
    const s = p.spot.arraySync();
    const g = gamma.arraySync();
    for (let i = 0; i < 300; i += 7) {
      for (let t = 0; t < 20; t++) {
        expect(width[i][t]).toBeCloseTo(Math.cbrt((3 * 1e-3 * s[i][t] * g[i][t] ** 2) / 2), 5);
        expect(Math.abs(held[i][t] - d[i][t])).toBeLessThanOrEqual(width[i][t] + 1e-6);
      }
    }
    const tight = whalleyWilmottPositions(p, 1e-12, 1).arraySync();
    for (let i = 0; i < 300; i += 13) for (let t = 0; t < 20; t++) expect(tight[i][t]).toBeCloseTo(d[i][t], 2);
  });
});
