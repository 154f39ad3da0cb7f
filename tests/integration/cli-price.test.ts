/**
 * The `price` command under bad and extreme requests (issue 13 defects 1, 2 and 5): every request is answered
 * with one JSON document of finite numbers and exit 0, or exit 2 and one line naming the field or the cause;
 * nothing hangs and nothing prints null. The CLI is spawned as tests/integration/cli.test.ts does; the
 * property over the request space runs priceRequest in process (src/cli/price-request.ts).
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priceRequest } from '../../src/cli/price-request';

/** A hang fails here instead of stalling the suite. */
function price(request: object) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'price', '--json', JSON.stringify(request)], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const q = { s0: 1, strike: 1, maturity: 1, rate: 0, kind: 'call' };
const heston = { model: 'heston', ...q, v0: 0.04, kappa: 1.5, theta: 0.04, xi: 0.5, rho: -0.7 };

/** Exit 2, nothing on stdout, one line on stderr matching `reason`. */
function expectRefused(r: ReturnType<typeof price>, reason: RegExp) {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(reason);
}

describe('hedgelab price: bad and extreme requests', () => {
  it('the Merton request that hung (lambda 100, jump mean 5, jump std 5) is refused at once, naming the fields', () => {
    expectRefused(price({ model: 'merton', ...q, sigma: 0.2, lambda: 100, jumpMean: 5, jumpStd: 5 }), /^hedgelab: jumpMean: Too big: expected number to be <=1; jumpStd: Too big: expected number to be <=1$/m);
  }, 60_000);

  it('the Merton request that printed null (lambda 10, jump std 3) is refused naming jumpStd; the schema corner prices finitely', () => {
    expectRefused(price({ model: 'merton', ...q, sigma: 0.2, lambda: 10, jumpMean: 0, jumpStd: 3 }), /jumpStd: Too big: expected number to be <=1/);
    const corner = price({ model: 'merton', ...q, maturity: 14.6, sigma: 3, lambda: 100, jumpMean: 1, jumpStd: 1 });
    expect(corner.code).toBe(0);
    const { price: value } = JSON.parse(corner.stdout);
    expect(value).toBeGreaterThan(0);
    expect(value).toBeLessThanOrEqual(1 + 1e-9);
  }, 60_000);

  it('Heston with theta 0 or maturity 0 is refused by the schema with exit 2 (it threw, exit 1)', () => {
    expectRefused(price({ ...heston, theta: 0 }), /^hedgelab: theta: Too small: expected number to be >=0\.0001$/m);
    expectRefused(price({ ...heston, maturity: 0 }), /^hedgelab: maturity: must be from one day \(1\/365 year\) to 14\.6 years/m);
  }, 60_000);

  it('a Heston price the quadrature cannot reach is exit 2 with the cause, not a silently wrong number', () => {
    const far = { ...heston, strike: 2, maturity: 14.6, rate: 1, v0: 1e-4, kappa: 0.01, theta: 1e-4, xi: 5, rho: 0.999 };
    expectRefused(price(far), /^hedgelab: heston: the Fourier integral misses its tolerance .* Feller's condition/m);
  }, 60_000);

  it('any request inside the schema answers finite numbers or a one-line reason, and never throws', () => {
    const common = {
      s0: fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
      strike: fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
      maturity: fc.double({ min: 1 / 365, max: 14.6, noNaN: true }),
      rate: fc.double({ min: -1, max: 1, noNaN: true }),
      kind: fc.constantFrom('call', 'put'),
    };
    const request = fc.oneof(
      fc.record({ model: fc.constant('bs'), sigma: fc.double({ min: 0.001, max: 3, noNaN: true }), ...common }),
      fc.record({ model: fc.constant('bs-implied-vol'), price: fc.double({ min: -10, max: 1e6, noNaN: true }), ...common }),
      fc.record({
        model: fc.constant('merton'),
        sigma: fc.double({ min: 0.001, max: 3, noNaN: true }),
        lambda: fc.double({ min: 0, max: 100, noNaN: true }),
        jumpMean: fc.double({ min: -1, max: 1, noNaN: true }),
        jumpStd: fc.double({ min: 0, max: 1, noNaN: true }),
        ...common,
      }),
      fc.record({
        model: fc.constant('heston'),
        v0: fc.double({ min: 1e-4, max: 4, noNaN: true }),
        kappa: fc.double({ min: 0.01, max: 50, noNaN: true }),
        theta: fc.double({ min: 1e-4, max: 4, noNaN: true }),
        xi: fc.double({ min: 0.001, max: 5, noNaN: true }),
        rho: fc.double({ min: -0.999, max: 0.999, noNaN: true }),
        ...common,
      }),
    );
    fc.assert(
      fc.property(request, (input) => {
        const r = priceRequest(input);
        if (r.ok) for (const v of Object.values(r.value)) expect(Number.isFinite(v)).toBe(true);
        else expect(r.error).toMatch(/^(price|heston|merton|bs): [^\n]+$/);
      }),
      { numRuns: 120, seed: 13 },
    );
  }, 60_000);
});
