/**
 * The signature-diffusion market end to end in Node (paper 003 §3.3, experiment/diffusion-phase.ts,
 * diffusion-market.ts, diffusion-report.ts, generator-files.ts): a generator per traded asset trains epoch by
 * epoch, samples its paths, is compared with the real test dates, the market windows and the regime model;
 * the hedgers train on its paths and are tested on the real test windows. Kept generators are reused, saved
 * as a file and loaded back; the same config gives the same numbers; Stop while sampling frees everything.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundledData } from '../../src/cli/price-data';
import { keepGenerators, type GeneratorHolder } from '../../src/engine/experiment/diffusion-phase';
import type { RunEvent } from '../../src/engine/experiment/events';
import { generatorFile, generatorsFromFile, GeneratorFileError } from '../../src/engine/experiment/generator-files';
import { runExperiment } from '../../src/engine/experiment/run-experiment';
import { runGeneration } from '../../src/engine/experiment/run-generation';
import type { DiffusionMarket } from '../../src/engine/experiment/schema';
import { registerWasmInPlaceKernels } from '../../src/engine/kernels/wasm-in-place';
import { tinyDiffusion } from '../fixtures/tiny-diffusion';
import { collect } from '../fixtures/run-events';

beforeAll(async () => {
  registerWasmInPlaceKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
});

const data = bundledData(['AAPL', 'SPX']);

const of = <T extends RunEvent['type']>(list: RunEvent[], type: T) => list.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);

describe('the signature-diffusion market', () => {
  it('trains a generator, compares its paths with the real ones, then hedges on them and tests on the real windows; no tensor is left', async () => {
    const before = tf.memory().numTensors;
    const list = await collect(runExperiment(tinyDiffusion(), { data }));
    expect(of(list, 'error')).toEqual([]);
    expect(of(list, 'diffusion').map((e) => [e.asset, e.epoch])).toEqual([
      ['AAPL', 1],
      ['AAPL', 2],
      ['AAPL', 3],
    ]);
    const [report] = of(list, 'generated');
    expect(report!.paths).toBe(128);
    expect(report!.segmentsPerPath).toBe(6);
    expect(report!.resolution).toBe("depth 3: each 5-day segment is its increment plus 1 harmonic (3 numbers for 5 days), with a training segment's daily residuals added");
    const [aapl] = report!.assets;
    expect(aapl!.asset).toBe('AAPL');
    // AAPL's 756 training dates: 751 segments of 5 days.
    expect(aapl!.segments).toBe(751);
    expect(aapl!.facts.map((f) => f.source)).toEqual(['real test', 'market', 'regime', 'diffusion']);
    expect(aapl!.facts[0]!.ks).toBeNull();
    for (const f of aapl!.facts.slice(1)) {
      expect(f.ks!).toBeGreaterThan(0);
      expect(f.ks!).toBeLessThan(1);
      expect(Number.isFinite(f.mmd)).toBe(true);
      expect(f.autocorrelation).toHaveLength(10);
    }
    // The regime model is fitted to these very returns: its daily std is theirs within sampling error.
    expect(aapl!.facts[2]!.dailyStd / aapl!.facts[1]!.dailyStd).toBeGreaterThan(0.8);
    expect(aapl!.facts[2]!.dailyStd / aapl!.facts[1]!.dailyStd).toBeLessThan(1.25);
    expect(aapl!.distribution.edges).toHaveLength(61);
    for (const d of [aapl!.distribution.test, aapl!.distribution.train.diffusion]) expect(d).toHaveLength(60);
    expect(aapl!.fan.generated.map((b) => b.length)).toEqual([31, 31, 31, 31, 31]);
    expect(aapl!.fan.generated[0]![0]).toBe(100);
    const [start] = of(list, 'start');
    // Tested on every real window of the test dates.
    expect(start!.market.testPaths).toBe(start!.market.split!.testWindows);
    expect(start!.market.split!.trainWindows).toBe(128);
    const [done] = of(list, 'done');
    for (const s of done!.result.strategies) expect(Number.isFinite(s.metrics.mean)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);

  it('gives the same paths from the same seed, reuses a kept generator, and saves and loads it as a file', async () => {
    const cfg = tinyDiffusion({ paths: 64 });
    const kept: GeneratorHolder = {};
    const first = await collect(runGeneration(cfg, { data, kept }));
    expect(kept.generators!.map((g) => g.asset)).toEqual(['AAPL']);
    const again = await collect(runGeneration(cfg, { data, kept }));
    expect(of(again, 'diffusion')).toEqual([]);
    expect(of(again, 'generated')[0]!.assets[0]!.reused).toBe(true);
    const facts = (l: RunEvent[]) => of(l, 'generated')[0]!.assets[0]!.facts;
    expect(facts(again)).toEqual(facts(first));
    // Written and read back: the same generator, the same paths.
    const text = await generatorFile(kept.generators!);
    const m = cfg.market as DiffusionMarket;
    const loaded = generatorsFromFile('g.json', text, cfg, m, data);
    const fromFile: GeneratorHolder = { generators: loaded };
    const third = await collect(runGeneration(cfg, { data, kept: fromFile }));
    expect(facts(third)).toEqual(facts(first));
    // Refused, with the reason: another seed, not a generator file, broken weights.
    const other = tinyDiffusion({ paths: 64, seed: 4 });
    expect(() => generatorsFromFile('g.json', text, other, other.market as DiffusionMarket, data)).toThrow(/trained for another experiment than the one on the form: it differs in its seed \(the file's 3, the form's 4\)/);
    expect(() => generatorsFromFile('g.json', '{"format":"x"}', cfg, m, data)).toThrow(GeneratorFileError);
    expect(() => generatorsFromFile('g.json', 'not json', cfg, m, data)).toThrow(/g.json is not a generator file \(JSON\)/);
    const broken = JSON.parse(text);
    broken.generators[0].weights.pop();
    expect(() => generatorsFromFile('g.json', JSON.stringify(broken), cfg, m, data)).toThrow(/generator 1 \(AAPL\): the weights do not fit a score network of this shape/);
    const before = tf.memory().numTensors;
    keepGenerators(kept, []);
    fromFile.generators!.forEach((g) => g.model.dispose());
    expect(tf.memory().numTensors).toBeLessThan(before);
  }, 120_000);

  it('stops while sampling and frees every tensor; refuses a hedge set larger than the data', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const list: RunEvent[] = [];
    for await (const e of runExperiment(tinyDiffusion({ epochs: 1, paths: 2000 }), { data, signal: controller.signal })) {
      list.push(e);
      if (e.type === 'progress' && e.phase.startsWith('sampling')) controller.abort();
    }
    expect(of(list, 'generated')).toEqual([]);
    expect(of(list, 'done')).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
    const [error] = of(await collect(runExperiment(tinyDiffusion({ hedgeSet: 3 }), { data })), 'error');
    expect(error!.message).toMatch(/hedge set of 3/);
    // Too few segments to learn from is a refusal that says so, not a failure of the engine.
    const sparse = tinyDiffusion();
    if (sparse.market.model === 'signature-diffusion') sparse.market.diffusion.stride = 30;
    const [refused] = of(await collect(runExperiment(sparse, { data })), 'error');
    expect(refused!.message).toMatch(/^market\.diffusion: the generator of AAPL: 756 prices give 26 complete segments of 5 days: too few to train on \(at least 64\)$/);
    expect(refused!.internal).toBeUndefined();
  }, 120_000);
});
