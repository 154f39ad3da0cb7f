/**
 * Self-financing terminal P&L of a short claim hedged in the underlying with proportional costs
 * (paper 000 eq. 17, paper 001 eq. 8):
 *   PnL = premium + sum_t delta_t (S_{t+1} - S_t) - sum_t c S_t |delta_t - delta_{t-1}| - Z,
 * with delta_{-1} = 0 (the first purchase is charged, as pfhedge's `pl`), Z the claim's payoff, and,
 * when `closeAtMaturity`, the unwinding cost c S_T |delta_{T-1}|. Batched over paths and time.
 */
import * as tf from '@tensorflow/tfjs';

export interface PnlInputs {
  /** [n, T + 1] prices. */
  spot: tf.Tensor2D;
  /** [n, T] positions held over each interval. */
  positions: tf.Tensor2D;
  /** [n] payoff of the claim at maturity. */
  payoff: tf.Tensor1D;
  costRate: number;
  closeAtMaturity: boolean;
  premium: number;
}

export type PnlParts = {
  /** [n] terminal wealth of the hedger. */
  pnl: tf.Tensor1D;
  /** [n] transaction costs paid. */
  cost: tf.Tensor1D;
  /** [n] sum_t |delta_t - delta_{t-1}| (plus the final unwind when charged). */
  turnover: tf.Tensor1D;
};

export function terminalPnl(x: PnlInputs): PnlParts {
  return tf.tidy(() => {
    const [n, cols] = x.spot.shape;
    const steps = cols - 1;
    const before = x.spot.slice([0, 0], [n, steps]);
    const after = x.spot.slice([0, 1], [n, steps]);
    const gains = tf.sum(tf.mul(x.positions, tf.sub(after, before)), 1);
    const previous = tf.concat([tf.zeros([n, 1]), x.positions.slice([0, 0], [n, steps - 1])], 1);
    let trades = tf.abs(tf.sub(x.positions, previous));
    let tradedAt = before;
    if (x.closeAtMaturity) {
      trades = tf.concat([trades, tf.abs(x.positions.slice([0, steps - 1], [n, 1]))], 1);
      tradedAt = x.spot;
    }
    const turnover = tf.sum(trades, 1) as tf.Tensor1D;
    const cost = tf.mul(tf.sum(tf.mul(trades, tradedAt), 1), x.costRate) as tf.Tensor1D;
    const pnl = tf.sub(tf.sub(tf.add(gains, x.premium), cost), x.payoff) as tf.Tensor1D;
    return { pnl, cost, turnover };
  });
}
