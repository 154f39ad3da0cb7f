/** The run view's training-loss series: every epoch of a short run, a bounded, evenly thinned series of a long one. */
import { describe, expect, it } from 'vitest';
import type { RunEvent, StrategyInfo } from '../../src/engine/experiment/events';
import { applyEvents, EMPTY_VIEW, lossStride, MAX_LOSS_POINTS, type RunView } from '../../src/ui/run-view';

const strategies: StrategyInfo[] = [{ id: 'deep-mlp', type: 'deep-mlp', label: 'Deep hedger (MLP) 3x32', trainable: true }];
const start: RunEvent = { type: 'start', backend: 'cpu', strategies, market: {} as Extract<RunEvent, { type: 'start' }>['market'] };
const lossAt = (epoch: number) => 1 / epoch;
const loss = (epoch: number): RunEvent => ({ type: 'loss', strategyId: 'deep-mlp', epoch, loss: lossAt(epoch), seconds: epoch / 10 });

/** Streams epochs 1..epochs in batches of `batch` events, as the page's event throttle delivers them. */
function stream(epochs: number, batch: number): RunView {
  let view = applyEvents(EMPTY_VIEW, [start]);
  for (let e = 1; e <= epochs; e += batch) view = applyEvents(view, Array.from({ length: Math.min(batch, epochs - e + 1) }, (_, i) => loss(e + i)));
  return view;
}

describe('the loss series a chart draws', () => {
  it('keeps every epoch up to the limit', () => {
    const { epochs, loss: values } = stream(MAX_LOSS_POINTS, 3).loss['deep-mlp']!;
    expect(epochs).toEqual(Array.from({ length: MAX_LOSS_POINTS }, (_, i) => i + 1));
    expect(values).toEqual(epochs.map(lossAt));
  });

  it.each([
    [501, 1],
    [1000, 7],
    [5000, 1],
    [5000, 64],
  ])('thins %i epochs streamed %i at a time to the multiples of one stride and the latest epoch', (total, batch) => {
    const { epochs, loss: values } = stream(total, batch).loss['deep-mlp']!;
    const stride = lossStride(total);
    const multiples = Array.from({ length: Math.floor(total / stride) }, (_, i) => (i + 1) * stride);
    expect(epochs).toEqual(total % stride === 0 ? multiples : [...multiples, total]);
    expect(epochs.length).toBeLessThanOrEqual(MAX_LOSS_POINTS + 1);
    expect(epochs.length).toBeGreaterThan(MAX_LOSS_POINTS / 2);
    expect(values).toEqual(epochs.map(lossAt));
  });

  it('leaves the series of an earlier view as it was', () => {
    const before = stream(MAX_LOSS_POINTS, 50);
    const after = applyEvents(before, [loss(MAX_LOSS_POINTS + 1)]);
    expect(before.loss['deep-mlp']!.epochs).toHaveLength(MAX_LOSS_POINTS);
    expect(after.loss['deep-mlp']!.epochs).toHaveLength(MAX_LOSS_POINTS / 2 + 1);
  });
});
