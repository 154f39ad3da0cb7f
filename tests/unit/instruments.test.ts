import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { assetInstrument, fixedGridInstrument, floatingGridInstrument, type Instrument } from '../../src/engine/hedging/instruments';
import { hedgingPnl, instrumentAccount } from '../../src/engine/hedging/pnl';
import type { HedgingProblem } from '../../src/engine/hedging/problem';
import { gbmPaths } from '../../src/engine/markets/gbm';
import { bsPrice } from '../../src/engine/pricing/black-scholes';
import { bsPriceTensor } from '../../src/engine/pricing/black-scholes-tensors';
import { stream } from '../../src/engine/random/stream';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function problemWith(spot: tf.Tensor2D, instruments: Instrument[], payoff: tf.Tensor1D, premium = 0): HedgingProblem {
  const [n, cols] = spot.shape;
  const steps = cols - 1;
  return {
    spot,
    claim: { type: 'european', kind: 'call', strike: 1 },
    payoff,
    strike: tf.ones([n, 1]),
    premiums: tf.fill([n], premium) as tf.Tensor1D,
    premium,
    instruments,
    volatility: tf.fill([n, steps], 0.2) as tf.Tensor2D,
    impliedVolatility: tf.fill([n, steps], 0.2) as tf.Tensor2D,
    features: tf.zeros([steps, n, 1]) as tf.Tensor3D,
    featureNames: ['unused'],
    dt: 1 / 250,
    steps,
  };
}

describe('floating-grid options (paper 002 §2.1 (b))', () => {
  it('return (x_{t+tau} - K_t)^+ - C_t x_t for a call bought at t, nothing once they would mature after T', () => {
    const spot = tf.tensor2d([[1, 1.1, 0.9, 1.2, 1.0]]);
    const call = floatingGridInstrument('call', spot, { maturitySteps: 2, moneyness: 1.05 }, tf.fill([1, 4], 0.01) as tf.Tensor2D, 0.02);
    const r = call.returns.arraySync()[0];
    const x = [1, 1.1, 0.9, 1.2, 1.0];
    for (let t = 0; t < 3; t++) expect(r[t]).toBeCloseTo(Math.max(x[t + 2] - 1.05 * x[t], 0) - 0.01 * x[t], 6);
    expect(r[3]).toBe(0);
    expect(call.available.arraySync()[0]).toEqual([1, 1, 1, 0]);

    const put = floatingGridInstrument('put', spot, { maturitySteps: 1, moneyness: 0.95 }, tf.fill([1, 4], 0.004) as tf.Tensor2D, 0.02);
    const rp = put.returns.arraySync()[0];
    for (let t = 0; t < 4; t++) expect(rp[t]).toBeCloseTo(Math.max(0.95 * x[t] - x[t + 1], 0) - 0.004 * x[t], 6);

    // Trades on unavailable dates are ignored; costs are c x_t |u_t|.
    const u = tf.tensor2d([[1, -2, 0.5, 7]]);
    const account = instrumentAccount(call, u);
    expect(account.gains.arraySync()[0]).toBeCloseTo(1 * r[0] - 2 * r[1] + 0.5 * r[2], 6);
    expect(account.cost.arraySync()[0]).toBeCloseTo(0.02 * (1 * 1 + 2 * 1.1 + 0.5 * 0.9), 6);
  });
});

describe('holding and trading are the same accounting (summation by parts)', () => {
  it('holding theta_t in an asset equals buying u_t = theta_t - theta_{t-1} and holding it to T', () => {
    const n = 64;
    const steps = 12;
    const price = tf.tensor2d(gbmPaths({ s0: 1, drift: 0.1, volatility: 0.3, steps, dt: 1 / 50 }, n, stream(3, 'abel')), [n, steps + 1]);
    const theta = tf.randomNormal([n, steps], 0, 1, 'float32', 7) as tf.Tensor2D;
    const asset = assetInstrument('spot', price, 0.01, false);
    const held = instrumentAccount(asset, theta);
    const u = tf.sub(theta, tf.concat([tf.zeros([n, 1]), theta.slice([0, 0], [n, steps - 1])], 1)) as tf.Tensor2D;
    const toMaturity = tf.sub(price.slice([0, steps], [n, 1]), price.slice([0, 0], [n, steps])) as tf.Tensor2D;
    const traded = instrumentAccount(
      { kind: 'trade', label: 'spot as trades', returns: toMaturity, costBasis: price.slice([0, 0], [n, steps]), costRate: 0.01, available: tf.ones([1, steps]) },
      u,
    );
    const [a, b] = [held.gains.arraySync(), traded.gains.arraySync()];
    const [ca, cb] = [held.cost.arraySync(), traded.cost.arraySync()];
    for (let i = 0; i < n; i++) {
      expect(a[i]).toBeCloseTo(b[i], 4);
      expect(ca[i]).toBeCloseTo(cb[i], 5);
    }
  });
});

describe('fixed-grid options (paper 002 §2.1 (a))', () => {
  it('replicate themselves: long one call priced by Black-Scholes against a short one, the P&L is exactly premium - price_0', () => {
    const n = 200;
    const steps = 10;
    const dt = 1 / 250;
    const spot = tf.tensor2d(gbmPaths({ s0: 1, drift: 0, volatility: 0.2, steps, dt }, n, stream(4, 'fixed')), [n, steps + 1]);
    const grid = tf.range(0, steps + 1).reshape([1, steps + 1]);
    const price = bsPriceTensor(spot, 1, tf.mul(tf.sub(steps, grid), dt), 0.2, 'call') as tf.Tensor2D;
    const option = fixedGridInstrument('call', spot, price, steps, 0, false);
    const payoff = tf.relu(tf.sub(spot.slice([0, steps], [n, 1]).reshape([n]), 1)) as tf.Tensor1D;
    const premium = bsPrice({ spot: 1, strike: 1, maturity: steps * dt, rate: 0, sigma: 0.2, kind: 'call' });
    const p = problemWith(spot, [assetInstrument('spot', spot, 0, false), option], payoff, premium);
    const pnl = hedgingPnl(p, [tf.zeros([n, steps]), tf.ones([n, steps])]).pnl.arraySync();
    for (const x of pnl) expect(Math.abs(x)).toBeLessThan(1e-5);
  });

  it('stop trading at their maturity and charge no cost on expiry', () => {
    const spot = tf.tensor2d([[1, 1.1, 1.2, 1.3]]);
    const price = tf.tensor2d([[0.05, 0.12, 0.2, 0.2]]);
    const option = fixedGridInstrument('call', spot, price, 2, 0.01, true);
    const a = instrumentAccount(option, tf.tensor2d([[1, 2, 5]]));
    expect(a.gains.arraySync()[0]).toBeCloseTo(1 * 0.07 + 2 * 0.08, 6);
    expect(a.cost.arraySync()[0]).toBeCloseTo(0.01 * (1 * 1 + 1 * 1.1), 6);
    expect(option.unwindAtMaturity).toBe(false);
  });
});
