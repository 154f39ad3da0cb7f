/**
 * A trained forecaster as a file (forecast/forecaster-file.ts, DESIGN.md "Trained models"): saved and loaded
 * through tfjs io handlers it forecasts exactly as before, with the same manifest; a file that is not a
 * HedgeLab forecaster, of another version, with a field out of bounds, weights that do not fit, or other
 * assets is refused with a message saying what is wrong, and leaves no tensor behind.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FORECASTER_FILE_VERSION, FORECASTER_FORMAT, ForecasterFileError, forecasterManifestSchema, loadForecaster, saveForecaster, type ForecasterManifest } from '../../src/engine/forecast/forecaster-file';
import { SpatioTemporalForecaster } from '../../src/engine/forecast/spatio-temporal-forecaster';
import { stream } from '../../src/engine/random/stream';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const shape = { assets: 2, channels: 1, latents: 2, width: 4, heads: 2, depth: 1, dropout: 0.1 };
const manifest: ForecasterManifest = {
  format: FORECASTER_FORMAT,
  version: FORECASTER_FILE_VERSION,
  shape,
  assets: ['AAPL', 'SPX'],
  context: 4,
  market: 'bundled AAPL and SPX, 2013-05-13 to 2018-05-11',
  split: { train: ['2013-05-13', '2016-05-12'], validation: ['2016-05-13', '2017-05-11'], test: ['2017-05-12', '2018-05-11'] },
  trainedEpochs: 12,
  validationNll: -2.75,
  config: { data: { source: 'bundled', symbols: ['AAPL', 'SPX'] }, split: { train: 0.6, validation: 0.2 } },
};

/** The artifacts `saveForecaster` hands its io handler. */
async function saved(model: SpatioTemporalForecaster): Promise<tf.io.ModelArtifacts> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await saveForecaster(
    model,
    manifest,
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
    }),
  );
  return artifacts!;
}

/** A deep copy of `a`, changed by `edit`. */
function edited(a: tf.io.ModelArtifacts, edit: (copy: tf.io.ModelArtifacts) => void): tf.io.ModelArtifacts {
  const copy: tf.io.ModelArtifacts = { ...a, weightSpecs: structuredClone(a.weightSpecs), userDefinedMetadata: structuredClone(a.userDefinedMetadata), weightData: (a.weightData as ArrayBuffer).slice(0) };
  edit(copy);
  return copy;
}

const x = tf.tensor4d(stream(3, 'returns').normals(new Float32Array(2 * 6 * 2)).map((v) => 0.01 * v), [2, 6, 2, 1]);

async function forecasts(model: SpatioTemporalForecaster): Promise<{ mu: number[]; sigma: number[] }> {
  const { mu, sigma } = model.apply(x, 4);
  const out = { mu: Array.from(await mu.data()), sigma: Array.from(await sigma.data()) };
  tf.dispose([mu, sigma]);
  return out;
}

/** `loadForecaster` on `artifacts` is refused with a ForecasterFileError whose message holds `fragment`, and no tensor is left behind. */
async function refused(artifacts: tf.io.ModelArtifacts, fragment: string, assets?: string[]): Promise<void> {
  const before = tf.memory().numTensors;
  const error = await loadForecaster(tf.io.fromMemory(artifacts), { assets }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ForecasterFileError);
  expect((error as Error).message).toContain(fragment);
  expect(tf.memory().numTensors).toBe(before);
}

describe('forecaster file', () => {
  it('round-trips: the loaded forecaster forecasts exactly as the saved one, with the same manifest', async () => {
    const original = new SpatioTemporalForecaster(shape, stream(7, 'forecaster'));
    // The assets' scale travels with the weights: a load that dropped it would forecast 100 times wider.
    original.setScale([0.01, 0.02]);
    const artifacts = await saved(original);
    expect(artifacts.modelTopology).toEqual({ format: 'hedgelab-forecaster', version: 1 });
    expect(artifacts.weightSpecs!.map((s) => s.name)).toEqual(original.weights.map((_, i) => `w${i}`));
    expect(artifacts.weightSpecs!.every((s) => s.dtype === 'float32')).toBe(true);
    expect(artifacts.weightSpecs!.map((s) => s.shape)).toEqual(original.weights.map((v) => v.shape));

    const before = tf.memory().numTensors;
    const { model, manifest: read } = await loadForecaster(tf.io.fromMemory(artifacts), { assets: ['AAPL', 'SPX'] });
    expect(read).toEqual(manifest);
    expect(model.shape).toEqual(shape);
    expect(tf.memory().numTensors).toBe(before + original.weights.length);
    const want = await forecasts(original);
    const got = await forecasts(model);
    expect(got.mu).toEqual(want.mu);
    expect(got.sigma).toEqual(want.sigma);
    expect(got.mu.every(Number.isFinite) && got.sigma.every((s) => s > 0)).toBe(true);
    // Not a coincidence of initialisation: the forecaster loading starts from differs.
    let fresh!: SpatioTemporalForecaster;
    tf.tidy(() => {
      fresh = new SpatioTemporalForecaster(shape, stream(0, 'forecaster-file'));
    });
    expect((await forecasts(fresh)).mu).not.toEqual(want.mu);
    fresh.dispose();

    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    original.dispose();
  });

  it('refuses, with a message, a file that is not a HedgeLab forecaster of this version', async () => {
    const original = new SpatioTemporalForecaster(shape, stream(7, 'forecaster'));
    const artifacts = await saved(original);
    await refused(
      edited(artifacts, (a) => delete a.userDefinedMetadata),
      'not a HedgeLab forecaster file (no manifest)',
    );
    await refused(
      edited(artifacts, (a) => (a.userDefinedMetadata!.format = 'keras')),
      'not a HedgeLab forecaster file (its format is "keras", not "hedgelab-forecaster")',
    );
    await refused(
      edited(artifacts, (a) => (a.userDefinedMetadata!.version = 2)),
      'this forecaster file is version 2; this build of HedgeLab reads version 1',
    );
    original.dispose();
  });

  it('refuses a manifest field out of bounds, naming the field', async () => {
    const original = new SpatioTemporalForecaster(shape, stream(7, 'forecaster'));
    const artifacts = await saved(original);
    const meta = (a: tf.io.ModelArtifacts) => a.userDefinedMetadata as unknown as ForecasterManifest;
    await refused(
      edited(artifacts, (a) => (meta(a).shape.latents = 300)),
      'forecaster manifest: shape.latents: Too big',
    );
    await refused(
      edited(artifacts, (a) => (meta(a).assets = ['AAPL'])),
      'forecaster manifest: assets: must list one symbol per asset of shape.assets',
    );
    await refused(
      edited(artifacts, (a) => (meta(a).split.test[1] = '2018-13-01')),
      'forecaster manifest: split.test.1: Invalid ISO date',
    );
    await refused(
      edited(artifacts, (a) => ((meta(a) as unknown as Record<string, unknown>).extra = 1)),
      'forecaster manifest: manifest: unrecognized field "extra"',
    );
    expect(forecasterManifestSchema.safeParse(manifest).success).toBe(true);
    original.dispose();
  });

  it('refuses weights of the wrong shape or type, a missing weight, and truncated data', async () => {
    const original = new SpatioTemporalForecaster(shape, stream(7, 'forecaster'));
    const artifacts = await saved(original);
    const w = original.weights.findIndex((v) => v.shape.length === 2);
    const [rows, cols] = original.weights[w]!.shape;
    await refused(
      edited(artifacts, (a) => (a.weightSpecs![w]!.shape = [rows!, 2 * cols!])),
      `weights: w${w} has shape [${rows},${2 * cols!}], the forecaster needs [${rows},${cols}]`,
    );
    await refused(
      edited(artifacts, (a) => (a.weightSpecs![w]!.dtype = 'int32')),
      `weights: w${w} is "int32"; a forecaster's weights are plain float32`,
    );
    // w3 and its bytes left out: the file is consistent in itself, but the forecaster needs w3.
    const offset = 4 * original.weights.slice(0, 3).reduce((n, v) => n + v.size, 0);
    const size = 4 * original.weights[3]!.size;
    await refused(
      edited(artifacts, (a) => {
        a.weightSpecs!.splice(3, 1);
        const data = new Uint8Array(a.weightData as ArrayBuffer);
        a.weightData = new Uint8Array([...data.subarray(0, offset), ...data.subarray(offset + size)]).buffer;
      }),
      'weights: w3 is missing',
    );
    const bytes = (artifacts.weightData as ArrayBuffer).byteLength;
    expect(bytes).toBe(4 * original.weights.reduce((n, v) => n + v.size, 0));
    await refused(
      edited(artifacts, (a) => (a.weightData = (a.weightData as ArrayBuffer).slice(0, bytes - 4))),
      `weights: the data hold ${bytes - 4} bytes, the weights need ${bytes}`,
    );
    await refused(
      edited(artifacts, (a) => delete a.weightSpecs),
      'weights: the file has no weights',
    );
    original.dispose();
  });

  it('refuses a forecaster trained on other assets, naming both lists', async () => {
    const original = new SpatioTemporalForecaster(shape, stream(7, 'forecaster'));
    const artifacts = await saved(original);
    await refused(artifacts, 'this forecaster was trained on AAPL, SPX, not on SPX, AAPL', ['SPX', 'AAPL']);
    await refused(artifacts, 'this forecaster was trained on AAPL, SPX, not on AAPL', ['AAPL']);
    original.dispose();
  });
});
