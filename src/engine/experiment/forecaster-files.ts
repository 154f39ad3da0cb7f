/**
 * A kept forecaster as the two files of tfjs's model format (DESIGN.md "Trained models"): the model JSON, its
 * manifest (forecast/forecaster-file.ts) in the metadata and a weights manifest naming the weights file, and
 * the weights. The CLI writes them with `forecast --out DIR`, the page downloads them; reading them back for an
 * experiment refuses, with the reason, a file that is not a HedgeLab forecaster, one for other assets, or one
 * trained on other data, split, settings or seed than the experiment's (Run could not reuse it). The same
 * check reads a forecaster back from any tfjs io handler (the page keeps its last one in IndexedDB).
 */
import * as tf from '@tensorflow/tfjs';
import type { PricePanel } from '../data/price-panel';
import { ForecasterFileError, loadForecaster, saveForecaster, type ForecasterManifest } from '../forecast/forecaster-file';
import { forecasterKey, forecasterPanel, type KeptForecaster } from './forecaster-phase';
import { keyDifferences } from './key-differences';
import type { Experiment, ForecasterMarket } from './schema';

export interface ForecasterFiles {
  /** tfjs's model JSON: `weightsManifest` names `weightsName`. */
  json: string;
  weights: ArrayBuffer;
}

/** The files of `kept` with `manifest`. */
export async function forecasterFiles(kept: KeptForecaster, manifest: ForecasterManifest, weightsName: string): Promise<ForecasterFiles> {
  let files: ForecasterFiles | null = null;
  await saveForecaster(
    kept.model,
    manifest,
    tf.io.withSaveHandler(async (artifacts) => {
      const { weightData, weightSpecs, ...rest } = artifacts;
      const weights = tf.io.CompositeArrayBuffer.join(weightData);
      files = { json: JSON.stringify({ ...rest, weightsManifest: [{ paths: [weightsName], weights: weightSpecs }] }), weights };
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  return files!;
}

/**
 * The forecaster of the files `name` (JSON text) and `weights` for `cfg`'s forecaster market on `data`, kept
 * as Run would keep it; a ForecasterFileError (or the market's MarketDataError) says why a file is refused.
 */
export async function forecasterFromFiles(name: string, json: string, weights: ArrayBuffer, cfg: Experiment, m: ForecasterMarket, data?: PricePanel): Promise<{ kept: KeptForecaster; manifest: ForecasterManifest }> {
  let model: tf.io.ModelJSON;
  try {
    model = JSON.parse(json) as tf.io.ModelJSON;
  } catch (e) {
    throw new ForecasterFileError(`${name} is not a model file (JSON): ${e instanceof Error ? e.message : String(e)}`);
  }
  if (model === null || typeof model !== 'object' || !Array.isArray(model.weightsManifest)) throw new ForecasterFileError(`${name} is not a tfjs model file (it has no weightsManifest)`);
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: model.modelTopology,
    weightSpecs: model.weightsManifest.flatMap((group) => group.weights),
    weightData: weights,
    userDefinedMetadata: model.userDefinedMetadata,
  };
  return forecasterFromHandler(tf.io.fromMemory(artifacts), cfg, m, data);
}

/** The forecaster `handler` loads (a file's artifacts, an 'indexeddb://' store) for `cfg`'s forecaster market, refused as forecasterFromFiles says. */
export async function forecasterFromHandler(handler: tf.io.IOHandler, cfg: Experiment, m: ForecasterMarket, data?: PricePanel): Promise<{ kept: KeptForecaster; manifest: ForecasterManifest }> {
  const loaded = await loadForecaster(handler, { assets: forecasterPanel(m, data).symbols });
  const key = forecasterKey(cfg, m);
  if (loaded.manifest.config !== key) {
    loaded.model.dispose();
    const differs = typeof loaded.manifest.config === 'string' ? keyDifferences(loaded.manifest.config, key, { data: 'data', split: 'split', forecaster: 'forecaster settings', seed: 'seed' }) : '';
    throw new ForecasterFileError(
      differs
        ? `this forecaster was trained for another experiment than the one on the form: it differs in its ${differs}. Set the form to its settings to use it`
        : 'this forecaster file does not say which data, split, settings and seed it was trained on (its manifest has no config), so Run could not reuse it',
    );
  }
  const { manifest } = loaded;
  return { kept: { model: loaded.model, key, trainedEpochs: manifest.trainedEpochs, bestEpoch: 0, validationNll: manifest.validationNll }, manifest };
}
