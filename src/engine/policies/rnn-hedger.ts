/**
 * Paper 003 §4.1's RNN hedger: at date t it reads the lagged log-returns of every asset of the hedge set,
 *   r~_t = (r_{t-L}, ..., r_{t-1}),   r_tau = log(S_{tau+1} / S_tau),   r_tau = 0 for tau < 0 (r~_0 is all zeros),
 * so that the decision at t uses prices up to S_t only, and the regime label z_t where the market has one;
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
 * j = 0..L-1 (oldest first), 0 where t - L + j < 0.
 */
export function laggedReturns(prices: tf.Tensor2D[], lags: number): tf.Tensor3D {
  return tf.tidy(() => {
    const [n, cols] = prices[0].shape;
    const steps = cols - 1;
    const perAsset = prices.map((s) => {
      const r = tf.log(tf.div(s.slice([0, 1], [n, steps]), s.slice([0, 0], [n, steps])));
      // padded[:, L + tau] = r_tau; lag j at date t is padded[:, t + j].
      const padded = tf.concat([tf.zeros([n, lags]), r], 1);
      return tf.stack(Array.from({ length: lags }, (_, j) => padded.slice([0, j], [n, steps])), 2);
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

  /** Holdings [n, T, A] from inputs [n, T, F]; no dropout (the argument is the interface's). */
  apply(inputs: tf.Tensor3D, _dropoutSeed: number | null = null): tf.Tensor3D {
    return tf.tidy(() => {
      const [n, steps, f] = inputs.shape;
      let hidden: tf.Tensor2D[] = this.cells.map(() => tf.zeros([n, this.units]));
      let cell: tf.Tensor2D[] = this.cells.map(() => tf.zeros([n, this.units]));
      const out: tf.Tensor2D[] = [];
      for (let t = 0; t < steps; t++) {
        let x = inputs.slice([0, t, 0], [n, 1, f]).reshape([n, f]) as tf.Tensor2D;
        const nextHidden: tf.Tensor2D[] = [];
        const nextCell: tf.Tensor2D[] = [];
        this.cells.forEach((layer, l) => {
          const step = lstmStep(dense(tf.concat([x, hidden[l]], 1), layer.weight, layer.bias, 'linear'), cell[l]);
          nextHidden.push(step.hidden);
          nextCell.push(step.cell);
          x = step.hidden;
        });
        hidden = nextHidden;
        cell = nextCell;
        out.push(dense(x, this.readout.weight, this.readout.bias, 'linear'));
      }
      return tf.stack(out, 1) as tf.Tensor3D;
    });
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
