/**
 * Thins a run's event stream to at most one delivery per interval (~10 Hz) so charts never redraw faster
 * than a person can read them (DESIGN.md, "The main thread never blocks"). Coalescing keeps every `loss`
 * point, every `pnl` scoring (a few per strategy; the comparison view keeps those at checkpoints) and the
 * order of `start` / `done` / `error`, but only the latest `progress`, `paths`, `metrics` and `surface` per
 * strategy and instrument (paper 003: one surface per asset of the hedge set), between two deliveries.
 */
import type { RunEvent } from '../engine/experiment/events';

export interface EventThrottle {
  push(ev: RunEvent): void;
  /** Delivers whatever is pending now (at the end of a run). */
  flush(): void;
}

/** The slot an event occupies in a batch: a later event with the same key replaces the earlier one. */
function coalesceKey(ev: RunEvent): string | null {
  switch (ev.type) {
    case 'progress':
    case 'paths':
    case 'metrics':
      return ev.type;
    case 'surface':
      return `${ev.type}:${ev.strategyId}:${ev.instrument ?? ''}`;
    default:
      return null;
  }
}

export function createEventThrottle(deliver: (batch: RunEvent[]) => void, intervalMs = 100): EventThrottle {
  let pending = new Map<string, RunEvent>();
  let serial = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastDelivery = -Infinity;

  const flush = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (pending.size === 0) return;
    const batch = [...pending.values()];
    pending = new Map();
    lastDelivery = performance.now();
    deliver(batch);
  };

  return {
    push(ev) {
      pending.set(coalesceKey(ev) ?? `#${serial++}`, ev);
      if (timer === null) timer = setTimeout(flush, Math.max(0, lastDelivery + intervalMs - performance.now()));
    },
    flush,
  };
}
