/**
 * HedgeLab's command line: the same engine as the page, headless (DESIGN.md "CLI").
 *   run --config FILE|LINK | --preset NAME [--data FILE.csv ...] [--backend cpu|wasm] [--out FILE]
 *   sweep --config FILE | --preset NAME [--data FILE.csv ...] [--backend cpu|wasm] [--out FILE, rewritten after each cell]
 *   price --json '{"model":"bs"|"bs-implied-vol"|"heston"|"merton",...}'
 *   presets
 *   bench [--out FILE] [--epochs N] [--backends wasm,cpu]
 * One JSON document on stdout, progress on stderr, exit code 2 with a one-line reason on bad input.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { PRESETS, preset, SWEEP_PRESETS } from '../engine/experiment/presets';
import { parseSweep, type SweepCell } from '../engine/experiment/sweep';
import { isDataMarket, parseExperiment, type Experiment } from '../engine/experiment/schema';
import type { PricePanel } from '../engine/data/price-panel';
import { bundledSp500, DataFileError, readCsvFiles } from './price-data';
import { decodeExperiment } from '../engine/experiment/share-link';
import { priceRequest } from './price-request';
import { benchmark } from './bench';
import { RunRefused, runToResult, useBackend, type NodeBackend } from './headless-run';
import { resultDocument, strategyDocument } from './result-document';

export class UsageError extends Error {}

function readJson(file: string): unknown {
  if (!existsSync(file)) throw new UsageError(`--config: no such file: ${file}`);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`${file}: not valid JSON (${(e as Error).message})`);
  }
}

function readConfig(source: string): Experiment {
  if (existsSync(source)) {
    const r = parseExperiment(readJson(source));
    if (!r.ok) throw new UsageError(`${source}: ${r.errors.join('; ')}`);
    return r.value;
  }
  if (source.includes('x=') || !source.includes('.')) {
    const r = decodeExperiment(source);
    if (!r.ok) throw new UsageError(`--config: ${r.error}`);
    return r.value;
  }
  throw new UsageError(`--config: no such file: ${source}`);
}

function backendOption(value: string | undefined): NodeBackend {
  if (value === undefined) return 'wasm';
  if (value === 'cpu' || value === 'wasm') return value;
  throw new UsageError(`--backend must be cpu or wasm, not "${value}"`);
}

function writeJson(out: string, doc: unknown): void {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(doc, null, 2) + '\n');
}

function emit(doc: unknown, out: string | undefined): void {
  if (out) writeJson(out, doc);
  process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      config: { type: 'string' },
      preset: { type: 'string' },
      backend: { type: 'string' },
      backends: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'string' },
      epochs: { type: 'string' },
      data: { type: 'string', multiple: true },
    },
    strict: true,
  });
  switch (command) {
    case 'run': {
      if (!values.config === !values.preset) throw new UsageError('run needs exactly one of --config FILE|LINK or --preset NAME');
      const chosen = values.config ? readConfig(values.config) : presetOrUsage(values.preset!);
      const { cfg, data } = withData(chosen, values.data ?? []);
      const backend = await useBackend(backendOption(values.backend));
      emit(resultDocument(await runToResult(cfg, backend, undefined, { data })), values.out);
      return;
    }
    case 'sweep': {
      if (!values.config === !values.preset) throw new UsageError('sweep needs exactly one of --config FILE or --preset NAME');
      const input = values.config ? readJson(values.config) : sweepPresetOrUsage(values.preset!);
      const parsed = parseSweep(input);
      if (!parsed.ok) throw new UsageError(`${values.config ?? values.preset}: ${parsed.errors.join('; ')}`);
      const backend = await useBackend(backendOption(values.backend));
      const cells: { params: SweepCell['params']; strategies: Record<string, unknown>[] }[] = [];
      const doc = () => ({ name: parsed.sweep.name, backend, base: parsed.sweep.base, axes: parsed.sweep.axes, cells });
      for (const cell of parsed.cells) {
        process.stderr.write(`cell ${cell.index + 1} of ${parsed.cells.length}: ${describeCell(cell)}\n`);
        const { cfg, data } = withData(cell.config, values.data ?? []);
        const result = await runToResult(cfg, backend, undefined, { data });
        cells.push({ params: cell.params, strategies: result.strategies.map(strategyDocument) });
        // A long sweep keeps what it has done in --out after every cell.
        if (values.out && cells.length < parsed.cells.length) writeJson(values.out, doc());
      }
      emit(doc(), values.out);
      return;
    }
    case 'price': {
      if (!values.json) throw new UsageError('price needs --json \'{"model":"bs",...}\'');
      let request: unknown;
      try {
        request = JSON.parse(values.json);
      } catch {
        throw new UsageError('--json is not valid JSON');
      }
      const r = priceRequest(request);
      if (!r.ok) throw new UsageError(r.error);
      emit(r.value, values.out);
      return;
    }
    case 'presets':
      emit(
        [
          ...Object.entries(PRESETS).map(([name, p]) => ({ name, kind: 'run', description: p.description })),
          ...Object.entries(SWEEP_PRESETS).map(([name, p]) => ({ name, kind: 'sweep', description: p.description })),
        ],
        values.out,
      );
      return;
    case 'bench': {
      const epochs = values.epochs === undefined ? 3 : Number(values.epochs);
      if (!Number.isInteger(epochs) || epochs < 2 || epochs > 200) throw new UsageError('--epochs must be an integer from 2 to 200');
      const backends = (values.backends ?? 'wasm,cpu').split(',').map((b) => backendOption(b.trim()));
      emit(await benchmark(backends, epochs), values.out);
      return;
    }
    default:
      throw new UsageError(`unknown command "${command ?? ''}"; commands: run, sweep, price, presets, bench`);
  }
}

/**
 * The data a run needs: `--data` files replace the config's source (the market then uses the imported
 * data, every symbol unless the config names some), else the bundled S&P 500 series when it asks for it.
 */
function withData(cfg: Experiment, files: string[]): { cfg: Experiment; data?: PricePanel } {
  const m = cfg.market;
  if (!isDataMarket(m)) {
    if (files.length) throw new UsageError(`--data: the ${m.model} market uses no price data; choose a historical or regime-switching market`);
    return { cfg };
  }
  try {
    if (files.length === 0) {
      if (m.data.source === 'imported') throw new UsageError(`this experiment uses the imported file "${m.data.file}": pass it with --data FILE.csv`);
      return { cfg, data: bundledSp500() };
    }
    const data = readCsvFiles(files);
    const symbols = m.data.source === 'imported' ? m.data.symbols : [];
    const file = files.map((f) => f.split('/').pop()!).join(', ').slice(0, 120);
    const r = parseExperiment({ ...cfg, market: { ...m, data: { source: 'imported', file, symbols } } });
    if (!r.ok) throw new UsageError(r.errors.join('; '));
    return { cfg: r.value, data };
  } catch (e) {
    if (e instanceof DataFileError) throw new UsageError(e.message);
    throw e;
  }
}

function sweepPresetOrUsage(name: string): unknown {
  const p = SWEEP_PRESETS[name];
  if (!p) throw new UsageError(`unknown sweep preset "${name}"; known: ${Object.keys(SWEEP_PRESETS).join(', ')}`);
  return structuredClone(p.sweep);
}

function describeCell(cell: SweepCell): string {
  return Object.entries(cell.params)
    .map(([k, v]) => `${k} = ${v}`)
    .join(', ');
}

function presetOrUsage(name: string): Experiment {
  if (!(name in PRESETS)) throw new UsageError(`unknown preset "${name}"; known: ${Object.keys(PRESETS).join(', ')}`);
  return preset(name);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  const bad = e instanceof UsageError || e instanceof RunRefused || (e instanceof Error && 'code' in e && String((e as { code: unknown }).code).startsWith('ERR_PARSE_ARGS'));
  process.stderr.write(`hedgelab: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(bad ? 2 : 1);
});
