/** Signature diffusion for one asset (src/engine/generators/signature-diffusion.ts), tiny and on the cpu backend. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SignatureDiffusion, stitchSegments, type DiffusionProgress, type SamplingSettings, type SignatureDiffusionSettings } from '../../src/engine/generators/signature-diffusion';
import { stream } from '../../src/engine/random/stream';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const settings: SignatureDiffusionSettings = {
  depth: 3,
  segmentDays: 5,
  stride: 1,
  network: { width: 8, heads: 1, layers: 1, mlpUnits: 16 },
  training: { epochs: 2, batchSize: 64, learningRate: 2e-3 },
  residuals: 'bootstrap',
};
const sampling: SamplingSettings = { steps: 20, sampler: 'reverse-sde' };

/** Every chunk of a sampling, and its segments. */
async function drained(run: AsyncGenerator<number, Float64Array[]>): Promise<{ chunks: number[]; segments: Float64Array[] }> {
  const chunks: number[] = [];
  for (;;) {
    const next = await run.next();
    if (next.done) return { chunks, segments: next.value };
    chunks.push(next.value);
  }
}

/** 400 daily GBM prices at 20% volatility. */
function gbm(seed: number): Float64Array {
  const z = stream(seed, 'diffusion-test').normals(new Float64Array(399));
  const out = new Float64Array(400);
  out[0] = 100;
  for (let i = 1; i < 400; i++) out[i] = out[i - 1]! * Math.exp(0.2 * Math.sqrt(1 / 252) * z[i - 1]! - 0.02 / 252);
  return out;
}

type Epoch = Extract<DiffusionProgress, { kind: 'epoch' }>;

async function trained(seed: number, signal?: AbortSignal): Promise<{ epochs: Epoch[]; batches: number; model: SignatureDiffusion | null }> {
  const epochs: Epoch[] = [];
  let batches = 0;
  const run = SignatureDiffusion.train(gbm(1), settings, stream(seed, 'diffusion'), signal);
  for (;;) {
    const next = await run.next();
    if (next.done) return { epochs, batches, model: next.value };
    if (next.value.kind === 'epoch') epochs.push(next.value);
    else batches++;
  }
}

describe('signature diffusion', () => {
  it('stitches segments into a price path, each starting where the last ended, cut at the horizon', () => {
    const path = stitchSegments([Float64Array.from([0.1, 0.2]), Float64Array.from([-0.1, 0.05])], 3);
    expect(Array.from(path)).toEqual([1, Math.exp(0.1), Math.exp(0.2), Math.exp(0.1)]);
    expect(() => stitchSegments([Float64Array.from([0.1, 0.2])], 3)).toThrow(/cover 2 days, not 3/);
  });

  it('trains with a loss per epoch, the same from the same seed, and samples price paths from 1; no tensor is left', async () => {
    const before = tf.memory().numTensors;
    const [a, b] = [await trained(3), await trained(3)];
    expect(a.epochs.map((e) => [e.epoch, e.epochs])).toEqual([[1, 2], [2, 2]]);
    // 395 segments of 5 days from 400 prices: 6 batches of 64 an epoch, each a turn of its own.
    expect(a.batches).toBe(12);
    expect(a.epochs.map((e) => e.loss)).toEqual(b.epochs.map((e) => e.loss));
    expect(a.epochs.every((e) => Number.isFinite(e.loss) && e.loss > 0)).toBe(true);
    const per = a.model!.segmentsPerPath(12);
    expect(per).toBe(3);
    const { segments } = await drained(a.model!.sampleSegments(4 * per, sampling, stream(4, 'diffusion', 'sample')));
    const paths = SignatureDiffusion.pathsFrom(segments, per, 12);
    expect(paths.map((p) => p.length)).toEqual([13, 13, 13, 13]);
    for (const p of paths) {
      expect(p[0]).toBe(1);
      expect(p.every((x) => Number.isFinite(x) && x > 0)).toBe(true);
    }
    // The same draws give the same paths.
    const again = SignatureDiffusion.pathsFrom((await drained(a.model!.sampleSegments(4 * per, sampling, stream(4, 'diffusion', 'sample')))).segments, per, 12);
    expect(again.map((p) => Array.from(p))).toEqual(paths.map((p) => Array.from(p)));
    a.model!.dispose();
    b.model!.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);

  it('rebuilds from its state and weights; bootstrap residuals keep the increment of each segment and roughen its days', async () => {
    const before = tf.memory().numTensors;
    const { model } = await trained(7);
    const weights = await Promise.all(model!.net.variables.map(async (v) => (await v.data()) as Float32Array));
    const smooth = SignatureDiffusion.restore({ ...model!.state, settings: { ...settings, residuals: 'none' } }, weights, stream(1, 'unused'));
    const rng = () => stream(8, 'diffusion', 'sample');
    const rough = (await drained(model!.sampleSegments(600, sampling, rng()))).segments;
    const { chunks, segments: plain } = await drained(smooth.sampleSegments(600, sampling, rng()));
    // 512 a chunk: two chunks of 20 steps, counted over both.
    expect(chunks).toEqual(Array.from({ length: 40 }, (_, k) => k + 1));
    expect(SignatureDiffusion.samplingSteps(600, sampling)).toBe(40);
    let [dailyRough, dailyPlain] = [0, 0];
    rough.forEach((r, j) => {
      expect(r[4]).toBeCloseTo(plain[j]![4]!, 9);
      for (let i = 1; i < 5; i++) [dailyRough, dailyPlain] = [dailyRough + (r[i]! - r[i - 1]!) ** 2, dailyPlain + (plain[j]![i]! - plain[j]![i - 1]!) ** 2];
    });
    expect(dailyRough).toBeGreaterThan(dailyPlain);
    // A consumer that stops reading leaves no tensor behind.
    const run = smooth.sampleSegments(2000, sampling, rng());
    await run.next();
    await run.return([]);
    expect(() => SignatureDiffusion.restore(model!.state, weights.slice(1), stream(1, 'unused'))).toThrow(/do not fit a score network/);
    model!.dispose();
    smooth.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);

  it('stops between batches when asked and frees everything, and refuses too short a series', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    controller.abort();
    expect((await trained(5, controller.signal)).model).toBeNull();
    expect(tf.memory().numTensors).toBe(before);
    await expect(SignatureDiffusion.train(gbm(1).slice(0, 40), settings, stream(1, 'd')).next()).rejects.toThrow(/40 prices give 35 complete segments of 5 days: too few to train on \(at least 64\)/);
  });
});
