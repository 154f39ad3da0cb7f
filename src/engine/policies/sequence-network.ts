/**
 * Paper 003's sequence hedgers (§4.1 the RNN, §4.2 and appendix 8.3 the SigFormer): networks that read the
 * inputs of every rebalancing date of a path at once and return the holdings of every date, causally (the
 * holding at date t depends on the inputs of dates 0..t only), in every asset of the hedge set.
 */
import type * as tf from '@tensorflow/tfjs';

export interface SequenceNetwork {
  /** Holdings [n, T, A] from inputs [n, T, F]; row t of the output may depend on input rows 0..t only. */
  apply(inputs: tf.Tensor3D, dropoutSeed: number | null): tf.Tensor3D;
  readonly variables: tf.Variable[];
  dispose(): void;
}

/** The SigFormer's size (appendix 8.3.3: model_dim d, signature order m, heads, blocks; Tong et al.'s MLP width and dropout). */
export interface SigFormerShape {
  modelDim: number;
  order: number;
  heads: number;
  blocks: number;
  mlpUnits: number;
  dropout: number;
}

/**
 * Signature entries one SigFormer pass holds per path and date: each level's d^k entries, for the level and
 * every head's share of its attention, in every block. A pass keeps about 36 floats per entry for the
 * backward pass (measured on wasm: 15 MB per path of 30 dates at the paper's configuration, d 8, m 3, 2 heads,
 * 2 blocks), which is what bounds its batch.
 */
export function sigformerEntries(shape: Pick<SigFormerShape, 'modelDim' | 'order' | 'heads' | 'blocks'>): number {
  let width = 0;
  for (let k = 1; k <= shape.order; k++) width += shape.modelDim ** k;
  return width * (shape.heads + 1) * shape.blocks;
}

/**
 * Entries (sigformerEntries x paths x dates) of one pass a tab can hold: about 1.2 GB of activations, well
 * inside wasm's 4 GB heap (the paper's configuration on 64 paths of 30 dates; 256 paths abort the heap).
 */
export const MAX_PASS_ENTRIES = 8_000_000;
