/**
 * The LSTM cell (Hochreiter & Schmidhuber 1997) shared by paper 002's recurrent hedger (policies/recurrent-hedger.ts)
 * and paper 003's RNN hedger (policies/rnn-hedger.ts): from the gates [i, f, g, o] = [x, h_{t-1}] W + b,
 *   c_t = sigmoid(f) c_{t-1} + sigmoid(i) tanh(g),   h_t = sigmoid(o) tanh(c_t),
 * and PyTorch's default initialisation of its layers (nn.LSTM, nn.Linear): weights and bias U(-1/sqrt(fan),
 * 1/sqrt(fan)), fan the input width (the hidden size for an LSTM), drawn from a random stream.
 */
import * as tf from '@tensorflow/tfjs';
import type { RandomStream } from '../random/stream';

/** A layer s = a W + b. */
export interface DenseParameters {
  weight: tf.Variable<tf.Rank.R2>;
  bias: tf.Variable<tf.Rank.R1>;
}

/**
 * W [fanIn, fanOut] then b [fanOut], U(-1/sqrt(fan), 1/sqrt(fan)), from draws `offset` .. offset + (fanIn + 1)
 * fanOut - 1 of the stream (the caller advances its offset by that many).
 */
export function uniformDense(rng: RandomStream, offset: number, fanIn: number, fanOut: number, fan = fanIn): DenseParameters {
  const bound = 1 / Math.sqrt(fan);
  const u = rng.uniforms(new Float32Array((fanIn + 1) * fanOut), offset).map((x) => (2 * x - 1) * bound);
  return tf.tidy(() => ({
    weight: tf.variable(tf.tensor2d(u.subarray(0, fanIn * fanOut), [fanIn, fanOut])),
    bias: tf.variable(tf.tensor1d(u.subarray(fanIn * fanOut))),
  }));
}

/** One step of the cell from its gate pre-activations [n, 4H] (i, f, g, o) and previous cell state [n, H]. */
export function lstmStep(gates: tf.Tensor2D, cell: tf.Tensor2D): { hidden: tf.Tensor2D; cell: tf.Tensor2D } {
  const [n, width] = gates.shape;
  // Gate-major then unstacked: the same values as tf.split(gates, 4, 1), whose strided slices the cpu backend
  // copies one element at a time (about ten times slower).
  const [i, f, g, o] = tf.unstack(tf.transpose(gates.reshape([n, 4, width / 4]), [1, 0, 2])) as tf.Tensor2D[];
  const c = tf.add(tf.mul(tf.sigmoid(f), cell), tf.mul(tf.sigmoid(i), tf.tanh(g))) as tf.Tensor2D;
  return { hidden: tf.mul(tf.sigmoid(o), tf.tanh(c)) as tf.Tensor2D, cell: c };
}
