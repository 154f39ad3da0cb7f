/**
 * Whether WebGPU runs the lab's own programs (the deep hedger's recurrence, a held instrument's account) in
 * place of tfjs's ops: off until kernels/fused-check.ts has compared them with the ops on the adapter in use.
 */
import * as tf from '@tensorflow/tfjs';

let verified = false;

/** Set by the check, once per engine (a worker). */
export function setFusedPrograms(agree: boolean): void {
  verified = agree;
}

/** Whether the active backend runs the lab's own programs now. */
export function fusedProgramsOn(): boolean {
  return verified && tf.getBackend() === 'webgpu';
}
