/**
 * Philox4x32-10, the counter-based generator of Salmon et al., "Parallel random numbers: as easy as 1, 2, 3"
 * (SC'11). Block i of a stream is a pure function of (key, i), so any component can draw any part of its
 * stream in any order, and streams with different keys are independent. Keys come from (seed, stream name)
 * by a 32-bit FNV-1a / murmur finaliser mix, so that a strategy's settings never shift another's numbers.
 */

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** High 32 bits of the 64-bit product of two uint32, exact in float64 arithmetic. */
function mulhi(a: number, b: number): number {
  const lo16 = (a & 0xffff) * b; // < 2^48
  const hi16 = (a >>> 16) * b; // < 2^48
  return (Math.floor(hi16 / 65536) + Math.floor(((hi16 % 65536) * 65536 + lo16) / 4294967296)) >>> 0;
}

/** Writes the four uint32 outputs of Philox4x32-10 for counter (c0..c3) and key (k0, k1) into out[at..at+3]. */
export function philox4x32(
  c0: number, c1: number, c2: number, c3: number, k0: number, k1: number, out: Uint32Array, at = 0,
): void {
  let x0 = c0 >>> 0, x1 = c1 >>> 0, x2 = c2 >>> 0, x3 = c3 >>> 0;
  let key0 = k0 >>> 0, key1 = k1 >>> 0;
  for (let round = 0; round < 10; round++) {
    const hi0 = mulhi(M0, x0);
    const lo0 = Math.imul(M0, x0) >>> 0;
    const hi1 = mulhi(M1, x2);
    const lo1 = Math.imul(M1, x2) >>> 0;
    x0 = (hi1 ^ x1 ^ key0) >>> 0;
    x1 = lo1;
    x2 = (hi0 ^ x3 ^ key1) >>> 0;
    x3 = lo0;
    key0 = (key0 + W0) >>> 0;
    key1 = (key1 + W1) >>> 0;
  }
  out[at] = x0; out[at + 1] = x1; out[at + 2] = x2; out[at + 3] = x3;
}

function mix32(h: number): number {
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The Philox key of a named stream under a seed. */
export function streamKey(seed: number, name: string): [number, number] {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return [mix32((h ^ Math.imul(seed >>> 0, 0x9e3779b1)) >>> 0), mix32((seed >>> 0) ^ mix32(h + 0x632be5ab))];
}
