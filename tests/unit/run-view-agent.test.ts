/** The run view's reducer on paper 000's RL events: `agent` diagnostics per update and the PV_T map (figs. 7-10). */
import { describe, expect, it } from 'vitest';
import type { AgentFigures, RunEvent, StrategyInfo } from '../../src/engine/experiment/events';
import { applyEvents, EMPTY_VIEW, lossStride, MAX_LOSS_POINTS } from '../../src/ui/run-view';

const strategies: StrategyInfo[] = [
  { id: 'bc-rppo', type: 'bc-rppo', label: 'BC-RPPO', trainable: true },
  { id: 'sac', type: 'sac', label: 'SAC', trainable: true },
];
const start: RunEvent = { type: 'start', backend: 'cpu', strategies, market: {} as Extract<RunEvent, { type: 'start' }>['market'] };
const agent = (strategyId: string, phase: 'bc' | 'rl', update: number, figures: AgentFigures): RunEvent => ({ type: 'agent', strategyId, phase, update, seconds: update / 4, figures });

function pvMap(strategyId: string, mean: number): RunEvent {
  return {
    type: 'pv-map',
    strategyId,
    moneynessEdges: new Float64Array([0.9, 1, 1.1]),
    timeToMaturity: new Float64Array([2 / 252, 1 / 252]),
    meanPv: new Float32Array([mean, 0, -mean, mean / 2]),
    count: new Int32Array([3, 0, 5, 1]),
  };
}

describe('applyEvents on RL agents', () => {
  it("keeps each metric of each phase as its own curve, with the updates that reported it", () => {
    const view = applyEvents(EMPTY_VIEW, [
      start,
      agent('bc-rppo', 'bc', 1, { bc_loss: 0.9, policy_std: 0.5 }),
      agent('bc-rppo', 'bc', 2, { bc_loss: 0.4, policy_std: 0.3 }),
      agent('bc-rppo', 'rl', 1, { value_loss: 2, approx_kl: 0.01, clip_fraction: 0.1 }),
      agent('sac', 'rl', 1, { q: -1, temperature: 1 }),
      agent('bc-rppo', 'rl', 2, { value_loss: 1, approx_kl: 0.02, clip_fraction: 0.2, avg_r: -3e-4 }),
      agent('sac', 'rl', 2, { q: -0.5, temperature: 0.8, avg_r: -5e-4 }),
    ]);
    expect(view.agents['bc-rppo']!.bc).toEqual({ bc_loss: { epochs: [1, 2], loss: [0.9, 0.4] }, policy_std: { epochs: [1, 2], loss: [0.5, 0.3] } });
    expect(view.agents['bc-rppo']!.rl).toEqual({
      value_loss: { epochs: [1, 2], loss: [2, 1] },
      approx_kl: { epochs: [1, 2], loss: [0.01, 0.02] },
      clip_fraction: { epochs: [1, 2], loss: [0.1, 0.2] },
      avg_r: { epochs: [2], loss: [-3e-4] },
    });
    expect(view.agents.sac!).toEqual({ bc: {}, rl: { q: { epochs: [1, 2], loss: [-1, -0.5] }, temperature: { epochs: [1, 2], loss: [1, 0.8] }, avg_r: { epochs: [2], loss: [-5e-4] } } });
  });

  it('never mutates the arrays of an earlier view, and leaves untouched curves as they were', () => {
    const first = applyEvents(EMPTY_VIEW, [start, agent('bc-rppo', 'rl', 1, { avg_r: -1, value_loss: 3 }), agent('sac', 'rl', 1, { q: 1 })]);
    const second = applyEvents(first, [agent('bc-rppo', 'rl', 2, { avg_r: -0.5 }), agent('bc-rppo', 'rl', 3, { avg_r: -0.25 })]);
    expect(first.agents['bc-rppo']!.rl.avg_r).toEqual({ epochs: [1], loss: [-1] });
    expect(second.agents['bc-rppo']!.rl.avg_r).toEqual({ epochs: [1, 2, 3], loss: [-1, -0.5, -0.25] });
    expect(second.agents['bc-rppo']!.rl.value_loss).toBe(first.agents['bc-rppo']!.rl.value_loss);
    expect(second.agents.sac).toBe(first.agents.sac);
    expect(applyEvents(second, [pvMap('sac', 1)]).agents).toBe(second.agents);
  });

  it('thins a long run as the loss chart does, always keeping the latest update', () => {
    const updates = 3 * MAX_LOSS_POINTS + 7;
    let view = applyEvents(EMPTY_VIEW, [start]);
    // Batches of 10 updates, as the throttle delivers them.
    for (let u = 1; u <= updates; u += 10) {
      const batch: RunEvent[] = [];
      for (let k = u; k < Math.min(u + 10, updates + 1); k++) batch.push(agent('sac', 'rl', k, { q: k / 2 }));
      view = applyEvents(view, batch);
    }
    const q = view.agents.sac!.rl.q!;
    const stride = lossStride(updates);
    expect(stride).toBe(4);
    expect(q.epochs.at(-1)).toBe(updates);
    expect(q.epochs.slice(0, -1)).toEqual(Array.from({ length: Math.floor(updates / stride) }, (_, i) => (i + 1) * stride));
    expect(q.loss).toEqual(q.epochs.map((u) => u / 2));
    expect(q.epochs.length).toBeLessThanOrEqual(MAX_LOSS_POINTS + 1);
  });

  it('keeps the latest PV_T map of each strategy, and a new run starts empty', () => {
    const a = pvMap('bc-rppo', 1);
    const b = pvMap('bc-rppo', 2);
    const view = applyEvents(EMPTY_VIEW, [start, a, pvMap('sac', 3), b, agent('sac', 'rl', 1, { q: 1 })]);
    expect(view.pvMaps['bc-rppo']).toBe(b);
    expect(Object.keys(view.pvMaps).sort()).toEqual(['bc-rppo', 'sac']);
    const restarted = applyEvents(view, [start, agent('sac', 'rl', 1, { q: 2 })]);
    expect(restarted.pvMaps).toEqual({});
    expect(restarted.agents).toEqual({ sac: { bc: {}, rl: { q: { epochs: [1], loss: [2] } } } });
    expect(view.agents.sac!.rl.q).toEqual({ epochs: [1], loss: [1] });
  });
});
