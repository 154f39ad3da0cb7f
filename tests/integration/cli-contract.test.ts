/**
 * The command line's contract (DESIGN.md "CLI", issue 13), through the command README documents,
 * `npm run --silent cli -- ...`: stdout is exactly one JSON document or nothing; bad input exits 2 before any
 * work with one line on stderr naming the option, file or field; a result is never lost to a bad `--out`;
 * nothing from a user's file reaches the terminal as a control character.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { preset } from '../../src/engine/experiment/presets';
import { tinyExperiment } from './tiny-experiment';

interface Outcome {
  args: string[];
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The documented command, run to its end (the test's timeout bounds a hang). */
function cli(...args: string[]): Promise<Outcome> {
  return new Promise((done, fail) => {
    const child = spawn('npm', ['run', '--silent', 'cli', '--', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', fail);
    child.on('close', (code) => done({ args, code, stdout, stderr }));
  });
}

/** Exit 2, nothing on stdout, one line on stderr that matches `reason`. */
function expectRefused(r: Outcome, reason: RegExp) {
  const what = r.args.join(' ');
  expect(r.code, `${what}: ${r.stderr}`).toBe(2);
  expect(r.stdout, what).toBe('');
  expect(r.stderr.trimEnd().split('\n'), what).toHaveLength(1);
  expect(r.stderr, what).toMatch(reason);
}

describe('the documented CLI command (npm run --silent cli -- ...)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hedgelab-contract-'));
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const tiny = write('tiny.json', JSON.stringify(tinyExperiment({ epochs: 2 })));

  it('prints only the JSON document on stdout: no npm banner', async () => {
    const r = await cli('presets');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('[')).toBe(true);
    const names = JSON.parse(r.stdout).map((p: { name: string }) => p.name);
    expect(names).toEqual(expect.arrayContaining(['default', 'paper001-fig6']));
    expect(r.stderr).toBe('');
  }, 60_000);

  it('refuses bad input with exit 2 and one line naming the option, file or field, before any run', async () => {
    const days = preset('default') as { market: { daysPerYear: number } };
    days.market.daysPerYear = 200;
    const correlated = preset('default');
    correlated.market = { model: 'correlated-gbm', s0: 1, drift: 0, volatilities: [0.2, 0.2, 0.2], correlation: [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]], maturityDays: 30, steps: 30, daysPerYear: 252 };
    const asymmetric = structuredClone(correlated);
    asymmetric.market = { ...correlated.market, volatilities: [0.2, 0.2], correlation: [[1, 0.5], [0.3, 1]] } as typeof correlated.market;
    const folder = join(dir, 'a-folder');
    mkdirSync(folder);
    const cases: [string[], RegExp][] = [
      [['run', '--config', tiny, '--out', '/proc/nope/result.json'], /^hedgelab: --out: .*\/proc/],
      [['run', '--config', tiny, '--out', '/etc/passwd/result.json'], /^hedgelab: --out: \/etc\/passwd is a file, not a folder$/m],
      [['sweep', '--preset', 'paper001-fig4', '--out', folder], /--out: .*a-folder is a folder; name a file in it/],
      [['run', '--preset', 'constructor'], /unknown preset "constructor"; known: default, /],
      [['run', '--preset', '__proto__'], /unknown preset "__proto__"; known: default, /],
      [['sweep', '--preset', 'constructor'], /unknown sweep preset "constructor"; known: paper001-fig4, /],
      [['sweep', '--preset', 'toString'], /unknown sweep preset "toString"; known: paper001-fig4, /],
      [['run', '--config', join(dir, 'does-not-exist')], /--config: no such file: .*does-not-exist$/m],
      [['run', '--config', join(dir, 'missing.json')], /--config: no such file: .*missing\.json$/m],
      [['run', '--config', folder], /--config: .*a-folder is a folder, not a file/],
      [['sweep', '--config', folder], /--config: .*a-folder is a folder, not a file/],
      [['run', '--config', write('days.json', JSON.stringify(days))], /market\.daysPerYear: must be one of 250, 252, 365, not 200/],
      [['run', '--config', write('pd.json', JSON.stringify(correlated))], /market\.correlation: not positive definite/],
      [['run', '--config', write('asym.json', JSON.stringify(asymmetric))], /market\.correlation\.1\.0: 0\.3 differs from correlation\[0\]\[1\] = 0\.5/],
      [['bench', '--backends', 'wasm,foo'], /^hedgelab: --backends: "foo" is no backend; list cpu, wasm or both \(wasm,cpu\)$/m],
    ];
    const outcomes = await Promise.all(cases.map(([args]) => cli(...args)));
    outcomes.forEach((r, i) => {
      expectRefused(r, cases[i][1]);
      expect(r.stderr).not.toMatch(/correlation: correlation|Invalid input|EISDIR|carries no experiment/);
    });
  }, 120_000);

  it('shows control characters of a file as escapes, never raw on the terminal', async () => {
    const evil = write('\x1b[2Jevil.csv', 'Date,\x1b[31mClose\x1b]0;owned\x07\u202e\n2020-01-02,1\n');
    const r = await cli('run', '--preset', 'sp500-historical', '--data', evil);
    expectRefused(r, /--data: .*evil\.csv line 1/);
    expect(r.stderr).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f\u202e]/);
    expect(r.stderr).toContain('\\x1b[31mClose\\x1b]0;owned\\x07\\u202e');
    expect(r.stderr).toContain('\\x1b[2Jevil.csv');
  }, 60_000);

  it('refuses data that parse but hold no complete window, naming the file and the dates', async () => {
    const rows = ['Date,Close'];
    for (let i = 0; i < 60; i++) rows.push(`${new Date(Date.UTC(2020, 0, 2 + i)).toISOString().slice(0, 10)},${100 + i}`);
    const r = await cli('run', '--preset', 'sp500-historical', '--data', write('short.csv', rows.join('\n')), '--backend', 'cpu');
    expectRefused(r, /the test dates of the imported file "short\.csv" \(2020-\d\d-\d\d to 2020-\d\d-\d\d, \d+ dates\) hold no complete window of 30 days/);
  }, 60_000);

  it('keeps the result when --out fails at the end: the document on stdout, the reason on stderr, exit 1', async () => {
    const r = await cli('presets', '--out', '/dev/full');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).length).toBeGreaterThan(10);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^hedgelab: --out: could not write \/dev\/full \(.*\); the document is on stdout$/m);
  }, 60_000);

  it('writes --out into folders it makes, the same document as stdout', async () => {
    const out = join(dir, 'new', 'deeper', 'result.json');
    const r = await cli('run', '--config', tiny, '--backend', 'cpu', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(r.stdout);
    expect(JSON.parse(r.stdout).config).toEqual(tinyExperiment({ epochs: 2 }));
  }, 120_000);
});
