/**
 * What paper 003's sequence hedgers read (families/sequence.ts sequenceInputs), on a problem laid out by hand:
 * the RNN its lagged log-returns over sigma_tau sqrt(dt) for every asset of the hedge set and the regime label;
 * the SigFormer the problem's features by path, log-moneyness and log-returns over sigma_t sqrt(T), the time to
 * maturity over T, the others as they are.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { rnnInputWidth, sequenceInputs } from '../../src/engine/experiment/families/sequence';
import type { SequenceStrategy } from '../../src/engine/experiment/schema';
import { assetInstrument } from '../../src/engine/hedging/instruments';
import type { HedgingProblem } from '../../src/engine/hedging/problem';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const training = { epochs: 1, batchSize: 8, learningRate: 1e-3, freshPaths: true, clip: 0, patience: 0 };
const rnn: SequenceStrategy = { id: 'rnn', type: 'rnn', network: { layers: 1, units: 2, lags: 2 }, training };
const sigformer: SequenceStrategy = { id: 'sf', type: 'sigformer', network: { modelDim: 2, order: 2, heads: 1, blocks: 1, mlpUnits: 2, dropout: 0 }, training };

/** One path, T = 2 dates of dt 0.25, two assets, volatility 0.5 then 0.25; features [T, n, F]. */
function problem(): HedgingProblem {
  const names = ['log_moneyness', 'expiry_time', 'volatility', 'regime', 'log_return_2'];
  const features = tf.tensor3d([[[0.1, 0.5, 0.5, 1, 0.2]], [[-0.3, 0.25, 0.25, 0.5, 0.4]]]);
  return {
    instruments: [assetInstrument('A', tf.tensor2d([[1, 2, 4]]), 0, false), assetInstrument('B', tf.tensor2d([[1, 1, 3]]), 0, false)],
    volatility: tf.tensor2d([[0.5, 0.25]]),
    features,
    featureNames: names,
    dt: 0.25,
    steps: 2,
  } as unknown as HedgingProblem;
}

describe('sequenceInputs', () => {
  it("gives the RNN each asset's lags over sigma_tau sqrt(dt), then the regime label", async () => {
    const x = sequenceInputs(rnn, problem());
    expect(x.shape).toEqual([1, 2, rnnInputWidth(2, 2, true)]);
    const got = Array.from(await x.data());
    // r_0 of A is log 2 at sigma_0 0.5, of B log 1 = 0; sigma_0 sqrt(dt) = 0.25.
    const expected = [0, 0, 0, 0, 1, 0, Math.log(2) / 0.25, 0, 0, 0.5];
    got.forEach((v, k) => expect(v).toBeCloseTo(expected[k], 5));
  });

  it('gives the SigFormer its features by path, brought to order one', async () => {
    const x = sequenceInputs(sigformer, problem());
    expect(x.shape).toEqual([1, 2, 5]);
    const got = Array.from(await x.data());
    // sqrt(T) = sqrt(0.5); sigma_t 0.5 then 0.25; T = 0.5.
    const r = Math.sqrt(0.5);
    const expected = [0.1 / (0.5 * r), 1, 0.5, 1, 0.2 / (0.5 * r), -0.3 / (0.25 * r), 0.5, 0.25, 0.5, 0.4 / (0.25 * r)];
    got.forEach((v, k) => expect(v).toBeCloseTo(expected[k], 5));
  });
});
