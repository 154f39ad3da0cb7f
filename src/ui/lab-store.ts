/**
 * The page's state (zustand): the form draft and its validation, the share-link banner, the worker's
 * backend, the price data loaded for data-driven markets, the market preview, the run in progress with
 * everything it has streamed, and the forecaster the worker keeps between runs (saved and loaded as files). Actions talk to the lab worker through src/client; components read slices
 * with selectors so a chart redraws only when its data moves.
 */
import { create } from 'zustand';
import { LabClient, type AdapterInfo, type BackendFailure, type BackendName, type BackendReport, type KeptForecasterInfo, type KeptGeneratorsInfo, type WasmInfo } from '../client/lab-client';
import type { SpeedCalibration } from '../engine/experiment/speed-calibration';
import type { RunEstimate } from '../engine/experiment/run-cost';
import { MEASURE_BUDGET_SECONDS, pickFastest, rememberChoice, rememberedChoice, rememberedSpeed, rememberSpeed, type AutoPick, type BackendChoice } from './backend-choice';
import { defaultConfig } from '../engine/experiment/presets';
import type { PricePanel } from '../engine/data/price-panel';
import type { MarketPreview } from '../engine/experiment/market-preview';
import type { BundledSymbol, Experiment } from '../engine/experiment/schema';
import { download } from './file-download';
import { checkDraft, draftFromExperiment, type Draft, type DraftCheck } from './form-draft';
import { BUNDLED_LOADS, dataNeed, EMPTY_DATA, importCsvFiles, importQuotesFile, type DataState } from './price-data';
import { applyEvents, EMPTY_VIEW, type RunView } from './run-view';
import { experimentFromHash, type LinkNotice } from './share-link-sync';

export type { BackendChoice } from './backend-choice';

export interface BackendState {
  choice: BackendChoice;
  /** The backend the worker runs on, null while it starts or after it failed. */
  active: BackendName | null;
  failures: BackendFailure[];
  /** The WebGPU adapter the worker saw, and on WASM its SIMD and threads (the worker's BackendReport). */
  adapter: AdapterInfo | null;
  wasm: WasmInfo | null;
  error: string | null;
  /** What "auto" picked and why (null for a forced backend). */
  pick: AutoPick | null;
  /** Measuring: "auto" times the backends before it picks (Run waits), or a forced one is timed in the background. */
  measuring: boolean;
  /** The active backend's measured speed, which prices run estimates; null until measured. */
  calibration: SpeedCalibration | null;
}

/** idle: nothing running; running; stopping: Stop was pressed and the engine is finishing its step. */
export type RunPhase = 'idle' | 'running' | 'stopping';

export interface RunState {
  phase: RunPhase;
  /** How the last run ended. */
  outcome: 'done' | 'stopped' | 'failed' | null;
  /** Said when Stop had to replace the worker of a run stuck in a long step. */
  notice: string | null;
  /** The experiment of the current or last run (the form may have moved on since). */
  config: Experiment | null;
  /** The backend it ran on, as the worker reported it (saved with its results). */
  backend: BackendReport | null;
  /** The run was a forecaster market's Train (its forecaster alone) or a signature-diffusion market's Generate (its generators alone): no hedgers. */
  firstPhaseOnly?: boolean;
}

/** The market panel's preview of the experiment on the form (engine's marketPreview). */
export interface PreviewState {
  /**
   * loading: a newer preview is on its way (the last one stays shown); waiting: the data are not loaded;
   * stale: the form no longer describes the preview (it is invalid): the last one stays, greyed, with why.
   */
  status: 'idle' | 'loading' | 'ready' | 'failed' | 'waiting' | 'stale';
  preview: MarketPreview | null;
  /** The experiment `preview` belongs to. */
  config: Experiment | null;
  /** Why there is no preview (failed or waiting), or why it is out of date (stale). */
  message: string | null;
}

/** The forecaster the lab worker keeps for the next run of the same forecaster market (paper 000 §2), and its files. */
export interface ForecasterFileState {
  /** What the worker keeps; null: none (a new worker keeps none). */
  kept: KeptForecasterInfo | null;
  /** Saving or loading. */
  busy: boolean;
  /** What the last save or load did, or why a file was refused (`refused`). */
  message: string | null;
  refused: boolean;
}

/** The generators the lab worker keeps for the experiment on the form (paper 003 §3.3), and their file. */
export interface GeneratorFileState {
  kept: KeptGeneratorsInfo | null;
  busy: boolean;
  message: string | null;
  refused: boolean;
}

/** The name the generators' file is saved under. */
export const GENERATOR_FILE = 'hedgelab-generators.json';

/** The names the forecaster's two files are saved under (tfjs's model format: the JSON names the weights). */
export const FORECASTER_FILES = { model: 'hedgelab-forecaster.json', weights: 'hedgelab-forecaster.weights.bin' } as const;

export interface LabState {
  draft: Draft;
  check: DraftCheck;
  /** A share link that could not be opened (kept to be copied, and why), or one opened unverified. */
  linkError: LinkNotice | null;
  backend: BackendState;
  data: DataState;
  preview: PreviewState;
  /** How long `config` (the form's experiment when it was asked) should take on the active backend (run-cost.ts). */
  estimate: { config: Experiment; result: RunEstimate } | null;
  run: RunState;
  view: RunView;
  forecasterFile: ForecasterFileState;
  generatorFile: GeneratorFileState;
  /** Applies `recipe` to a copy of the draft and re-validates it. */
  edit(recipe: (draft: Draft) => void): void;
  load(config: Experiment): void;
  /** Opens a share link (a location hash): its experiment, or the default one and a banner. */
  openLink(hash: string): void;
  dismissLinkError(): void;
  /** Back to the default experiment, with the charts cleared. */
  reset(): void;
  /** Starts the lab worker on the fastest backend, once per page. */
  boot(): Promise<void>;
  /** Switches the worker to `choice` (a fresh worker) and remembers it. */
  connect(choice: BackendChoice): Promise<void>;
  /**
   * Asks the worker how long `config` should take (null: the backend has no measured speed yet); an answer
   * to an older request is not kept.
   */
  estimateRun(config: Experiment, data: PricePanel | null): Promise<RunEstimate | null>;
  /** Runs the form's experiment; `firstPhaseOnly`: a forecaster market's Train or a signature-diffusion market's Generate, without the hedgers. */
  start(firstPhaseOnly?: boolean): Promise<void>;
  stop(): void;
  /** Loads a bundled series (once): the S&P 500 or AAPL (price-data.ts BUNDLED_LOADS). */
  loadBundled(symbol: BundledSymbol): Promise<void>;
  /**
   * Imports CSV files of daily prices (one per asset, or one long table) and points the draft's data
   * market at them; a file with errors leaves the data loaded before in place and lists every error.
   */
  importFiles(files: readonly File[]): Promise<void>;
  /** Points the draft at the data already imported (when a link named another file). */
  useImportedData(): void;
  dismissImportErrors(): void;
  /**
   * Imports a CSV file of option quotes and points the draft's data market at it (market.quotes); a file with
   * errors leaves the quotes loaded before in place and lists every error.
   */
  importQuotes(file: File): Promise<void>;
  dismissQuoteErrors(): void;
  /** Asks the worker for the preview of `config` on `data`; an answer to an older request is dropped. */
  previewMarket(config: Experiment, data: PricePanel | null): Promise<void>;
  /** Saves the kept forecaster as its two files (FORECASTER_FILES). */
  saveForecaster(): Promise<void>;
  /**
   * Loads a forecaster from the files chosen (its model JSON and its weights) for the experiment on the form;
   * a refused file leaves the kept forecaster in place and says why.
   */
  loadForecaster(files: readonly File[]): Promise<void>;
  dismissForecasterMessage(): void;
  /** Saves the kept generators of the experiment on the form as one file (GENERATOR_FILE). */
  saveGenerators(): Promise<void>;
  /** Loads a generator file for the experiment on the form; a refused file leaves the kept generators in place and says why. */
  loadGenerators(file: File): Promise<void>;
  dismissGeneratorMessage(): void;
  /** Asks the worker which generators of the experiment on the form it keeps. */
  refreshGenerators(): Promise<void>;
  /** Redraws the forecast fan from the test date `date` with the kept forecaster of the last run's experiment; `fanMessage` says why not. */
  fanFrom(date: string): Promise<void>;
  fanMessage: string | null;
}

let client: LabClient | null = null;
/** A forced backend's speed measurement in the background; a run aborts it first. */
let measuring: Promise<unknown> | null = null;
/** The latest estimate request. */
let estimateSerial = 0;
/** The latest preview request; answers to earlier ones are dropped. */
let previewSerial = 0;

const NO_FORECASTER: ForecasterFileState = { kept: null, busy: false, message: null, refused: false };
const NO_GENERATORS: GeneratorFileState = { kept: null, busy: false, message: null, refused: false };
/** Larger generator files are refused before they are read (the schema's largest generators are far smaller). */
const MAX_GENERATOR_BYTES = 64 * 1024 * 1024;

/** Larger forecaster files are refused before they are read (the schema's largest forecaster is far smaller). */
const MAX_FORECASTER_BYTES = 64 * 1024 * 1024;

function formState(config: Experiment): Pick<LabState, 'draft' | 'check'> {
  const draft = draftFromExperiment(config);
  return { draft, check: checkDraft(draft) };
}

const opened = experimentFromHash(window.location.hash);

export const useLab = create<LabState>()((set, get) => ({
  ...formState(opened.config),
  linkError: opened.notice,
  backend: { choice: 'auto', active: null, failures: [], adapter: null, wasm: null, error: null, pick: null, measuring: false, calibration: null },
  data: EMPTY_DATA,
  preview: { status: 'idle', preview: null, config: null, message: null },
  estimate: null,
  run: { phase: 'idle', outcome: null, config: null, notice: null, backend: null },
  view: EMPTY_VIEW,
  forecasterFile: NO_FORECASTER,
  generatorFile: NO_GENERATORS,
  fanMessage: null,

  edit(recipe) {
    const draft = structuredClone(get().draft);
    recipe(draft);
    set({ draft, check: checkDraft(draft) });
  },

  load(config) {
    set(formState(config));
  },

  openLink(hash) {
    const linked = experimentFromHash(hash);
    set({ ...formState(linked.config), linkError: linked.notice });
  },

  dismissLinkError() {
    set({ linkError: null });
  },

  reset() {
    if (get().run.phase !== 'idle') return;
    set({ ...formState(defaultConfig()), linkError: null, view: EMPTY_VIEW, run: { phase: 'idle', outcome: null, config: null, notice: null, backend: null } });
  },

  async boot() {
    if (!client) await get().connect(rememberedChoice());
  },

  async connect(choice) {
    if (get().run.phase !== 'idle') return;
    rememberChoice(choice);
    const memory = rememberedSpeed();
    const idle: BackendState = { choice, active: null, failures: [], adapter: null, wasm: null, error: null, pick: null, measuring: false, calibration: null };
    set({ backend: { ...idle, measuring: choice === 'auto' }, estimate: null, forecasterFile: NO_FORECASTER, generatorFile: NO_GENERATORS });
    const current = () => get().backend.choice === choice;
    try {
      if (client) {
        client.close();
      }
      client = new LabClient((message) =>
        set((s) => ({
          backend: { ...s.backend, active: null, error: message },
          run: s.run.phase === 'idle' ? s.run : { ...s.run, phase: 'idle', outcome: 'failed' },
          view: s.run.phase === 'idle' ? s.view : { ...s.view, error: message },
        })),
      );
      const lab = client;
      if (choice === 'auto') {
        const { report, pick, memory: measured } = await pickFastest(lab, memory);
        rememberSpeed(measured);
        if (current()) set({ backend: { ...idle, active: report.active, failures: report.failures, adapter: report.adapter, wasm: report.wasm, pick, calibration: measured.calibrations[report.active] ?? null } });
        return;
      }
      const report = await lab.init(choice);
      // A lower bound left by "auto" (a GPU abandoned mid-measurement) prices nothing: measure it properly.
      const known = memory.calibrations[report.active]?.complete ? memory.calibrations[report.active]! : null;
      if (!current()) return;
      set({ backend: { ...idle, active: report.active, failures: report.failures, adapter: report.adapter, wasm: report.wasm, calibration: known } });
      if (!known) measureInBackground(lab, report.active);
    } catch (e) {
      if (current()) set({ backend: { ...idle, error: e instanceof Error ? e.message : String(e) } });
    }
  },

  async estimateRun(config, data) {
    const { calibration } = get().backend;
    const serial = ++estimateSerial;
    let result: RunEstimate | null = null;
    try {
      if (client && calibration) result = await client.estimate(config, data, calibration);
    } catch {
      result = null;
    }
    if (serial === estimateSerial) set({ estimate: result && { config, result } });
    return result;
  },

  async start(firstPhaseOnly = false) {
    const { check, run, backend, data } = get();
    if (!client || !check.config || run.phase !== 'idle' || !backend.active) return;
    const need = dataNeed(check.config, data);
    if (need.status === 'waiting') return;
    const ranOn: BackendReport = { active: backend.active, failures: backend.failures, adapter: backend.adapter, wasm: backend.wasm };
    const trainOnly = firstPhaseOnly && (check.config.market.model === 'forecaster' || check.config.market.model === 'signature-diffusion');
    set({ run: { phase: 'running', outcome: null, config: check.config, notice: null, backend: ranOn, firstPhaseOnly: trainOnly }, view: { ...EMPTY_VIEW, backend: backend.active } });
    try {
      if (measuring) {
        // The background measurement shares the worker: it ends (within one step) before the run starts.
        void client.stop();
        await measuring;
      }
      const panel = need.status === 'ready' ? need.panel : null;
      const quotes = need.status === 'ready' ? need.quotes : null;
      await client.run(check.config, panel, (batch) => set((s) => ({ view: applyEvents(s.view, batch) })), quotes, trainOnly);
    } catch (e) {
      set((s) => ({ view: { ...s.view, error: e instanceof Error ? e.message : String(e) } }));
    }
    set((s) => {
      if (s.run.phase === 'idle') return {};
      const outcome = s.run.phase === 'stopping' ? 'stopped' : s.view.error !== null ? 'failed' : 'done';
      return { run: { ...s.run, phase: 'idle', outcome } };
    });
    // The worker may keep the forecaster this run trained (a replaced worker keeps none).
    const kept = await client.keptForecaster().catch(() => null);
    set((s) => ({ forecasterFile: { ...s.forecasterFile, kept } }));
    await get().refreshGenerators();
    // A measurement the run cut short is taken again, so that the next run has its estimate.
    const after = get().backend;
    if (after.active && !after.calibration && !measuring) measureInBackground(client, after.active);
  },

  stop() {
    if (!client || get().run.phase !== 'running') return;
    set((s) => ({ run: { ...s.run, phase: 'stopping' } }));
    const stoppedAt = performance.now();
    void client.stop().then((end) => {
      if (end !== 'replaced') return;
      const seconds = ((performance.now() - stoppedAt) / 1000).toFixed(1);
      const notice = `The run was still inside one long step ${seconds} s after Stop, so its worker was replaced by a fresh one on the same backend; everything the run held is freed.`;
      set((s) => ({ run: { ...s.run, notice }, forecasterFile: NO_FORECASTER, generatorFile: NO_GENERATORS }));
    });
  },

  async loadBundled(symbol) {
    const { state, load } = BUNDLED_LOADS[symbol];
    if (get().data[state].status === 'loading' || get().data[state].status === 'ready') return;
    const setSeries = (series: DataState[typeof state]) => set((s) => ({ data: { ...s.data, [state]: series } }));
    setSeries({ status: 'loading', panel: null, error: null });
    try {
      setSeries({ status: 'ready', panel: await load(), error: null });
    } catch (e) {
      setSeries({ status: 'failed', panel: null, error: e instanceof Error ? e.message : String(e) });
    }
  },

  async importFiles(files) {
    set((s) => ({ data: { ...s.data, importing: true } }));
    const result = await importCsvFiles(files);
    if (!result.ok) {
      set((s) => ({ data: { ...s.data, importing: false, importErrors: result.errors } }));
      return;
    }
    set((s) => ({ data: { ...s.data, importing: false, imported: result.data, importErrors: [] } }));
    get().useImportedData();
  },

  useImportedData() {
    const imported = get().data.imported;
    if (!imported) return;
    get().edit((d) => {
      // Symbols the experiment names stay chosen if the new data hold them all; otherwise every symbol is used.
      const kept = d.market.data.symbols.every((sym) => imported.panel.symbols.includes(sym));
      d.market.data = { ...d.market.data, source: 'imported', file: imported.name, symbols: kept ? d.market.data.symbols : [] };
    });
  },

  dismissImportErrors() {
    set((s) => ({ data: { ...s.data, importErrors: [] } }));
  },

  async importQuotes(file) {
    const result = await importQuotesFile(file);
    if (!result.ok) {
      set((s) => ({ data: { ...s.data, quoteErrors: result.errors } }));
      return;
    }
    set((s) => ({ data: { ...s.data, quotes: result.quotes, quoteErrors: [] } }));
    get().edit((d) => void (d.market.data.quotes = result.quotes.name));
  },

  dismissQuoteErrors() {
    set((s) => ({ data: { ...s.data, quoteErrors: [] } }));
  },

  async previewMarket(config, data) {
    if (!client) return;
    const serial = ++previewSerial;
    set((s) => ({ preview: { ...s.preview, status: 'loading' } }));
    try {
      const result = await client.preview(config, data);
      if (serial !== previewSerial) return;
      set({
        preview: result.ok
          ? { status: 'ready', preview: result.preview, config, message: null }
          : { status: 'failed', preview: null, config, message: result.message },
      });
    } catch (e) {
      if (serial !== previewSerial) return;
      set({ preview: { status: 'failed', preview: null, config, message: e instanceof Error ? e.message : String(e) } });
    }
  },

  async fanFrom(date) {
    const { run, data } = get();
    const config = run.config;
    if (!client || !config || run.phase !== 'idle') return;
    const need = dataNeed(config, data);
    const answer = await client.forecastFan(config, need.status === 'ready' ? need.panel : null, date).catch((e: unknown) => ({ ok: false as const, message: e instanceof Error ? e.message : String(e) }));
    set((s) => (answer.ok && s.view.forecast ? { view: { ...s.view, forecast: { ...s.view.forecast, fan: answer.fan } }, fanMessage: null } : { fanMessage: answer.ok ? null : answer.message }));
  },

  async saveForecaster() {
    const kept = get().forecasterFile.kept;
    if (!client || !kept || get().forecasterFile.busy) return;
    set((s) => ({ forecasterFile: { ...s.forecasterFile, busy: true, message: null, refused: false } }));
    try {
      const files = await client.saveForecaster(FORECASTER_FILES.weights);
      download(FORECASTER_FILES.model, 'application/json', files.json);
      download(FORECASTER_FILES.weights, 'application/octet-stream', files.weights);
      const message = `Saved ${FORECASTER_FILES.model} and ${FORECASTER_FILES.weights}: load both to reuse this forecaster in another tab.`;
      set((s) => ({ forecasterFile: { ...s.forecasterFile, busy: false, message, refused: false } }));
    } catch (e) {
      set((s) => ({ forecasterFile: { ...s.forecasterFile, busy: false, message: `The forecaster could not be saved: ${e instanceof Error ? e.message : String(e)}`, refused: true } }));
    }
  },

  async loadForecaster(files) {
    const { check, data, run, forecasterFile } = get();
    if (!client || forecasterFile.busy || run.phase !== 'idle') return;
    const refuse = (message: string) => set((s) => ({ forecasterFile: { ...s.forecasterFile, busy: false, message, refused: true } }));
    const models = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
    const weights = files.filter((f) => !f.name.toLowerCase().endsWith('.json'));
    if (models.length !== 1 || weights.length !== 1) {
      return refuse(`Choose the forecaster’s two files together: its model file (.json) and its weights (.bin); ${files.length === 1 ? 'one file was' : `${files.length} files were`} chosen (${files.map((f) => f.name).join(', ')}).`);
    }
    const [model, bin] = [models[0]!, weights[0]!];
    const big = [model, bin].find((f) => f.size > MAX_FORECASTER_BYTES);
    if (big) return refuse(`${big.name} is ${(big.size / 1024 / 1024).toFixed(1)} MB; a forecaster file is at most ${MAX_FORECASTER_BYTES / 1024 / 1024} MB.`);
    if (!check.config || check.config.market.model !== 'forecaster') return refuse('Choose the forecaster market on the form first (with the settings the forecaster was trained on): a loaded forecaster is kept for it.');
    const need = dataNeed(check.config, data);
    if (need.status === 'waiting') return refuse(`${need.message} before loading a forecaster: its assets are checked against them.`);
    set((s) => ({ forecasterFile: { ...s.forecasterFile, busy: true, message: null, refused: false } }));
    let text: string;
    let bytes: ArrayBuffer;
    try {
      [text, bytes] = await Promise.all([model.text(), bin.arrayBuffer()]);
    } catch (e) {
      return refuse(`The files could not be read: ${e instanceof Error ? e.message : String(e)}`);
    }
    try {
      const result = await client.loadForecaster(model.name, text, bytes, check.config, need.status === 'ready' ? need.panel : null);
      if (!result.ok) return refuse(`${model.name} was refused: ${result.message}.`.replace(/\.\.$/, '.'));
      const message = `Loaded ${model.name}: ${result.info.market}, trained ${result.info.trainedEpochs} epochs. Run reuses it instead of training a new one.`;
      set({ forecasterFile: { kept: result.info, busy: false, message, refused: false } });
    } catch (e) {
      refuse(`${model.name} could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
    }
  },

  dismissForecasterMessage() {
    set((s) => ({ forecasterFile: { ...s.forecasterFile, message: null, refused: false } }));
  },

  async refreshGenerators() {
    const { check, data } = get();
    if (!client) return;
    const config = check.config;
    const need = config && config.market.model === 'signature-diffusion' ? dataNeed(config, data) : null;
    const kept = need?.status === 'ready' ? await client.keptGenerators(config!, need.panel).catch(() => null) : null;
    set((s) => ({ generatorFile: { ...s.generatorFile, kept } }));
  },

  async saveGenerators() {
    const { check, data, generatorFile } = get();
    if (!client || !generatorFile.kept || generatorFile.busy || !check.config) return;
    const need = dataNeed(check.config, data);
    if (need.status !== 'ready') return;
    set((s) => ({ generatorFile: { ...s.generatorFile, busy: true, message: null, refused: false } }));
    try {
      download(GENERATOR_FILE, 'application/json', await client.saveGenerators(check.config, need.panel));
      const message = `Saved ${GENERATOR_FILE}: load it to reuse these generators in another tab, with the same experiment on the form.`;
      set((s) => ({ generatorFile: { ...s.generatorFile, busy: false, message, refused: false } }));
    } catch (e) {
      set((s) => ({ generatorFile: { ...s.generatorFile, busy: false, message: `The generators could not be saved: ${e instanceof Error ? e.message : String(e)}`, refused: true } }));
    }
  },

  async loadGenerators(file) {
    const { check, data, run, generatorFile } = get();
    if (!client || generatorFile.busy || run.phase !== 'idle') return;
    const refuse = (message: string) => set((s) => ({ generatorFile: { ...s.generatorFile, busy: false, message, refused: true } }));
    if (file.size > MAX_GENERATOR_BYTES) return refuse(`${file.name} is ${(file.size / 1024 / 1024).toFixed(1)} MB; a generator file is at most ${MAX_GENERATOR_BYTES / 1024 / 1024} MB.`);
    if (!check.config || check.config.market.model !== 'signature-diffusion') return refuse('Choose the signature-diffusion market on the form first (with the settings the generators were trained on): loaded generators are kept for it.');
    const need = dataNeed(check.config, data);
    if (need.status !== 'ready') return refuse(`${need.status === 'waiting' ? need.message : 'Load the data'} before loading generators: their assets are checked against them.`);
    set((s) => ({ generatorFile: { ...s.generatorFile, busy: true, message: null, refused: false } }));
    let text: string;
    try {
      text = await file.text();
    } catch (e) {
      return refuse(`${file.name} could not be read: ${e instanceof Error ? e.message : String(e)}`);
    }
    try {
      const result = await client.loadGenerators(file.name, text, check.config, need.panel);
      if (!result.ok) return refuse(`${file.name} was refused: ${result.message}.`.replace(/\.\.$/, '.'));
      const message = `Loaded ${file.name}: the generator${result.loaded.length === 1 ? '' : 's'} of ${result.loaded.join(', ')}. Run and Generate reuse ${result.loaded.length === 1 ? 'it' : 'them'} instead of training new ones.`;
      set({ generatorFile: { kept: result.info, busy: false, message, refused: false } });
    } catch (e) {
      refuse(`${file.name} could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
    }
  },

  dismissGeneratorMessage() {
    set((s) => ({ generatorFile: { ...s.generatorFile, message: null, refused: false } }));
  },
}));

/** The form no longer describes the preview shown: it stays, marked stale with `message`; answers on their way are dropped. */
export function previewStale(message: string): void {
  previewSerial++;
  const { preview } = useLab.getState();
  if (preview.status !== 'stale' || preview.message !== message) useLab.setState({ preview: { ...preview, status: 'stale', message } });
}

/** A market with no preview before a run (the forecaster market): nothing shown, answers on their way are dropped. */
export function previewNone(): void {
  previewSerial++;
  const { preview } = useLab.getState();
  if (preview.status !== 'idle' || preview.preview !== null) useLab.setState({ preview: { status: 'idle', preview: null, config: null, message: null } });
}

/** A preview request that waits for data says why, without asking the worker. */
export function previewWaiting(message: string): void {
  previewSerial++;
  useLab.setState({ preview: { status: 'waiting', preview: null, config: null, message } });
}

/**
 * Measures a forced backend's speed, for run estimates, without holding up Run: a run started meanwhile
 * stops it first, and a measurement cut short is not kept.
 */
function measureInBackground(lab: LabClient, backend: BackendName): void {
  const ours = (s: LabState) => lab === client && s.backend.active === backend;
  useLab.setState((s) => (ours(s) ? { backend: { ...s.backend, measuring: true } } : {}));
  const done = lab
    .measure(backend, MEASURE_BUDGET_SECONDS)
    .then((calibration) => {
      if (useLab.getState().run.phase !== 'idle' || !ours(useLab.getState())) return;
      const memory = rememberedSpeed();
      rememberSpeed({ ...memory, calibrations: { ...memory.calibrations, [backend]: calibration } });
      useLab.setState((s) => ({ backend: { ...s.backend, calibration } }));
    })
    .catch(() => {})
    .finally(() => {
      if (measuring === done) measuring = null;
      useLab.setState((s) => (ours(s) ? { backend: { ...s.backend, measuring: false } } : {}));
    });
  measuring = done;
}
