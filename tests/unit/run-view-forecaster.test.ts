/**
 * The run view on the forecaster market (paper 000 §2): its `forecaster` events (eq. 6's NLL on the training
 * and validation windows per epoch, the epoch early stopping keeps) and its `forecast` report, both streamed
 * before the hedgers' `start`, which keeps them; and a fresh run's first epoch starting a fresh series.
 */
import { describe, expect, it } from 'vitest';
import type { ForecastReport, RunEvent, StrategyInfo } from '../../src/engine/experiment/events';
import { applyEvents, EMPTY_VIEW } from '../../src/ui/run-view';

const strategies: StrategyInfo[] = [{ id: 'bs-delta', type: 'bs-delta', label: 'Black-Scholes delta', trainable: false }];
const start: RunEvent = { type: 'start', backend: 'cpu', strategies, market: {} as Extract<RunEvent, { type: 'start' }>['market'] };

const epoch = (n: number, trainNll: number, validationNll: number, best: boolean): RunEvent => ({ type: 'forecaster', epoch: n, epochs: 5, trainNll, validationNll, best, seconds: n });

const report: ForecastReport = {
  asset: 'SPX',
  assets: ['SPX'],
  split: { train: ['2000-01-04', '2011-12-30'], validation: ['2012-01-03', '2015-12-31'], test: ['2016-01-04', '2020-04-17'] },
  channels: ['open', 'high', 'low', 'close'],
  scores: [{ name: 'forecaster', nll: -3, crps: 0.005, coverage50: 0.5, coverage90: 0.9, energy: 0.04, days: 1000 }],
  meanNll: -3,
  attention: { latents: 1, weights: new Float32Array([1]) },
  fan: { start: '2016-01-04', dates: ['2016-01-04', '2016-01-05'], realised: new Float64Array([1, 1.01]), quantiles: [0.5], bands: [new Float64Array([1, 1])], from: ['2016-01-04', '2016-03-31'] },
  trainedEpochs: 3,
  bestEpoch: 2,
  reused: false,
  marketValueSource: 'equal weights (the price data carry no volume)',
};

describe('applyEvents on the forecaster market', () => {
  it('keeps every epoch of the forecaster and the epoch early stopping keeps, and the report, through the start of the hedgers', () => {
    let view = applyEvents(EMPTY_VIEW, [epoch(1, -2, -2.5, true), epoch(2, -2.6, -2.8, true)]);
    const before = view.forecaster!;
    view = applyEvents(view, [epoch(3, -2.9, -2.7, false), { type: 'forecast', ...report }, start]);
    expect(view.forecaster).toEqual({ epochs: [1, 2, 3], trainNll: [-2, -2.6, -2.9], validationNll: [-2.5, -2.8, -2.7], bestEpoch: 2, maxEpochs: 5, seconds: 3 });
    // The series of an earlier batch is not changed in place.
    expect(before.epochs).toEqual([1, 2]);
    expect(view.forecast).toMatchObject({ asset: 'SPX', trainedEpochs: 3, bestEpoch: 2 });
    expect(view.strategies).toEqual(strategies);
  });

  it('has no forecaster series for a reused forecaster, only its report', () => {
    const view = applyEvents(EMPTY_VIEW, [{ type: 'forecast', ...report, reused: true }, start]);
    expect(view.forecaster).toBeNull();
    expect(view.forecast?.reused).toBe(true);
  });
});
