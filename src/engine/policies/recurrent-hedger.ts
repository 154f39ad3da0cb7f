/**
 * Paper 002's recurrent hedging policy (§2.2 eq. 5, §4.1): at each date t, for a batch of paths,
 *   z_t   = W^I I_t + W^u u_{t-1} + b                        (input layer, u_{-1} = 0)
 *   h^l_t = h^{l-1}_t + LSTM_l(RMSNorm_l(h^{l-1}_t), state^l_{t-1}),  l = 1..L,  h^0_t = z_t
 *   u_t   = mask_t * symexp(W^O h^L_t + b^O),   symexp(x) = sign(x)(exp|x| - 1)
 * RMSNorm(x) = g * x / sqrt(mean(x^2) + 1e-6) with a learned gain g (Zhang & Sennrich 2019); the LSTM cell is
 * Hochreiter & Schmidhuber's with gates i, f, g, o from one product [x, h] W + b (policies/lstm-cell.ts). The output u_t is the trade in
 * each instrument (the availability mask zeroes the options that cannot trade at t); an instrument that is held
 * (the underlying) holds the sum of its past trades (eq. 1). Initialisation as PyTorch's Linear and LSTM,
 * U(-1/sqrt(fan_in), 1/sqrt(fan_in)), except the output layer: zero bias and He-normal weights scaled by 1e-3
 * (§4.1), so that training starts from almost no hedge.
 *
 * Inputs I_t are the problem's features (experiment/hedging-problem.ts); for the cliquet they are §4.1's:
 * time to maturity, x_t / x_0, log(x_t / x_reset) (the spot at the last reset), sqrt(v_t) and the payoff if
 * it matured now.
 *
 * For DH-KFAC (trainers/dh-kfac.ts) every weight matrix is a Kronecker-factored layer (W, b) acting on an
 * activation a_t (the bias as a trailing 1): the input layer, each LSTM cell's gate product and the output
 * layer. A pass can add a zero `probe` [n, out] to each layer's pre-activations at each date, whose gradient
 * is the per-date, per-path g_t = dLoss/ds_t, and record the activations a_t (without the 1) that enter it.
 * (One probe per date, not slices of one [T, n, out] tensor: the gradient of each slice would be a full-size
 * padded tensor, T times over.)
 */
import * as tf from '@tensorflow/tfjs';
import { lstmStep, uniformDense, type DenseParameters } from './lstm-cell';
import { dense } from './mlp';
import type { HedgingProblem } from '../hedging/problem';
import type { RandomStream } from '../random/stream';

const RMS_EPSILON = 1e-6;
/** Paths per forward pass when nothing is differentiated (a pass holds every date's activations until it ends). */
const INFERENCE_PATHS = 256;
const OUTPUT_SCALE = 1e-3;

/** A layer s = a W + b whose curvature block DH-KFAC approximates by A (x) G. */
export interface KroneckerLayer extends DenseParameters {
  name: string;
}

/** Optional instrumentation of a forward pass. */
export interface PassHooks {
  /** Per Kronecker layer, one zero tensor [n, out] per date, added to its pre-activations. */
  probes?: tf.Tensor2D[][];
  /** Receives, per Kronecker layer, its activations a_t [n, in] at every date (kept: the caller disposes them). */
  activations?: tf.Tensor2D[][];
  /** Receives, per block, RMSNorm's normalised input h / rms(h) [n, units] at every date, before its gain (kept). */
  normalised?: tf.Tensor2D[][];
}

export function symexp(x: tf.Tensor): tf.Tensor {
  return tf.mul(tf.sign(x), tf.expm1(tf.abs(x)));
}

export class RecurrentHedger {
  readonly layers: KroneckerLayer[] = [];
  /** RMSNorm gains, one per block: preconditioned diagonally by DH-KFAC. */
  readonly gains: tf.Variable<tf.Rank.R1>[] = [];
  private drawn = 0;

  constructor(
    readonly features: number,
    readonly instruments: number,
    readonly blocks: number,
    readonly units: number,
    private readonly rng: RandomStream,
  ) {
    const d = instruments;
    this.layers.push(this.uniformLayer('input', features + d, units));
    for (let l = 0; l < blocks; l++) {
      this.gains.push(tf.tidy(() => tf.variable(tf.ones([units]) as tf.Tensor1D)));
      this.layers.push(this.uniformLayer(`lstm ${l + 1}`, 2 * units, 4 * units, units));
    }
    const he = this.rng.normals(new Float32Array(units * d), this.drawn).map((z) => z * Math.sqrt(2 / units) * OUTPUT_SCALE);
    this.drawn += units * d;
    this.layers.push(tf.tidy(() => ({ name: 'output', weight: tf.variable(tf.tensor2d(he, [units, d])), bias: tf.variable(tf.zeros([d]) as tf.Tensor1D) })));
  }

  /** PyTorch's default (lstm-cell.ts uniformDense), fan the input width (the hidden size for an LSTM). */
  private uniformLayer(name: string, fanIn: number, fanOut: number, fan = fanIn): KroneckerLayer {
    const layer = uniformDense(this.rng, this.drawn, fanIn, fanOut, fan);
    this.drawn += (fanIn + 1) * fanOut;
    return { name, ...layer };
  }

  get variables(): tf.Variable[] {
    return [...this.layers.flatMap((l) => [l.weight, l.bias]), ...this.gains];
  }

  /**
   * Trades u [T, n, d] on the problem's paths (masked), with `params` in the order of `variables` (the
   * variables themselves, or other tensors of the same shapes to differentiate through).
   */
  trades(p: HedgingProblem, params: tf.Tensor[] = this.variables, hooks: PassHooks = {}): tf.Tensor3D {
    const [steps, n] = p.features.shape;
    const H = this.units;
    const d = this.instruments;
    const L = this.layers.length;
    const weight = (k: number) => params[2 * k] as tf.Tensor2D;
    const bias = (k: number) => params[2 * k + 1] as tf.Tensor1D;
    const gain = (l: number) => params[2 * L + l] as tf.Tensor1D;
    const mask = tf.unstack(tf.concat(p.instruments.map((i) => i.available), 0).transpose());
    const features = tf.unstack(p.features);
    const layer = (k: number, a: tf.Tensor2D, t: number): tf.Tensor2D => {
      if (hooks.activations) hooks.activations[k].push(tf.keep(a));
      const s = dense(a, weight(k), bias(k), 'linear');
      return hooks.probes ? (tf.add(s, hooks.probes[k][t]) as tf.Tensor2D) : s;
    };
    let u: tf.Tensor2D = tf.zeros([n, d]);
    let hidden: tf.Tensor2D[] = Array.from({ length: this.blocks }, () => tf.zeros([n, H]));
    let cell: tf.Tensor2D[] = Array.from({ length: this.blocks }, () => tf.zeros([n, H]));
    const out: tf.Tensor2D[] = [];
    for (let t = 0; t < steps; t++) {
      let h = layer(0, tf.concat([features[t] as tf.Tensor2D, u], 1), t);
      const nextHidden: tf.Tensor2D[] = [];
      const nextCell: tf.Tensor2D[] = [];
      for (let l = 0; l < this.blocks; l++) {
        const rms = tf.sqrt(tf.add(tf.mean(tf.square(h), 1, true), RMS_EPSILON));
        const unit = tf.div(h, rms) as tf.Tensor2D;
        if (hooks.normalised) hooks.normalised[l].push(tf.keep(unit));
        const x = tf.mul(unit, gain(l)) as tf.Tensor2D;
        const gates = layer(l + 1, tf.concat([x, hidden[l]], 1), t);
        const { hidden: state, cell: c } = lstmStep(gates, cell[l]);
        nextHidden.push(state);
        nextCell.push(c);
        h = tf.add(h, state) as tf.Tensor2D;
      }
      hidden = nextHidden;
      cell = nextCell;
      u = tf.mul(symexp(layer(L - 1, h as tf.Tensor2D, t)), mask[t]) as tf.Tensor2D;
      out.push(u);
    }
    return tf.stack(out) as tf.Tensor3D;
  }

  /**
   * Trades u [T, n, d] with the current weights, computed INFERENCE_PATHS paths at a time (for scoring: the
   * test and validation sets would not fit a wasm heap in one pass).
   */
  inferTrades(p: HedgingProblem): tf.Tensor3D {
    const [steps, n, f] = p.features.shape;
    const parts: tf.Tensor3D[] = [];
    for (let start = 0; start < n; start += INFERENCE_PATHS) {
      const size = Math.min(INFERENCE_PATHS, n - start);
      parts.push(tf.tidy(() => this.trades({ ...p, features: p.features.slice([0, start, 0], [steps, size, f]) })));
    }
    if (parts.length === 1) return parts[0];
    const u = tf.concat(parts, 1);
    tf.dispose(parts);
    return u;
  }

  /** One [n, T] tensor per instrument with the current weights: the position held for held instruments (sum of trades, eq. 1), else the trade. */
  positions(p: HedgingProblem): tf.Tensor2D[] {
    return tf.tidy(() => positionsFromTrades(p, this.inferTrades(p)));
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}

/** Trades u [T, n, d] as one [n, T] tensor per instrument: held instruments accumulate them (eq. 1). */
export function positionsFromTrades(p: HedgingProblem, u: tf.Tensor3D): tf.Tensor2D[] {
  const [steps, n] = u.shape;
  const byInstrument = tf.transpose(u, [2, 1, 0]);
  // Slices, not tf.unstack: tfjs loses the gradient of an unstack with a single output.
  return p.instruments.map((inst, i) => {
    const trades = byInstrument.slice([i, 0, 0], [1, n, steps]).reshape([n, steps]) as tf.Tensor2D;
    return inst.kind === 'holding' ? (tf.cumsum(trades, 1) as tf.Tensor2D) : trades;
  });
}
