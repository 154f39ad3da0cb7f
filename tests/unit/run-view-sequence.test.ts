/**
 * The run view on paper 003's sequence hedgers: `holdings` events (appendix 8.4: validation loss and mean
 * holding per asset by epoch, the epoch early stopping keeps) and one holding surface per strategy and
 * asset (fig. 4), and the event throttle keeping one surface per asset rather than one per strategy.
 */
import { describe, expect, it } from 'vitest';
import { createEventThrottle } from '../../src/client/event-throttle';
import type { RunEvent, StrategyInfo } from '../../src/engine/experiment/events';
import { applyEvents, EMPTY_VIEW, MAX_LOSS_POINTS, UNDERLYING } from '../../src/ui/run-view';

const strategies: StrategyInfo[] = [
  { id: 'rnn', type: 'rnn', label: 'RNN', trainable: true },
  { id: 'sigformer', type: 'sigformer', label: 'SigFormer', trainable: true },
];
const start: RunEvent = { type: 'start', backend: 'cpu', strategies, market: {} as Extract<RunEvent, { type: 'start' }>['market'] };

const holdings = (strategyId: string, epoch: number, validationLoss: number, means: [string, number][], bestEpoch: number | null): RunEvent => ({
  type: 'holdings',
  strategyId,
  epoch,
  validationLoss,
  meanHolding: means.map(([instrument, mean]) => ({ instrument, mean })),
  bestEpoch,
});

function surface(strategyId: string, instrument: string | undefined, value: number): Extract<RunEvent, { type: 'surface' }> {
  return {
    type: 'surface',
    strategyId,
    logMoneyness: new Float64Array([-0.1, 0, 0.1]),
    timeToMaturity: new Float64Array([2 / 365, 1 / 365]),
    hedge: new Float32Array([value, Number.NaN, value, value, value, Number.NaN]),
    reference: null,
    moneynessLabel: 'log(S/K)',
    ...(instrument === undefined ? {} : { instrument }),
    count: new Int32Array([4, 0, 2, 1, 3, 0]),
  };
}

describe('applyEvents on sequence hedgers', () => {
  it('keeps the validation loss and each asset’s mean holding by epoch, and the latest best epoch', () => {
    const view = applyEvents(EMPTY_VIEW, [
      start,
      holdings('sigformer', 1, 0.9, [['AAPL', 0.2], ['SPX', 0.1]], 1),
      holdings('rnn', 1, 1.5, [['AAPL', 3]], null),
      holdings('sigformer', 2, 0.7, [['AAPL', 0.6], ['SPX', -0.05]], 2),
      holdings('sigformer', 3, 0.8, [['AAPL', 0.7], ['SPX', -0.1]], 2),
    ]);
    expect(view.holdings.sigformer).toEqual({
      validation: { epochs: [1, 2, 3], loss: [0.9, 0.7, 0.8] },
      mean: { AAPL: { epochs: [1, 2, 3], loss: [0.2, 0.6, 0.7] }, SPX: { epochs: [1, 2, 3], loss: [0.1, -0.05, -0.1] } },
      bestEpoch: 2,
    });
    expect(view.holdings.rnn).toEqual({ validation: { epochs: [1], loss: [1.5] }, mean: { AAPL: { epochs: [1], loss: [3] } }, bestEpoch: null });
  });

  it('never mutates an earlier view, thins long runs as the loss is thinned, and a new run starts empty', () => {
    const first = applyEvents(EMPTY_VIEW, [start, holdings('rnn', 1, 1, [['AAPL', 0.5]], 1)]);
    const second = applyEvents(first, [holdings('rnn', 2, 0.5, [['AAPL', 0.6]], 2)]);
    expect(first.holdings.rnn!.validation.epochs).toEqual([1]);
    expect(first.holdings.rnn!.mean.AAPL!.loss).toEqual([0.5]);
    expect(first.holdings.rnn!.bestEpoch).toBe(1);
    expect(second.holdings.rnn!.validation.epochs).toEqual([1, 2]);
    expect(second.holdings.rnn!.bestEpoch).toBe(2);

    const epochs = 3 * MAX_LOSS_POINTS + 1;
    const long = applyEvents(EMPTY_VIEW, [start, ...Array.from({ length: epochs }, (_, e) => holdings('rnn', e + 1, 1 / (e + 1), [['AAPL', e + 1]], e + 1))]);
    const series = long.holdings.rnn!;
    expect(series.validation.epochs.length).toBeLessThanOrEqual(MAX_LOSS_POINTS + 1);
    expect(series.validation.epochs.at(-1)).toBe(epochs);
    expect(series.mean.AAPL!.epochs).toEqual(series.validation.epochs);
    // Each kept point is the epoch's own value.
    series.mean.AAPL!.epochs.forEach((e, i) => expect(series.mean.AAPL!.loss[i]).toBe(e));
    expect(applyEvents(second, [start]).holdings).toEqual({});
  });

  it('keeps the latest surface of each strategy and asset, the claim’s underlying under its own key', () => {
    const view = applyEvents(EMPTY_VIEW, [
      start,
      surface('sigformer', 'AAPL', 1),
      surface('sigformer', 'SPX', 2),
      surface('rnn', undefined, 3),
      surface('sigformer', 'AAPL', 4),
    ]);
    expect(Object.keys(view.surfaces.sigformer!)).toEqual(['AAPL', 'SPX']);
    expect(view.surfaces.sigformer!.AAPL!.hedge[0]).toBe(4);
    expect(view.surfaces.sigformer!.SPX!.hedge[0]).toBe(2);
    expect(Object.keys(view.surfaces.rnn!)).toEqual([UNDERLYING]);
    expect(view.surfaces.rnn![UNDERLYING]!.count).toEqual(new Int32Array([4, 0, 2, 1, 3, 0]));
    const later = applyEvents(view, [surface('sigformer', 'SPX', 5)]);
    expect(view.surfaces.sigformer!.SPX!.hedge[0]).toBe(2);
    expect(later.surfaces.sigformer!.SPX!.hedge[0]).toBe(5);
    expect(later.surfaces.sigformer!.AAPL).toBe(view.surfaces.sigformer!.AAPL);
  });

  it('throttled, keeps the latest surface of every asset of a strategy, not of the strategy alone', () => {
    const batches: RunEvent[][] = [];
    const throttle = createEventThrottle((b) => batches.push(b), 1000);
    for (const ev of [surface('sigformer', 'AAPL', 1), surface('sigformer', 'SPX', 2), surface('sigformer', 'AAPL', 3), holdings('sigformer', 1, 1, [['AAPL', 1]], null)]) throttle.push(ev);
    throttle.flush();
    expect(batches).toHaveLength(1);
    const kept = batches[0]!.flatMap((e) => (e.type === 'surface' ? [`${e.instrument}:${e.hedge[0]}`] : [e.type]));
    expect(kept.sort()).toEqual(['AAPL:3', 'SPX:2', 'holdings']);
  });
});
