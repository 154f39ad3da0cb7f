/**
 * Market Value Dropout, paper 000 eq. 7: in training, floor(N p) of the N assets are dropped, drawn without
 * replacement with probabilities Softmax(MarketValue / tau), and the kept ones are scaled by 1 / (1 - p):
 *   mask ~ Multinomial(floor(N p), Softmax(MarketValue / tau)),   MVD(r, p) = mask r / (1 - p),
 * so that the assets the market weighs most are the ones most often hidden, and the model cannot lean on them
 * alone (§2.2.1). The multinomial is read as torch.multinomial without replacement (distinct assets), the mask
 * 0 for a drawn asset and 1 otherwise. Market values are price x volume where the data has volume; without
 * volume every asset weighs the same and the drop is uniform (the caller says so to the user). With equal
 * weights each asset is kept with probability 1 - floor(N p) / N, so the scaled returns keep their expectation
 * when N p is whole.
 */
import type { RandomStream } from '../random/stream';

/** Softmax(values / tau), computed stably. */
export function softmaxWeights(values: ArrayLike<number>, tau: number): Float64Array {
  if (!(tau > 0)) throw new Error(`market value dropout: the temperature must be positive, not ${tau}`);
  let top = -Infinity;
  for (let i = 0; i < values.length; i++) top = Math.max(top, values[i]! / tau);
  const w = Float64Array.from({ length: values.length }, (_, i) => Math.exp(values[i]! / tau - top));
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / total);
}

/**
 * The mask of one draw: 0 for the floor(N p) dropped assets, 1 / (1 - p) for the others. `draw` picks which
 * uniforms of `rng` it reads (one per dropped asset), so each training step can have its own.
 */
export function marketValueDropoutMask(marketValue: ArrayLike<number>, p: number, tau: number, rng: RandomStream, draw: number): Float32Array {
  if (!(p >= 0 && p < 1)) throw new Error(`market value dropout: p must be in [0, 1), not ${p}`);
  const n = marketValue.length;
  const dropped = Math.floor(n * p);
  const weights = softmaxWeights(marketValue, tau);
  const u = rng.uniforms(new Float64Array(dropped), draw * dropped);
  const mask = new Float32Array(n).fill(1 / (1 - p));
  let left = 1; // the weight of the assets not yet drawn
  for (let k = 0; k < dropped; k++) {
    let target = u[k]! * left;
    let pick = -1;
    for (let i = 0; i < n; i++) {
      if (mask[i] === 0) continue;
      pick = i;
      target -= weights[i]!;
      if (target < 0) break;
    }
    mask[pick] = 0;
    left -= weights[pick]!;
  }
  return mask;
}
