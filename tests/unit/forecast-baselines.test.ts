import { describe, expect, it } from 'vitest';
import { ewmaForecast } from '../../src/engine/forecast/ewma';
import { randomWalkForecast } from '../../src/engine/forecast/random-walk';
import { sampleMean, sampleVariance } from '../../src/engine/forecast/sample-moments';

describe('sample moments of the finite values', () => {
  it('skip NaN: [1, NaN, 2, 6] has mean 3 and variance ((-2)^2 + 1 + 3^2) / 2 = 7', () => {
    const x = Float64Array.from([1, NaN, 2, 6]);
    expect(sampleMean(x)).toBe(3);
    expect(sampleVariance(x)).toBe(7);
    expect(sampleVariance(Float64Array.from([NaN, 4]))).toBeNaN();
  });
});

describe('random-walk baseline', () => {
  it('forecasts mean 0 and the sample std of the finite returns of the window before each day', () => {
    const r = Float64Array.from([0.01, -0.01, NaN, 0.03, 0.02]);
    const { mu, sigma } = randomWalkForecast(r, 3);
    expect(Array.from(mu)).toEqual([0, 0, 0, 0, 0]);
    expect(sigma[0]).toBeNaN(); // no prior return
    expect(sigma[1]).toBeNaN(); // one prior return
    expect(sigma[2]).toBeCloseTo(Math.sqrt(2e-4), 15); // {0.01, -0.01}: mean 0, (1e-4 + 1e-4) / 1
    expect(sigma[3]).toBeCloseTo(Math.sqrt(2e-4), 15); // {0.01, -0.01, NaN}: the NaN is skipped
    expect(sigma[4]).toBeCloseTo(Math.sqrt(8e-4), 15); // {-0.01, NaN, 0.03}: mean 0.01, (4e-4 + 4e-4) / 1
  });

  it('uses the last 30 returns by default', () => {
    // r_i = +-0.01 alternating for i < 30, then 0.05: day 30 sees 15 of each sign (variance 30e-4 / 29);
    // day 31 sees r_1..r_30 = 15 x -0.01, 14 x 0.01 and 0.05: mean 0.04 / 30.
    const r = Float64Array.from({ length: 31 }, (_, i) => (i === 30 ? 0.05 : i % 2 === 0 ? 0.01 : -0.01));
    const extended = Float64Array.from([...r, 0]);
    const { sigma } = randomWalkForecast(extended);
    expect(sigma[30]).toBeCloseTo(Math.sqrt(30e-4 / 29), 15);
    const mean = 0.04 / 30;
    const squares = 15 * (-0.01 - mean) ** 2 + 14 * (0.01 - mean) ** 2 + (0.05 - mean) ** 2;
    expect(sigma[31]).toBeCloseTo(Math.sqrt(squares / 29), 15);
  });
});

describe('RiskMetrics EWMA baseline', () => {
  it('follows sigma_t^2 = 0.94 sigma_{t-1}^2 + 0.06 r_{t-1}^2, a NaN day leaving the variance unchanged', () => {
    const r = Float64Array.from([0.02, NaN, 0.02, -0.01]);
    const { mu, sigma } = ewmaForecast(r, 1e-4);
    expect(Array.from(mu)).toEqual([0, 0, 0, 0]);
    const variances = Array.from(sigma, (s) => s * s);
    expect(variances[0]).toBeCloseTo(1e-4, 18);
    expect(variances[1]).toBeCloseTo(0.94e-4 + 0.06 * 4e-4, 18); // 1.18e-4
    expect(variances[2]).toBeCloseTo(1.18e-4, 18); // r_1 missing
    expect(variances[3]).toBeCloseTo(0.94 * 1.18e-4 + 0.06 * 4e-4, 18); // 1.3492e-4
  });

  it('takes another lambda, and refuses a bad initial variance or lambda', () => {
    const { sigma } = ewmaForecast(Float64Array.from([0.1, 0]), 0.01, 0.5);
    expect(sigma[1] ** 2).toBeCloseTo(0.5 * 0.01 + 0.5 * 0.01, 17);
    expect(() => ewmaForecast(new Float64Array(2), 0)).toThrow(/initial variance/);
    expect(() => ewmaForecast(new Float64Array(2), 1e-4, 1)).toThrow(/lambda/);
  });
});
