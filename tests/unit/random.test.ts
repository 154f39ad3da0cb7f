import { describe, expect, it } from 'vitest';
import { philox4x32 } from '../../src/engine/random/philox';
import { RandomStream, stream } from '../../src/engine/random/stream';

describe('Philox4x32-10', () => {
  // Known-answer vectors from Random123's kat_vectors (philox4x32 10 rounds).
  const kat: [number[], number[], number[]][] = [
    [[0, 0, 0, 0], [0, 0], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]],
    [[0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]],
    [[0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]],
  ];
  it.each(kat)('matches Random123 for counter %j key %j', (c, k, expected) => {
    const out = new Uint32Array(4);
    philox4x32(c[0], c[1], c[2], c[3], k[0], k[1], out);
    expect([...out]).toEqual(expected);
  });
});

describe('named streams', () => {
  it('are reproducible and random-access: any range equals the same range of a longer draw', () => {
    const s = new RandomStream(7, 'market/test');
    const all = s.normals(new Float64Array(101));
    expect([...new RandomStream(7, 'market/test').normals(new Float64Array(101))]).toEqual([...all]);
    expect([...s.normals(new Float64Array(37), 31)]).toEqual([...all.subarray(31, 68)]);
    expect([...s.uniforms(new Float64Array(9), 3)]).toEqual([...s.uniforms(new Float64Array(12)).subarray(3)]);
  });

  it('differ between names and seeds', () => {
    const a = stream(1, 'init', 'deep-mlp').uniforms(new Float64Array(8));
    const b = stream(1, 'init', 'deep-mlp-2').uniforms(new Float64Array(8));
    const c = stream(2, 'init', 'deep-mlp').uniforms(new Float64Array(8));
    expect([...a]).not.toEqual([...b]);
    expect([...a]).not.toEqual([...c]);
  });

  it('draw uniforms on (0,1) with the moments of U(0,1)', () => {
    const u = stream(3, 'u').uniforms(new Float64Array(200_000));
    let sum = 0, sq = 0, min = 1, max = 0;
    for (const x of u) { sum += x; sq += x * x; min = Math.min(min, x); max = Math.max(max, x); }
    const n = u.length;
    expect(min).toBeGreaterThan(0);
    expect(max).toBeLessThan(1);
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(sq / n - sum * sum / n / n - 1 / 12)).toBeLessThan(0.002);
  });

  it('draw standard normals: mean 0, variance 1, kurtosis 3, uncorrelated neighbours', () => {
    const z = stream(4, 'z').normals(new Float64Array(400_000));
    const n = z.length;
    let m1 = 0, m2 = 0, m4 = 0, lag = 0;
    for (let i = 0; i < n; i++) {
      m1 += z[i]; m2 += z[i] ** 2; m4 += z[i] ** 4;
      if (i > 0) lag += z[i] * z[i - 1];
    }
    expect(Math.abs(m1 / n)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(m2 / n - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
    expect(Math.abs(m4 / n - 3)).toBeLessThan(4 * Math.sqrt(96 / n));
    expect(Math.abs(lag / (n - 1))).toBeLessThan(4 / Math.sqrt(n));
  });
});
