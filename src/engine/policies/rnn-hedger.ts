/**
 * Paper 003 §4.1's RNN hedger: at date t it reads the lagged log-returns of every asset of the hedge set,
 *   r~_t = (r_{t-L}, ..., r_{t-1}),   r_tau = log(S_{tau+1} / S_tau),   r_tau = 0 for tau < 0 (r~_0 is all zeros),
 * so that the decision at t uses prices up to S_t only, and the regime label z_t where the market has one.
 * Each return may be divided by a scale known at tau (the family passes sigma_tau sqrt(dt), the problem's
 * volatility: the paper's "normalised" paths, inputs of order one where raw daily returns are of order 1e-2);
 * `layers` stacked LSTM layers of `units` (policies/lstm-cell.ts) carry the history, and a linear readout
 * gives one holding per asset, delta_t = f_theta(r~_t, z_t) in R^A, t = 0..T-1. Shared across time.
 * Initialisation as PyTorch's nn.LSTM and nn.Linear (U(-1/sqrt(fan), 1/sqrt(fan)); one bias per LSTM layer
 * where PyTorch has two) from the strategy's random stream.
 */
import * as tf from '@tensorflow/tfjs';
import type { RandomStream } from '../random/stream';
import { lstmStep, uniformDense, type DenseParameters } from './lstm-cell';
import { dense } from './mlp';
import type { SequenceNetwork } from './sequence-network';

/**
 * [n, T, L A] lag features from each asset's prices [n, T + 1]: entry (i, t, a L + j) is r^a_{t-L+j} of path i,
 * j = 0..L-1 (oldest first), 0 where t - L + j < 0; each r_tau divided by scale[i, tau] when a scale [n, T] is given.
 */
export function laggedReturns(prices: tf.Tensor2D[], lags: number, scale?: tf.Tensor2D): tf.Tensor3D {
  return tf.tidy(() => {
    const [n, cols] = prices[0].shape;
    const steps = cols - 1;
    const perAsset = prices.map((s) => {
      const raw = tf.log(tf.div(s.slice([0, 1], [n, steps]), s.slice([0, 0], [n, steps])));
      const r = scale ? tf.div(raw, scale) : raw;
      // padded[:, L + tau] = r_tau; lag j at date t is padded[:, t + j] (one gather: strided slices are slow on cpu).
      const padded = tf.concat([tf.zeros([n, lags]), r], 1);
      const index = Int32Array.from({ length: steps * lags }, (_, k) => Math.floor(k / lags) + (k % lags));
      return tf.gather(padded, tf.tensor1d(index, 'int32'), 1).reshape([n, steps, lags]);
    });
    return (perAsset.length === 1 ? perAsset[0] : tf.concat(perAsset, 2)) as tf.Tensor3D;
  });
}

export class RnnHedger implements SequenceNetwork {
  readonly cells: DenseParameters[] = [];
  readonly readout: DenseParameters;

  constructor(
    readonly inputs: number,
    readonly outputs: number,
    readonly layers: number,
    readonly units: number,
    rng: RandomStream,
  ) {
    let drawn = 0;
    for (let l = 0; l < layers; l++) {
      const fanIn = (l === 0 ? inputs : units) + units;
      this.cells.push(uniformDense(rng, drawn, fanIn, 4 * units, units));
      drawn += (fanIn + 1) * 4 * units;
    }
    this.readout = uniformDense(rng, drawn, units, outputs);
  }

  get variables(): tf.Variable[] {
    return [...this.cells, this.readout].flatMap((l) => [l.weight, l.bias]);
  }

  /**
   * Holdings [n, T, A] from inputs [n, T, F]; no dropout (the argument is the interface's). Date-major inside,
   * layer by layer: the input part of the gates, [x_t, h_{t-1}] W = x_t W_x + h_{t-1} W_h, in one product over
   * every date.
   */
  apply(inputs: tf.Tensor3D, _dropoutSeed: number | null = null): tf.Tensor3D {
    return tf.tidy(() => {
      const [n, steps] = inputs.shape;
      const H = this.units;
      let sequence = tf.transpose(inputs, [1, 0, 2]) as tf.Tensor3D;
      for (const layer of this.cells) {
        const f = sequence.shape[2];
        const wx = layer.weight.slice([0, 0], [f, 4 * H]);
        const wh = layer.weight.slice([f, 0], [H, 4 * H]);
        const projected = tf.unstack(dense(sequence.reshape([steps * n, f]), wx, layer.bias, 'linear').reshape([steps, n, 4 * H])) as tf.Tensor2D[];
        let hidden: tf.Tensor2D = tf.zeros([n, H]);
        let cell: tf.Tensor2D = tf.zeros([n, H]);
        const out: tf.Tensor2D[] = [];
        for (let t = 0; t < steps; t++) {
          ({ hidden, cell } = lstmStep(tf.add(projected[t], tf.matMul(hidden, wh)) as tf.Tensor2D, cell));
          out.push(hidden);
        }
        sequence = tf.stack(out) as tf.Tensor3D;
      }
      const held = dense(sequence.reshape([steps * n, H]), this.readout.weight, this.readout.bias, 'linear');
      return tf.transpose(held.reshape([steps, n, this.outputs]), [1, 0, 2]) as tf.Tensor3D;
    });
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
