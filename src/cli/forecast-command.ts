/**
 * `forecast --preset NAME | --config FILE [--data FILE.csv ...] [--backend cpu|wasm] [--out DIR]`: trains the
 * forecaster of a forecaster-market experiment (paper 000 §2, experiment/run-forecast.ts) and prints one JSON
 * document with the split and the one-step-ahead test scores of the claim's asset per model (the forecaster,
 * random walk, EWMA, GARCH), plus the forecaster's training and eq. 9's attention map. `--out DIR` saves the
 * trained forecaster there in tfjs's model format (forecaster.json + forecaster.weights.bin, the manifest in
 * its userDefinedMetadata), which the page's "Load forecaster" reads back.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ForecastReport, RunEvent } from '../engine/experiment/events';
import { forecasterManifest } from '../engine/experiment/forecaster-phase';
import { runForecast } from '../engine/experiment/run-forecast';
import type { Experiment } from '../engine/experiment/schema';
import type { PricePanel } from '../engine/data/price-panel';
import { forecasterFiles } from '../engine/experiment/forecaster-files';
import { RunRefused, type NodeBackend } from './headless-run';
import { stderrLine } from './terminal-text';
import { fileProblem, UsageError } from './usage-error';

export const FORECASTER_FILES = { model: 'forecaster.json', weights: 'forecaster.weights.bin' } as const;

/** Makes `dir` (and its parents) before any work, so a run is never spent on a folder it cannot write. */
export function prepareModelFolder(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new UsageError(`--out: cannot make the folder ${dir} (${fileProblem(e)})`);
  }
}

export async function forecastCommand(cfg: Experiment, backend: NodeBackend, data: PricePanel | undefined, out: string | undefined): Promise<Record<string, unknown>> {
  if (cfg.market.model !== 'forecaster') throw new UsageError(`forecast: "${cfg.name}" has a ${cfg.market.model} market; forecast needs a forecaster market (e.g. --preset paper000-forecast-sp500)`);
  const m = cfg.market;
  const epochs: Extract<RunEvent, { type: 'forecaster' }>[] = [];
  let report: ForecastReport | null = null;
  const stream = runForecast(cfg, { data });
  let next = await stream.next();
  for (; !next.done; next = await stream.next()) {
    const e = next.value;
    if (e.type === 'error') throw e.internal ? new Error(e.message) : new RunRefused(e.message);
    if (e.type === 'forecaster') {
      epochs.push(e);
      stderrLine(`forecaster epoch ${e.epoch}: train NLL ${e.trainNll.toFixed(4)}, validation NLL ${e.validationNll.toFixed(4)}${e.best ? ' (best)' : ''}, ${e.seconds.toFixed(1)} s`);
    }
    if (e.type === 'forecast') report = e;
  }
  const kept = next.value;
  if (!kept || !report) throw new Error('the forecast was stopped before it finished');
  try {
    const seconds = epochs.at(-1)?.seconds ?? 0;
    const { assets, latents } = { assets: report.assets.length, latents: report.attention.latents };
    const doc = {
      name: cfg.name,
      backend,
      asset: report.asset,
      assets: report.assets,
      split: report.split,
      channels: report.channels,
      models: report.scores.map(({ name, crps, nll, coverage50, coverage90, energy, days }) => ({ name, crps, nll, coverage50, coverage90, energy, days })),
      forecaster: {
        meanNll: report.meanNll,
        trainedEpochs: report.trainedEpochs,
        bestEpoch: report.bestEpoch,
        secondsPerEpoch: epochs.length ? seconds / epochs.length : null,
        epochs: epochs.map(({ epoch, trainNll, validationNll }) => ({ epoch, trainNll, validationNll })),
        attention: Array.from({ length: latents }, (_, j) => Array.from(report!.attention.weights.subarray(j * assets, (j + 1) * assets))),
      },
      ...(out ? { saved: join(out, FORECASTER_FILES.model) } : {}),
    };
    if (out) {
      const files = await forecasterFiles(kept, forecasterManifest(kept, m, m.forecaster.context, report), FORECASTER_FILES.weights);
      writeFileSync(join(out, FORECASTER_FILES.model), files.json);
      writeFileSync(join(out, FORECASTER_FILES.weights), new Uint8Array(files.weights));
    }
    return doc;
  } finally {
    kept.model.dispose();
  }
}
