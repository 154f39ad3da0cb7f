/**
 * The floating-grid premiums of paper 002 §2.1 (b) on the device. Per unit of spot a vanilla's Heston price
 * depends on the path only through v_t (pricing/floating-grid-prices.ts); training needs it for every path
 * and date of every batch, so each option's price is sampled from the host table on a fine grid uniform in
 * the same coordinate x = sqrt(sqrt(v) / volMax) and interpolated linearly on the device (two gathers and a
 * lerp per entry). Linear interpolation errs by at most h^2 / 8 max |c''(x)| between nodes; `maxError` is
 * measured at build time midway between the nodes, where that error peaks, against the host table (itself
 * within its `interpolationError` of the Fourier price). Variances beyond volMax^2 (probability about e^-41
 * for paper 002's model with the host table's default volMax) take the last node's value.
 */
import * as tf from '@tensorflow/tfjs';
import type { FloatingGridPriceTable } from './floating-grid-prices';

/** Nodes of a device table: h = 1/4096 in x, about 3e-8 error per unit spot for paper 002's grid. */
const DEVICE_POINTS = 4097;

export class TabulatedPremium {
  /** Largest |interpolated - host table| found midway between nodes. */
  readonly maxError: number;
  readonly volMax: number;
  private readonly values: Float32Array;
  private readonly step: number;

  /** Option `option` of `table`, sampled at `points` nodes. */
  constructor(table: FloatingGridPriceTable, option: number, readonly points = DEVICE_POINTS) {
    this.volMax = table.volMax;
    this.step = 1 / (points - 1);
    const variance = (x: number) => (this.volMax * x * x) ** 2;
    const exact = Float64Array.from({ length: points }, (_, j) => table.price(option, variance(j * this.step)));
    this.values = Float32Array.from(exact);
    let worst = 0;
    for (let j = 0; j + 1 < points; j++) {
      const mid = table.price(option, variance((j + 0.5) * this.step));
      worst = Math.max(worst, Math.abs((exact[j] + exact[j + 1]) / 2 - mid));
    }
    this.maxError = worst;
  }

  /** Interpolated values at variances v (any shape); float32 on the active backend. */
  at(v: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const x = tf.div(tf.sqrt(tf.div(tf.sqrt(tf.relu(v)), this.volMax)), this.step);
      const last = this.points - 1;
      const lo = tf.clipByValue(tf.floor(x), 0, last - 1);
      const w = tf.clipByValue(tf.sub(x, lo), 0, 1);
      const table = tf.tensor1d(this.values);
      const i = lo.toInt();
      const a = tf.gather(table, i);
      const b = tf.gather(table, tf.add(i, tf.scalar(1, 'int32')));
      return tf.add(a, tf.mul(w, tf.sub(b, a)));
    });
  }
}
