/**
 * `hedgelab lesson` (src/cli/lesson-command.ts): plays bundled lesson 1 through on wasm, each step's runs timed
 * and its question answered from them (Derman-Kamal's N^(-1/2) from the comparison's three cells), and
 * refuses a teacher's file that is not a lesson with the field named.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('hedgelab lesson', () => {
  it('plays lesson 1 and answers each question from its own runs', () => {
    const r = cli('lesson', '--preset', 'delta-hedging', '--backend', 'wasm');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.lesson).toBe('delta-hedging');
    const [first, second] = doc.steps;
    expect(first.runSeconds).toHaveLength(1);
    expect(first.answer.correct).toBe('bs-delta');
    const [unhedged, delta] = first.answer.values.map((v: { value: number }) => v.value);
    expect(delta).toBeLessThan(unhedged / 4);
    expect(second.runSeconds).toHaveLength(3);
    expect(second.answer.values.map((v: { label: string }) => v.label)).toEqual(['market.steps = 5', 'market.steps = 20', 'market.steps = 80']);
    expect(second.answer.slope).toBeGreaterThan(-0.6);
    expect(second.answer.slope).toBeLessThan(-0.4);
    expect(second.answer.correct).toBe('halves: it falls like 1/√N');
  });

  it('refuses a file that is not a lesson, naming the field', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hedgelab-lesson-')), 'lesson.json');
    writeFileSync(file, JSON.stringify({ format: 'hedgelab-lesson', version: 1, id: 'x', title: 'T', summary: 'S', minutes: 5, steps: [] }));
    const r = cli('lesson', '--config', file);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`hedgelab: --config: ${file} is not a valid lesson: steps: Too small: expected array to have >=1 items`);
  });
});
