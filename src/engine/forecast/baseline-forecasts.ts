/**
 * The three baselines of the forecaster market on one chronological split of a return series, each scored
 * one step ahead on the test period (one-step-forecast.ts): the random walk (random-walk.ts), EWMA 0.94
 * started from the training variance (ewma.ts), and GARCH(1,1) fitted on the training returns alone
 * (garch.ts). Each forecast of day t reads returns before t only, so validation and earlier test days feed
 * later forecasts as they would in use, but no fitted parameter has seen them.
 */
import { ewmaForecast } from './ewma';
import { fitGarch, garchForecast } from './garch';
import { scoreOneStep, type OneStepForecast, type OneStepScores } from './one-step-forecast';
import { randomWalkForecast } from './random-walk';
import { sampleVariance } from './sample-moments';

/** Train [0, trainEnd), validation [trainEnd, validationEnd), test [validationEnd, n) of a series of n returns. */
export interface ReturnSplit {
  trainEnd: number;
  validationEnd: number;
}

export type BaselineName = 'random-walk' | 'ewma' | 'garch';

export interface BaselineScores {
  name: BaselineName;
  scores: OneStepScores;
}

const testPart = (f: OneStepForecast, from: number): OneStepForecast => ({ mu: f.mu.slice(from), sigma: f.sigma.slice(from) });

export function baselineScores(returns: Float64Array, split: ReturnSplit): BaselineScores[] {
  const { trainEnd, validationEnd } = split;
  if (!(Number.isInteger(trainEnd) && Number.isInteger(validationEnd) && 0 < trainEnd && trainEnd <= validationEnd && validationEnd < returns.length)) {
    throw new RangeError(`baselines: the split (train to ${trainEnd}, validation to ${validationEnd}) must leave training and test returns in a series of ${returns.length}`);
  }
  const train = returns.slice(0, trainEnd);
  const test = returns.slice(validationEnd);
  const garch = fitGarch(train);
  const forecasts: [BaselineName, OneStepForecast][] = [
    ['random-walk', randomWalkForecast(returns)],
    ['ewma', ewmaForecast(returns, sampleVariance(train))],
    ['garch', garchForecast(garch.params, returns, garch.initialVariance)],
  ];
  return forecasts.map(([name, f]) => ({ name, scores: scoreOneStep(testPart(f, validationEnd), test) }));
}
