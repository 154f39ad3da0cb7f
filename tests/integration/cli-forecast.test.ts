/**
 * `hedgelab forecast` (src/cli/forecast-command.ts): one JSON document with the split and every model's
 * one-step test scores, the trained forecaster saved in tfjs's format with `--out DIR` and loaded back as the
 * same forecaster, and refusals with a one-line reason.
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadForecaster } from '../../src/engine/forecast/forecaster-file';
import { tinyForecaster } from '../fixtures/tiny-forecaster';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('hedgelab forecast', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hedgelab-forecast-'));
  const config = join(dir, 'tiny.json');
  writeFileSync(config, JSON.stringify(tinyForecaster()));

  it('prints the scores of the forecaster and the three baselines, and saves a forecaster that loads back', async () => {
    const out = join(dir, 'model');
    const r = cli('forecast', '--config', config, '--out', out);
    expect(r.stderr).toMatch(/forecaster epoch 2: train NLL -?\d/);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.models.map((m: { name: string }) => m.name)).toEqual(['forecaster', 'random-walk', 'ewma', 'garch']);
    for (const m of doc.models) for (const k of ['crps', 'nll', 'coverage50', 'coverage90', 'energy']) expect(Number.isFinite(m[k])).toBe(true);
    expect(doc.split.test[0] > doc.split.validation[1]).toBe(true);
    expect(doc.forecaster.epochs).toHaveLength(2);
    expect(doc.forecaster.attention).toHaveLength(2);
    expect(doc.saved).toBe(join(out, 'forecaster.json'));
    const json = JSON.parse(readFileSync(join(out, 'forecaster.json'), 'utf8'));
    const weights = readFileSync(join(out, 'forecaster.weights.bin'));
    const artifacts = { ...json, weightSpecs: json.weightsManifest[0].weights, weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) };
    const { model, manifest } = await loadForecaster(tf.io.fromMemory(artifacts), { assets: doc.assets });
    expect(manifest.assets).toEqual(doc.assets);
    expect(manifest.trainedEpochs).toBe(2);
    expect(model.shape.latents).toBe(2);
    model.dispose();
  }, 120_000);

  it('refuses a market without a forecaster, and price data for a simulated panel', () => {
    const gbm = cli('forecast', '--preset', 'default');
    expect(gbm.code).toBe(2);
    expect(gbm.stderr).toMatch(/^hedgelab: forecast: "[^"]+" has a gbm market; forecast needs a forecaster market/m);
    const data = cli('forecast', '--config', config, '--data', 'nowhere.csv');
    expect(data.code).toBe(2);
    expect(data.stderr).toMatch(/--data: the forecaster market on a simulated factor panel uses no price data/);
  }, 60_000);
});
