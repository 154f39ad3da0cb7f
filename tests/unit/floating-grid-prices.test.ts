import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { hestonPaths } from '../../src/engine/markets/heston';
import { FloatingGridPriceTable, optionKind, type FloatingOption } from '../../src/engine/pricing/floating-grid-prices';
import { hestonPrice, hestonPrices } from '../../src/engine/pricing/heston-fourier';
import { stream } from '../../src/engine/random/stream';
import { TabulatedPremium } from '../../src/engine/pricing/tabulated-premiums';

/** Paper 002, footnote 9: {maturity in steps: moneyness K / x_t}. */
const FOOTNOTE_9: Record<number, number[]> = {
  10: [0.99, 1.0, 1.01],
  20: [0.97, 0.99, 1.0, 1.01, 1.03],
  40: [0.95, 1.0, 1.05],
  80: [0.91, 1.0, 1.09],
  120: [0.85, 0.95, 1.0, 1.05, 1.15],
};
const OPTIONS: FloatingOption[] = Object.entries(FOOTNOTE_9).flatMap(([steps, ms]) => ms.map((moneyness) => ({ maturitySteps: Number(steps), moneyness })));
const MODEL = { kappa: 8, theta: 0.0625, xi: 1, rho: -0.7 };
const DT = 1 / 250;

function exactPrices(option: FloatingOption, variances: ArrayLike<number>): Float64Array {
  return hestonPrices({ spot: 1, strike: option.moneyness, maturity: option.maturitySteps * DT, rate: 0, ...MODEL, kind: optionKind(option) }, variances);
}

describe('floating-grid option premiums under Heston', () => {
  const table = new FloatingGridPriceTable(MODEL, DT, OPTIONS);

  it('trades out-of- or at-the-money options only: calls above moneyness 1, puts at or below', () => {
    expect(OPTIONS.length).toBe(19);
    expect(optionKind({ maturitySteps: 10, moneyness: 1.01 })).toBe('call');
    expect(optionKind({ maturitySteps: 10, moneyness: 1 })).toBe('put');
    expect(optionKind({ maturitySteps: 10, moneyness: 0.99 })).toBe('put');
  });

  it('tabulates paper 002 footnote 9 with an interpolation error below 1e-9 per unit spot', () => {
    expect(table.volMax).toBeCloseTo(Math.sqrt(0.0625 + 20 / 8), 12);
    expect(table.points).toBe(129);
    expect(table.interpolationError).toBeGreaterThan(0);
    expect(table.interpolationError).toBeLessThan(1e-9);
  });

  it('keeps the stated interpolation error at random variances', () => {
    // Uniform in sqrt(v) over the table, and from the stationary law of v (exponential, mean theta).
    const u = stream(11, 'floating-grid-test', 'v').uniforms(new Float64Array(1200));
    const variances = Array.from(u, (x, j) => (j % 2 === 0 ? (x * table.volMax) ** 2 : -0.0625 * Math.log(x)));
    let worst = 0;
    OPTIONS.forEach((option, i) => {
      const exact = exactPrices(option, variances);
      variances.forEach((v, j) => {
        worst = Math.max(worst, Math.abs(table.price(i, v) - exact[j]));
      });
    });
    // The error is measured at build time midway between nodes, where cubic Hermite error peaks; elsewhere
    // it may exceed that by a few per cent where the fourth derivative varies across a segment.
    expect(worst).toBeLessThan(1.1 * table.interpolationError);
    expect(worst).toBeGreaterThan(0.1 * table.interpolationError);
  });

  it('gives put and call prices per unit spot matching hestonPrice at nodes and beyond the table', () => {
    for (const i of [0, 2, 18]) {
      const o = OPTIONS[i];
      const input = { spot: 1, strike: o.moneyness, maturity: o.maturitySteps * DT, rate: 0, ...MODEL, kind: optionKind(o) };
      // A node: sqrt(v) = volMax (j / 128)^2 with j = 64.
      const node = (table.volMax * 0.25) ** 2;
      expect(Math.abs(table.price(i, node) - hestonPrice({ ...input, v0: node }))).toBeLessThan(1e-12);
      // Beyond volMax^2 the price is exact.
      const far = table.volMax ** 2 * 1.5;
      expect(table.price(i, far)).toBe(hestonPrice({ ...input, v0: far }));
    }
  });

  it('fills premiums() elementwise with price(), falling back to exact prices beyond the table', () => {
    const small = new FloatingGridPriceTable(MODEL, DT, OPTIONS.slice(0, 4), { volMax: 0.35, points: 33 });
    const n = 200;
    const steps = 30;
    const { variance } = hestonPaths({ s0: 1, drift: 0, v0: 0.0625, ...MODEL, steps, dt: DT }, n, stream(12, 'floating-grid-test', 'paths'));
    const out = small.premiums(variance, n, steps);
    expect(out.length).toBe(4);
    let beyond = 0;
    for (let i = 0; i < 4; i++) {
      expect(out[i].length).toBe(n * steps);
      for (let p = 0; p < n; p++) {
        for (let t = 0; t < steps; t++) {
          const v = variance[p * (steps + 1) + t];
          if (i === 0 && v > 0.35 ** 2) beyond++;
          expect(out[i][p * steps + t]).toBe(Math.fround(small.price(i, v)));
        }
      }
    }
    expect(beyond).toBeGreaterThan(0);
    expect(beyond).toBeLessThan(n * steps);
  });

  it('rejects a negative variance, an unknown option and a mis-shaped variance array', () => {
    expect(() => table.price(0, -1e-3)).toThrow(/variance/);
    expect(() => table.price(19, 0.04)).toThrow(/option/);
    expect(() => table.premiums(new Float32Array(10), 2, 5)).toThrow(/entries/);
    expect(() => table.premiums(Float32Array.from([0.04, -1, 0.04]), 1, 2)).toThrow(/path 0 at date 1/);
    expect(() => new FloatingGridPriceTable(MODEL, DT, [{ maturitySteps: 0, moneyness: 1 }])).toThrow(/maturitySteps/);
  });
});

describe('device tables of the floating-grid premiums', () => {
  const table = new FloatingGridPriceTable(MODEL, DT, OPTIONS);

  it('interpolate the Fourier price at random variances within their measured error', async () => {
    await tf.setBackend('cpu');
    const rng = stream(11, 'device-table');
    const variances = rng.uniforms(new Float64Array(400)).map((u) => 0.3 * u * u);
    for (const i of [0, 7, 18]) {
      const device = new TabulatedPremium(table, i);
      expect(device.maxError).toBeLessThan(1e-7);
      const v = tf.tensor1d(Float32Array.from(variances));
      const got = device.at(v);
      const values = await got.data();
      tf.dispose([v, got]);
      const exact = exactPrices(OPTIONS[i], Float32Array.from(variances));
      let worst = 0;
      for (let j = 0; j < variances.length; j++) worst = Math.max(worst, Math.abs(values[j] - exact[j]));
      // float32 storage and arithmetic add a few ulps of the price (~1e-8) to the interpolation error.
      expect(worst).toBeLessThan(device.maxError + table.interpolationError + 5e-8);
    }
  });

  it('leave no tensors behind', () => {
    const device = new TabulatedPremium(table, 3, 65);
    const before = tf.memory().numTensors;
    const v = tf.fill([4, 5], 0.05);
    tf.dispose([device.at(v), v]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
