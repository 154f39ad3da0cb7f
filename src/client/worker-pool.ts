/**
 * Several lab workers for the comparison view: jobs (one strategy of one sweep cell each) go to whichever
 * worker is free, so strategies train in parallel when the machine has the cores (one worker per core, at
 * most four: the page's own thread only draws). Every worker starts on the same tfjs backend as the lab's.
 */
import type { PricePanel } from '../engine/data/price-panel';
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

  constructor(size: number, onCrash: (message: string) => void) {
    this.clients = Array.from({ length: size }, () => new LabClient(onCrash));
  }

  get size(): number {
    return this.clients.length;
  }

  /** Starts every worker on `backend`. */
  async start(backend: BackendName): Promise<void> {
    await Promise.all(this.clients.map((c) => c.init(backend)));
  }

  /**
   * Runs `jobs` with at most `size` at a time; `onBatch(job, events)` hears each job's (throttled) events.
   * Resolves when every job has ended or, after `stop`, when the running ones have.
   */
  async run<J extends { config: Experiment }>(jobs: J[], data: PricePanel | null, onBatch: (job: J, batch: RunEvent[]) => void): Promise<void> {
    let next = 0;
    const work = async (client: LabClient) => {
      while (!this.stopped && next < jobs.length) {
        const job = jobs[next++];
        await client.run(job.config, data, (batch) => onBatch(job, batch));
      }
    };
    await Promise.all(this.clients.map(work));
  }

  /** Takes no new job and stops the running ones within a training step. */
  stop(): void {
    this.stopped = true;
    for (const c of this.clients) void c.stop();
  }

  close(): void {
    for (const c of this.clients) c.close();
  }
}
