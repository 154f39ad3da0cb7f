/** The run view's reducer on the recurrent hedgers' events (paper 002 figs. 3-6). */
import { describe, expect, it } from 'vitest';
import type { RunEvent, StrategyInfo } from '../../src/engine/experiment/events';
import { applyEvents, EMPTY_VIEW } from '../../src/ui/run-view';

const strategies: StrategyInfo[] = [
  { id: 'adam', type: 'recurrent', label: 'Recurrent (Adam)', trainable: true },
  { id: 'kfac', type: 'recurrent', label: 'Recurrent (DH-KFAC)', trainable: true },
];
const start: RunEvent = { type: 'start', backend: 'cpu', strategies, market: {} as Extract<RunEvent, { type: 'start' }>['market'] };
const validation = (strategyId: string, step: number, loss: number): RunEvent => ({ type: 'validation', strategyId, step, loss, seconds: step / 10 });
const curvature = (strategyId: string, step: number, maxEigenvalue: number | null): RunEvent => ({
  type: 'curvature',
  strategyId,
  step,
  gradientVariance: 1 / step,
  maxEigenvalue,
  kappa: maxEigenvalue === null ? null : [{ block: 'lstm 1', kappa: 2 * step }, { block: 'gains', kappa: step / 10 }],
});

describe('applyEvents on recurrent hedgers', () => {
  it('appends validation and curvature points per strategy, in order', () => {
    const view = applyEvents(EMPTY_VIEW, [start, validation('adam', 10, 3), validation('kfac', 10, 2), validation('adam', 20, 1), curvature('kfac', 5, 7), curvature('adam', 5, null)]);
    expect(view.validation.adam).toEqual({ steps: [10, 20], loss: [3, 1], seconds: [1, 2] });
    expect(view.validation.kfac).toEqual({ steps: [10], loss: [2], seconds: [1] });
    expect(view.curvature.kfac).toEqual({ steps: [5], gradientVariance: [0.2], maxEigenvalue: [7], kappa: { 'lstm 1': [10], gains: [0.5] } });
    expect(view.curvature.adam).toEqual({ steps: [5], gradientVariance: [0.2], maxEigenvalue: [null], kappa: {} });
  });

  it('accumulates kappa per block without touching an earlier view', () => {
    const first = applyEvents(EMPTY_VIEW, [start, curvature('kfac', 5, 7)]);
    const second = applyEvents(first, [curvature('kfac', 10, 6), curvature('kfac', 15, 5)]);
    expect(first.curvature.kfac.kappa).toEqual({ 'lstm 1': [10], gains: [0.5] });
    expect(second.curvature.kfac.kappa).toEqual({ 'lstm 1': [10, 20, 30], gains: [0.5, 1, 1.5] });
    expect(second.curvature.kfac.steps).toEqual([5, 10, 15]);
  });

  it('never mutates the arrays of an earlier view, and copies them once per batch', () => {
    const first = applyEvents(EMPTY_VIEW, [start, validation('adam', 10, 3), curvature('adam', 10, null)]);
    const second = applyEvents(first, [validation('adam', 20, 2), validation('adam', 30, 1), curvature('adam', 20, null)]);
    expect(first.validation.adam.steps).toEqual([10]);
    expect(first.curvature.adam.steps).toEqual([10]);
    expect(second.validation.adam.steps).toEqual([10, 20, 30]);
    expect(second.validation).not.toBe(first.validation);
    expect(second.curvature.adam.steps).toEqual([10, 20]);
    const untouched = applyEvents(second, [validation('kfac', 10, 2)]);
    expect(untouched.validation.adam).toBe(second.validation.adam);
    expect(untouched.curvature).toBe(second.curvature);
  });

  it('keeps the latest P&L variants and hedge bands per strategy', () => {
    const variants = (strategyId: string, std: number): RunEvent => ({
      type: 'pnl-variants',
      strategyId,
      variants: [{ label: 'learned hedge', histogram: { edges: new Float64Array([0, 1]), density: new Float64Array([1]) }, std, skew: 0 }],
    });
    const bands: RunEvent = {
      type: 'hedge-bands',
      strategyId: 'kfac',
      times: new Float64Array([0, 0.004]),
      probabilities: [0.05, 0.5, 0.95],
      resetSteps: [1],
      bands: [{ instrument: 'S', quantity: 'position', quantiles: [new Float32Array(2), new Float32Array(2), new Float32Array(2)] }],
    };
    const view = applyEvents(EMPTY_VIEW, [start, variants('kfac', 1), variants('adam', 3), variants('kfac', 2), bands]);
    expect(Object.keys(view.pnlVariants).sort()).toEqual(['adam', 'kfac']);
    expect(view.pnlVariants.kfac.variants[0].std).toBe(2);
    expect(view.hedgeBands.kfac).toBe(bands);
  });

  it('a new start clears the race of the previous run, even within one batch', () => {
    const old = applyEvents(EMPTY_VIEW, [start, validation('adam', 10, 3), curvature('adam', 10, null)]);
    const view = applyEvents(old, [validation('adam', 20, 2), start, validation('adam', 5, 9)]);
    expect(view.validation.adam).toEqual({ steps: [5], loss: [9], seconds: [0.5] });
    expect(view.curvature).toEqual({});
    expect(EMPTY_VIEW.validation).toEqual({});
    expect(old.validation.adam.steps).toEqual([10]);
  });
});
