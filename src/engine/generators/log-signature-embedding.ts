/**
 * The log-signature embedding of price-path segments that SigDiffusions' score model learns (Barancikova,
 * Huang and Salvi 2024, §3; their compute_signatures.py; paper 003 §3.3, one asset at a time). A segment of
 * L + 1 prices S_0..S_L becomes its log-returns from the start, x_i = log(S_i / S_0), i = 1..L; these are
 * divided by the width of the range of all training segments (the scale of their minmax_scale_features, without
 * its shift: the zero first point they prepend is then the segment's own start, log(S_0 / S_0) = 0, not a jump
 * to the first value that the few harmonics cannot follow), the time channels (t, sin t, cos t - 1) over
 * [0, 2 pi] are added (fourier-inversion.ts), and the
 * log-signature to depth m is taken in the Lyndon words basis (signatures/lyndon.ts). Each coordinate is then
 * clipped to its 0.1% and 99.9% quantiles over the training segments and to 5 standard deviations of its mean
 * (their clip_quantiles, clip_outliers), and standardised. The coordinates that are the same for every training
 * segment (the Lyndon words in the time channels alone, and any the data leave constant) are set aside: the
 * score model learns the others, and they are put back at their value. Back from coordinates: un-standardise, exp of the
 * log-signature, Fourier inversion of the path less its chord (fourierPath), un-scale: a segment that ends at
 * its own increment, its chord plus harmonics 0..m-2 (depth 4: a constant and two harmonics over the
 * segment), smooth between its dates.
 */
import { logSignature, logSignatureLength, signatureFromLogSignature } from '../signatures/lyndon';
import { AUGMENTED_CHANNELS, fourierAugmented, fourierPath } from './fourier-inversion';

export interface LogSignatureEmbedding {
  depth: number;
  /** Values per segment (L). */
  length: number;
  /** The training segments' range of x; x is divided by its width. */
  range: { min: number; max: number };
  /** Per coordinate: the clipping bounds, then the mean and standard deviation of the clipped training coordinates. */
  low: Float64Array;
  high: Float64Array;
  mean: Float64Array;
  std: Float64Array;
  /** The indices of the coordinates that vary over the training segments: the model's coordinates, in order. */
  varying: Int32Array;
}

/** Quantile CLIP and 1 - CLIP of each coordinate, and the outlier bound in standard deviations. */
const CLIP = 0.001;
const OUTLIER_STD = 5;
/** A coordinate whose spread is below this, relative to its size, is constant (and left unscaled). */
const CONSTANT = 1e-9;

/** Segments of `length` log-returns from their start, x_i = log(S_(s+i) / S_s), starting every `stride` dates. */
export function logReturnSegments(prices: ArrayLike<number>, length: number, stride: number): Float64Array[] {
  if (!(length >= 1 && stride >= 1)) throw new Error('segments need a length and a stride of at least 1');
  const out: Float64Array[] = [];
  for (let s = 0; s + length < prices.length; s += stride) {
    const start = prices[s]!;
    out.push(Float64Array.from({ length }, (_, i) => Math.log(prices[s + i + 1]! / start)));
  }
  return out;
}

/** The log-signature of one segment, scaled by `range`, before clipping and standardising. */
function rawCoordinates(segment: ArrayLike<number>, depth: number, range: { min: number; max: number }): Float64Array {
  const width = range.max - range.min || 1;
  return logSignature(fourierAugmented(Array.from(segment, (x) => x / width)), depth);
}

/** Linearly interpolated quantile of sorted values. */
function quantile(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const i = Math.floor(h);
  return sorted[i]! + (h - i) * (sorted[Math.min(i + 1, sorted.length - 1)]! - sorted[i]!);
}

/** The embedding fitted on training segments (at least 2), and their standardised coordinates. */
export function fitEmbedding(segments: readonly Float64Array[], depth: number): { embedding: LogSignatureEmbedding; coordinates: Float64Array[] } {
  if (segments.length < 2) throw new Error('the embedding needs at least 2 training segments');
  const length = segments[0]!.length;
  if (segments.some((s) => s.length !== length)) throw new Error('every segment must have the same length');
  let [min, max] = [Infinity, -Infinity];
  for (const s of segments) for (const x of s) [min, max] = [Math.min(min, x), Math.max(max, x)];
  const range = { min, max };
  const raw = segments.map((s) => rawCoordinates(s, depth, range));
  const dims = logSignatureLength(AUGMENTED_CHANNELS, depth);
  const [low, high, mean, std] = [0, 0, 0, 0].map(() => new Float64Array(dims));
  const column = new Float64Array(raw.length);
  for (let c = 0; c < dims; c++) {
    raw.forEach((r, j) => (column[j] = r[c]!));
    const sorted = Float64Array.from(column).sort();
    let [lo, hi] = [quantile(sorted, CLIP), quantile(sorted, 1 - CLIP)];
    const clipped = column.map((x) => Math.min(hi, Math.max(lo, x)));
    const m = clipped.reduce((a, b) => a + b, 0) / clipped.length;
    const sd = Math.sqrt(clipped.reduce((a, b) => a + (b - m) ** 2, 0) / clipped.length);
    [lo, hi] = [Math.max(lo, m - OUTLIER_STD * sd), Math.min(hi, m + OUTLIER_STD * sd)];
    const final = column.map((x) => Math.min(hi, Math.max(lo, x)));
    const fm = final.reduce((a, b) => a + b, 0) / final.length;
    const fsd = Math.sqrt(final.reduce((a, b) => a + (b - fm) ** 2, 0) / final.length);
    // The words in the time channels alone are the same for every segment: no spread but rounding's.
    [low[c], high[c], mean[c], std[c]] = [lo, hi, fm, fsd > CONSTANT * Math.max(1, Math.abs(fm)) ? fsd : 0];
  }
  const varying = Int32Array.from(Array.from(std.keys()).filter((c) => std[c]! > 0));
  const embedding: LogSignatureEmbedding = { depth, length, range, low, high, mean, std, varying };
  return { embedding, coordinates: raw.map((r) => standardised(r, embedding)) };
}

function standardised(raw: Float64Array, e: LogSignatureEmbedding): Float64Array {
  return Float64Array.from(e.varying, (c) => (Math.min(e.high[c]!, Math.max(e.low[c]!, raw[c]!)) - e.mean[c]!) / e.std[c]!);
}

/** The standardised varying coordinates of a segment of `e.length` log-returns. */
export function embedSegment(segment: ArrayLike<number>, e: LogSignatureEmbedding): Float64Array {
  if (segment.length !== e.length) throw new Error(`the embedding reads segments of ${e.length} values, not ${segment.length}`);
  return standardised(rawCoordinates(segment, e.depth, e.range), e);
}

/** The log-returns x_1..x_L of the segment whose standardised varying coordinates are `coordinates` (clipped to the training bounds). */
export function segmentFromCoordinates(coordinates: ArrayLike<number>, e: LogSignatureEmbedding): Float64Array {
  const raw = Float64Array.from(e.mean);
  // Clipped as the training coordinates were: a generated coordinate outside their range inverts to no real segment.
  e.varying.forEach((c, k) => (raw[c] = Math.min(e.high[c]!, Math.max(e.low[c]!, coordinates[k]! * e.std[c]! + e.mean[c]!))));
  const scaled = fourierPath(signatureFromLogSignature(raw, AUGMENTED_CHANNELS, e.depth), e.length);
  const width = e.range.max - e.range.min || 1;
  return scaled.map((x) => x * width);
}
