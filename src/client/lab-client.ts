/**
 * The main thread's handle on the lab worker (DESIGN.md, "Layers": src/client). It starts the worker,
 * wraps it with comlink and offers the UI typed calls: init, measure, estimate, run, preview, stop and
 * switchBackend, which replaces the worker so that a new backend starts from a clean tfjs state; and the
 * forecaster the worker keeps between runs (paper 000 §2): what it is, saved as files, loaded from them. A
 * replaced worker keeps no forecaster.
 *
 * Stop is guarded (DESIGN.md, "Responsive workers"): a run that has not ended by `stopDeadlineMs` after Stop
 * (one step, as long as the longest gap between its events so far, or 1 s, whichever is longer) is in a
 * step that will not end soon; its worker is then terminated, which frees everything it held, and a fresh
 * one starts on the same backend.
 */
import * as Comlink from 'comlink';
import type { ForecasterFiles, KeptForecasterInfo, KeptGeneratorsInfo, LabWorkerApi } from '../../workers/lab.worker';
import type { BackendName, BackendReport } from '../../workers/backends';
import type { PricePanel } from '../engine/data/price-panel';
import type { OptionQuotes } from '../engine/data/option-quotes';
import type { PreviewResult } from '../engine/experiment/market-preview';
import type { SpeedCalibration } from '../engine/experiment/speed-calibration';
import type { RunEstimate } from '../engine/experiment/run-cost';
import type { Experiment } from '../engine/experiment/schema';
import type { ForecastReport, RunEvent } from '../engine/experiment/events';
import { createEventThrottle } from './event-throttle';

export type { AdapterInfo, BackendFailure, BackendName, BackendReport, WasmInfo } from '../../workers/backends';
export type { ForecasterFiles, KeptForecasterInfo, KeptGeneratorsInfo } from '../../workers/lab.worker';
export { BACKENDS, backendFacts } from '../../workers/backends';

function startWorker(onCrash: (message: string) => void): { worker: Worker; api: Comlink.Remote<LabWorkerApi> } {
  const worker = new Worker(new URL('../../workers/lab.worker.ts', import.meta.url), { type: 'module', name: 'hedgelab' });
  worker.addEventListener('error', (e) => onCrash(e.message || 'the lab worker failed to start or crashed'));
  return { worker, api: Comlink.wrap<LabWorkerApi>(worker) };
}

/** How a run ended: by itself (finished, stopped or failed in the engine) or with its worker replaced. */
export type RunEnd = 'ended' | 'replaced';

/** How long Stop waits for a run before replacing its worker: 1.5 longest steps (gaps between events), at least 1 s. */
export function stopDeadlineMs(longestGapMs: number): number {
  return Math.max(1000, 1.5 * longestGapMs) + 250;
}

interface RunningCall {
  ended: Promise<unknown>;
  longestGapMs: number;
  lastEventAt: number | null;
  abandon(): void;
}

export class LabClient {
  private current: ReturnType<typeof startWorker>;
  private running: RunningCall | null = null;
  /** The backend the worker was last started on, for a replacement worker. */
  private backend: BackendName | null = null;

  /** `onCrash` hears of a worker that dies (a run in it then never settles: the UI must recover). */
  constructor(private readonly onCrash: (message: string) => void) {
    this.current = startWorker(onCrash);
  }

  /** Starts a backend in the worker: `force`, or the first of `candidates` that works. */
  async init(force: BackendName | null, candidates?: readonly BackendName[]): Promise<BackendReport> {
    const report = await this.current.api.init(force, candidates);
    this.backend = report.active;
    return report;
  }

  /** Ends the worker (and any run in it) and starts a fresh one on `force`. */
  switchBackend(force: BackendName | null, candidates?: readonly BackendName[]): Promise<BackendReport> {
    this.close();
    this.current = startWorker(this.onCrash);
    return this.init(force, candidates);
  }

  /** Switches the worker to `backend` and times a few training steps on it (engine's measureSpeed). */
  async measure(backend: BackendName, budgetSeconds: number): Promise<SpeedCalibration> {
    const calibration = await this.current.api.measure(backend, budgetSeconds);
    this.backend = backend;
    return calibration;
  }

  /**
   * `measure`, given at most `limitSeconds`: a measurement still going then (a software GPU compiling and
   * running its first steps) is abandoned with its worker, and a fresh one starts on `fallback`. Resolves to
   * null then.
   */
  async measureWithin(backend: BackendName, budgetSeconds: number, limitSeconds: number, fallback: BackendName): Promise<SpeedCalibration | null> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), 1000 * limitSeconds)));
    const calibration = await Promise.race([this.measure(backend, budgetSeconds), late]);
    clearTimeout(timer);
    if (calibration) return calibration;
    await this.switchBackend(fallback);
    return null;
  }

  /** How long `config` should take on the backend `calibration` measured. */
  estimate(config: Experiment, data: PricePanel | null, calibration: SpeedCalibration): Promise<RunEstimate> {
    return this.current.api.estimate(config, data, calibration);
  }

  /**
   * Runs `config` in the worker on `data` (the price data of a data-driven market, else null) and the option
   * quotes its market names (`quotes`, else null), or with `firstPhaseOnly` a forecaster market's forecaster (a signature-diffusion market's generators) alone; `onBatch`
   * receives the event stream coalesced to at most ~10 batches a second, the last one before the returned
   * promise settles. Resolves to 'replaced' when Stop had to replace the worker.
   */
  async run(config: Experiment, data: PricePanel | null, onBatch: (batch: RunEvent[]) => void, quotes: OptionQuotes | null = null, firstPhaseOnly = false): Promise<RunEnd> {
    const throttle = createEventThrottle(onBatch);
    let abandon = () => {};
    const abandoned = new Promise<RunEnd>((resolve) => (abandon = () => resolve('replaced')));
    const call: RunningCall = { ended: Promise.resolve(), longestGapMs: 0, lastEventAt: null, abandon: () => abandon() };
    const onEvent = (ev: RunEvent) => {
      const now = performance.now();
      if (call.lastEventAt !== null) call.longestGapMs = Math.max(call.longestGapMs, now - call.lastEventAt);
      call.lastEventAt = now;
      throttle.push(ev);
    };
    const ended = this.current.api.run(config, data, Comlink.proxy(onEvent), quotes, firstPhaseOnly).then((): RunEnd => 'ended');
    call.ended = ended.catch(() => {});
    this.running = call;
    try {
      return await Promise.race([ended, abandoned]);
    } finally {
      if (this.running === call) this.running = null;
      throttle.flush();
    }
  }

  /**
   * The market's preview (engine's `marketPreview`): quantile bands of its paths, the data split and
   * regimes, the Heston smile; or why the market cannot be built. Runs between the steps of a run.
   */
  preview(config: Experiment, data: PricePanel | null): Promise<PreviewResult> {
    return this.current.api.preview(config, data);
  }

  /** The kept forecaster's fan chart from the test date `date` of `config`'s market, or why there is none. */
  forecastFan(config: Experiment, data: PricePanel | null, date: string): Promise<{ ok: true; fan: ForecastReport['fan'] } | { ok: false; message: string }> {
    return this.current.api.forecastFan(config, data, date);
  }

  /** The generators the worker keeps for `config`'s traded assets, or null. */
  keptGenerators(config: Experiment, data: PricePanel | null): Promise<KeptGeneratorsInfo | null> {
    return this.current.api.keptGenerators(config, data);
  }

  /** The kept generators of `config` as one file's text. */
  saveGenerators(config: Experiment, data: PricePanel | null): Promise<string> {
    return this.current.api.saveGenerators(config, data);
  }

  /** Loads a generator file for `config` on `data`, or says why it is refused (the kept ones then stay). */
  loadGenerators(name: string, text: string, config: Experiment, data: PricePanel | null): Promise<{ ok: true; info: KeptGeneratorsInfo | null; loaded: string[] } | { ok: false; message: string }> {
    return this.current.api.loadGenerators(name, text, config, data);
  }

  /** The forecaster the worker keeps for the next run of the same forecaster market, or null. */
  keptForecaster(): Promise<KeptForecasterInfo | null> {
    return this.current.api.keptForecaster();
  }

  /** The kept forecaster as its two files: the model JSON (naming `weightsName`) and the weights. */
  saveForecaster(weightsName: string): Promise<ForecasterFiles> {
    return this.current.api.saveForecaster(weightsName);
  }

  /** Loads a forecaster file in place of the kept one for `config` on `data`, or says why it is refused (the kept one then stays). */
  loadForecaster(name: string, json: string, weights: ArrayBuffer, config: Experiment, data: PricePanel | null): Promise<{ ok: true; info: KeptForecasterInfo } | { ok: false; message: string }> {
    return this.current.api.loadForecaster(name, json, Comlink.transfer(weights, [weights]), config, data);
  }

  /**
   * Asks the engine to stop; `run` settles once it has. A run still going at its deadline has its worker
   * replaced by a fresh one on the same backend: resolves to 'replaced' then, once the new worker is ready.
   */
  async stop(): Promise<RunEnd> {
    const call = this.running;
    void this.current.api.stop();
    if (!call) return 'ended';
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), stopDeadlineMs(call.longestGapMs))));
    const overdue = await Promise.race([call.ended.then(() => false), late]);
    clearTimeout(timer);
    if (!overdue) return 'ended';
    const backend = this.backend;
    this.close();
    this.current = startWorker(this.onCrash);
    try {
      if (backend) await this.init(backend);
    } finally {
      call.abandon();
    }
    return 'replaced';
  }

  close(): void {
    this.current.api[Comlink.releaseProxy]();
    this.current.worker.terminate();
  }
}
