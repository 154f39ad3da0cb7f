/**
 * `generate --preset NAME | --config FILE [--data FILE.csv ...] [--paths N] [--backend cpu|wasm] [--out FILE.csv]`:
 * trains the signature-diffusion generators of a signature-diffusion experiment (paper 003 §3.3,
 * experiment/run-generation.ts), one per traded asset, samples N paths per asset (the market's
 * `diffusion.paths` without --paths) and prints one JSON document: the split, the resolution the depth buys,
 * training and sampling seconds, and per asset its loss curve and the stylised-facts table of the real test
 * dates against the market windows, the regime-switching GBM and the generated paths (KS, kurtosis,
 * autocorrelations, leverage, signature-kernel MMD^2). `--out FILE.csv` writes the generated paths there, one
 * row a path and day: `path,day,<asset>,...`, prices from the market's s0.
 */
import type { RunEvent } from '../engine/experiment/events';
import { runGeneration } from '../engine/experiment/run-generation';
import type { Experiment } from '../engine/experiment/schema';
import type { PricePanel } from '../engine/data/price-panel';
import { RunRefused, type NodeBackend } from './headless-run';
import { writeOutput } from './output-file';
import { stderrLine } from './terminal-text';
import { UsageError } from './usage-error';

/** --paths: a whole number of paths within the schema's bounds. */
export function pathsOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new UsageError(`--paths must be a whole number from 1 to 100000, not "${value}"`);
  return n;
}

export async function generateCommand(cfg: Experiment, backend: NodeBackend, data: PricePanel | undefined, paths: number | undefined, out: string | undefined): Promise<Record<string, unknown>> {
  if (cfg.market.model !== 'signature-diffusion') throw new UsageError(`generate: "${cfg.name}" has a ${cfg.market.model} market; generate needs a signature-diffusion market (e.g. --preset paper003-aapl-diffusion)`);
  const epochs: Extract<RunEvent, { type: 'diffusion' }>[] = [];
  let report: Extract<RunEvent, { type: 'generated' }> | null = null;
  const stream = runGeneration(cfg, { data, paths });
  let next = await stream.next();
  let lastPhase = '';
  for (; !next.done; next = await stream.next()) {
    const e = next.value;
    if (e.type === 'error') throw e.internal ? new Error(e.message) : new RunRefused(e.message);
    if (e.type === 'diffusion') {
      epochs.push(e);
      if (e.epoch % 10 === 0 || e.epoch === e.epochs) stderrLine(`generator of ${e.asset}: epoch ${e.epoch} of ${e.epochs}, loss ${e.loss.toFixed(4)}, ${e.seconds.toFixed(1)} s`);
    }
    if (e.type === 'progress' && e.phase.startsWith('sampling') && e.phase.split(':')[0] !== lastPhase) {
      lastPhase = e.phase.split(':')[0]!;
      stderrLine(`${lastPhase}${e.etaSeconds !== null ? ` (about ${Math.round(e.etaSeconds)} s left in all)` : ''}`);
    }
    if (e.type === 'generated') report = e;
  }
  const generated = next.value;
  if (!generated || !report) throw new Error('the generation was stopped before it finished');
  try {
    const doc = {
      name: cfg.name,
      backend,
      split: report.split,
      paths: report.paths,
      segmentDays: report.segmentDays,
      segmentsPerPath: report.segmentsPerPath,
      resolution: report.resolution,
      trainingSeconds: report.trainingSeconds,
      samplingSeconds: report.samplingSeconds,
      assets: report.assets.map((a) => ({
        asset: a.asset,
        segments: a.segments,
        trainedEpochs: a.trainedEpochs,
        loss: a.loss,
        losses: epochs.filter((e) => e.asset === a.asset).map((e) => e.loss),
        facts: a.facts,
      })),
      ...(out ? { saved: out } : {}),
    };
    if (out) {
      const m = cfg.market;
      const cols = m.steps + 1;
      const lines = [['path', 'day', ...report.assets.map((a) => a.asset)].join(',')];
      for (let p = 0; p < report.paths; p++) {
        for (let d = 0; d < cols; d++) lines.push([p + 1, d, ...generated.pools.map((pool) => pool.prices[p * cols + d]!.toPrecision(7))].join(','));
      }
      const failed = writeOutput(out, `${lines.join('\n')}\n`);
      if (failed) throw new Error(`${failed}; the paths were not saved`);
    }
    return doc;
  } finally {
    generated.generators.forEach((g) => g.model.dispose());
  }
}
