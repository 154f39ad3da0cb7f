/**
 * Lyndon words and the log-signature in the "words" basis (paper 003 appendix 8.2; Reutenauer, "Free Lie
 * algebras", §5.1 and Theorem 5.1). A Lyndon word is strictly smaller than all its proper rotations; those
 * of length k over d letters number (1/k) sum_{j | k} mu(j) d^(k/j) (Witt's formula), the dimension of the
 * level-k part of the free Lie algebra. The log-signature in the words basis is the expanded log-signature
 * log S (tensor-algebra.ts) read at the Lyndon words (signatory's LogSignatureMode.Words): a triangular
 * change of basis from the Lyndon bracket basis, so it determines log S: `signatureFromLogSignature` inverts it
 * (the bracket polynomial P_w of a Lyndon word is w plus lexicographically larger words, Theorem 5.1, so the
 * coordinates c_u = sum_w lambda_w (P_w)_u solve for lambda in increasing order of u), then exponentiates.
 */
import { signatureTensor, tensorExp, tensorLog, tensorOf, type PathOptions, type Tensor } from './tensor-algebra';

/** Lyndon words of length 1..m over letters 0..d-1, ordered by length, then lexicographically. */
export function lyndonWords(d: number, depth: number): number[][] {
  // Duval's algorithm (1988) lists them in lexicographic order; a stable sort then groups them by length.
  const words: number[][] = [];
  const w = [-1];
  while (w.length > 0) {
    w[w.length - 1] += 1;
    words.push(w.slice());
    const m = w.length;
    while (w.length < depth) w.push(w[w.length - m]);
    while (w.length > 0 && w[w.length - 1] === d - 1) w.pop();
  }
  return words.sort((a, b) => a.length - b.length);
}

function mobius(n: number): number {
  let mu = 1;
  for (let p = 2; p * p <= n; p++) {
    if (n % p !== 0) continue;
    n /= p;
    if (n % p === 0) return 0;
    mu = -mu;
  }
  return n > 1 ? -mu : mu;
}

/** Witt's formula: the number of Lyndon words of length exactly k over d letters. */
export function wittCount(d: number, k: number): number {
  let sum = 0;
  for (let j = 1; j <= k; j++) if (k % j === 0) sum += mobius(j) * d ** (k / j);
  return sum / k;
}

/** The log-signature's length in the words basis: sum_{k=1..m} wittCount(d, k). */
export function logSignatureLength(d: number, depth: number): number {
  let n = 0;
  for (let k = 1; k <= depth; k++) n += wittCount(d, k);
  return n;
}

/** The flattened index of word w in level |w|: sum_j w_j d^(|w| - 1 - j). */
export function wordIndex(word: readonly number[], d: number): number {
  return word.reduce((index, letter) => index * d + letter, 0);
}

/** The log-signature in the Lyndon words basis of a signature S (levels 0..m, level 0 equal to 1). */
export function wordsLogSignature(s: Tensor): Float64Array {
  const log = tensorLog(s);
  const d = log[1].length;
  return Float64Array.from(lyndonWords(d, log.length - 1), (w) => log[w.length][wordIndex(w, d)]);
}

/** The log-signature of the path through `path`'s points, in the Lyndon words basis. */
export function logSignature(path: readonly (readonly number[])[], depth: number, opts: PathOptions = {}): Float64Array {
  return wordsLogSignature(signatureTensor(path, depth, opts));
}

/** The bracket polynomial P_w of a Lyndon word (level |w| flattened): e_i for a letter, else [P_u, P_v] for w's
 * standard factorisation w = u v, v its longest proper Lyndon suffix. */
function bracketPolynomial(w: readonly number[], d: number, lyndon: ReadonlySet<string>, memo: Map<string, Float64Array>): Float64Array {
  const key = w.join(',');
  const known = memo.get(key);
  if (known) return known;
  let out: Float64Array;
  if (w.length === 1) {
    out = new Float64Array(d);
    out[w[0]!] = 1;
  } else {
    let split = 1;
    while (!lyndon.has(w.slice(split).join(','))) split++;
    const [u, v] = [w.slice(0, split), w.slice(split)];
    const [pu, pv] = [bracketPolynomial(u, d, lyndon, memo), bracketPolynomial(v, d, lyndon, memo)];
    out = new Float64Array(d ** w.length);
    for (let i = 0; i < pu.length; i++) for (let j = 0; j < pv.length; j++) out[i * pv.length + j] += pu[i]! * pv[j]!;
    for (let j = 0; j < pv.length; j++) for (let i = 0; i < pu.length; i++) out[j * pu.length + i] -= pv[j]! * pu[i]!;
  }
  memo.set(key, out);
  return out;
}

/** The log-signature tensor (levels 0..m, level 0 zero) whose Lyndon-words coordinates are `coords`. */
export function logSignatureTensor(coords: ArrayLike<number>, d: number, depth: number): Tensor {
  const words = lyndonWords(d, depth);
  if (coords.length !== words.length) throw new Error(`a depth-${depth} log-signature of ${d} channels has ${words.length} coordinates, not ${coords.length}`);
  const lyndon = new Set(words.map((w) => w.join(',')));
  const memo = new Map<string, Float64Array>();
  const out = tensorOf(d, depth, 0);
  // Words are by length, then lexicographic: within a level, u's coordinate meets only the P_w with w <= u.
  const lambda = new Float64Array(words.length);
  words.forEach((u, k) => {
    const level = out[u.length]!;
    lambda[k] = coords[k]! - level[wordIndex(u, d)]!;
    const p = bracketPolynomial(u, d, lyndon, memo);
    for (let e = 0; e < p.length; e++) level[e] += lambda[k]! * p[e]!;
  });
  return out;
}

/** The signature (levels 0..m) of a path whose log-signature in the Lyndon words basis is `coords`. */
export function signatureFromLogSignature(coords: ArrayLike<number>, d: number, depth: number): Tensor {
  return tensorExp(logSignatureTensor(coords, d, depth));
}
