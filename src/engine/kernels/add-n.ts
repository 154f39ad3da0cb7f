/**
 * tf.addN for any number of tensors on every backend. WebGPU runs addN as one shader that reads each input from
 * its own storage buffer, and tfjs asks the device for no more than WebGPU's default of 8 storage buffers per
 * shader stage (output included): with 8 or more inputs the pipeline is invalid, and the command buffer it was
 * encoded in is dropped with every other kernel in it, without an exception: stale or zero tensors follow
 * (DH-KFAC's trust-region product over its 16 variables and the RMSNorm gains' sum over dates corrupted the
 * pseudo-gradients around them). Summing in groups of at most 7 stays within the limit on every device.
 */
import * as tf from '@tensorflow/tfjs';

/** The most inputs one addN is given. */
export const ADD_N_INPUTS = 7;

export function addAll<T extends tf.Tensor>(tensors: readonly T[]): T {
  if (tensors.length <= ADD_N_INPUTS) return tf.addN(tensors as T[]);
  return tf.tidy(() => {
    let level: T[] = [...tensors];
    while (level.length > ADD_N_INPUTS) {
      const next: T[] = [];
      for (let i = 0; i < level.length; i += ADD_N_INPUTS) {
        const group = level.slice(i, i + ADD_N_INPUTS);
        next.push(group.length === 1 ? group[0]! : tf.addN(group));
      }
      level = next;
    }
    return tf.addN(level);
  });
}
