/**
 * Self-financing terminal P&L of the short claim hedged with any set of instruments (paper 000 eq. 17,
 * paper 001 eq. 8, paper 002 §2.1 Gamma_T and C_T):
 *   PnL = premium - Z + sum_i [ gains_i - costs_i ],  premium the path's own (its strike's price),
 * holding instruments: gains sum_t theta_t (P_{t+1} - P_t), costs sum_t c B_t |theta_t - theta_{t-1}|
 * (theta_{-1} = 0: the first purchase is charged, as pfhedge's `pl`) plus, when unwinding, c B_T |theta_{T-1}|;
 * trade instruments: gains sum_t u_t r_{t,T}, costs sum_t c B_t |u_t|. Positions are multiplied by each
 * instrument's availability first. Batched over paths and time.
 */
import * as tf from '@tensorflow/tfjs';
import { addAll } from '../kernels/add-n';
import type { HoldingInstrument, Instrument } from './instruments';
import { fusedProgramsOn } from '../kernels/fused-programs';
import { fusedHoldingAccount } from '../kernels/webgpu-holding-account';
import type { HedgingProblem } from './problem';

export type PnlParts = {
  /** [n] terminal wealth of the hedger. */
  pnl: tf.Tensor1D;
  /** [n] transaction costs paid, all instruments. */
  cost: tf.Tensor1D;
  /** [n] sum_t |theta_t - theta_{t-1}| in the underlying (plus the final unwind when charged). */
  turnover: tf.Tensor1D;
};

type Account = { gains: tf.Tensor1D; cost: tf.Tensor1D; turnover: tf.Tensor1D };

/**
 * [n] gains, [n] costs and [n] turnover of one instrument traded with positions (or trades) [n, T]; a held
 * instrument's on WebGPU's own program once it is checked (kernels/webgpu-holding-account.ts).
 */
export function instrumentAccount(inst: Instrument, positions: tf.Tensor2D): Account {
  return tf.tidy(() => {
    const x = tf.mul(positions, inst.available) as tf.Tensor2D;
    if (inst.kind === 'trade') {
      const traded = tf.abs(x);
      return {
        gains: tf.sum(tf.mul(x, inst.returns), 1) as tf.Tensor1D,
        cost: tf.mul(tf.sum(tf.mul(traded, inst.costBasis), 1), inst.costRate) as tf.Tensor1D,
        turnover: tf.sum(traded, 1) as tf.Tensor1D,
      };
    }
    if (!fusedProgramsOn()) return holdingAccountByOps(inst, x);
    const [gains, cost, turnover] = tf.unstack(fusedHoldingAccount(x, inst.price, inst.costBasis, inst.available, inst.costRate, inst.unwindAtMaturity), 1) as tf.Tensor1D[];
    return { gains, cost, turnover };
  });
}

/** A held instrument's account for masked positions x [n, T], on tfjs's ops (any backend). */
export function holdingAccountByOps(inst: HoldingInstrument, x: tf.Tensor2D): Account {
  return tf.tidy(() => {
    const [n, steps] = x.shape;
    const before = inst.price.slice([0, 0], [n, steps]);
    const after = inst.price.slice([0, 1], [n, steps]);
    const gains = tf.sum(tf.mul(x, tf.sub(after, before)), 1) as tf.Tensor1D;
    const previous = tf.concat([tf.zeros([n, 1]), x.slice([0, 0], [n, steps - 1])], 1);
    let trades = tf.mul(tf.abs(tf.sub(x, previous)), inst.available);
    let basis = inst.costBasis.slice([0, 0], [n, steps]);
    if (inst.unwindAtMaturity) {
      trades = tf.concat([trades, tf.abs(x.slice([0, steps - 1], [n, 1]))], 1);
      basis = inst.costBasis;
    }
    return {
      gains,
      cost: tf.mul(tf.sum(tf.mul(trades, basis), 1), inst.costRate) as tf.Tensor1D,
      turnover: tf.sum(trades, 1) as tf.Tensor1D,
    };
  });
}

/** Terminal P&L of the problem's short claim hedged with one [n, T] position (or trade) tensor per instrument. */
export function hedgingPnl(p: HedgingProblem, positions: tf.Tensor2D[]): PnlParts {
  return tf.tidy(() => {
    const accounts = p.instruments.map((inst, i) => instrumentAccount(inst, positions[i]));
    const gains = addAll(accounts.map((a) => a.gains));
    const cost = addAll(accounts.map((a) => a.cost)) as tf.Tensor1D;
    const pnl = tf.sub(tf.sub(tf.add(gains, p.premiums), cost), p.payoff) as tf.Tensor1D;
    return { pnl, cost, turnover: accounts[0].turnover };
  });
}
