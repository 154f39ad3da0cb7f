/**
 * `npm run bench`: training throughput of the deep hedger on the problem of shared/reference/
 * pfhedge-peer.json (European call, sigma 0.2, 20 steps of 1/250, cost 1e-4, entropic lambda 1,
 * 10,000 paths, MLP 4x32, one full-batch Adam step per epoch), on each Node backend, beside pfhedge's
 * measured seconds. The first epoch (kernel compilation, allocation) is excluded from the rate.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { preset } from '../engine/experiment/presets';
import type { Experiment } from '../engine/experiment/schema';
import { runToResult, useBackend, type NodeBackend } from './headless-run';

const REFERENCE = resolve(process.cwd(), '../shared/reference/pfhedge-peer.json');

interface PeerRun {
  name: string;
  cost: number;
  epochs: number;
  paths: number;
  fit_seconds: number;
}

function pfhedgeFigure(): { source: string; fitSeconds: number; epochs: number; secondsPerEpoch: number } | null {
  if (!existsSync(REFERENCE)) return null;
  const peer = JSON.parse(readFileSync(REFERENCE, 'utf8')) as { runs: PeerRun[] };
  const run = peer.runs.find((r) => r.name === 'european-mlp-cost0.0001');
  if (!run) return null;
  return { source: REFERENCE, fitSeconds: run.fit_seconds, epochs: run.epochs, secondsPerEpoch: run.fit_seconds / run.epochs };
}

function benchProblem(epochs: number): Experiment {
  const cfg = preset('pfhedge-readme');
  cfg.strategies = cfg.strategies.filter((s) => s.type === 'deep-mlp');
  for (const s of cfg.strategies) if (s.type === 'deep-mlp') s.training.epochs = epochs;
  return cfg;
}

export async function benchmark(backends: NodeBackend[], epochs: number) {
  const cfg = benchProblem(epochs);
  const pathSteps = cfg.paths.train * cfg.market.steps;
  const peer = pfhedgeFigure();
  const results = [];
  for (const name of backends) {
    await useBackend(name);
    const marks: number[] = [];
    await runToResult(cfg, name, (e) => {
      if (e.type === 'loss') marks.push(e.seconds);
    });
    const secondsPerEpoch = (marks[marks.length - 1] - marks[0]) / (marks.length - 1);
    results.push({
      backend: name,
      epochsTimed: marks.length - 1,
      firstEpochSeconds: marks[0],
      secondsPerEpoch,
      pathStepsPerSecond: pathSteps / secondsPerEpoch,
      estimated200EpochSeconds: 200 * secondsPerEpoch,
      ratioToPfhedge: peer ? secondsPerEpoch / peer.secondsPerEpoch : null,
    });
  }
  return {
    problem: 'pfhedge README: European call K=1, sigma 0.2, 20 steps of 1/250, cost 1e-4, entropic lambda 1, 10,000 paths, MLP 4x32, full-batch Adam',
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version },
    pfhedge: peer,
    results,
  };
}
