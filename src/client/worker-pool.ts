/**
 * Several lab workers for the comparison view: jobs (one strategy of one sweep cell each) go to whichever
 * worker is free, so strategies train in parallel when the machine has the cores (one worker per core, at
 * most four: the page's own thread only draws). Every worker starts on the same tfjs backend as the lab's.
 */
import type { PricePanel } from '../engine/data/price-panel';
import type { OptionQuotes } from '../engine/data/option-quotes';
import type { RunEvent } from '../engine/experiment/events';
import type { Experiment } from '../engine/experiment/schema';
import { LabClient, type BackendName } from './lab-client';

/** Workers for a machine with `cores` logical cores: one per core, between 1 and 4. */
export function poolSize(cores: number): number {
  return Math.max(1, Math.min(4, Math.floor(cores)));
}

export class WorkerPool {
  private readonly clients: LabClient[];
  private stopped = false;
  /** Settles (rejects) when any worker dies: a run in a dead worker would never settle. */
  private readonly crashed: Promise<never>;

  constructor(size: number) {
    let fail: (e: Error) => void = () => {};
    this.crashed = new Promise<never>((_, reject) => (fail = reject));
    this.crashed.catch(() => {});
    this.clients = Array.from({ length: size }, () => new LabClient((message) => fail(new Error(`a lab worker stopped: ${message}`))));
  }

  get size(): number {
    return this.clients.length;
  }

  /** Starts every worker on `backend`. */
  async start(backend: BackendName): Promise<void> {
    await Promise.race([Promise.all(this.clients.map((c) => c.init(backend))), this.crashed]);
  }

  /**
   * Runs `jobs` with at most `size` at a time on the price data `data` and the option quotes `quotes` their
   * market names; `onBatch(job, events)` hears each job's (throttled) events.
   * Resolves when every job has ended or, after `stop`, when the running ones have; rejects if a worker dies.
   */
  async run<J extends { config: Experiment }>(jobs: J[], data: PricePanel | null, onBatch: (job: J, batch: RunEvent[]) => void, quotes: OptionQuotes | null = null): Promise<void> {
    let next = 0;
    const work = async (client: LabClient) => {
      while (!this.stopped && next < jobs.length) {
        const job = jobs[next++];
        await client.run(job.config, data, (batch) => onBatch(job, batch), quotes);
      }
    };
    await Promise.race([Promise.all(this.clients.map(work)), this.crashed]);
  }

  /**
   * Takes no new job and stops the running ones within a training step; resolves to how many workers had to
   * be replaced because their run was stuck in one long step (LabClient.stop).
   */
  async stop(): Promise<number> {
    this.stopped = true;
    const ends = await Promise.all(this.clients.map((c) => c.stop()));
    return ends.filter((end) => end === 'replaced').length;
  }

  close(): void {
    for (const c of this.clients) c.close();
  }
}
