/**
 * Fourier inversion of time-augmented signatures (src/engine/generators/fourier-inversion.ts): the harmonics of
 * known smooth paths come back from the signature and from the log-signature, as the depth allows.
 */
import { describe, expect, it } from 'vitest';
import { fourierAugmented, fourierCoefficients, fourierPath, fourierValues } from '../../src/engine/generators/fourier-inversion';
import { logSignature, signatureFromLogSignature } from '../../src/engine/signatures/lyndon';
import { signatureTensor } from '../../src/engine/signatures/tensor-algebra';

/** x(t) = A_0 / 2 + sum_n A_n cos(nt) + B_n sin(nt) with A_0 chosen so that x(0) = 0, sampled at t_i = 2 pi i / L, i = 1..L. */
function smooth(A: number[], B: number[], points: number) {
  const a0 = -2 * A.slice(1).reduce((s, x) => s + x, 0);
  const at = (t: number) => a0 / 2 + A.slice(1).reduce((s, an, k) => s + an * Math.cos((k + 1) * t) + B[k + 1]! * Math.sin((k + 1) * t), 0);
  return { a0, values: Float64Array.from({ length: points }, (_, i) => at((2 * Math.PI * (i + 1)) / points)) };
}

describe('Fourier inversion of the time-augmented signature', () => {
  it('recovers the harmonics 0..m-2 of a smooth path from its depth-m signature, to O(h^2)', () => {
    const A = [0, 0.3, -0.2, 0.1];
    const B = [0, 0.5, 0.15, -0.05];
    const { a0, values } = smooth(A, B, 6000);
    const sig = signatureTensor(fourierAugmented(values), 5);
    const { a, b } = fourierCoefficients(sig);
    expect(a.length).toBe(4);
    const want = { a: [a0, ...A.slice(1)], b: [0, ...B.slice(1)] };
    for (let n = 0; n < 4; n++) {
      expect(Math.abs(a[n]! - want.a[n]!)).toBeLessThan(1e-6);
      expect(Math.abs(b[n]! - want.b[n]!)).toBeLessThan(1e-6);
    }
    const back = fourierValues({ a, b }, values.length);
    expect(Math.max(...back.map((x, i) => Math.abs(x - values[i]!)))).toBeLessThan(1e-5);
  });

  it('gives the same harmonics through the log-signature in the Lyndon basis', () => {
    const { values } = smooth([0, 0.2, 0.1], [0, -0.4, 0.3], 3000);
    const path = fourierAugmented(values);
    const direct = fourierCoefficients(signatureTensor(path, 4));
    const viaLog = fourierCoefficients(signatureFromLogSignature(logSignature(path, 4), 4, 4));
    for (let n = 0; n < 3; n++) {
      expect(viaLog.a[n]).toBeCloseTo(direct.a[n]!, 10);
      expect(viaLog.b[n]).toBeCloseTo(direct.b[n]!, 10);
    }
  });

  it('sees only the harmonics its depth allows: a path of harmonic 3 read at depth 4 shows none', () => {
    const { values } = smooth([0, 0, 0, 0.4], [0, 0, 0, 0.2], 4000);
    const { a, b } = fourierCoefficients(signatureTensor(fourierAugmented(values), 4));
    // Harmonics 1 and 2 of cos 3t and sin 3t are 0, and a_0 / 2 is the mean, -0.4.
    expect(a[0]! / 2).toBeCloseTo(-0.4, 5);
    for (const c of [a[1]!, a[2]!, b[1]!, b[2]!]) expect(Math.abs(c)).toBeLessThan(1e-5);
    expect(() => fourierCoefficients(signatureTensor([[0, 0], [1, 1]], 3))).toThrow(/reads 4 channels/);
  });

  it('brings back a path that does not end where it starts: its chord, then the harmonics of the rest', () => {
    // x(t) = 0.25 t / 2 pi + harmonics 1 and 2 that vanish at 0: it ends at 0.25.
    const points = 4000;
    const x = Float64Array.from({ length: points }, (_, i) => {
      const t = (2 * Math.PI * (i + 1)) / points;
      return (0.25 * t) / (2 * Math.PI) + 0.1 * Math.sin(t) - 0.05 * (Math.cos(2 * t) - 1);
    });
    const sig = signatureTensor(fourierAugmented(x), 4);
    const back = fourierPath(sig, points);
    expect(Math.abs(back[points - 1]! - 0.25)).toBeLessThan(1e-6);
    expect(Math.max(...back.map((v, i) => Math.abs(v - x[i]!)))).toBeLessThan(1e-5);
    // The periodic series alone cannot: it ends halfway up the jump of the periodic extension.
    const periodic = fourierValues(fourierCoefficients(sig), points);
    expect(Math.abs(periodic[points - 1]! - 0.25)).toBeGreaterThan(0.1);
  });
});
