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
