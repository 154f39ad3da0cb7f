/**
 * `npm run bench:browser` (issue 16, "Measure it where users run it"): training speed in the tab, as a person
 * gets it. Builds and serves the production page (served-page.ts), opens it in the browser tests' Chromium
 * (tests/browser/chromium.ts: WebGPU on SwiftShader where no GPU is present) with the backend forced, and
 * for each backend and problem opens the experiment by share link, presses Run, waits for the outcome,
 * presses "Download results" and reads the saved JSON (the CLI's result document and the worker's backend
 * report). Per trained strategy it writes the seconds per epoch (the record's per-epoch clock, first epoch
 * excluded: (s[last] - s[0]) / (epochs - 1)), path-steps per second, kernel calls and WebGPU dispatches
 * per optimiser step, and per run the wall time from Run to done, the time to Run enabled and the longest
 * main-thread task while it streamed (Run pressed once the page has settled, as page-speed.ts does).
 * Beside them: the Node figures of `npm run bench` (bench-results/bench.json, when present) and pfhedge's
 * (shared/reference/pfhedge-peer.json, the same network and problem). The problems (engine presets, epochs cut to --epochs):
 *   pfhedge-readme       pfhedge's README problem, its deep hedger alone (MLP 4x32, 10,000 paths in one batch, 20 steps)
 *   pfhedge-ntb          pfhedge's no-transaction band problem at cost 1e-4, its DHNTB 4x32 alone
 *   default              the page's default experiment (MLP 3x32, 4 steps of 1,024 paths per epoch); also its 60-epoch estimate
 *   recurrent-race-step  paper 002's cliquet race (240 steps, batches of 256), 2k iterations scored every k (--race-every k),
 *                        timed per iteration after the first k
 *   npm run bench:browser -- [--backends wasm,webgpu] [--problems a,b] [--epochs N] [--race-every K] [--timeout S] [--out FILE]
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { preset } from '../../src/engine/experiment/presets';
import type { Experiment } from '../../src/engine/experiment/schema';
import type { BackendReport } from '../../workers/backends';
import { launchLab } from '../browser/chromium';
import { linkTo, outcome, waitForBackend } from '../browser/lab-page';
import { forceBackend, longTasksSince, machine, RUN_ENABLED, servePage, SETTLE_MS, summary, timeOf, watchLongTasks } from './served-page';

const REFERENCE = resolve(process.cwd(), '../shared/reference/pfhedge-peer.json');
const NODE_BENCH = resolve(process.cwd(), 'bench-results/bench.json');

/** The default experiment's epochs, for its full-run estimate. */
const DEFAULT_EPOCHS = preset('default').strategies.flatMap((s) => (s.type === 'deep-mlp' ? [s.training.epochs] : []))[0]!;

interface Problem {
  name: string;
  config(o: { epochs: number; raceEvery: number }): Experiment;
  /** The pfhedge run of the same network on the same problem. */
  peerRun?: string;
}

/** `name`'s strategies of `type` alone, trained for `epochs`. */
function alone(name: string, type: 'deep-mlp' | 'dhntb', epochs: number): Experiment {
  const cfg = preset(name);
  cfg.strategies = cfg.strategies.filter((s) => s.type === type);
  for (const s of cfg.strategies) if (s.type === type) s.training.epochs = epochs;
  return cfg;
}

const PROBLEMS: Problem[] = [
  { name: 'pfhedge-readme', config: ({ epochs }) => alone('pfhedge-readme', 'deep-mlp', epochs), peerRun: 'european-mlp-cost0.0001' },
  { name: 'pfhedge-ntb', config: ({ epochs }) => alone('pfhedge-ntb-1e-4', 'dhntb', epochs), peerRun: 'european-ntb-cost0.0001' },
  {
    name: 'default',
    config: ({ epochs }) => {
      const cfg = preset('default');
      for (const s of cfg.strategies) if (s.type === 'deep-mlp') s.training.epochs = epochs;
      return cfg;
    },
  },
  {
    name: 'recurrent-race-step',
    // Both racers on the paper's 240-step cliquet in its batches, for 2k iterations: one epoch of 2k batches,
    // scored every k on fewer validation and test paths than the preset (scoring is off the race's clock).
    config: ({ raceEvery }) => {
      const cfg = preset('cliquet-race');
      const batch = cfg.strategies.flatMap((s) => (s.type === 'recurrent' ? [s.training.batchSize] : []))[0]!;
      cfg.paths = { train: 2 * raceEvery * batch, test: 512, validation: 256 };
      for (const s of cfg.strategies) if (s.type === 'recurrent') s.training = { ...s.training, epochs: 1, validationEvery: raceEvery };
      return cfg;
    },
  },
];

interface Launches {
  kernels: number;
  dispatches: number | null;
}

/** A strategy of the saved document, as far as the bench reads it. */
interface SavedStrategy {
  id: string;
  type: string;
  trainable: boolean;
  /** Feed-forward: the engine's TrainingRecord; recurrent: the CLI's race record. */
  training?: { epochs?: number[]; epochSeconds?: number[]; steps?: number[]; seconds?: number | number[]; launchesPerStep?: Launches };
}

interface SavedRun {
  config: Experiment;
  backend: string;
  strategies: SavedStrategy[];
  backendReport: BackendReport | null;
}

/** One line of the bench: a run of one problem on one backend, and one of its trained strategies (none if it did not finish). */
interface Row {
  backend: string;
  problem: string;
  outcome: string;
  runSeconds: number | null;
  runEnabledMs?: number;
  longestTaskMs?: number;
  longTasks?: Omit<ReturnType<typeof summary>, 'tasks'>;
  badge?: string | null;
  error?: string | null;
  file?: string;
  strategy?: string;
  unit?: string | null;
  /** Epochs (iterations) timed, after the untimed first epoch (first k iterations). */
  timed?: number;
  /** Seconds of the first epoch (a racer: per iteration, over its first k). */
  firstSeconds?: number | null;
  /** Seconds per epoch (a racer: per iteration) after the first. */
  secondsPerEpoch?: number | null;
  pathStepsPerSecond?: number | null;
  kernelsPerStep?: number | null;
  dispatchesPerStep?: number | null;
  wasm?: BackendReport['wasm'];
  webgpu?: BackendReport['adapter'];
  /** The default experiment only: its first epoch plus the rest of its epochs at the measured rate. */
  defaultRunTrainingSeconds?: number;
  pfhedge?: ReturnType<typeof pfhedgeFigure>;
  ratioToPfhedge?: number | null;
}

/** Seconds per epoch (per iteration for a racer), first one apart, and the path-steps one covers. */
function rate(s: SavedStrategy, cfg: Experiment) {
  const t = s.training;
  if (!t) return null;
  const strategy = cfg.strategies.find((x) => x.id === s.id)!;
  if (s.type === 'recurrent' && t.steps && Array.isArray(t.seconds) && strategy.type === 'recurrent') {
    // Scored at 0, k, 2k: the clock from k on (the first k iterations hold the kernels' compilation).
    const [steps, seconds] = [t.steps, t.seconds];
    if (steps.length < 3) return null;
    const per = (seconds.at(-1)! - seconds[1]!) / (steps.at(-1)! - steps[1]!);
    return { unit: 'iteration', timed: steps.at(-1)! - steps[1]!, firstSeconds: seconds[1]! / steps[1]!, seconds: per, pathSteps: strategy.training.batchSize * cfg.market.steps };
  }
  const clock = t.epochSeconds;
  if (!clock || clock.length < 2) return null;
  return { unit: 'epoch', timed: clock.length - 1, firstSeconds: clock[0]!, seconds: (clock.at(-1)! - clock[0]!) / (clock.length - 1), pathSteps: cfg.paths.train * cfg.market.steps };
}

function pfhedgeFigure(runName: string | undefined) {
  if (!runName || !existsSync(REFERENCE)) return null;
  const peer = JSON.parse(readFileSync(REFERENCE, 'utf8')) as { runs: { name: string; epochs: number; fit_seconds: number }[] };
  const run = peer.runs.find((r) => r.name === runName);
  return run ? { run: run.name, fitSeconds: run.fit_seconds, epochs: run.epochs, secondsPerEpoch: run.fit_seconds / run.epochs } : null;
}

/** Presses Run, answering the long-run confirmation if the page asks, and waits until it runs. */
async function pressRun(page: Page): Promise<void> {
  await page.click('[data-testid=run-button]', { timeout: 60_000 });
  const running = '[data-testid=run-status][data-phase=running]';
  const asked = await page.waitForSelector(`${running}, [data-testid=run-confirm-yes]`, { timeout: 60_000 });
  if ((await asked.getAttribute('data-testid')) === 'run-confirm-yes') await asked.click();
  await page.waitForSelector(running, { timeout: 60_000 });
}

/** Presses "Download results" and reads the file the page saves. */
async function savedRun(page: Page): Promise<{ file: string; doc: SavedRun }> {
  const download = page.waitForEvent('download');
  await page.click('[data-testid=download-result]');
  const file = await download;
  const chunks: Buffer[] = [];
  for await (const chunk of await file.createReadStream()) chunks.push(chunk as Buffer);
  return { file: file.suggestedFilename(), doc: JSON.parse(Buffer.concat(chunks).toString('utf8')) as SavedRun };
}

async function measure(page: Page, backend: string, problem: Problem, cfg: Experiment, timeoutSeconds: number): Promise<Row[]> {
  await waitForBackend(page, backend);
  const runEnabledMs = await timeOf(page, RUN_ENABLED, 120_000);
  const badge = await page.getAttribute('[data-testid=backend-badge]', 'title');
  await page.waitForTimeout(SETTLE_MS);
  const before = await page.evaluate(() => performance.now());
  await pressRun(page);
  const how = await outcome(page, timeoutSeconds * 1000);
  const after = await page.evaluate(() => performance.now());
  const { tasks: _, ...longTasks } = summary(await longTasksSince(page, before, after));
  const base: Row = { backend, problem: problem.name, outcome: how, runSeconds: (after - before) / 1000, runEnabledMs: Math.round(runEnabledMs), longestTaskMs: longTasks.maxMs, longTasks, badge };
  if (how !== 'done') return [{ ...base, error: await page.textContent('[data-testid=run-status]') }];
  const { file, doc } = await savedRun(page);
  const peer = pfhedgeFigure(problem.peerRun);
  return doc.strategies
    .filter((s) => s.trainable)
    .map((s): Row => {
      const r = rate(s, cfg);
      const launches = s.training?.launchesPerStep;
      return {
        ...base,
        file,
        strategy: s.id,
        unit: r?.unit ?? null,
        timed: r?.timed ?? 0,
        firstSeconds: r?.firstSeconds ?? null,
        secondsPerEpoch: r?.seconds ?? null,
        pathStepsPerSecond: r ? r.pathSteps / r.seconds : null,
        kernelsPerStep: launches?.kernels ?? null,
        dispatchesPerStep: launches?.dispatches ?? null,
        wasm: doc.backendReport?.wasm ?? null,
        webgpu: doc.backendReport?.adapter ?? null,
        ...(problem.name === 'default' && r ? { defaultRunTrainingSeconds: r.firstSeconds + (DEFAULT_EPOCHS - 1) * r.seconds } : {}),
        ...(peer ? { pfhedge: peer, ratioToPfhedge: r ? r.seconds / peer.secondsPerEpoch : null } : {}),
      };
    });
}

const fixed = (x: number | null | undefined, digits: number) => (x === null || x === undefined ? '-' : x.toFixed(digits));

function table(rows: Row[]): string {
  const head = ['backend', 'problem', 'strategy', 's/step-unit', 'path-steps/s', 'kernels', 'dispatches', 'run s', 'longest task ms'];
  const lines = rows.map((r) =>
    r.strategy
      ? [r.backend, r.problem, r.strategy, `${fixed(r.secondsPerEpoch, 3)}/${r.unit ?? '-'}`, fixed(r.pathStepsPerSecond, 0), fixed(r.kernelsPerStep, 0), fixed(r.dispatchesPerStep, 0), fixed(r.runSeconds, 1), String(r.longestTaskMs ?? '-')]
      : [r.backend, r.problem, r.outcome, '-', '-', '-', '-', fixed(r.runSeconds, 1), String(r.longestTaskMs ?? '-')],
  );
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  return [head, ...lines].map((l) => l.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n');
}

async function main() {
  const { values } = parseArgs({
    options: {
      backends: { type: 'string', default: 'wasm,webgpu' },
      problems: { type: 'string', default: PROBLEMS.map((p) => p.name).join(',') },
      epochs: { type: 'string', default: '4' },
      'race-every': { type: 'string', default: '2' },
      timeout: { type: 'string', default: '1800' },
      out: { type: 'string', default: 'bench-results/browser.json' },
    },
  });
  const backends = values.backends!.split(',');
  const picked = values.problems!.split(',');
  const unknown = picked.filter((p) => !PROBLEMS.some((q) => q.name === p));
  if (unknown.length) throw new Error(`unknown problems ${unknown.join(', ')}; known: ${PROBLEMS.map((p) => p.name).join(', ')}`);
  const [epochs, raceEvery, timeoutSeconds] = [Number(values.epochs), Number(values['race-every']), Number(values.timeout)];
  if (!(epochs >= 2)) throw new Error('--epochs must be at least 2: the first epoch is not timed');
  const server = await servePage();
  const rows: Row[] = [];
  const errors: string[] = [];
  try {
    for (const backend of backends) {
      const lab = await launchLab();
      try {
        await watchLongTasks(lab.context);
        await forceBackend(lab.context, backend);
        for (const problem of PROBLEMS.filter((p) => picked.includes(p.name))) {
          process.stderr.write(`${backend}: ${problem.name}…\n`);
          const cfg = problem.config({ epochs, raceEvery });
          const page = await lab.open(`${server.base}${linkTo(cfg)}`);
          rows.push(...(await measure(page, backend, problem, cfg, timeoutSeconds).catch((e: Error): Row[] => [{ backend, problem: problem.name, outcome: 'bench error', runSeconds: null, error: e.message }])));
          await page.close();
        }
      } finally {
        errors.push(...lab.errors);
        await lab.close();
      }
    }
  } finally {
    await server.close();
  }
  const doc = {
    what: 'training in the production page (vite build + vite preview) in headless Chromium, per backend and problem; the first epoch (or first k race iterations) untimed',
    machine: machine(),
    epochs,
    raceEvery,
    results: rows,
    node: existsSync(NODE_BENCH) ? { file: NODE_BENCH, ...(JSON.parse(readFileSync(NODE_BENCH, 'utf8')) as object) } : null,
    pfhedgeReference: existsSync(REFERENCE) ? REFERENCE : null,
    errors,
  };
  mkdirSync(dirname(values.out!), { recursive: true });
  writeFileSync(values.out!, JSON.stringify(doc, null, 2) + '\n');
  process.stderr.write(`${table(rows)}\nwritten to ${values.out}\n`);
}

await main();
