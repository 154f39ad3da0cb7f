/**
 * Issue 13's end-to-end property for imported data: any CSV the importer accepts either runs a small
 * classic-hedge experiment (historical windows or regimes fitted on it) to finite metrics, or is refused with
 * an error event that names the file (exit 2 in the CLI); and no `run` document ever holds null where a
 * number belongs (JSON writes NaN and Infinity as null), checked by a walker over the whole document.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { resultDocument } from '../../src/engine/experiment/result-document';
import { formatCsvErrors, parsePriceCsv } from '../../src/engine/data/csv';
import type { RunEvent } from '../../src/engine/experiment/events';
import { preset } from '../../src/engine/experiment/presets';
import { runExperiment } from '../../src/engine/experiment/run-experiment';
import { parseExperiment, type Experiment } from '../../src/engine/experiment/schema';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Keys of the CLI's documents whose value may be null: a race without a target, a hedge without its variants. */
const NULLABLE = new Set(['target_loss', 'steps_to_target', 'seconds_to_target', 'metrics_without_options', 'hedging_error']);

/** Where a JSON document holds null outside NULLABLE (each as a path such as strategies.1.metrics.mean). */
function nullsWhereNumbersBelong(value: unknown, path = ''): string[] {
  if (value === null) return NULLABLE.has(path.split('.').at(-1) ?? '') ? [] : [path || '(document)'];
  if (typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => nullsWhereNumbersBelong(v, path ? `${path}.${k}` : k));
}

/** A small daily CSV: dates from 2020-01-01 with random skips, each close a random step from the last, an extreme or a missing cell. */
const csvText = fc
  .array(
    fc.record({
      skip: fc.integer({ min: 1, max: 3 }),
      cell: fc.oneof(
        { weight: 60, arbitrary: fc.double({ min: -0.2, max: 0.2, noNaN: true }).map((r) => ({ step: r })) },
        { weight: 3, arbitrary: fc.constantFrom('1e30', '1e-30', '1e-300', '1e300', '3e38', '1e-45', 'null', '').map((raw) => ({ raw })) },
      ),
    }),
    { minLength: 60, maxLength: 250 },
  )
  .map((rows) => {
    let day = 0;
    let price = 100;
    const lines = rows.map(({ skip, cell }) => {
      day += skip;
      const date = new Date(Date.UTC(2020, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
      if ('raw' in cell) return `${date},${cell.raw}`;
      price *= Math.exp(cell.step);
      return `${date},${price.toPrecision(7)}`;
    });
    return ['Date,Close', ...lines].join('\n') + '\n';
  });

/** The S&P 500 windows preset on an imported file: classic hedges only, tiny paths, a horizon of `days`. */
function experimentOn(file: string, model: 'historical' | 'regime-switching', days: number, premium: Experiment['premium']): Experiment {
  const base = preset('sp500-historical');
  const market = { model, data: { source: 'imported' as const, file, symbols: [] }, split: { train: 0.6, validation: 0.2 }, s0: 100, maturityDays: days, steps: days, daysPerYear: 252 as const };
  const r = parseExperiment({
    ...base,
    market: model === 'regime-switching' ? { ...market, maxRegimes: 2 } : market,
    premium,
    paths: { train: 16, test: 16 },
    strategies: [
      { id: 'no-hedge', type: 'no-hedge' },
      { id: 'bs-delta', type: 'bs-delta' },
      { id: 'ww', type: 'whalley-wilmott', riskAversion: 1 },
    ],
  });
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.value;
}

describe('any accepted CSV runs to finite metrics or is refused naming the file', () => {
  it('holds for random small CSVs, on historical windows and on regimes fitted to them', async () => {
    let ran = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        csvText,
        fc.constantFrom('historical' as const, 'regime-switching' as const),
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom('model' as const, 'zero' as const),
        async (text, model, days, premium) => {
          const parsed = parsePriceCsv(text, 'prop.csv');
          if (!parsed.ok) {
            // The importer's refusal names the file on every line.
            for (const line of formatCsvErrors(parsed)) expect(line.startsWith('prop.csv')).toBe(true);
            return;
          }
          const before = tf.memory().numTensors;
          const events: RunEvent[] = [];
          for await (const e of runExperiment(experimentOn('prop.csv', model, days, premium), { backend: 'cpu', liveEvaluations: 0, data: parsed.panel })) events.push(e);
          expect(tf.memory().numTensors).toBe(before);
          const last = events.at(-1)!;
          if (last.type === 'error') {
            refused++;
            expect(last.internal, last.message).toBeUndefined();
            expect(last.message).toContain('"prop.csv"');
            return;
          }
          ran++;
          if (last.type !== 'done') throw new Error(`the run ended in ${last.type}`);
          expect(nullsWhereNumbersBelong(JSON.parse(JSON.stringify(resultDocument(last.result))))).toEqual([]);
          for (const s of last.result.strategies) for (const [k, v] of Object.entries(s.metrics)) expect(Number.isFinite(v), `${s.id}.${k} = ${v}`).toBe(true);
        },
      ),
      { numRuns: 150, seed: 13 },
    );
    // The generator reaches both outcomes.
    expect(ran).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });

  it('the walker finds a null where a number belongs, and passes the nullable fields', () => {
    const doc = JSON.parse(JSON.stringify({ strategies: [{ metrics: { mean: NaN, std: 1 }, target_loss: null, training: { loss: [1, Infinity] } }] }));
    expect(nullsWhereNumbersBelong(doc)).toEqual(['strategies.0.metrics.mean', 'strategies.0.training.loss.1']);
  });

  it('through the CLI: an accepted CSV prints a document without nulls, a refused one exits 2 naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hedgelab-csv-property-'));
    const config = join(dir, 'classic.json');
    writeFileSync(config, JSON.stringify(experimentOn('any.csv', 'historical', 5, 'model')));
    const run = (name: string, closes: string[]) => {
      const file = join(dir, name);
      writeFileSync(file, ['Date,Close', ...closes.map((c, i) => `${new Date(Date.UTC(2021, 0, 1) + i * 86_400_000).toISOString().slice(0, 10)},${c}`)].join('\n'));
      return spawnSync('npm', ['run', '--silent', 'cli', '--', 'run', '--config', config, '--data', file, '--backend', 'cpu'], { encoding: 'utf8', timeout: 120_000 });
    };
    const good = run('walk.csv', Array.from({ length: 60 }, (_, i) => (100 + 5 * Math.sin(i)).toFixed(3)));
    expect(good.status, good.stderr).toBe(0);
    expect(nullsWhereNumbersBelong(JSON.parse(good.stdout))).toEqual([]);

    const bad = run('wild.csv', Array.from({ length: 60 }, (_, i) => (i % 2 ? '1e-30' : '1e30')));
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trimEnd().split('\n').at(-1)).toMatch(/^hedgelab: the imported file "wild\.csv": /);
  }, 120_000);
});
