/**
 * The check that WebGPU's own programs compute what tfjs's ops do, on the adapter in use: the deep hedger's
 * recurrence (webgpu-hedge-recurrence.ts against policies/hedge-recurrence.ts `recurrenceByOps`), a held
 * instrument's account (webgpu-holding-account.ts against hedging/pnl.ts `holdingAccountByOps`), each on a
 * small random problem, a loss's value and its gradients read back, and three steps of Adam on packed
 * parameters (webgpu-packed-adam.ts against trainers/packed-adam.ts `adamStepByOps`): the programs on the active WebGPU backend,
 * the ops on tfjs's cpu backend (so that WebGPU compiles nothing for them). The programs are used from then on
 * (fused-programs.ts) when every difference, relative to the largest value, is within float32 summation
 * tolerance (1e-4).
 */
import * as tf from '@tensorflow/tfjs';
import { stream } from '../random/stream';
import { fusedHedgeRecurrence } from './webgpu-hedge-recurrence';
import { fusedHoldingAccount } from './webgpu-holding-account';
import { setFusedPrograms } from './fused-programs';
import { recurrenceByOps } from '../policies/hedge-recurrence';
import { holdingAccountByOps } from '../hedging/pnl';
import { fusedAdamStep } from './webgpu-packed-adam';
import { adamStepByOps } from '../trainers/packed-adam';
import type { HoldingInstrument } from '../hedging/instruments';

/** What the check found on the adapter, and whether the programs are used. */
export interface FusedCheck {
  maxRelativeError: number;
  used: boolean;
}

/** Random normals of a shape, scaled by 0.5, from the check's own stream. */
function normalsFrom(name: string) {
  const rng = stream(0, 'verify', name);
  let drawn = 0;
  return (shape: number[]) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const x = rng.normals(new Float32Array(size), drawn).map((v) => 0.5 * v);
    drawn += size;
    return tf.tensor(x, shape);
  };
}

type Recurrence = typeof recurrenceByOps;
type Account = (x: tf.Tensor2D, inst: HoldingInstrument) => tf.Tensor[];

/** A loss on a random recurrence: its value and parameter gradients. */
function recurrenceProbe(recurrence: Recurrence): tf.Tensor[] {
  const [steps, n, f, d] = [6, 37, 3, 2];
  const widths = [f + d, 8, 8, d];
  const normals = normalsFrom('recurrence');
  const features = normals([steps, n, f]) as tf.Tensor3D;
  // Masks and availability made as the lab makes them, by casting a comparison (WebGPU keeps such a tensor's data as integers).
  const masks = tf.notEqual(tf.mod(tf.range(0, steps * d), 5), 3).toFloat().reshape([steps, d]) as tf.Tensor2D;
  const weights = widths.slice(1).map((w, l) => tf.variable(normals([widths[l], w])) as tf.Variable<tf.Rank.R2>);
  const biases = widths.slice(1).map((w) => tf.variable(normals([w])) as tf.Variable<tf.Rank.R1>);
  const weightsOfLoss = normals([steps, n, d]);
  const variables = [...weights, ...biases];
  const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(tf.square(recurrence(features, masks, weights, biases)), weightsOfLoss)) as tf.Scalar, variables);
  const read = [value, ...variables.map((v) => grads[v.name])];
  variables.forEach((v) => v.dispose());
  return read;
}

/**
 * A loss weighting gains, cost and turnover of random positions (some held unchanged, one date unavailable)
 * in a random positive price, unwound and not: its value and the positions' gradient.
 */
function accountProbe(account: Account): tf.Tensor[] {
  const [n, steps] = [37, 6];
  const normals = normalsFrom('account');
  const price = tf.exp(tf.cumsum(normals([n, steps + 1]), 1)) as tf.Tensor2D;
  const available = tf.notEqual(tf.range(0, steps), 4).toFloat().reshape([1, steps]) as tf.Tensor2D;
  const drawn = normals([n, steps]) as tf.Tensor2D;
  // Date 2 holds date 1's position: a trade of exactly zero.
  const x = tf.concat([drawn.slice([0, 0], [n, 2]), drawn.slice([0, 1], [n, 1]), drawn.slice([0, 3], [n, steps - 3])], 1) as tf.Tensor2D;
  const weightsOfLoss = normals([n, 3]);
  return [false, true].flatMap((unwind) => {
    const inst: HoldingInstrument = { kind: 'holding', label: 'probe', price, costBasis: price, costRate: 0.05, unwindAtMaturity: unwind, available };
    const masked = tf.mul(x, available) as tf.Tensor2D;
    const { value, grad } = tf.valueAndGrad((y: tf.Tensor) => tf.sum(tf.mul(tf.stack(account(y as tf.Tensor2D, inst), 1), weightsOfLoss)) as tf.Scalar)(masked);
    return [value, grad];
  });
}

/** Three Adam steps from zero moments along random gradients: the state and parameters after each. */
function adamProbe(step: typeof adamStepByOps): tf.Tensor[] {
  const normals = normalsFrom('adam');
  let x = normals([37]) as tf.Tensor1D;
  let state = tf.zeros([74]) as tf.Tensor1D;
  const read: tf.Tensor[] = [];
  for (let t = 1; t <= 3; t++) {
    const c = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, correction1: Math.fround(1 - 0.9 ** t), correction2: Math.fround(1 - 0.999 ** t), epsilon: 1e-7 };
    ({ state, next: x } = step(normals([37]) as tf.Tensor1D, x, state, c));
    read.push(state, x);
  }
  return read;
}

const FUSED: { recurrence: Recurrence; account: Account; adam: typeof adamStepByOps } = {
  recurrence: fusedHedgeRecurrence,
  adam: fusedAdamStep,
  account: (x, inst) => tf.unstack(fusedHoldingAccount(x, inst.price, inst.costBasis, inst.available, inst.costRate, inst.unwindAtMaturity), 1),
};
const OPS: typeof FUSED = {
  adam: adamStepByOps,
  recurrence: (features, masks, weights, biases) => recurrenceByOps(features, masks, weights, biases),
  account: (x, inst) => {
    const a = holdingAccountByOps(inst, x);
    return [a.gains, a.cost, a.turnover];
  },
};

async function readProbes(programs: typeof FUSED): Promise<Float32Array[]> {
  const parts = tf.tidy(() => [...recurrenceProbe(programs.recurrence), ...accountProbe(programs.account), ...adamProbe(programs.adam)]);
  const values = await Promise.all(parts.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose(parts);
  return values;
}

let checked: Promise<FusedCheck> | null = null;

/**
 * The largest relative difference between the programs and the ops, and whether the programs are used;
 * measured once per engine (a worker), on the first call (the first run on WebGPU that trains a deep hedger).
 */
export function checkFusedPrograms(): Promise<FusedCheck> {
  checked ??= compare();
  return checked;
}

async function compare(): Promise<FusedCheck> {
  const gpu = tf.getBackend();
  const fused = await readProbes(FUSED);
  await tf.setBackend('cpu');
  let ops: Float32Array[];
  try {
    ops = await readProbes(OPS);
  } finally {
    await tf.setBackend(gpu);
  }
  const worst = Math.max(
    ...fused.map((x, i) => {
      const scale = Math.max(1e-6, ...Array.from(ops[i], Math.abs));
      return Math.max(...Array.from(x, (v, k) => Math.abs(v - ops[i][k]))) / scale;
    }),
  );
  const used = Number.isFinite(worst) && worst < 1e-4;
  setFusedPrograms(used);
  return { maxRelativeError: worst, used };
}
