/**
 * HedgeLab's command line: the same engine as the page, headless (DESIGN.md "CLI").
 *   run --config FILE|LINK | --preset NAME [--data FILE.csv ...] [--quotes FILE.csv] [--backend cpu|wasm] [--out FILE]
 *   sweep --config FILE | --preset NAME [--data FILE.csv ...] [--quotes FILE.csv] [--backend cpu|wasm] [--out FILE, rewritten after each cell]
 *   price --json '{"model":"bs"|"bs-implied-vol"|"heston"|"merton",...}'
 *   signature --json '{"path":[[x,y],...],"depth":m[,"basepoint":true][,"time":true]}'
 *   forecast --config FILE|LINK | --preset NAME [--data FILE.csv ...] [--backend cpu|wasm] [--out DIR, the trained forecaster]
 *   generate --config FILE|LINK | --preset NAME [--data FILE.csv ...] [--paths N] [--backend cpu|wasm] [--out FILE.csv, the generated paths]
 *   lesson --config FILE.json | --preset ID [--backend cpu|wasm] [--out FILE]   (plays a lesson through: each step's runs, seconds and answer)
 *   presets
 *   bench [--out FILE] [--epochs N] [--backends wasm,cpu] [--pfhedge-epochs N]   (pfhedge timed beside the lab now; 0 skips it)
 * One JSON document on stdout, progress on stderr, exit code 2 with a one-line reason on bad input (README
 * runs it as `npm run --silent cli -- ...`, so that npm adds no banner to stdout). `--out FILE` is checked
 * before any work and written after the document is on stdout; every stderr line goes through stderrLine.
 */
import { parseArgs } from 'node:util';
import { findPreset, findSweepPreset, PRESETS, SWEEP_PRESETS, type PresetLookup } from '../engine/experiment/presets';
import { parseSweep, valueLabel, type SweepCell } from '../engine/experiment/sweep';
import { parseExperiment, usesPriceData, type Experiment } from '../engine/experiment/schema';
import type { PricePanel } from '../engine/data/price-panel';
import { bundledData, bundledSp500, readCsvFiles } from './price-data';
import { withQuotes } from './quote-data';
import { forecastCommand, prepareModelFolder } from './forecast-command';
import { generateCommand, pathsOption } from './generate-command';
import { keepGenerators, type GeneratorHolder } from '../engine/experiment/diffusion-phase';
import { lessonCommand } from './lesson-command';
import { BUNDLED_LESSONS } from '../engine/lessons/bundled-lessons';
import { parseLesson, type Lesson } from '../engine/lessons/lesson-schema';
import { decodeExperiment } from '../engine/experiment/share-link';
import { priceRequest } from './price-request';
import { signatureRequest } from './signature-request';
import { benchmark } from './bench';
import { rlBenchmark } from './rl-bench';
import { sequenceBenchmark } from './sequence-bench';
import { RunRefused, runToResult, useBackend, type NodeBackend } from './headless-run';
import { raceDocument, resultDocument, strategyDocument } from '../engine/experiment/result-document';
import { raceOutcome, ratioSpread, type RaceOutcomeSummary } from '../engine/experiment/race-target';
import { existsOnDisk, readInputFile } from './input-file';
import { prepareOutput, writeOutput } from './output-file';
import { stderrLine } from './terminal-text';
import { UsageError } from './usage-error';

/** A config or sweep file is a few kilobytes; a share link expands to less. */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

function readJson(file: string): unknown {
  const text = readInputFile('--config', file, MAX_CONFIG_BYTES);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--config: ${file} is not valid JSON (${(e as Error).message})`);
  }
}

/**
 * A file, else a share link: a page address with "#x=...", the fragment "x=..." or the bare payload. A path
 * (with a dot or a slash) that names no file is a missing file, never a link.
 */
function readConfig(source: string): Experiment {
  const link = source.includes('#') || source.includes('://') || source.startsWith('x=');
  const payload = !link && !/[./\\]/.test(source) && !existsOnDisk(source);
  if (link || payload) {
    const r = decodeExperiment(source);
    if (r.ok && r.unverified) stderrLine('hedgelab: --config: this link predates checksums and could not be verified; running the experiment it decodes to');
    if (r.ok) return r.value;
    throw new UsageError(link ? `--config: ${r.error}` : `--config: no such file: ${source}, nor a share link (${r.error})`);
  }
  const r = parseExperiment(readJson(source));
  if (!r.ok) throw new UsageError(`${source}: ${r.errors.join('; ')}`);
  return r.value;
}

function backendOption(flag: '--backend' | '--backends', value: string | undefined): NodeBackend {
  if (value === undefined) return 'wasm';
  if (value === 'cpu' || value === 'wasm') return value;
  throw new UsageError(flag === '--backend' ? `--backend must be cpu or wasm, not "${value}"` : `--backends: "${value}" is no backend; list cpu, wasm or both (wasm,cpu)`);
}

const json = (doc: unknown) => JSON.stringify(doc, null, 2) + '\n';

/** The request of `price --json` or `signature --json`, parsed; `usage` says what to pass when it is missing. */
function jsonRequest(text: string | undefined, usage: string): unknown {
  if (!text) throw new UsageError(usage);
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError('--json is not valid JSON');
  }
}

/** The document on stdout, then in `--out`: a file that fails at the end loses nothing (exit 1, the document printed). */
function emit(doc: unknown, out: string | undefined): void {
  process.stdout.write(json(doc));
  const failed = out ? writeOutput(out, json(doc)) : null;
  if (failed) throw new Error(`${failed}; the document is on stdout`);
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
      'pfhedge-epochs': { type: 'string' },
      data: { type: 'string', multiple: true },
      quotes: { type: 'string' },
      paths: { type: 'string' },
    },
    strict: true,
  });
  // forecast's --out is the folder its trained forecaster goes to; every other command's is the document's file.
  if (values.out) (command === 'forecast' ? prepareModelFolder : prepareOutput)(values.out);
  if (values.paths !== undefined && command !== 'generate') throw new UsageError('--paths goes with generate (the paths each generator samples)');
  switch (command) {
    case 'run': {
      if (!values.config === !values.preset) throw new UsageError('run needs exactly one of --config FILE|LINK or --preset NAME');
      const chosen = values.config ? readConfig(values.config) : found(findPreset(values.preset!));
      const withPrices = withData(chosen, values.data ?? []);
      const { cfg, quotes } = withQuotes(withPrices.cfg, values.quotes);
      const backend = await useBackend(backendOption('--backend', values.backend));
      emit(resultDocument(await runToResult(cfg, backend, undefined, { data: withPrices.data, quotes })), values.out);
      return;
    }
    case 'forecast': {
      if (!values.config === !values.preset) throw new UsageError('forecast needs exactly one of --config FILE|LINK or --preset NAME');
      const chosen = values.config ? readConfig(values.config) : found(findPreset(values.preset!));
      const { cfg, data } = withData(chosen, values.data ?? []);
      const backend = await useBackend(backendOption('--backend', values.backend));
      process.stdout.write(json(await forecastCommand(cfg, backend, data, values.out)));
      return;
    }
    case 'generate': {
      if (!values.config === !values.preset) throw new UsageError('generate needs exactly one of --config FILE|LINK or --preset NAME');
      const paths = pathsOption(values.paths);
      const chosen = values.config ? readConfig(values.config) : found(findPreset(values.preset!));
      const { cfg, data } = withData(chosen, values.data ?? []);
      const backend = await useBackend(backendOption('--backend', values.backend));
      process.stdout.write(json(await generateCommand(cfg, backend, data, paths, values.out)));
      return;
    }
    case 'sweep': {
      if (!values.config === !values.preset) throw new UsageError('sweep needs exactly one of --config FILE or --preset NAME');
      const input = values.config ? readJson(values.config) : found(findSweepPreset(values.preset!));
      const parsed = parseSweep(input);
      if (!parsed.ok) throw new UsageError(`${values.config ?? values.preset}: ${parsed.errors.join('; ')}`);
      const backend = await useBackend(backendOption('--backend', values.backend));
      // A cell whose run is refused keeps its reason in place of its strategies; the others still run.
      const cells: ({ params: SweepCell['params']; strategies: Record<string, unknown>[]; race?: Record<string, unknown> } | { params: SweepCell['params']; error: string })[] = [];
      // A race (paper 002) in the cells: each cell's steps ratio, and their median and range over the sweep.
      const races: RaceOutcomeSummary[] = [];
      const doc = () => ({ name: parsed.sweep.name, backend, base: parsed.sweep.base, axes: parsed.sweep.axes, cells, ...(races.length ? { race: { steps_ratio: ratioSpread(races.map((r) => r.stepsRatio)) } } : {}) });
      const refused: string[] = [];
      // A generator trained in one cell is reused by the next cell that would train the same one (paper 003 fig. 3's hedge sets share AAPL's).
      const kept: GeneratorHolder = {};
      for (const cell of parsed.cells) {
        stderrLine(`cell ${cell.index + 1} of ${parsed.cells.length}: ${describeCell(cell)}`);
        const withPrices = withData(cell.config, values.data ?? []);
        const { cfg, quotes } = withQuotes(withPrices.cfg, values.quotes);
        try {
          const result = await runToResult(cfg, backend, undefined, { data: withPrices.data, quotes, kept });
          const race = raceOutcome(result.strategies);
          if (race) races.push(race);
          cells.push({ params: cell.params, strategies: result.strategies.map(strategyDocument), ...(race ? { race: raceDocument(race) } : {}) });
        } catch (e) {
          if (!(e instanceof RunRefused)) throw e;
          cells.push({ params: cell.params, error: e.message });
          refused.push(`cell ${cell.index + 1} (${describeCell(cell)}): ${e.message}`);
        }
        // A long sweep keeps what it has done in --out after every cell.
        const failed = values.out && cells.length < parsed.cells.length ? writeOutput(values.out, json(doc())) : null;
        if (failed) stderrLine(`hedgelab: ${failed}; the sweep goes on`);
      }
      keepGenerators(kept, []);
      emit(doc(), values.out);
      // The document is out, every cell in it; the exit status still says some were refused.
      if (refused.length) throw new RunRefused(`${refused.length} of ${parsed.cells.length} cells were refused (their reasons are in the document); the first: ${refused[0]}`);
      return;
    }
    case 'lesson': {
      if (!values.config === !values.preset) throw new UsageError('lesson needs exactly one of --config FILE.json or --preset ID (a bundled lesson)');
      const lesson = values.config ? parseLessonFile(values.config) : bundledLesson(values.preset!);
      const backend = await useBackend(backendOption('--backend', values.backend));
      emit(
        await lessonCommand(lesson, (cfg) => {
          const withPrices = withData(cfg, []);
          return runToResult(withPrices.cfg, backend, undefined, { data: withPrices.data });
        }),
        values.out,
      );
      return;
    }
    case 'price': {
      const r = priceRequest(jsonRequest(values.json, 'price needs --json \'{"model":"bs",...}\''));
      if (!r.ok) throw new UsageError(r.error);
      emit(r.value, values.out);
      return;
    }
    case 'signature': {
      const r = signatureRequest(jsonRequest(values.json, 'signature needs --json \'{"path":[[x,y],...],"depth":m}\''));
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
      const backends = (values.backends ?? 'wasm,cpu').split(',').map((b) => backendOption('--backends', b.trim()));
      // The RL agents and sequence hedgers are timed where the page runs them without a GPU (wasm); tfjs's plain cpu backend is far slower.
      const rlBackends = backends.filter((b) => b !== 'cpu');
      const deviceBackends = rlBackends.length ? rlBackends : backends;
      const pfhedgeEpochs = values['pfhedge-epochs'] === undefined ? 10 : Number(values['pfhedge-epochs']);
      if (!Number.isInteger(pfhedgeEpochs) || pfhedgeEpochs < 0 || pfhedgeEpochs > 200) throw new UsageError('--pfhedge-epochs must be an integer from 0 (skip pfhedge) to 200');
      emit({ ...(await benchmark(backends, epochs, pfhedgeEpochs)), rl: await rlBenchmark(deviceBackends), sequence: await sequenceBenchmark(deviceBackends) }, values.out);
      return;
    }
    default:
      throw new UsageError(`unknown command "${command ?? ''}"; commands: run, sweep, forecast, generate, lesson, price, signature, presets, bench`);
  }
}

/**
 * The data a run needs: `--data` files replace the config's source (the market then uses the imported
 * data, every symbol unless the config names some), else the bundled series it asks for (S&P 500, AAPL).
 */
function withData(cfg: Experiment, files: string[]): { cfg: Experiment; data?: PricePanel } {
  const m = cfg.market;
  if (!usesPriceData(m)) {
    if (files.length) throw new UsageError(`--data: the ${m.model} market${m.model === 'forecaster' ? ' on a simulated factor panel' : ''} uses no price data; choose a historical, regime-switching, signature-diffusion or forecaster market on price data`);
    return { cfg };
  }
  if (files.length === 0) {
    if (m.data.source === 'imported') throw new UsageError(`this experiment uses the imported file "${m.data.file}": pass it with --data FILE.csv`);
    return { cfg, data: m.data.source === 'bundled' ? bundledData(m.data.symbols) : bundledSp500() };
  }
  const data = readCsvFiles(files);
  const symbols = m.data.source === 'imported' ? m.data.symbols : [];
  const file = files.map((f) => f.split('/').pop()!).join(', ').slice(0, 120);
  const r = parseExperiment({ ...cfg, market: { ...m, data: { source: 'imported', file, symbols } } });
  if (!r.ok) throw new UsageError(r.errors.join('; '));
  return { cfg: r.value, data };
}

/** A lesson from a teacher's JSON file, validated, or the usage error naming its fields. */
function parseLessonFile(file: string): Lesson {
  const r = parseLesson(readJson(file));
  if (!r.ok) throw new UsageError(`--config: ${file} is not a valid lesson: ${r.errors.join('; ')}`);
  return r.lesson;
}

function bundledLesson(id: string): Lesson {
  const found = BUNDLED_LESSONS.find((l) => l.id === id);
  if (!found) throw new UsageError(`unknown lesson "${id}"; bundled: ${BUNDLED_LESSONS.map((l) => l.id).join(', ')}`);
  return found;
}

/** A preset found by name, or the usage error that lists the names there are. */
function found<T>(lookup: PresetLookup<T>): T {
  if (!lookup.ok) throw new UsageError(lookup.error);
  return lookup.value;
}

function describeCell(cell: SweepCell): string {
  return Object.entries(cell.params)
    .map(([k, v]) => `${k} = ${valueLabel(v)}`)
    .join(', ');
}

main(process.argv.slice(2)).catch((e: unknown) => {
  const bad = e instanceof UsageError || e instanceof RunRefused || (e instanceof Error && 'code' in e && String((e as { code: unknown }).code).startsWith('ERR_PARSE_ARGS'));
  stderrLine(`hedgelab: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(bad ? 2 : 1);
});
