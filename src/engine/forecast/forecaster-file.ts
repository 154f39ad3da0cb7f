/**
 * A trained forecaster as a file (DESIGN.md, "Trained models"): its weights (float32, `w0`, `w1`, ... in the
 * order of `SpatioTemporalForecaster.weights`: the trained variables, then the assets' scale) and a schema'd manifest (the network's shape, the assets and
 * market it was trained on, the chronological split, the validation NLL), written and read through tfjs's io
 * handlers, so the same code serves downloads, file inputs, 'indexeddb://' and memory. A file that does not
 * match (another kind of model, a version this build does not read, a field out of bounds, a weight of the
 * wrong name, type or shape, missing data, other assets) is refused with a ForecasterFileError whose message
 * says what is wrong.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
// Sets zod's jitless mode (the page's CSP forbids generated code) before this file's schema is built.
import '../experiment/schema';
import { issueLines } from '../experiment/issue-text';
import { stream } from '../random/stream';
import { SpatioTemporalForecaster } from './spatio-temporal-forecaster';

export const FORECASTER_FORMAT = 'hedgelab-forecaster';
export const FORECASTER_FILE_VERSION = 1;

const finite = (min: number, max: number) => z.number().finite().min(min).max(max);
const int = (min: number, max: number) => z.number().int().min(min).max(max);

/** An ISO date range [from, to], from on or before to. */
const dateRange = z.tuple([z.iso.date(), z.iso.date()]).refine(([from, to]) => from <= to, { message: 'the range must start on or before its end' });

export const forecasterManifestSchema = z
  .strictObject({
    format: z.literal(FORECASTER_FORMAT),
    version: z.literal(FORECASTER_FILE_VERSION),
    shape: z.strictObject({
      assets: int(1, 256),
      channels: int(1, 4),
      latents: int(1, 256),
      width: int(1, 256),
      heads: int(1, 16),
      depth: int(1, 8),
      dropout: finite(0, 0.9),
    }),
    /** The assets' symbols, in the order of the forecaster's inputs. */
    assets: z.array(z.string().min(1).max(24)).min(1).max(256),
    /** L, the context days of its training windows. */
    context: int(1, 1000),
    /** The data it was trained on, in words ("bundled AAPL and SPX, 2013-2018"). */
    market: z.string().max(200),
    split: z.strictObject({ train: dateRange, validation: dateRange, test: dateRange }),
    trainedEpochs: int(0, 100_000),
    validationNll: z.number().finite(),
    /** The experiment's market config, kept as JSON. */
    config: z.unknown().optional(),
  })
  .refine((m) => m.assets.length === m.shape.assets, { message: 'must list one symbol per asset of shape.assets', path: ['assets'] })
  // The latent token k d sets the Transformer's size (its weights grow with (k d)^2): no larger than the experiment schema allows (64 x 64).
  .refine((m) => m.shape.latents * m.shape.width <= 4096, { message: 'latents x width is over 4,096: too large a forecaster for a tab', path: ['shape', 'latents'] });

export type ForecasterManifest = z.infer<typeof forecasterManifestSchema>;

export class ForecasterFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForecasterFileError';
  }
}

const weightName = (i: number) => `w${i}`;
/** A value read from the file, as JSON cut to 40 characters, for a message. */
const shown = (v: unknown): string => {
  const text = JSON.stringify(v) ?? 'nothing';
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
};

/** Writes the weights and the manifest (in `userDefinedMetadata`; `modelTopology` says what the file is) through `handler`. */
export async function saveForecaster(model: SpatioTemporalForecaster, manifest: ForecasterManifest, handler: tf.io.IOHandler): Promise<tf.io.SaveResult> {
  if (!handler.save) throw new ForecasterFileError('this destination cannot save a forecaster');
  const { data, specs } = await tf.io.encodeWeights(model.weights.map((tensor, i) => ({ name: weightName(i), tensor })));
  return handler.save({
    modelTopology: { format: FORECASTER_FORMAT, version: FORECASTER_FILE_VERSION },
    weightSpecs: specs,
    weightData: data,
    userDefinedMetadata: manifest as unknown as Record<string, {}>,
  });
}

/** The manifest of `artifacts`, validated; refused before any tensor is made. */
function readManifest(artifacts: tf.io.ModelArtifacts, expectedAssets: string[] | undefined): ForecasterManifest {
  const meta: unknown = artifacts.userDefinedMetadata;
  if (meta === null || typeof meta !== 'object') throw new ForecasterFileError('not a HedgeLab forecaster file (no manifest)');
  const { format, version } = meta as { format?: unknown; version?: unknown };
  if (format !== FORECASTER_FORMAT) throw new ForecasterFileError(`not a HedgeLab forecaster file (its format is ${shown(format)}, not "${FORECASTER_FORMAT}")`);
  if (version !== FORECASTER_FILE_VERSION)
    throw new ForecasterFileError(`this forecaster file is version ${shown(version)}; this build of HedgeLab reads version ${FORECASTER_FILE_VERSION}`);
  const parsed = forecasterManifestSchema.safeParse(meta, { reportInput: true });
  if (!parsed.success) throw new ForecasterFileError(`forecaster manifest: ${issueLines(parsed.error, 'manifest').join('; ')}`);
  const manifest = parsed.data;
  if (expectedAssets && (expectedAssets.length !== manifest.assets.length || expectedAssets.some((s, i) => s !== manifest.assets[i])))
    throw new ForecasterFileError(`this forecaster was trained on ${manifest.assets.join(', ')}, not on ${expectedAssets.join(', ')}`);
  return manifest;
}

/** The values of each of `variables` in `artifacts`' weights, checked against the variables' names, type and shapes. */
function readWeights(artifacts: tf.io.ModelArtifacts, variables: tf.Variable[]): Float32Array[] {
  const specs = artifacts.weightSpecs;
  if (!specs || artifacts.weightData === undefined) throw new ForecasterFileError('weights: the file has no weights');
  const index = new Map(variables.map((_, i) => [weightName(i), i]));
  /** Where each variable's values start in the data, in bytes. */
  const offsets: (number | undefined)[] = variables.map(() => undefined);
  let bytes = 0;
  for (const spec of specs) {
    const at = index.get(spec.name);
    if (at === undefined) throw new ForecasterFileError(`weights: unexpected weight ${shown(spec.name)} (the forecaster has w0 .. ${weightName(variables.length - 1)})`);
    if (offsets[at] !== undefined) throw new ForecasterFileError(`weights: ${spec.name} appears twice`);
    if (spec.dtype !== 'float32' || spec.quantization) throw new ForecasterFileError(`weights: ${spec.name} is ${spec.quantization ? 'quantized' : shown(spec.dtype)}; a forecaster's weights are plain float32`);
    const want = variables[at]!.shape;
    const shape: unknown = spec.shape;
    if (!Array.isArray(shape) || shape.length !== want.length || shape.some((d, k) => d !== want[k]))
      throw new ForecasterFileError(`weights: ${spec.name} has shape ${shown(shape)}, the forecaster needs ${shown(want)}`);
    offsets[at] = bytes;
    bytes += 4 * variables[at]!.size;
  }
  const missing = variables.map((_, i) => weightName(i)).filter((_, i) => offsets[i] === undefined);
  if (missing.length) throw new ForecasterFileError(`weights: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing`);
  const buffer = tf.io.CompositeArrayBuffer.join(artifacts.weightData);
  if (buffer.byteLength !== bytes) throw new ForecasterFileError(`weights: the data hold ${buffer.byteLength} bytes, the weights need ${bytes}`);
  return variables.map((v, i) => new Float32Array(buffer, offsets[i]!, v.size));
}

/**
 * The forecaster and manifest read from `handler`; `expect.assets`, when given, must be the manifest's assets
 * in the same order. Refusals are ForecasterFileErrors and leave no tensor behind.
 */
export async function loadForecaster(handler: tf.io.IOHandler, expect: { assets?: string[] } = {}): Promise<{ model: SpatioTemporalForecaster; manifest: ForecasterManifest }> {
  if (!handler.load) throw new ForecasterFileError('this source cannot load a forecaster');
  let artifacts: tf.io.ModelArtifacts;
  try {
    artifacts = await handler.load();
  } catch (e) {
    throw new ForecasterFileError(`could not read the forecaster file: ${e instanceof Error ? e.message : String(e)}`);
  }
  const manifest = readManifest(artifacts, expect.assets);
  const model = new SpatioTemporalForecaster(manifest.shape, stream(0, 'forecaster-file'));
  try {
    const values = readWeights(artifacts, model.weights);
    model.weights.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(values[i]!, v.shape, 'float32'))));
  } catch (e) {
    model.dispose();
    throw e;
  }
  return { model, manifest };
}
