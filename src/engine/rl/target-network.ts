/**
 * Target networks of DDPG, TD3 and SAC (paper 000 §4.4, eq. 43: Q' and mu'): each target weight follows its
 * network's by Polyak averaging after an update, w' <- tau w + (1 - tau) w' (Lillicrap et al. 2016,
 * Stable-Baselines3's polyak_update); tau = 1 copies.
 */
import * as tf from '@tensorflow/tfjs';

export function polyakUpdate(targets: tf.Variable[], sources: tf.Variable[], tau: number): void {
  if (targets.length !== sources.length) throw new Error('a target network must have its network\'s shape');
  tf.tidy(() => {
    targets.forEach((t, i) => t.assign(tf.add(tf.mul(sources[i], tau), tf.mul(t, 1 - tau))));
  });
}
