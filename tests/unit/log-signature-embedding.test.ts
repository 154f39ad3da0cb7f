/** The log-signature embedding of price segments (src/engine/generators/log-signature-embedding.ts). */
import { describe, expect, it } from 'vitest';
import { embedSegment, fitEmbedding, logReturnSegments, segmentFromCoordinates } from '../../src/engine/generators/log-signature-embedding';
import { logSignatureLength } from '../../src/engine/signatures/lyndon';
import { stream } from '../../src/engine/random/stream';

/** A segment of `points` values x(t_i), t_i = 2 pi i / points, of a path with harmonics 1 and 2 and x(0) = 0. */
function smoothSegment(c: ArrayLike<number>, points: number): Float64Array {
  const at = (t: number) => c[0]! * (Math.cos(t) - 1) + c[1]! * Math.sin(t) + c[2]! * (Math.cos(2 * t) - 1) + c[3]! * Math.sin(2 * t);
  return Float64Array.from({ length: points }, (_, i) => at((2 * Math.PI * (i + 1)) / points));
}

describe('log-signature embedding', () => {
  it('cuts prices into segments of log-returns from each start', () => {
    const segments = logReturnSegments([1, 2, 4, 8, 16, 32], 2, 2);
    expect(segments.map((s) => Array.from(s))).toEqual([
      [Math.log(2), Math.log(4)],
      [Math.log(2), Math.log(4)],
    ]);
    expect(() => logReturnSegments([1, 2], 0, 1)).toThrow(/at least 1/);
  });

  it('standardises the training coordinates and maps a segment back to itself as far as its harmonics go', () => {
    const z = stream(5, 'embedding-test').normals(new Float64Array(4 * 200));
    const training = Array.from({ length: 200 }, (_, j) => smoothSegment(z.subarray(4 * j, 4 * j + 4).map((x) => 0.02 * x), 600));
    const { embedding, coordinates } = fitEmbedding(training, 4);
    // The varying coordinates are those of the Lyndon words with the data letter in them, less the data's own
    // increment: these segments of whole harmonics end where they start. The words in the time channels alone
    // are the same for every segment and are set aside.
    expect(coordinates[0]!.length).toBe(logSignatureLength(4, 4) - logSignatureLength(3, 4) - 1);
    expect(embedding.varying).toHaveLength(coordinates[0]!.length);
    for (let c = 0; c < coordinates[0]!.length; c++) {
      const column = coordinates.map((x) => x[c]!);
      const mean = column.reduce((a, b) => a + b, 0) / column.length;
      expect(Math.abs(mean)).toBeLessThan(1e-9);
      const sd = Math.sqrt(column.reduce((a, b) => a + (b - mean) ** 2, 0) / column.length);
      expect(sd).toBeCloseTo(1, 9);
    }
    // A segment inside the training range comes back from its coordinates (harmonics 0..2 at depth 4).
    const segment = smoothSegment([0.01, -0.015, 0.005, 0.008], 600);
    const back = segmentFromCoordinates(embedSegment(segment, embedding), embedding);
    expect(Math.max(...back.map((x, i) => Math.abs(x - segment[i]!)))).toBeLessThan(1e-4 * Math.max(...segment.map(Math.abs)));
  });

  it('clips a segment far outside the training ones to the training quantiles', () => {
    const z = stream(6, 'embedding-test').normals(new Float64Array(4 * 100));
    const training = Array.from({ length: 100 }, (_, j) => smoothSegment(z.subarray(4 * j, 4 * j + 4).map((x) => 0.02 * x), 100));
    const { embedding, coordinates } = fitEmbedding(training, 3);
    const wild = embedSegment(smoothSegment([2, 2, 2, 2], 100), embedding);
    wild.forEach((x, k) => {
      const c = embedding.varying[k]!;
      expect(x).toBeLessThanOrEqual((embedding.high[c]! - embedding.mean[c]!) / embedding.std[c]! + 1e-12);
      expect(x).toBeGreaterThanOrEqual((embedding.low[c]! - embedding.mean[c]!) / embedding.std[c]! - 1e-12);
    });
    expect(coordinates).toHaveLength(100);
    expect(() => embedSegment(new Float64Array(5), embedding)).toThrow(/segments of 100 values, not 5/);
    expect(() => fitEmbedding([training[0]!], 3)).toThrow(/at least 2/);
  });
});
