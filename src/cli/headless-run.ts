/**
 * Runs an experiment in Node on the cpu or wasm tfjs backend and collects the CLI's result document
 * ({config, backend, strategies:[{id, type, label, metrics, training}]}), writing progress to stderr.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { RunEvent, RunResult } from '../engine/experiment/events';
import { registerWasmInPlaceKernels } from '../engine/kernels/wasm-in-place';
import { runExperiment, type RunOptions } from '../engine/experiment/run-experiment';
import type { Experiment } from '../engine/experiment/schema';
import { stderrLine } from './terminal-text';

export type NodeBackend = 'cpu' | 'wasm';

/** The engine refused the experiment or its data as given (an error event not marked internal): the CLI exits 2. */
export class RunRefused extends Error {}

export async function useBackend(name: NodeBackend): Promise<NodeBackend> {
  tf.enableProdMode();
  registerWasmInPlaceKernels();
  if (!(await tf.setBackend(name))) throw new Error(`the ${name} backend failed to start`);
  await tf.ready();
  return name;
}

function formatSeconds(s: number): string {
  return s >= 90 ? `${Math.round(s / 60)} min` : `${Math.round(s)} s`;
}

/** Runs to completion; throws with the run's own message on an error event. */
export async function runToResult(
  cfg: Experiment,
  backend: NodeBackend,
  onEvent?: (e: RunEvent) => void,
  options: Omit<RunOptions, 'backend'> = {},
): Promise<RunResult> {
  let lastReport = -Infinity;
  for await (const event of runExperiment(cfg, { backend, liveEvaluations: 0, ...options })) {
    onEvent?.(event);
    if (event.type === 'progress' && performance.now() - lastReport > 1000) {
      lastReport = performance.now();
      const eta = event.etaSeconds === null ? '' : `, ${formatSeconds(event.etaSeconds)} left`;
      stderrLine(`[${(100 * event.fraction).toFixed(0).padStart(3)}%] ${event.phase}${eta}`);
    }
    if (event.type === 'error') throw event.internal ? new Error(event.message) : new RunRefused(event.message);
    if (event.type === 'done') return event.result;
  }
  throw new Error('the run was stopped before it finished');
}
