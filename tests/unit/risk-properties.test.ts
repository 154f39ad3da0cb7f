/**
 * The axioms of every risk measure of src/engine/risk (issue 13 "Hard to break", as pfhedge's tests check its
 * EntropicRiskMeasure and ExpectedShortfall): with X a P&L (positive = gain),
 *   monotone          X <= Y pathwise  =>  rho(X) >= rho(Y)
 *   convex            rho(a X + (1 - a) Y) <= a rho(X) + (1 - a) rho(Y)
 *   cash invariant    rho(X + c) = rho(X) - c
 * for each measure the schema offers (src/engine/experiment/schema.ts riskSchema), at the ends of its
 * parameter ranges and at P&L scales up to +-1000, by fast-check with bounded sizes. Where a measure is not
 * monotone (mean-variance, the quadratic criterion, variance plus costs) or not cash invariant (the quadratic
 * criterion, variance plus costs), as risk/measure.ts documents, a counterexample is shown, and the
 * indifference price is checked to move one for one with cash instead. The device losses are checked to be
 * finite and to agree with the float64 values at the same extremes.
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Risk } from '../../src/engine/experiment/schema';
import { valueAtRisk } from '../../src/engine/risk/expected-shortfall';
import { indifferencePrice, needsThreshold, riskLoss, riskValue } from '../../src/engine/risk/measure';
import { oceRisk } from '../../src/engine/risk/oce';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Every measure of the schema at the ends of its parameter's range (and one inside). */
const MEASURES: Risk[] = [
  ...[1e-3, 1, 1e3].map((lambda) => ({ measure: 'entropic', lambda }) as const),
  ...[0.5, 0.9, 0.999].map((alpha) => ({ measure: 'expected-shortfall', alpha }) as const),
  { measure: 'quadratic' },
  ...[1e-3, 1e4].map((lambda) => ({ measure: 'mean-variance', lambda }) as const),
  ...[1e-3, 1e6].map((gamma) => ({ measure: 'variance-cost', gamma }) as const),
  ...[1e-3, 1e3].map((lambda) => ({ measure: 'oce', loss: { type: 'exponential', lambda } }) as const),
  ...[1e-3, 1e4].map((lambda) => ({ measure: 'oce', loss: { type: 'quadratic', lambda } }) as const),
  ...[0.5, 0.999].map((alpha) => ({ measure: 'oce', loss: { type: 'shortfall', alpha } }) as const),
];

const describeRisk = (r: Risk) => JSON.stringify(r);
const monotone = (r: Risk) => r.measure === 'entropic' || r.measure === 'expected-shortfall' || (r.measure === 'oce' && r.loss.type !== 'quadratic');
const cashInvariant = (r: Risk) => r.measure !== 'quadratic' && r.measure !== 'variance-cost';

const N = 24;
const pnl = fc.float64Array({ minLength: N, maxLength: N, min: -1000, max: 1000, noNaN: true, noDefaultInfinity: true });
const gains = fc.float64Array({ minLength: N, maxLength: N, min: 0, max: 1000, noNaN: true, noDefaultInfinity: true });
const costs = new Float64Array(N).map((_, i) => 0.01 * (i % 5));
const runs = { numRuns: 40, seed: 13 };

const value = (r: Risk, x: ArrayLike<number>) => riskValue(r, x, costs);
const price = (r: Risk, x: ArrayLike<number>) => indifferencePrice(r, x, costs);
const shift = (x: Float64Array, c: number) => x.map((v) => v + c);
/** Rounding allowance: a few ulps of the largest magnitude involved (OCE bisection stops at 1e-15 of it). */
const slack = (...v: number[]) => 1e-9 * Math.max(1, ...v.map(Math.abs));

describe.each(MEASURES.map((r) => [describeRisk(r), r] as const))('risk measure %s', (_, risk) => {
  it('is finite at P&L scales up to +-1000', () => {
    fc.assert(
      fc.property(pnl, (x) => {
        expect(Number.isFinite(value(risk, x))).toBe(true);
        expect(Number.isFinite(price(risk, x))).toBe(true);
      }),
      runs,
    );
    expect(Number.isFinite(value(risk, new Float64Array(N).fill(-1000)))).toBe(true);
    expect(Number.isFinite(value(risk, Float64Array.from({ length: N }, (_, i) => (i % 2 ? 1000 : -1000))))).toBe(true);
  });

  it('is convex', () => {
    fc.assert(
      fc.property(pnl, pnl, fc.double({ min: 0, max: 1, noNaN: true }), (x, y, a) => {
        const mixed = x.map((v, i) => a * v + (1 - a) * y[i]);
        const bound = a * value(risk, x) + (1 - a) * value(risk, y);
        expect(value(risk, mixed)).toBeLessThanOrEqual(bound + slack(value(risk, x), value(risk, y)));
      }),
      runs,
    );
  });

  if (monotone(risk)) {
    it('is monotone: more gain on every path is never more risk', () => {
      fc.assert(
        fc.property(pnl, gains, (x, d) => {
          const y = x.map((v, i) => v + d[i]);
          expect(value(risk, y)).toBeLessThanOrEqual(value(risk, x) + slack(value(risk, x), 1000));
        }),
        runs,
      );
    });
  } else {
    it('is not monotone, as documented: a gain on one path can add risk', () => {
      // A gain g on one path adds -g / N to the mean term and about lambda g^2 / (2 N) to the variance term.
      const lambda = risk.measure === 'mean-variance' ? risk.lambda : risk.measure === 'oce' && risk.loss.type === 'quadratic' ? risk.loss.lambda : undefined;
      const flat = new Float64Array(N);
      const oneGain = flat.map((_, i) => (i === 0 ? (lambda ? 10 / lambda : 1000) : 0));
      expect(value(risk, oneGain)).toBeGreaterThan(value(risk, flat));
    });
  }

  if (cashInvariant(risk)) {
    it('is cash invariant: rho(X + c) = rho(X) - c, for c up to +-1000', () => {
      fc.assert(
        fc.property(pnl, fc.double({ min: -1000, max: 1000, noNaN: true }), (x, c) => {
          const rho = value(risk, x);
          expect(Math.abs(value(risk, shift(x, c)) - (rho - c))).toBeLessThanOrEqual(slack(rho, c, 1000));
        }),
        runs,
      );
    });
  } else {
    it('is not cash invariant, as documented, but its indifference price moves one for one with cash', () => {
      const x = Float64Array.from({ length: N }, (_, i) => Math.sin(i) * 10);
      expect(Math.abs(value(risk, shift(x, 5)) - (value(risk, x) - 5))).toBeGreaterThan(1e-3);
      fc.assert(
        fc.property(pnl, fc.double({ min: -1000, max: 1000, noNaN: true }), (y, c) => {
          const p = price(risk, y);
          expect(Math.abs(price(risk, shift(y, c)) - (p - c))).toBeLessThanOrEqual(slack(p, c, 1000));
        }),
        runs,
      );
    });
  }

  it('has a device loss that is finite at +-1000 and agrees with the float64 value', () => {
    const x = Float64Array.from({ length: N }, (_, i) => (i % 3 === 0 ? -1000 : 1000 * Math.cos(i)));
    const before = tf.memory().numTensors;
    // At its optimum the learned threshold is the VaR (expected shortfall) or the OCE's minimiser.
    const w = !needsThreshold(risk) ? undefined : risk.measure === 'expected-shortfall' ? valueAtRisk(x, risk.alpha) : risk.measure === 'oce' ? oceRisk(x, risk.loss).threshold : undefined;
    const loss = tf.tidy(() => riskLoss(risk, tf.tensor1d(Float32Array.from(x)), w === undefined ? undefined : tf.scalar(w), tf.tensor1d(Float32Array.from(costs))).dataSync()[0]);
    expect(tf.memory().numTensors).toBe(before);
    expect(Number.isFinite(loss)).toBe(true);
    const exact = value(risk, x);
    // float32 on the device: a relative 1e-5 of the scale of the terms summed.
    expect(Math.abs(loss - exact)).toBeLessThanOrEqual(1e-5 * Math.max(1000, Math.abs(exact)));
  });
});
