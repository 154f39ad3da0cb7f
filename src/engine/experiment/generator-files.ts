/**
 * Kept signature-diffusion generators as one JSON file (DESIGN.md "Trained models"): a format tag and version,
 * and per generator its key (what it was trained on: generatorKey), asset, epochs and last loss, its state
 * (settings, the embedding's scaling, clipping bounds and varying coordinates, the training residuals) and
 * its score network's variables, each as its shape and values. The page downloads the generators of the
 * experiment on the form and loads such a file back; reading it refuses, with the reason, a file that is not
 * one, a malformed or inconsistent generator, or one trained for another experiment (naming where its key
 * differs), since Run could not reuse it.
 */
import { z } from 'zod';
import type { PricePanel } from '../data/price-panel';
import { SignatureDiffusion, type SignatureDiffusionState } from '../generators/signature-diffusion';
import { stream } from '../random/stream';
import { AUGMENTED_CHANNELS } from '../generators/fourier-inversion';
import { logSignatureLength } from '../signatures/lyndon';
import { generatorKey, type KeptGenerator } from './diffusion-phase';
import { issueLines } from './issue-text';
import { keyDifferences } from './key-differences';
import { selectedSymbols } from './market';
import type { DiffusionMarket, Experiment } from './schema';

export const GENERATOR_FORMAT = 'hedgelab-signature-diffusion';
export const GENERATOR_FILE_VERSION = 1;

/** A generator file is refused, with the reason a person reads. */
export class GeneratorFileError extends Error {}

const numbers = z.array(z.number().finite());
const generatorSchema = z.strictObject({
  key: z.string().max(4000),
  asset: z.string().min(1).max(64),
  trainedEpochs: z.number().int().min(0),
  loss: z.number(),
  state: z.strictObject({
    settings: z.strictObject({
      depth: z.number().int().min(2).max(5),
      segmentDays: z.number().int().min(2).max(30),
      stride: z.number().int().min(1).max(30),
      network: z.strictObject({ width: z.number().int().min(4).max(64), heads: z.number().int().min(1).max(4), layers: z.number().int().min(1).max(4), mlpUnits: z.number().int().min(2).max(256) }),
      training: z.strictObject({ epochs: z.number().int().min(1), batchSize: z.number().int().min(1), learningRate: z.number().positive() }),
      residuals: z.enum(['bootstrap', 'none']),
    }),
    embedding: z.strictObject({
      depth: z.number().int(),
      length: z.number().int(),
      range: z.strictObject({ min: z.number().finite(), max: z.number().finite() }),
      low: numbers,
      high: numbers,
      mean: numbers,
      std: numbers,
      varying: z.array(z.number().int().min(0)),
    }),
    residuals: numbers,
  }),
  weights: z.array(z.strictObject({ shape: z.array(z.number().int().min(1)), values: numbers })),
});
const fileSchema = z.strictObject({ format: z.literal(GENERATOR_FORMAT), version: z.literal(GENERATOR_FILE_VERSION), generators: z.array(generatorSchema).min(1).max(8) });

/** The file of `generators`. */
export async function generatorFile(generators: readonly KeptGenerator[]): Promise<string> {
  const entries = await Promise.all(
    generators.map(async (g) => {
      const { settings, embedding: e, residuals } = g.model.state;
      const weights = await Promise.all(g.model.net.variables.map(async (v) => ({ shape: v.shape, values: Array.from(await v.data()) })));
      return {
        key: g.key,
        asset: g.asset,
        trainedEpochs: g.trainedEpochs,
        loss: g.loss,
        state: {
          settings,
          embedding: { depth: e.depth, length: e.length, range: e.range, low: [...e.low], high: [...e.high], mean: [...e.mean], std: [...e.std], varying: [...e.varying] },
          residuals: [...residuals],
        },
        weights,
      };
    }),
  );
  return JSON.stringify({ format: GENERATOR_FORMAT, version: GENERATOR_FILE_VERSION, generators: entries });
}

/** The state of a parsed entry, its sizes checked against each other; a GeneratorFileError says which is off. */
function checkedState(entry: z.infer<typeof generatorSchema>, where: string): SignatureDiffusionState {
  const { settings, embedding: e, residuals } = entry.state;
  const dims = logSignatureLength(AUGMENTED_CHANNELS, settings.depth);
  const wrong = (what: string) => new GeneratorFileError(`${where}: ${what}`);
  if (e.depth !== settings.depth || e.length !== settings.segmentDays) throw wrong(`its embedding is of depth ${e.depth} and ${e.length} days, its settings say ${settings.depth} and ${settings.segmentDays}`);
  for (const [name, list] of Object.entries({ low: e.low, high: e.high, mean: e.mean, std: e.std })) {
    if (list.length !== dims) throw wrong(`embedding.${name} has ${list.length} values, not the ${dims} log-signature coordinates of depth ${settings.depth}`);
  }
  if (e.varying.length === 0 || e.varying.some((c, k) => c >= dims || (k > 0 && c <= e.varying[k - 1]!))) throw wrong(`embedding.varying must list increasing coordinates below ${dims}`);
  if (residuals.length === 0 || residuals.length % settings.segmentDays !== 0) throw wrong(`its residuals (${residuals.length}) are not whole segments of ${settings.segmentDays} days`);
  if (settings.network.width % 2 !== 0) throw wrong('network.width must be even');
  return {
    settings,
    embedding: { ...e, low: Float64Array.from(e.low), high: Float64Array.from(e.high), mean: Float64Array.from(e.mean), std: Float64Array.from(e.std), varying: Int32Array.from(e.varying) },
    residuals: Float64Array.from(residuals),
  };
}

/**
 * The generators of the file `name` (its text) for `cfg`'s traded assets on `data`, as Run would keep them:
 * every generator in it must be one this experiment would train (same key); a GeneratorFileError says why not.
 */
export function generatorsFromFile(name: string, text: string, cfg: Experiment, m: DiffusionMarket, data: PricePanel): KeptGenerator[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new GeneratorFileError(`${name} is not a generator file (JSON): ${e instanceof Error ? e.message : String(e)}`);
  }
  const format = raw !== null && typeof raw === 'object' ? (raw as { format?: unknown }).format : undefined;
  if (format !== GENERATOR_FORMAT) throw new GeneratorFileError(`${name} is not a HedgeLab signature-diffusion generator file (its format is ${JSON.stringify(format) ?? 'missing'})`);
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) throw new GeneratorFileError(`${name}: ${issueLines(parsed.error, '(file)').slice(0, 3).join('; ')}`);
  const symbols = selectedSymbols(m, data).slice(0, cfg.instruments.hedgeSet ?? Infinity).map((i) => data.symbols[i]!);
  const out: KeptGenerator[] = [];
  try {
    for (const [k, entry] of parsed.data.generators.entries()) {
      const where = `${name}, generator ${k + 1} (${entry.asset})`;
      if (!symbols.includes(entry.asset)) throw new GeneratorFileError(`${where}: the experiment on the form trades ${symbols.join(', ')}, not ${entry.asset}`);
      const key = generatorKey(cfg, m, entry.asset);
      if (entry.key !== key) {
        const differs = keyDifferences(entry.key, key, { data: 'data', split: 'split', asset: 'asset', diffusion: 'generator settings', seed: 'seed' });
        throw new GeneratorFileError(`${where} was trained for another experiment than the one on the form${differs ? `: it differs in its ${differs}` : ''}. Set the form to its settings to use it`);
      }
      const state = checkedState(entry, where);
      let model: SignatureDiffusion;
      try {
        model = SignatureDiffusion.restore(
          state,
          entry.weights.map((w) => Float32Array.from(w.values)),
          stream(0, 'generator-file'),
        );
      } catch (e) {
        throw new GeneratorFileError(`${where}: ${e instanceof Error ? e.message : String(e)}`);
      }
      const shapes = model.net.variables.map((v) => v.shape.join('x'));
      if (entry.weights.some((w, i) => w.shape.join('x') !== shapes[i])) {
        model.dispose();
        throw new GeneratorFileError(`${where}: its weights' shapes (${entry.weights.map((w) => w.shape.join('x')).join(', ')}) are not its network's (${shapes.join(', ')})`);
      }
      out.push({ model, key, asset: entry.asset, trainedEpochs: entry.trainedEpochs, loss: entry.loss });
    }
  } catch (e) {
    out.forEach((g) => g.model.dispose());
    throw e;
  }
  return out;
}
