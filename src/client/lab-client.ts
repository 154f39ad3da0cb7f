/**
 * The main thread's handle on the lab worker (DESIGN.md, "Layers": src/client). It starts the worker,
 * wraps it with comlink and offers the UI typed calls: init, run, preview, stop and switchBackend, which
 * replaces the worker so that a new backend starts from a clean tfjs state.
 */
import * as Comlink from 'comlink';
import type { LabWorkerApi } from '../../workers/lab.worker';
import type { BackendName, BackendReport } from '../../workers/backends';
import type { PricePanel } from '../engine/data/price-panel';
import type { PreviewResult } from '../engine/experiment/market-preview';
import type { Experiment } from '../engine/experiment/schema';
import type { RunEvent } from '../engine/experiment/events';
import { createEventThrottle } from './event-throttle';

export type { BackendFailure, BackendName, BackendReport } from '../../workers/backends';
export { BACKENDS } from '../../workers/backends';

function startWorker(onCrash: (message: string) => void): { worker: Worker; api: Comlink.Remote<LabWorkerApi> } {
  const worker = new Worker(new URL('../../workers/lab.worker.ts', import.meta.url), { type: 'module', name: 'hedgelab' });
  worker.addEventListener('error', (e) => onCrash(e.message || 'the lab worker failed to start or crashed'));
  return { worker, api: Comlink.wrap<LabWorkerApi>(worker) };
}

export class LabClient {
  private current: ReturnType<typeof startWorker>;

  /** `onCrash` hears of a worker that dies (a run in it then never settles: the UI must recover). */
  constructor(private readonly onCrash: (message: string) => void) {
    this.current = startWorker(onCrash);
  }

  /** Starts a backend in the worker: `force`, or the fastest that works. */
  init(force: BackendName | null): Promise<BackendReport> {
    return this.current.api.init(force);
  }

  /** Ends the worker (and any run in it) and starts a fresh one on `force`. */
  switchBackend(force: BackendName | null): Promise<BackendReport> {
    this.close();
    this.current = startWorker(this.onCrash);
    return this.init(force);
  }

  /**
   * Runs `config` in the worker on `data` (the price data of a data-driven market, else null); `onBatch`
   * receives the event stream coalesced to at most ~10 batches a second, the last one before the returned
   * promise settles.
   */
  async run(config: Experiment, data: PricePanel | null, onBatch: (batch: RunEvent[]) => void): Promise<void> {
    const throttle = createEventThrottle(onBatch);
    try {
      await this.current.api.run(config, data, Comlink.proxy((ev: RunEvent) => throttle.push(ev)));
    } finally {
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

  /** Asks the engine to stop; `run` settles once it has. */
  stop(): Promise<void> {
    return this.current.api.stop();
  }

  close(): void {
    this.current.api[Comlink.releaseProxy]();
    this.current.worker.terminate();
  }
}
