/** Signature diffusion for one asset (src/engine/generators/signature-diffusion.ts), tiny and on the cpu backend. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SignatureDiffusion, stitchSegments, type DiffusionEpoch, type SignatureDiffusionSettings } from '../../src/engine/generators/signature-diffusion';
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
  sampling: { steps: 20, sampler: 'reverse-sde' },
};

/** 400 daily GBM prices at 20% volatility. */
function gbm(seed: number): Float64Array {
  const z = stream(seed, 'diffusion-test').normals(new Float64Array(399));
  const out = new Float64Array(400);
  out[0] = 100;
  for (let i = 1; i < 400; i++) out[i] = out[i - 1]! * Math.exp(0.2 * Math.sqrt(1 / 252) * z[i - 1]! - 0.02 / 252);
  return out;
}

async function trained(seed: number, signal?: AbortSignal): Promise<{ epochs: DiffusionEpoch[]; model: SignatureDiffusion | null }> {
  const epochs: DiffusionEpoch[] = [];
  const run = SignatureDiffusion.train(gbm(1), settings, stream(seed, 'diffusion'), signal);
  for (;;) {
    const next = await run.next();
    if (next.done) return { epochs, model: next.value };
    epochs.push(next.value);
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
    expect(a.epochs.map((e) => e.loss)).toEqual(b.epochs.map((e) => e.loss));
    expect(a.epochs.every((e) => Number.isFinite(e.loss) && e.loss > 0)).toBe(true);
    const paths = await a.model!.samplePaths(4, 12, stream(4, 'diffusion', 'sample'));
    expect(paths.map((p) => p.length)).toEqual([13, 13, 13, 13]);
    for (const p of paths) {
      expect(p[0]).toBe(1);
      expect(p.every((x) => Number.isFinite(x) && x > 0)).toBe(true);
    }
    // The same draws give the same paths.
    const again = await a.model!.samplePaths(4, 12, stream(4, 'diffusion', 'sample'));
    expect(again.map((p) => Array.from(p))).toEqual(paths.map((p) => Array.from(p)));
    a.model!.dispose();
    b.model!.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);

  it('stops between batches when asked and frees everything, and refuses too short a series', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    controller.abort();
    expect((await trained(5, controller.signal)).model).toBeNull();
    expect(tf.memory().numTensors).toBe(before);
    await expect(SignatureDiffusion.train(gbm(1).slice(0, 40), settings, stream(1, 'd')).next()).rejects.toThrow(/40 prices give 35 segments of 5 days: too few to train on \(at least 64\)/);
  });
});
