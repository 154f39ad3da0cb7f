/**
 * The three baselines of the forecaster market on one chronological split of a return series, each scored
 * one step ahead on the test period (one-step-forecast.ts): the random walk (random-walk.ts), EWMA 0.94
 * started from the training variance (ewma.ts), and GARCH(1,1) fitted on the training returns alone
 * (garch.ts). Each forecast of day t reads returns before t only, so validation and earlier test days feed
 * later forecasts as they would in use, but no fitted parameter has seen them.
 */
import { ewmaForecast, RISKMETRICS_LAMBDA } from './ewma';
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

/** A baseline's one-step forecasts of every day, and its own variance recursion (to sample its paths, baseline-paths.ts). */
export interface Baseline {
  name: BaselineName;
  forecast: OneStepForecast;
  /** The next day's variance given the day's variance and its return: flat for the random walk, eq. of EWMA and GARCH. */
  nextVariance(variance: number, r: number): number;
}

export interface BaselineScores {
  name: BaselineName;
  scores: OneStepScores;
}

const testPart = (f: OneStepForecast, from: number): OneStepForecast => ({ mu: f.mu.slice(from), sigma: f.sigma.slice(from) });

/** The three baselines on `returns`, GARCH fitted on the training returns alone. */
export function baselines(returns: Float64Array, split: ReturnSplit): Baseline[] {
  const { trainEnd, validationEnd } = split;
  if (!(Number.isInteger(trainEnd) && Number.isInteger(validationEnd) && 0 < trainEnd && trainEnd <= validationEnd && validationEnd < returns.length)) {
    throw new RangeError(`baselines: the split (train to ${trainEnd}, validation to ${validationEnd}) must leave training and test returns in a series of ${returns.length}`);
  }
  const train = returns.slice(0, trainEnd);
  const garch = fitGarch(train);
  const { m, omega, alpha, beta } = garch.params;
  return [
    { name: 'random-walk', forecast: randomWalkForecast(returns), nextVariance: (v) => v },
    { name: 'ewma', forecast: ewmaForecast(returns, sampleVariance(train)), nextVariance: (v, r) => RISKMETRICS_LAMBDA * v + (1 - RISKMETRICS_LAMBDA) * r * r },
    { name: 'garch', forecast: garchForecast(garch.params, returns, garch.initialVariance), nextVariance: (v, r) => omega + beta * v + alpha * (r - m) ** 2 },
  ];
}

/** Each baseline's one-step scores on the test returns (`models`: the baselines of these returns, fitted once). */
export function baselineScores(returns: Float64Array, split: ReturnSplit, models = baselines(returns, split)): BaselineScores[] {
  const test = returns.slice(split.validationEnd);
  return models.map(({ name, forecast }) => ({ name, scores: scoreOneStep(testPart(forecast, split.validationEnd), test) }));
}
