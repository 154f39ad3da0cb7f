/**
 * `npm run bench`: training throughput of the deep hedger (MLP 4x32) and of the no-transaction band
 * network (DHNTB, paper 001 §3 / Imaki et al., 4x32) on the problem of shared/reference/pfhedge-peer.json
 * (European call, sigma 0.2, 20 steps of 1/250, cost 1e-4, entropic lambda 1, 10,000 paths, one
 * full-batch Adam step per epoch), on each Node backend, beside pfhedge's measured seconds for the same network. The first epoch (kernel compilation, allocation) is excluded from the rate.
 * The run estimate the page shows beside Run (run-cost.ts, priced by the backend's measured speed) stands
 * beside each measured epoch, as a check of the cost model. Also the path generators' throughput in path-steps per second (engine markets, float64 in plain TypeScript):
 * GBM and Heston (QE-M scheme) at the sizes of the pfhedge problem and of paper 002's cliquet problem.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { measureSpeed } from '../engine/experiment/backend-speed';
import { preset } from '../engine/experiment/presets';
import { estimateRun } from '../engine/experiment/run-cost';
import { gbmPaths } from '../engine/markets/gbm';
import { hestonPaths } from '../engine/markets/heston';
import { stream } from '../engine/random/stream';
import type { Experiment } from '../engine/experiment/schema';
import { runToResult, useBackend, type NodeBackend } from './headless-run';

const REFERENCE = resolve(process.cwd(), '../shared/reference/pfhedge-peer.json');
const SIDE_BY_SIDE = resolve(process.cwd(), '../shared/reference/pfhedge-side-by-side.sh');
const PFHEDGE_SOURCE = resolve(process.cwd(), '../shared/reference/pfhedge');
const NTB_FIT = resolve(process.cwd(), 'tests/bench/pfhedge_ntb_fit.py');

interface PeerRun {
  name: string;
  cost: number;
  epochs: number;
  paths: number;
  fit_seconds: number;
}

/** The networks timed, each with the pfhedge run of the same network on the same problem, stored and run now. */
const NETWORKS = [
  { type: 'deep-mlp', peerRun: 'european-mlp-cost0.0001', now: (epochs: number) => ['bash', SIDE_BY_SIDE, String(epochs)] },
  { type: 'dhntb', peerRun: 'european-ntb-cost0.0001', now: (epochs: number) => ['/usr/bin/python3', '-W', 'ignore', NTB_FIT, PFHEDGE_SOURCE, String(epochs)] },
] as const;

interface PfhedgeNow {
  epochs: number;
  fit_seconds: number;
  seconds_per_epoch: number;
  price: number;
  threads: number;
}

/**
 * pfhedge on the same problem and network, on this machine now (PyTorch CPU; the side-by-side script installs
 * Debian's python3-torch where it can): the figure a ratio is taken against, measured in the same sitting.
 */
function pfhedgeNow(command: readonly string[], epochs: number): PfhedgeNow | { unavailable: string } {
  if (!existsSync(SIDE_BY_SIDE)) return { unavailable: `${SIDE_BY_SIDE} is not here` };
  process.stderr.write(`pfhedge: ${epochs} epochs…\n`);
  const run = spawnSync(command[0], command.slice(1), { encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  const line = run.stdout?.trim().split('\n').at(-1) ?? '';
  if (run.status !== 0 || !line.startsWith('{')) return { unavailable: (run.stderr || run.error?.message || `exit ${run.status}`).trim().split('\n').at(-1)! };
  return JSON.parse(line) as PfhedgeNow;
}

function pfhedgeFigure(runName: string): { run: string; fitSeconds: number; epochs: number; secondsPerEpoch: number } | null {
  if (!existsSync(REFERENCE)) return null;
  const peer = JSON.parse(readFileSync(REFERENCE, 'utf8')) as { runs: PeerRun[] };
  const run = peer.runs.find((r) => r.name === runName);
  if (!run) return null;
  return { run: run.name, fitSeconds: run.fit_seconds, epochs: run.epochs, secondsPerEpoch: run.fit_seconds / run.epochs };
}

/** pfhedge's no-transaction band problem at cost 1e-4 with one network left, trained for `epochs`. */
function benchProblem(type: (typeof NETWORKS)[number]['type'], epochs: number): Experiment {
  const cfg = preset('pfhedge-ntb-1e-4');
  cfg.strategies = cfg.strategies.filter((s) => s.type === type);
  for (const s of cfg.strategies) if (s.type === 'deep-mlp' || s.type === 'dhntb') s.training.epochs = epochs;
  return cfg;
}

/** Best of three timings of `generate` making `paths` x `steps` path-steps. */
function pathRate(name: string, paths: number, steps: number, generate: (seed: number) => unknown) {
  generate(0);
  let best = Infinity;
  for (let r = 1; r <= 3; r++) {
    const t0 = performance.now();
    generate(r);
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return { model: name, paths, steps, seconds: best, pathStepsPerSecond: (paths * steps) / best };
}

export function pathGenerationBenchmark() {
  const heston = { s0: 1, drift: 0, v0: 0.0625, kappa: 8, theta: 0.0625, xi: 1, rho: -0.7, dt: 1 / 250 };
  return [
    pathRate('gbm', 10_000, 20, (seed) => gbmPaths({ s0: 1, drift: 0, volatility: 0.2, steps: 20, dt: 1 / 250 }, 10_000, stream(seed, 'bench'))),
    pathRate('gbm', 2048, 240, (seed) => gbmPaths({ s0: 1, drift: 0, volatility: 0.25, steps: 240, dt: 1 / 250 }, 2048, stream(seed, 'bench'))),
    pathRate('heston', 10_000, 20, (seed) => hestonPaths({ ...heston, steps: 20 }, 10_000, stream(seed, 'bench'))),
    pathRate('heston', 2048, 240, (seed) => hestonPaths({ ...heston, steps: 240 }, 2048, stream(seed, 'bench'))),
  ];
}

export async function benchmark(backends: NodeBackend[], epochs: number, pfhedgeEpochs: number) {
  const results = [];
  for (const { type, peerRun, now } of NETWORKS) {
    const cfg = benchProblem(type, epochs);
    const pathSteps = cfg.paths.train * cfg.market.steps;
    const peer = pfhedgeFigure(peerRun);
    const sameSitting = pfhedgeEpochs > 0 ? pfhedgeNow(now(pfhedgeEpochs), pfhedgeEpochs) : { unavailable: 'not asked (--pfhedge-epochs 0)' };
    for (const name of backends) {
      await useBackend(name);
      // The page's run estimate (run-cost.ts) for one more epoch, priced by the backend's measured speed.
      const calibration = await measureSpeed(name, 10);
      const withEpochs = (epochs: number) => estimateRun(benchProblem(type, epochs), calibration, { liveEvaluations: 0 }).seconds;
      const estimatedSecondsPerEpoch = withEpochs(2) - withEpochs(1);
      const marks: number[] = [];
      await runToResult(cfg, name, (e) => {
        if (e.type === 'loss') marks.push(e.seconds);
      });
      const secondsPerEpoch = (marks[marks.length - 1] - marks[0]) / (marks.length - 1);
      results.push({
        network: type,
        backend: name,
        epochsTimed: marks.length - 1,
        firstEpochSeconds: marks[0],
        secondsPerEpoch,
        pathStepsPerSecond: pathSteps / secondsPerEpoch,
        estimated200EpochSeconds: 200 * secondsPerEpoch,
        runEstimate: { calibration, secondsPerEpoch: estimatedSecondsPerEpoch, ratioToMeasured: estimatedSecondsPerEpoch / secondsPerEpoch },
        pfhedge: peer,
        ratioToPfhedge: peer ? secondsPerEpoch / peer.secondsPerEpoch : null,
        pfhedgeNow: sameSitting,
        ratioToPfhedgeNow: 'seconds_per_epoch' in sameSitting ? secondsPerEpoch / sameSitting.seconds_per_epoch : null,
      });
    }
  }
  return {
    problem: 'pfhedge no-transaction band problem: European call K=1, sigma 0.2, 20 steps of 1/250, cost 1e-4, entropic lambda 1, 10,000 paths, networks 4x32, full-batch Adam',
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version },
    pfhedgeReference: existsSync(REFERENCE) ? REFERENCE : null,
    results,
    pathGeneration: pathGenerationBenchmark(),
  };
}
