import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { experimentFragment } from '../../src/engine/experiment/share-link';
import { bsGreeks } from '../../src/engine/pricing/black-scholes';
import { tinyExperiment } from './tiny-experiment';

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The JSON numbers of a run without its wall-clock seconds. */
function numbers(stdout: string) {
  const doc = JSON.parse(stdout);
  for (const s of doc.strategies) if (s.training) delete s.training.seconds;
  return doc;
}

describe('hedgelab CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hedgelab-cli-'));
  const configFile = join(dir, 'tiny.json');
  writeFileSync(configFile, JSON.stringify(tinyExperiment()));

  it('run: prints the result document, and two runs of one config give identical numbers', () => {
    const a = cli('run', '--config', configFile, '--backend', 'cpu');
    const b = cli('run', '--config', configFile, '--backend', 'cpu');
    expect(a.code).toBe(0);
    const doc = JSON.parse(a.stdout);
    expect(doc.backend).toBe('cpu');
    expect(doc.config).toEqual(tinyExperiment());
    expect(doc.strategies.map((s: { type: string }) => s.type)).toEqual(['no-hedge', 'bs-delta', 'whalley-wilmott', 'deep-mlp']);
    for (const key of ['mean', 'std', 'var95', 'es90', 'es95', 'es99', 'entropic', 'avg_r', 'price', 'turnover', 'cost']) {
      expect(Number.isFinite(doc.strategies[3].metrics[key])).toBe(true);
    }
    expect(doc.strategies[3].training.epochs).toEqual([1, 2, 3, 4]);
    expect(doc.strategies[3].training.loss).toHaveLength(4);
    expect(a.stderr).toMatch(/%\]/);
    expect(numbers(b.stdout)).toEqual(numbers(a.stdout));
  }, 60_000);

  it('run: accepts a share link in place of a file', () => {
    const r = cli('run', '--config', `http://localhost:5173/#${experimentFragment(tinyExperiment())}`, '--backend', 'cpu');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).config).toEqual(tinyExperiment());
  }, 60_000);

  it('price: Black-Scholes price and greeks, and the implied volatility back', () => {
    const q = { s0: 100, strike: 100, maturity: 0.5, rate: 0.01, kind: 'call' as const };
    const r = cli('price', '--json', JSON.stringify({ model: 'bs', sigma: 0.2, ...q }));
    expect(r.code).toBe(0);
    const greeks = JSON.parse(r.stdout);
    expect(greeks).toEqual(bsGreeks({ spot: 100, strike: 100, maturity: 0.5, rate: 0.01, sigma: 0.2, kind: 'call' }));
    const iv = cli('price', '--json', JSON.stringify({ model: 'bs-implied-vol', price: greeks.price, ...q }));
    expect(JSON.parse(iv.stdout).sigma).toBeCloseTo(0.2, 9);
  }, 60_000);

  it('presets: lists default and pfhedge-readme', () => {
    const names = JSON.parse(cli('presets').stdout).map((p: { name: string }) => p.name);
    expect(names).toEqual(expect.arrayContaining(['default', 'pfhedge-readme']));
  }, 60_000);

  it('exits 2 with a one-line reason on bad input', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...tinyExperiment(), seed: 'one' }));
    const cases: [string[], RegExp][] = [
      [['run', '--config', bad], /bad\.json: seed: /],
      [['run', '--config', '#x=garbage!!'], /--config: the link is corrupted/],
      [['run', '--preset', 'nope'], /unknown preset "nope"/],
      [['run', '--preset', 'default', '--backend', 'webgpu'], /--backend must be cpu or wasm/],
      [['price', '--json', '{"model":"bs","s0":-1,"strike":1,"maturity":1,"rate":0,"sigma":0.2,"kind":"call"}'], /s0: /],
      [['price', '--json', '{"model":"bs-implied-vol","s0":1,"strike":1,"maturity":1,"rate":0,"price":2,"kind":"call"}'], /price: /],
      [['frobnicate'], /unknown command/],
      [['run', '--nope'], /Unknown option/],
    ];
    for (const [args, reason] of cases) {
      const r = cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(reason);
    }
  }, 60_000);
});
