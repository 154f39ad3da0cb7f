/**
 * Hedging instruments and their accounting (paper 002 §2.1).
 *
 * A *holding* instrument (an asset, or a listed option on the fixed grid, §2.1 (a)) is held: the policy
 * chooses the position theta_t over [t, t + 1], which earns theta_t (P_{t+1} - P_t) and pays
 * c B_t |theta_t - theta_{t-1}| to trade (theta_{-1} = 0; B the cost basis). By summation by parts this is
 * the same as trading u_t = theta_t - theta_{t-1} at t and holding it to T (paper 002's r_{t,T} = P_T - P_t).
 *
 * A *trade* instrument (a vanilla on the floating grid, §2.1 (b)) is a new contract at every date: the
 * policy's u_t buys u_t options of moneyness K_t / x_t = m and maturity tau at premium C_t, held to their
 * maturity, so it adds u_t r_{t,T} with
 *   r_{t,T} = (x_{t+tau} - K_t)^+ - C_t (call, m > 1),  (K_t - x_{t+tau})^+ - C_t (put, m <= 1),
 * and costs c B_t |u_t| (the paper's c^T |u_t| with the spot x_t as notional, so costs scale with the spot;
 * the two agree at x_0 = 1). Options maturing after T are unavailable: u_t = 0 when tau > T - t.
 *
 * `available` [1, T] masks dates where an instrument cannot be traded: the P&L multiplies positions by it.
 */
import * as tf from '@tensorflow/tfjs';

interface InstrumentBase {
  label: string;
  costRate: number;
  /** [1, T]: 1 where the instrument trades at date t, 0 where it cannot. */
  available: tf.Tensor2D;
}

export interface HoldingInstrument extends InstrumentBase {
  kind: 'holding';
  /** [n, T + 1] price path (after an option's expiry, frozen at its payoff). */
  price: tf.Tensor2D;
  /** [n, T + 1] price that proportional costs apply to. */
  costBasis: tf.Tensor2D;
  /** Charge c B_T |theta_{T-1}| to close the position at T. */
  unwindAtMaturity: boolean;
}

export interface TradeInstrument extends InstrumentBase {
  kind: 'trade';
  /** [n, T] total return r_{t,T} of one unit bought at t (0 where unavailable). */
  returns: tf.Tensor2D;
  /** [n, T] price that proportional costs apply to. */
  costBasis: tf.Tensor2D;
}

export type Instrument = HoldingInstrument | TradeInstrument;

function availableBefore(steps: number, lastDate: number): tf.Tensor2D {
  return tf.tidy(() => tf.less(tf.range(0, steps), lastDate).toFloat().reshape([1, steps]) as tf.Tensor2D);
}

/** An asset traded at its own price, with proportional costs on traded value (paper 000 eq. 17). */
export function assetInstrument(label: string, price: tf.Tensor2D, costRate: number, unwindAtMaturity: boolean): HoldingInstrument {
  const steps = price.shape[1] - 1;
  const available = availableBefore(steps, steps);
  return { kind: 'holding', label, price, costBasis: price, costRate, unwindAtMaturity, available };
}

/**
 * A listed option held on the fixed grid: `price` is its model price along the path up to its maturity
 * `maturitySteps` and its payoff after; it trades before its maturity, with costs on the spot notional.
 */
export function fixedGridInstrument(
  label: string,
  spot: tf.Tensor2D,
  price: tf.Tensor2D,
  maturitySteps: number,
  costRate: number,
  closeAtMaturity: boolean,
): HoldingInstrument {
  const steps = spot.shape[1] - 1;
  const available = availableBefore(steps, maturitySteps);
  return {
    kind: 'holding',
    label,
    price,
    costBasis: spot,
    costRate,
    unwindAtMaturity: closeAtMaturity && maturitySteps > steps,
    available,
  };
}

/**
 * A vanilla on the floating grid (maturity `maturitySteps`, moneyness m = K_t / x_t; a call if m > 1, a put
 * otherwise): returns r_{t,T} from the spot path [n, T + 1] and the premiums per unit of spot [n, T] (or [1, T]
 * when they do not depend on the path).
 */
export function floatingGridInstrument(
  label: string,
  spot: tf.Tensor2D,
  option: { maturitySteps: number; moneyness: number },
  premiumPerSpot: tf.Tensor2D,
  costRate: number,
): TradeInstrument {
  const [n, cols] = spot.shape;
  const steps = cols - 1;
  const tau = option.maturitySteps;
  const live = steps - tau + 1;
  const [returns, costBasis, available] = tf.tidy(() => {
    const xt = spot.slice([0, 0], [n, steps]);
    const start = spot.slice([0, 0], [n, live]);
    const end = spot.slice([0, tau], [n, live]);
    const strike = tf.mul(start, option.moneyness);
    const payoff = tf.relu(option.moneyness > 1 ? tf.sub(end, strike) : tf.sub(strike, end));
    const premium = tf.mul(tf.broadcastTo(premiumPerSpot, [n, steps]).slice([0, 0], [n, live]), start);
    const liveReturns = tf.sub(payoff, premium);
    const r = live < steps ? tf.concat([liveReturns, tf.zeros([n, steps - live])], 1) : liveReturns;
    return [r as tf.Tensor2D, xt, availableBefore(steps, live)];
  });
  return { kind: 'trade', label, returns, costBasis, costRate, available };
}
