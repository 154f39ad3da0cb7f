/**
 * The deep hedger's recurrence delta_t = m_t * MLP([I_t, delta_{t-1}]), delta_{-1} = 0 (policies/deep-hedger.ts;
 * Buehler et al. 2019 §4; m_t the availability mask), run forward date by date, with its gradient written out
 * as back-propagation through time rather than left to the tape. With h^0_t = [I_t, delta_{t-1}] and layers
 * h^{l+1}_t = relu(h^l_t W_l + b_l), delta_t = m_t (h^L_t W_L + b_L), the adjoints run backwards in t:
 *   g_t     = dLoss/d delta_t + c_t,          c_t = dz^0_{t+1} W_p^T   (W_p: W_0's rows for delta_{t-1}, c_T = 0)
 *   dz^L_t  = m_t g_t,   dz^l_t = (dz^{l+1}_t W_{l+1}^T) * 1[h^{l+1}_t > 0]   (l = L-1 .. 0)
 * and the parameters' gradients are sums over dates, taken over blocks of dates stacked (rowsPerProduct):
 *   dW_l = sum_t (h^l_t)^T dz^l_t = sum_blocks H_l^T Z_l,   db_l = sum_blocks 1^T Z_l.
 * Only the chain through delta_{t-1} is sequential; the tape would instead add up every date's weight gradient
 * one small product at a time (about 100 kernels a date for 4x32 against about 25 here). The transposes are
 * explicit, as in mlp.ts, for tfjs-backend-wasm's fast untransposed products; there, for the widths it
 * serves, each date's [dW_l; db_l] is the lab's own kernel instead (kernels/wasm-weight-gradient.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { addAll } from '../kernels/add-n';
import { fitsFusedRecurrence, fusedHedgeRecurrence } from '../kernels/webgpu-hedge-recurrence';
import { fusedProgramsOn } from '../kernels/fused-programs';
import { fusedDense } from './mlp';
import { servesWeightGradient, weightGradient } from '../kernels/wasm-weight-gradient';

/**
 * How many rows (paths x dates) each weight-gradient product takes, in whole dates. On WebGPU one product over all dates (each product is a
 * dispatch); on the CPU backends products of about 8,192 rows, since the wasm backend packs a product's right
 * operand afresh on every call and a [T n, u] one packs about twice as slowly as T of [n, u] (measured on
 * [200000, 32]: 224 ms against 98 ms for 20 of [10000, 32]), and stacking the dates first costs a copy.
 */
export function rowsPerProduct(): number {
  return tf.getBackend() === 'webgpu' ? Infinity : 8192;
}

/**
 * delta [T, n, d] for date-major features [T, n, F], masks m_t [T, d] and the MLP's weights W_l [in_l, out_l],
 * biases b_l [out_l], W_0's first F rows for the features and its last d for delta_{t-1}. On WebGPU, once
 * verified and for networks that fit, its own programs (kernels/webgpu-hedge-recurrence.ts); elsewhere tfjs's ops.
 */
export function hedgeRecurrence(features: tf.Tensor3D, masks: tf.Tensor2D, weights: tf.Tensor2D[], biases: tf.Tensor1D[]): tf.Tensor3D {
  const widths = [weights[0].shape[0], ...weights.map((w) => w.shape[1])];
  const fused = fusedProgramsOn() && fitsFusedRecurrence(widths);
  return fused ? fusedHedgeRecurrence(features, masks, weights, biases) : recurrenceByOps(features, masks, weights, biases);
}

/** The recurrence on tfjs's ops (any backend), its weight gradients in products of about `rows` rows. */
export function recurrenceByOps(features: tf.Tensor3D, maskRows: tf.Tensor2D, weights: tf.Tensor2D[], biases: tf.Tensor1D[], rows = rowsPerProduct()): tf.Tensor3D {
  const layers = weights.length;
  const masks = tf.unstack(maskRows);
  const recurrence = tf.customGrad((...args) => {
    const save = args.pop() as tf.GradSaveFunc;
    const w = args.slice(0, layers) as tf.Tensor2D[];
    const b = args.slice(layers) as tf.Tensor1D[];
    const [steps, n] = features.shape;
    const d = w[layers - 1].shape[1];
    const dates = tf.unstack(features) as tf.Tensor2D[];
    // layerInputs[l][t] = h^l_t
    const layerInputs: tf.Tensor2D[][] = Array.from({ length: layers }, () => []);
    let prev: tf.Tensor2D = tf.zeros([n, d]);
    const held: tf.Tensor2D[] = [];
    for (let t = 0; t < steps; t++) {
      let h = tf.concat([dates[t], prev], 1) as tf.Tensor2D;
      for (let l = 0; l < layers; l++) {
        layerInputs[l].push(h);
        h = fusedDense(h, w[l], b[l], l + 1 < layers ? 'relu' : 'linear');
      }
      prev = tf.mul(h, masks[t]) as tf.Tensor2D;
      held.push(prev);
    }
    // The masks are saved too: the caller's tidy disposes them before the gradient runs.
    save([...layerInputs.flat(), ...masks]);
    return {
      value: tf.stack(held) as tf.Tensor3D,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const inputs = (l: number, t: number) => saved[l * steps + t] as tf.Tensor2D;
        const mask = (t: number) => saved[layers * steps + t];
        const f = w[0].shape[0] - d;
        const transposed = w.map((x) => tf.transpose(x) as tf.Tensor2D);
        const prevRows = tf.transpose(w[0].slice([f, 0], [d, w[0].shape[1]])) as tf.Tensor2D;
        const upstream = tf.unstack(dy) as tf.Tensor2D[];
        const adjoints: tf.Tensor2D[][] = Array.from({ length: layers }, () => new Array<tf.Tensor2D>(steps));
        let carried: tf.Tensor2D | null = null;
        for (let t = steps - 1; t >= 0; t--) {
          const g: tf.Tensor2D = carried ? tf.add(upstream[t], carried) : upstream[t];
          let dz = tf.mul(g, mask(t)) as tf.Tensor2D;
          adjoints[layers - 1][t] = dz;
          for (let l = layers - 1; l > 0; l--) {
            dz = tf.mul(tf.matMul(dz, transposed[l]), tf.step(inputs(l, t))) as tf.Tensor2D;
            adjoints[l - 1][t] = dz;
          }
          carried = tf.matMul(dz, prevRows);
        }
        const block = Math.max(1, Math.min(steps, Math.floor(rows / n)));
        const weightGrads: tf.Tensor[] = [];
        const biasGrads: tf.Tensor[] = [];
        for (let l = 0; l < layers; l++) {
          if (servesWeightGradient(inputs(l, 0).shape[1], adjoints[l][0].shape[1])) {
            const both = addAll(Array.from({ length: steps }, (_, t) => weightGradient(inputs(l, t), adjoints[l][t])));
            const [dw, db] = tf.split(both, [both.shape[0] - 1, 1], 0);
            weightGrads.push(dw!);
            biasGrads.push(db!.reshape([-1]));
            continue;
          }
          const dW: tf.Tensor[] = [];
          const db: tf.Tensor[] = [];
          for (let t = 0; t < steps; t += block) {
            const dates = Array.from({ length: Math.min(block, steps - t) }, (_, k) => t + k);
            const z = dates.length === 1 ? adjoints[l][t] : tf.concat(dates.map((k) => adjoints[l][k]), 0);
            const h = dates.length === 1 ? inputs(l, t) : tf.concat(dates.map((k) => inputs(l, k)), 0);
            dW.push(tf.matMul(tf.transpose(h), z));
            db.push(tf.matMul(tf.ones([1, z.shape[0]]), z));
          }
          weightGrads.push(dW.length === 1 ? dW[0] : addAll(dW));
          biasGrads.push((db.length === 1 ? db[0] : addAll(db)).reshape([-1]));
        }
        return [...weightGrads, ...biasGrads];
      },
    };
  });
  return recurrence(...weights, ...biases) as tf.Tensor3D;
}
