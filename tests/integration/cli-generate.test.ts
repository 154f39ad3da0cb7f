/**
 * `hedgelab generate` (src/cli/generate-command.ts): one JSON document with the split, the resolution, the
 * timings and each asset's loss curve and stylised-facts table; the generated paths as CSV with `--out`;
 * refusals with a one-line reason.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tinyDiffusion } from '../fixtures/tiny-diffusion';

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('hedgelab generate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hedgelab-generate-'));
  const config = join(dir, 'tiny.json');
  writeFileSync(config, JSON.stringify(tinyDiffusion({ hedgeSet: 2 })));

  it('prints the facts of every source per asset and writes --paths paths per asset as CSV', () => {
    const out = join(dir, 'paths.csv');
    const r = cli('generate', '--config', config, '--paths', '70', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/generator of SPX: epoch 3 of 3, loss \d/);
    const doc = JSON.parse(r.stdout);
    expect(doc.paths).toBe(70);
    expect(doc.segmentsPerPath).toBe(6);
    expect(doc.assets.map((a: { asset: string }) => a.asset)).toEqual(['AAPL', 'SPX']);
    for (const a of doc.assets) {
      expect(a.losses).toHaveLength(3);
      expect(a.facts.map((f: { source: string }) => f.source)).toEqual(['real test', 'market', 'regime', 'diffusion']);
    }
    expect(doc.trainingSeconds).toBeGreaterThan(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('path,day,AAPL,SPX');
    expect(lines).toHaveLength(1 + 70 * 31);
    expect(lines[1]).toBe('1,0,100.0000,100.0000');
    expect(lines.at(-1)).toMatch(/^70,30,\d+\.\d+,\d+\.\d+$/);
  }, 120_000);

  it('refuses a market without generators, --paths out of bounds, and --paths on another command', () => {
    const gbm = cli('generate', '--preset', 'default');
    expect(gbm.code).toBe(2);
    expect(gbm.stderr).toMatch(/^hedgelab: generate: "[^"]+" has a gbm market; generate needs a signature-diffusion market/m);
    const paths = cli('generate', '--config', config, '--paths', '0');
    expect(paths.code).toBe(2);
    expect(paths.stderr).toMatch(/--paths must be a whole number from 1 to 100000, not "0"/);
    const run = cli('run', '--preset', 'default', '--paths', '5');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--paths goes with generate/);
  }, 60_000);
});
