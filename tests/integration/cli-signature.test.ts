/**
 * The `signature` command (src/cli/signature-request.ts): one JSON document with the signature (levels 1..m,
 * no leading 1) and the log-signature in the Lyndon words basis, or exit 2 and one line naming the field.
 * The CLI is spawned as tests/integration/cli-price.test.ts does (4 spawns); the options and bounds run
 * signatureRequest in process.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { signatureRequest } from '../../src/cli/signature-request';
import { logSignature } from '../../src/engine/signatures/lyndon';
import { signature } from '../../src/engine/signatures/tensor-algebra';

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'signature', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const request = (q: object) => cli('--json', JSON.stringify(q));

/** Exit 2, nothing on stdout, one line on stderr matching `reason`. */
function expectRefused(r: ReturnType<typeof cli>, reason: RegExp) {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(reason);
}

describe('hedgelab signature', () => {
  it("prints the corner path's signature (1, 1; 1/2, 1, 0, 1/2) and log-signature (1, 1, Levy area 1/2)", () => {
    const r = request({ path: [[0, 0], [1, 0], [1, 1]], depth: 2 });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ signature: [1, 1, 0.5, 1, 0, 0.5], logsignature: [1, 1, 0.5] });
  }, 60_000);

  it('honours basepoint and time, as the engine computes them', () => {
    const path = [[0.3, -1, 2], [1.1, 0.2, 1.5], [0.4, 0.9, 1.7], [1.6, 0.1, 0.2]];
    const r = signatureRequest({ path, depth: 3, basepoint: true, time: true });
    if (!r.ok) throw new Error(r.error);
    const doc = r.value;
    expect(doc.signature).toEqual(Array.from(signature(path, 3, { basepoint: true, time: true })));
    expect(doc.logsignature).toEqual(Array.from(logSignature(path, 3, { basepoint: true, time: true })));
    // 4 channels (time and 3 coordinates) to depth 3: 4 + 16 + 64 entries; 4 + 6 + 20 Lyndon words.
    expect([doc.signature.length, doc.logsignature.length]).toEqual([84, 30]);
  }, 60_000);

  it('refuses a malformed request with exit 2 naming the field', () => {
    expectRefused(request({ path: [[0, 0], [1]], depth: 2 }), /^hedgelab: path\.1: has 1 coordinates, point 0 has 2; every point needs the same number$/m);
    expectRefused(cli('--json', '{"path": [[0, 0]'), /^hedgelab: --json is not valid JSON$/m);
    expectRefused(cli(), /^hedgelab: signature needs --json/m);
  }, 60_000);

  it('bounds points, coordinates, depth and the top level, and refuses a path whose signature overflows', () => {
    const refused = (q: object) => {
      const r = signatureRequest(q);
      return r.ok ? '' : r.error;
    };
    expect(refused({ path: Array.from({ length: 10_001 }, () => [0]), depth: 1 })).toMatch(/^path: has at most 10000 points$/);
    expect(signatureRequest({ path: Array.from({ length: 10_000 }, (_, i) => [i]), depth: 1 })).toEqual({ ok: true, value: { signature: [9999], logsignature: [9999] } });
    expect(refused({ path: [Array(9).fill(0)], depth: 1 })).toMatch(/^path\.0: a point has at most 8 coordinates/);
    expect(refused({ path: [[0]] })).toMatch(/^depth: Invalid input: expected number, received undefined$/);
    expect(refused({ path: [[0]], depth: 9 })).toMatch(/^depth: Too big: expected number to be <=8$/);
    expect(refused({ path: [[0]], depth: 0 })).toMatch(/^depth: Too small/);
    expect(refused({ path: [[0, 0, 0, 0, 0, 0, 0, 0]], depth: 6 })).toMatch(/^depth: 8\^6 = 262144 entries in the top level; at most 100000/);
    expect(refused({ path: [[0, 0, 0, 0, 0, 0, 0]], depth: 5, time: true })).toBe('');
    expect(refused({ path: [[0, 0, 0, 0]], depth: 8, time: true })).toMatch(/^depth: 5\^8 = 390625 entries in the top level \(4 coordinates and the time channel\)/);
    expect(refused({ path: [], depth: 2 })).toMatch(/^path: needs at least one point$/);
    expect(refused({ path: [[0, 0]], depth: 2, stream: true })).toMatch(/^request: Unrecognized key: "stream"$/);
    expect(refused({ path: [[0, Number.NaN]], depth: 2 })).toMatch(/^path\.0\.1: /);
    expect(refused({ path: [[0, 0], [1e300, -1e300]], depth: 3 })).toMatch(/^path: the signature to depth 3 overflows float64/);
  });
});
