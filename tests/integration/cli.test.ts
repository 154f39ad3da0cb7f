import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import LZString from 'lz-string';
import { describe, expect, it } from 'vitest';
import { experimentFragment } from '../../src/engine/experiment/share-link';
import { bsGreeks } from '../../src/engine/pricing/black-scholes';
import { tinyExperiment } from './tiny-experiment';
import { tinyRace } from '../fixtures/tiny-race';
import { PAPER002_ADAM } from '../../src/engine/experiment/presets';
import type { RecurrentStrategy } from '../../src/engine/experiment/schema';
import { smoothedLoss } from '../../src/engine/experiment/race-target';

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The JSON numbers of a run without its wall-clock seconds. */
function numbers(stdout: string) {
  const doc = JSON.parse(stdout);
  for (const s of doc.strategies) if (s.training) {
    delete s.training.seconds;
    delete s.training.epochSeconds;
  }
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
    expect(r.stderr).not.toMatch(/could not be verified/);
    // A link made before checksums (the bare lz-string payload) still runs, with a note on stderr.
    const old = cli('run', '--config', `#x=${LZString.compressToEncodedURIComponent(JSON.stringify(tinyExperiment()))}`, '--backend', 'cpu');
    expect(old.code).toBe(0);
    expect(JSON.parse(old.stdout).config).toEqual(tinyExperiment());
    expect(old.stderr).toMatch(/this link predates checksums and could not be verified/);
  }, 90_000);

  it('price: Black-Scholes price and greeks, and the implied volatility back', () => {
    const q = { s0: 100, strike: 100, maturity: 0.5, rate: 0.01, kind: 'call' as const };
    const r = cli('price', '--json', JSON.stringify({ model: 'bs', sigma: 0.2, ...q }));
    expect(r.code).toBe(0);
    const greeks = JSON.parse(r.stdout);
    expect(greeks).toEqual(bsGreeks({ spot: 100, strike: 100, maturity: 0.5, rate: 0.01, sigma: 0.2, kind: 'call' }));
    const iv = cli('price', '--json', JSON.stringify({ model: 'bs-implied-vol', price: greeks.price, ...q }));
    expect(JSON.parse(iv.stdout).sigma).toBeCloseTo(0.2, 9);
  }, 60_000);

  it('price: Heston by Fourier inversion (Fang & Oosterlee 2008 reference) and Merton by its series', () => {
    const heston = cli('price', '--json', JSON.stringify({ model: 'heston', s0: 100, strike: 100, maturity: 1, rate: 0, v0: 0.0175, kappa: 1.5768, theta: 0.0398, xi: 0.5751, rho: -0.5711, kind: 'call' }));
    expect(heston.code).toBe(0);
    expect(Math.abs(JSON.parse(heston.stdout).price - 5.78515545)).toBeLessThan(3e-8);

    // Merton (1976): a Poisson mixture of Black-Scholes prices, summed here independently of the engine's series.
    const q = { s0: 100, strike: 95, maturity: 0.5, rate: 0.03, kind: 'put' as const };
    const jumps = { sigma: 0.2, lambda: 1.5, jumpMean: -0.1, jumpStd: 0.15 };
    const merton = cli('price', '--json', JSON.stringify({ model: 'merton', ...q, ...jumps }));
    expect(merton.code).toBe(0);
    const k = Math.exp(jumps.jumpMean + jumps.jumpStd ** 2 / 2) - 1;
    const intensity = jumps.lambda * (1 + k) * q.maturity;
    let series = 0;
    let weight = Math.exp(-intensity);
    for (let n = 0; n < 80; n++) {
      if (n > 0) weight *= intensity / n;
      const sigma = Math.sqrt(jumps.sigma ** 2 + (n * jumps.jumpStd ** 2) / q.maturity);
      const rate = q.rate - jumps.lambda * k + (n * Math.log(1 + k)) / q.maturity;
      // Black-Scholes at rate r_n, discounted at r_n; Merton's formula discounts each term at r_n too.
      series += weight * bsGreeks({ spot: q.s0, strike: q.strike, maturity: q.maturity, rate, sigma, kind: q.kind }).price;
    }
    expect(Math.abs(JSON.parse(merton.stdout).price - series)).toBeLessThan(1e-9);
    const noJumps = cli('price', '--json', JSON.stringify({ model: 'merton', ...q, ...jumps, lambda: 0 }));
    expect(JSON.parse(noJumps.stdout).price).toBeCloseTo(bsGreeks({ spot: 100, strike: 95, maturity: 0.5, rate: 0.03, sigma: 0.2, kind: 'put' }).price, 12);
  }, 60_000);

  it('run --data: hedges on windows of an imported CSV file, named in the result', () => {
    const csv = join(dir, 'wave.csv');
    const lines = ['Date,Open,High,Low,Close,Adj Close,Volume'];
    const day = new Date(Date.UTC(2019, 0, 1));
    for (let i = 0, price = 50; i < 150; i++) {
      while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day.setUTCDate(day.getUTCDate() + 1);
      lines.push(`${day.toISOString().slice(0, 10)},${price},${price},${price},${price.toFixed(3)},${price.toFixed(3)},1000`);
      price *= Math.exp(0.01 * Math.sin(2.3 * i));
      day.setUTCDate(day.getUTCDate() + 1);
    }
    writeFileSync(csv, lines.join('\n'));
    const cfg = tinyExperiment();
    cfg.market = { model: 'historical', data: { source: 'sp500' }, split: { train: 0.6, validation: 0.2 }, s0: 1, maturityDays: 5, steps: 5, daysPerYear: 252 };
    const file = join(dir, 'historical.json');
    writeFileSync(file, JSON.stringify(cfg));
    const r = cli('run', '--config', file, '--data', csv, '--backend', 'cpu');
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.config.market.data).toEqual({ source: 'imported', file: 'wave.csv', symbols: [] });
    for (const s of doc.strategies) expect(Number.isFinite(s.metrics.std)).toBe(true);
    const broken = join(dir, 'broken.csv');
    writeFileSync(broken, 'Date,Close\n2020-01-02,1\n2020-01-02,2\n');
    const refused = cli('run', '--config', file, '--data', broken, '--backend', 'cpu');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/broken\.csv line 3/);
  }, 60_000);

  it('sweep: runs every cell of a grid of costs with DHNTB and DHLNN, each scored at its checkpoints', () => {
    const base = tinyExperiment({ epochs: 2 });
    const training = { epochs: 2, batchSize: 128, learningRate: 1e-2, freshPaths: true };
    base.strategies = [
      { id: 'bs-delta', type: 'bs-delta' },
      { id: 'dhntb', type: 'dhntb', network: { layers: 1, units: 4 }, training },
      { id: 'dhlnn', type: 'dhlnn', network: { layers: 1, units: 4 }, training, inner: { steps: 2, tolerance: 0, precondition: 'adam' } },
    ];
    base.checkpoints = [1, 2];
    const file = join(dir, 'sweep.json');
    writeFileSync(file, JSON.stringify({ name: 'two costs', base, grid: { 'costs.proportional': [0.001, 0.004] } }));
    const r = cli('sweep', '--config', file, '--backend', 'cpu');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.axes).toEqual([{ path: 'costs.proportional', values: [0.001, 0.004] }]);
    expect(doc.cells.map((c: { params: object }) => c.params)).toEqual([{ 'costs.proportional': 0.001 }, { 'costs.proportional': 0.004 }]);
    for (const cell of doc.cells) {
      const [bs, ntb, lnn] = cell.strategies;
      expect(bs.checkpoints).toBeUndefined();
      for (const s of [ntb, lnn]) {
        expect(s.checkpoints.map((c: { epoch: number }) => c.epoch)).toEqual([1, 2]);
        expect(s.training.epochs).toEqual([1, 2]);
        expect(s.training.loss).toHaveLength(2);
      }
    }
    // Costs are paid by the delta hedge in proportion to the rate.
    expect(doc.cells[1].strategies[0].metrics.cost / doc.cells[0].strategies[0].metrics.cost).toBeCloseTo(4, 6);
    expect(r.stderr).toMatch(/cell 2 of 2: costs\.proportional = 0\.004/);
  }, 90_000);

  it('sweep: a race over trust regions reports each cell’s fastest hedgers and steps ratio, and their median and range', () => {
    const file = join(dir, 'race.json');
    const sweep = (targetLoss?: number) => {
      const base = tinyRace({ testPaths: 16, kfacId: 'kfac' });
      base.strategies[0] = { ...(base.strategies[0] as RecurrentStrategy), optimizer: { ...PAPER002_ADAM, learningRate: 1e-2 } };
      writeFileSync(file, JSON.stringify({ name: 'race', base: { ...base, targetLoss }, grid: { 'strategies.1.optimizer.trustRegion': [1e-5, 3e-6] } }));
      const r = cli('sweep', '--config', file, '--backend', 'cpu');
      expect(r.code).toBe(0);
      return JSON.parse(r.stdout);
    };
    // The full curves first; a target every hedger's smoothed curve reaches by its end, then the race to it.
    const curves = sweep().cells.map((c: { strategies: { training: { steps: number[]; validation_loss: number[] } }[] }) => c.strategies.map((s) => ({ steps: s.training.steps, smoothed: smoothedLoss(s.training.validation_loss) })));
    const all = curves.flat() as { steps: number[]; smoothed: number[] }[];
    const target = Math.max(...all.map((c) => c.smoothed.at(-1)!));
    expect(all.every((c) => c.smoothed[0]! > target)).toBe(true);
    const doc = sweep(target);
    const reached = (c: { steps: number[]; smoothed: number[] }) => {
      const k = c.smoothed.findIndex((l) => l <= target);
      return k < 0 ? null : c.steps[k]!;
    };
    const ratios = doc.cells.map((cell: { race: Record<string, any> }, k: number) => {
      const [adam, kfac] = curves[k].map(reached);
      expect(cell.race.target_loss).toBe(target);
      expect(cell.race.fastest_adam).toEqual(adam === null ? null : { id: 'adam', steps_to_target: adam, seconds_to_target: expect.any(Number) });
      expect(cell.race.fastest_dh_kfac).toEqual(kfac === null ? null : { id: 'kfac', steps_to_target: kfac, seconds_to_target: expect.any(Number) });
      expect(cell.race.steps_ratio).toBe(adam && kfac !== null ? kfac / adam : null);
      return cell.race.steps_ratio;
    });
    const known = ratios.filter((r: number | null) => r !== null).sort((a: number, b: number) => a - b);
    expect(doc.race.steps_ratio).toEqual(known.length ? { median: (known[0] + known.at(-1)) / 2, min: known[0], max: known.at(-1), runs: known.length } : null);
  }, 90_000);

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
      [['sweep', '--preset', 'nope'], /unknown sweep preset "nope"/],
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
