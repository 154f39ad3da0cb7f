/**
 * Locally capped, globally floored cliquet (paper 002 §2.1):
 *   psi = max( sum_{i=1..m} min(S_{tau_i} / S_{tau_{i-1}} - 1, cap), 0 ),
 * with reset dates tau_i = min(i r, T) for r = resetSteps, i = 1..m = ceil(T / r), tau_0 = 0: a reset every r
 * steps and the last at maturity T. When r divides T (paper 002 §4.1: r = 20, T = 240) all periods are equal;
 * otherwise the last period is the shorter stub from the last multiple of r to T.
 *
 * Two policy inputs of paper 002 §4.1 at the rebalancing dates t = 0..T-1:
 *   lastResetSpot            x_{max{tau_i <= t}} = S at date r floor(t / r);
 *   cliquetPayoffIfMaturedNow the payoff if the claim matured at t, the current partial period counting as
 *                            its last: max(sum_{i: tau_i <= t} min(S_{tau_i} / S_{tau_{i-1}} - 1, cap)
 *                            + min(S_t / S_{r floor(t/r)} - 1, cap), 0).
 * At a reset date the partial period is empty (its return is 0); taken at t = T the second is the payoff.
 * The tensor versions gather the reset columns and sum capped returns with one cumulative sum, batched over
 * paths and time.
 */
import * as tf from '@tensorflow/tfjs';

function checkResetSteps(resetSteps: number): void {
  if (!Number.isInteger(resetSteps) || resetSteps < 1) throw new Error(`cliquet: resetSteps must be a positive integer, got ${resetSteps}`);
}

/** Reset dates 0 = tau_0 < tau_1 < ... < tau_m = T. */
function resetDates(steps: number, resetSteps: number): number[] {
  checkResetSteps(resetSteps);
  const dates = [0];
  for (let t = resetSteps; t < steps; t += resetSteps) dates.push(t);
  if (steps > 0) dates.push(steps);
  return dates;
}

/** [n, m] the capped period returns min(x_b / x_a - 1, cap) of consecutive columns of x [n, m + 1]. */
function cappedReturns(x: tf.Tensor2D, cap: number): tf.Tensor2D {
  const [n, cols] = x.shape;
  return tf.minimum(tf.sub(tf.div(x.slice([0, 1], [n, cols - 1]), x.slice([0, 0], [n, cols - 1])), 1), cap);
}

/** [n] payoff from spot [n, T + 1]. */
export function cliquetPayoff(spot: tf.Tensor2D, resetSteps: number, cap: number): tf.Tensor1D {
  return tf.tidy(() => {
    const dates = resetDates(spot.shape[1] - 1, resetSteps);
    if (dates.length < 2) return tf.zeros([spot.shape[0]]) as tf.Tensor1D;
    const x = tf.gather(spot, dates, 1) as tf.Tensor2D;
    return tf.relu(tf.sum(cappedReturns(x, cap), 1)) as tf.Tensor1D;
  });
}

/** Float64 payoff of one path of prices at dates 0..T. */
export function cliquetPayoffValue(path: ArrayLike<number>, resetSteps: number, cap: number): number {
  const dates = resetDates(path.length - 1, resetSteps);
  let sum = 0;
  for (let i = 1; i < dates.length; i++) sum += Math.min(path[dates[i]] / path[dates[i - 1]] - 1, cap);
  return Math.max(sum, 0);
}

/** Date r floor(t / r) of the most recent reset at t = 0..T-1, and how many periods have completed by then. */
function lastResetIndex(steps: number, resetSteps: number): { date: number[]; completed: number[] } {
  checkResetSteps(resetSteps);
  const completed = Array.from({ length: steps }, (_, t) => Math.floor(t / resetSteps));
  return { date: completed.map((j) => j * resetSteps), completed };
}

/** [n, T] spot at the most recent reset date <= t, for t = 0..T-1, from spot [n, T + 1]. */
export function lastResetSpot(spot: tf.Tensor2D, resetSteps: number): tf.Tensor2D {
  return tf.tidy(() => tf.gather(spot, lastResetIndex(spot.shape[1] - 1, resetSteps).date, 1) as tf.Tensor2D);
}

/** [n, T] payoff if the cliquet matured at t = 0..T-1, from spot [n, T + 1]. */
export function cliquetPayoffIfMaturedNow(spot: tf.Tensor2D, resetSteps: number, cap: number): tf.Tensor2D {
  return tf.tidy(() => {
    const [n, cols] = spot.shape;
    const steps = cols - 1;
    const { date, completed } = lastResetIndex(steps, resetSteps);
    const periods = Math.floor((steps - 1) / resetSteps); // whole periods that end before T
    // sums[:, j] = sum of the first j capped period returns, j = 0..periods.
    let sums: tf.Tensor2D = tf.zeros([n, 1]);
    if (periods > 0) {
      const x = tf.gather(spot, Array.from({ length: periods + 1 }, (_, j) => j * resetSteps), 1) as tf.Tensor2D;
      sums = tf.concat([sums, tf.cumsum(cappedReturns(x, cap), 1)], 1);
    }
    const done = tf.gather(sums, completed, 1);
    const partial = tf.minimum(tf.sub(tf.div(spot.slice([0, 0], [n, steps]), tf.gather(spot, date, 1)), 1), cap);
    return tf.relu(tf.add(done, partial)) as tf.Tensor2D;
  });
}
