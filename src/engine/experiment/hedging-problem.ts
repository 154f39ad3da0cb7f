/**
 * From a sample of market paths to the hedging problem on the device (hedging/problem.ts): samples are
 * packed one path per row (assets, then the variance, the implied volatility, the strike's index, the
 * regime label) so that the trainer can shuffle and batch rows of one tensor and each path keeps its strike
 * (path i of a sample has strikes[i mod m], paper 000 §4.2); a batch of rows becomes the claim's payoff on
 * each path's strike, each path's premium, the instruments with their accounting (paper 002 §2.1), the
 * volatility the classic hedges use, the implied volatility of paper 000's implied delta (eq. 24-26:
 * quotes or the market's proxy, experiment/implied-volatility.ts) and the deep hedgers' features.
 *
 * Features (pfhedge's names where they exist), at each rebalancing date t:
 *   log_moneyness  log(S_t / K), K the path's strike; for a cliquet log(S_t / S_reset), the spot at the last reset (paper 002 §4.1)
 *   expiry_time    (T - t) dt
 *   volatility     the model's sigma, Heston's sqrt(v_t), the path's regime vol, or the training-dates vol
 *   log_max_moneyness  lookback: log(M_t / K), M the running maximum
 *   cliquet_payoff     cliquet: its payoff if it matured at t (paper 002 §4.1)
 *   spot               cliquet: x_t / x_0, the spot level beside its ratio to the last reset (paper 002 §4.1)
 *   regime         regime-switching: label / (K - 1) (paper 003 §4.1 feeds the label as an input)
 *   log_return_i   further assets: log(S^i_t / S^i_0)
 */
import * as tf from '@tensorflow/tfjs';
import { claimPayoff, claimStrikes, pathStrikeIndex } from '../claims/claim';
import { cliquetPayoffIfMaturedNow, lastResetSpot } from '../claims/cliquet';
import { runningMaximum } from '../claims/lookback';
import { assetInstrument, fixedGridInstrument, floatingGridInstrument, type Instrument } from '../hedging/instruments';
import { problemTensors, timeToMaturity, type HedgingProblem } from '../hedging/problem';
import { bsPriceTensor } from '../pricing/black-scholes-tensors';
import { floatingPremiums } from './option-premiums';
import type { MarketSample, PreparedMarket } from './market';
import type { Experiment } from './schema';

export interface SampleLayout {
  assets: number;
  steps: number;
  variance: boolean;
  /** The sample carries implied vols [steps] per path (MarketSample.impliedVolatility). */
  impliedVolatility: boolean;
  /** Strikes of the claim: with more than one, each row holds its path's strike index. */
  strikes: number;
  regime: boolean;
  /** Values per packed row. */
  width: number;
}

/** The layout of `sample` packed for a claim written on `strikes` strikes (claimStrikes; one when it has one or none). */
export function sampleLayout(sample: MarketSample, steps: number, strikes = 1): SampleLayout {
  const cols = steps + 1;
  const variance = sample.variance !== undefined;
  const impliedVolatility = sample.impliedVolatility !== undefined;
  const regime = sample.regime !== undefined;
  const assets = sample.assets.length;
  const width = assets * cols + (variance ? cols : 0) + (impliedVolatility ? steps : 0) + (strikes > 1 ? 1 : 0) + (regime ? 1 : 0);
  return { assets, steps, variance, impliedVolatility, strikes, regime, width };
}

/** Column of a packed row where the implied vols start and where the strike index is. */
function columnsOf(layout: SampleLayout): { impliedVolatility: number; strike: number } {
  const impliedVolatility = (layout.assets + (layout.variance ? 1 : 0)) * (layout.steps + 1);
  return { impliedVolatility, strike: impliedVolatility + (layout.impliedVolatility ? layout.steps : 0) };
}

/** Row-major [n, width]: each row one path's assets, variance, implied vols, strike index and regime label. */
export function packSample(s: MarketSample, layout: SampleLayout): Float32Array {
  if (layout.impliedVolatility !== (s.impliedVolatility !== undefined)) throw new Error('packSample: the sample and the layout disagree on implied volatilities');
  const cols = layout.steps + 1;
  const steps = layout.steps;
  const out = new Float32Array(s.n * layout.width);
  for (let i = 0; i < s.n; i++) {
    let at = i * layout.width;
    for (const a of s.assets) {
      out.set(a.subarray(i * cols, (i + 1) * cols), at);
      at += cols;
    }
    if (s.variance) {
      out.set(s.variance.subarray(i * cols, (i + 1) * cols), at);
      at += cols;
    }
    if (s.impliedVolatility) {
      out.set(s.impliedVolatility.subarray(i * steps, (i + 1) * steps), at);
      at += steps;
    }
    if (layout.strikes > 1) out[at++] = pathStrikeIndex(i, layout.strikes);
    if (s.regime) out[at] = s.regime[i];
  }
  return out;
}

/** Names of the deep hedgers' features for this experiment, in the order of `HedgingProblem.features`. */
export function featureNames(cfg: Experiment, assets: number, regime: boolean): string[] {
  const names = ['log_moneyness', 'expiry_time', 'volatility'];
  if (cfg.claim.type === 'lookback') names.push('log_max_moneyness');
  if (cfg.claim.type === 'cliquet') names.push('cliquet_payoff', 'spot');
  if (regime) names.push('regime');
  for (let i = 1; i < assets; i++) names.push(`log_return_${i + 1}`);
  return names;
}

/** Labels of the instruments, in the order of the positions a hedger returns. */
export function instrumentLabels(cfg: Experiment, assets: string[]): string[] {
  const o = cfg.instruments.options;
  const options =
    o.grid === 'none'
      ? []
      : o.grid === 'fixed'
        ? o.options.map((x) => `${x.kind} K=${x.strike} ${x.maturitySteps} steps`)
        : o.options.map((x) => `${x.moneyness > 1 ? 'call' : 'put'} ${x.moneyness} x ${x.maturitySteps} steps`);
  return [...assets, ...options];
}

/** The hedging problem on rows [n, width] of packed paths. The caller owns the result (problemTensors). */
export function buildProblem(cfg: Experiment, market: PreparedMarket, rows: tf.Tensor2D, layout: SampleLayout): HedgingProblem {
  const { steps, dt } = market;
  const cols = steps + 1;
  const [n] = rows.shape;
  const labels = instrumentLabels(cfg, market.summary.assets);
  const strikes = claimStrikes(cfg.claim);
  if (layout.strikes !== Math.max(1, strikes.length)) throw new Error(`buildProblem: rows packed for ${layout.strikes} strikes, the claim has ${strikes.length}`);
  // tf.tidy keeps the tensors of the returned object; its typing only admits plain tensor containers.
  return tf.tidy((() => {
    const assets = Array.from({ length: layout.assets }, (_, a) => rows.slice([0, a * cols], [n, cols]) as tf.Tensor2D);
    const spot = assets[0];
    const variance = layout.variance ? (rows.slice([0, layout.assets * cols], [n, cols]) as tf.Tensor2D) : null;
    const regime = layout.regime ? (rows.slice([0, layout.width - 1], [n, 1]) as tf.Tensor2D) : null;
    const tau = timeToMaturity({ steps, dt });
    const ones = tf.ones([n, steps]);
    const at = columnsOf(layout);
    const strikeIndex = layout.strikes > 1 ? rows.slice([0, at.strike], [n, 1]).reshape([n]).toInt() : tf.zeros([n], 'int32');
    const strike = (strikes.length > 0 ? tf.gather(tf.tensor1d(strikes), strikeIndex).reshape([n, 1]) : spot.slice([0, 0], [n, 1])) as tf.Tensor2D;
    const premiums = tf.gather(tf.tensor1d(market.premiums), strikeIndex) as tf.Tensor1D;

    let volatility: tf.Tensor2D;
    if (variance) volatility = tf.sqrt(tf.relu(variance.slice([0, 0], [n, steps]))) as tf.Tensor2D;
    else if (regime && market.regimeVolatility) volatility = tf.mul(tf.gather(tf.tensor1d(market.regimeVolatility), regime.reshape([n]).toInt()).reshape([n, 1]), ones) as tf.Tensor2D;
    else volatility = tf.mul(ones, market.volatility ?? 0) as tf.Tensor2D;
    const iv = market.impliedVolatility;
    let impliedVolatility: tf.Tensor2D;
    if (layout.impliedVolatility) impliedVolatility = rows.slice([0, at.impliedVolatility], [n, steps]);
    else if (iv.kind === 'constant') impliedVolatility = tf.mul(ones, iv.sigma) as tf.Tensor2D;
    else if (iv.kind === 'table') impliedVolatility = tf.gather(tf.tensor2d(iv.values, [iv.values.length / steps, steps]), strikeIndex) as tf.Tensor2D;
    else if (iv.kind === 'volatility') impliedVolatility = volatility.clone();
    else throw new Error('buildProblem: the market gives implied volatilities with its samples, but these rows carry none');

    const claim = cfg.claim;
    const now = spot.slice([0, 0], [n, steps]);
    const columns: tf.Tensor2D[] = [];
    columns.push(tf.log(tf.div(now, claim.type === 'cliquet' ? lastResetSpot(spot, claim.resetSteps) : strike)) as tf.Tensor2D);
    columns.push(tf.mul(ones, tau) as tf.Tensor2D);
    columns.push(volatility);
    if (claim.type === 'lookback') columns.push(tf.log(tf.div(runningMaximum(spot).slice([0, 0], [n, steps]), claim.strike)) as tf.Tensor2D);
    if (claim.type === 'cliquet') columns.push(cliquetPayoffIfMaturedNow(spot, claim.resetSteps, claim.cap), tf.div(now, spot.slice([0, 0], [n, 1])) as tf.Tensor2D);
    if (regime) {
      const k = market.regimeVolatility?.length ?? 1;
      columns.push(tf.mul(ones, tf.div(regime, Math.max(1, k - 1))) as tf.Tensor2D);
    }
    for (let a = 1; a < layout.assets; a++) columns.push(tf.log(tf.div(assets[a].slice([0, 0], [n, steps]), assets[a].slice([0, 0], [n, 1]))) as tf.Tensor2D);
    // [F, n, T] -> [T, n, F]: stacking along a new inner axis is a strided copy on wasm, a transpose is not.
    const features = tf.transpose(tf.stack(columns), [2, 1, 0]) as tf.Tensor3D;

    const { proportional, closeAtMaturity } = cfg.costs;
    const instruments: Instrument[] = assets.map((price, a) => assetInstrument(labels[a], price, proportional, closeAtMaturity));
    const o = cfg.instruments.options;
    if (o.grid === 'fixed' && cfg.market.model === 'gbm') {
      const sigma = cfg.market.volatility;
      const grid = tf.range(0, cols).reshape([1, cols]);
      o.options.forEach((x, i) => {
        const left = tf.mul(tf.sub(x.maturitySteps, grid), dt);
        const alive = Math.min(x.maturitySteps, steps);
        let price = bsPriceTensor(spot, x.strike, left, sigma, x.kind) as tf.Tensor2D;
        if (x.maturitySteps <= steps) {
          const settled = price.slice([0, x.maturitySteps], [n, 1]);
          price = tf.concat([price.slice([0, 0], [n, alive + 1]), tf.tile(settled, [1, cols - alive - 1])], 1) as tf.Tensor2D;
        }
        instruments.push(fixedGridInstrument(labels[layout.assets + i], spot, price, x.maturitySteps, o.cost, closeAtMaturity));
      });
    }
    if (o.grid === 'floating') {
      const premiums = floatingPremiums(market.floatingPremiums, steps, variance ? variance.slice([0, 0], [n, steps]) : null);
      o.options.forEach((x, i) => instruments.push(floatingGridInstrument(labels[layout.assets + i], spot, x, premiums[i], o.cost)));
    }

    const problem: HedgingProblem = {
      spot,
      claim,
      payoff: claimPayoff(claim, spot, layout.strikes > 1 ? strike : undefined),
      strike,
      premiums,
      premium: market.premium,
      instruments,
      volatility,
      impliedVolatility,
      features,
      featureNames: featureNames(cfg, layout.assets, layout.regime),
      dt,
      steps,
    };
    return problem;
  }) as unknown as () => tf.TensorContainer) as unknown as HedgingProblem;
}

/** The hedging problem of a drawn sample: its paths packed into rows [n, width] and built on them. The caller
 * owns `tensors` (the rows and the problem's tensors); when the build throws, the rows are freed here. */
export function sampledProblem(cfg: Experiment, market: PreparedMarket, sample: MarketSample, layout: SampleLayout) {
  const rows = tf.tensor2d(packSample(sample, layout), [sample.n, layout.width]);
  try {
    const problem = buildProblem(cfg, market, rows, layout);
    return { problem, rows, tensors: [rows, ...problemTensors(problem)] };
  } catch (e) {
    rows.dispose();
    throw e;
  }
}
