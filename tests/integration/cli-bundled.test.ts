import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { preset } from '../../src/engine/experiment/presets';
import type { Experiment } from '../../src/engine/experiment/schema';

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('hedgelab CLI on the bundled AAPL and S&P 500 series', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hedgelab-bundled-'));
  /** Paper 003's AAPL call, Black-Scholes delta only, with the hedge set `hedgeSet`. */
  const config = (hedgeSet: number): string => {
    const cfg: Experiment = { ...preset('paper003-aapl-market'), instruments: { options: { grid: 'none' }, hedgeSet }, strategies: [{ id: 'bs-delta', type: 'bs-delta' }] };
    const file = join(dir, `aapl-${hedgeSet}.json`);
    writeFileSync(file, JSON.stringify(cfg));
    return file;
  };

  it('run: loads the bundled series from node_modules; the delta hedge scores alike with hedge sets of 1 and 2 (the same test windows)', () => {
    const [one, two] = [1, 2].map((k) => cli('run', '--config', config(k), '--backend', 'cpu'));
    expect(one.code, one.stderr).toBe(0);
    expect(two.code, two.stderr).toBe(0);
    const [a, b] = [one, two].map((r) => JSON.parse(r.stdout));
    expect(a.config.market.data).toEqual({ source: 'bundled', symbols: ['AAPL', 'SPX'] });
    expect(a.strategies.map((s: { type: string }) => s.type)).toEqual(['bs-delta']);
    for (const key of ['mean', 'std', 'es95', 'entropic']) expect(Number.isFinite(a.strategies[0].metrics[key]), key).toBe(true);
    // The delta hedge trades the claim's underlying only: on the same windows its P&L is the same.
    expect(b.strategies[0].metrics).toEqual(a.strategies[0].metrics);
  }, 120_000);

  it('run: a hedge set larger than the bundled source is refused with exit 2, naming the field', () => {
    const cfg = preset('paper003-aapl-market');
    const file = join(dir, 'aapl-only.json');
    writeFileSync(file, JSON.stringify({ ...cfg, market: { ...cfg.market, data: { source: 'bundled', symbols: ['AAPL'] } }, instruments: { options: { grid: 'none' }, hedgeSet: 2 } }));
    const r = cli('run', '--config', file, '--backend', 'cpu');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/instruments\.hedgeSet: the market has 1 asset: a hedge set of 2 is larger/);
  }, 60_000);
});
