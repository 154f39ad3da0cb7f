/**
 * The form draft of paper 003's experiments: the RNN (§4.1) and SigFormer (§4.2) rows with every setting,
 * the hedge set (fig. 3: the first k assets traded), the bundled AAPL and S&P 500 series, and the bounds of
 * their schemas worded beside the field they break.
 */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/engine/experiment/presets';
import type { Experiment, Strategy } from '../../src/engine/experiment/schema';
import { checkDraft, DEFAULT_RNN, DEFAULT_SIGFORMER, draftFromExperiment, type Draft } from '../../src/ui/form-draft';

const rowOf = (draft: Draft, id: string) => draft.strategies.findIndex((r) => r.id === id);

const rnn: Strategy = {
  id: 'rnn',
  type: 'rnn',
  network: { layers: 3, units: 24, lags: 12 },
  training: { epochs: 7, batchSize: 128, learningRate: 2e-3, freshPaths: false, clip: 40, patience: 2 },
};
const sigformer: Strategy = {
  id: 'sigformer',
  type: 'sigformer',
  network: { modelDim: 4, order: 2, heads: 1, blocks: 3, mlpUnits: 64, dropout: 0.2 },
  training: { epochs: 9, batchSize: 64, learningRate: 5e-4, freshPaths: true, clip: 0, patience: 0 },
};

/** Two bundled assets (AAPL first: the claim's), historical windows of 30 days, a hedge set of `hedgeSet`. */
function aaplExperiment(hedgeSet: number | undefined, strategies: Strategy[]): Experiment {
  const cfg = defaultConfig();
  cfg.market = {
    model: 'historical',
    data: { source: 'bundled', symbols: ['AAPL', 'SPX'] },
    split: { train: 0.6, validation: 0.2 },
    s0: 100,
    maturityDays: 30,
    steps: 30,
    daysPerYear: 365,
  };
  cfg.claim = { type: 'european', kind: 'call', strike: 100 };
  cfg.instruments = hedgeSet === undefined ? { options: { grid: 'none' } } : { options: { grid: 'none' }, hedgeSet };
  cfg.strategies = [{ id: 'bs-delta', type: 'bs-delta' }, ...strategies];
  return cfg;
}

describe('form draft of paper 003 experiments', () => {
  it('round-trips the RNN and the SigFormer with every setting off its default, a hedge set and the bundled series', () => {
    for (const cfg of [aaplExperiment(1, [rnn, sigformer]), aaplExperiment(2, [sigformer]), aaplExperiment(undefined, [rnn])]) {
      const draft = draftFromExperiment(cfg);
      const check = checkDraft(draft);
      expect(check.fieldErrors).toEqual({});
      expect(check.config).toEqual(cfg);
    }
  });

  it('keeps the order of the bundled series (the claim is on the first) and an empty hedge set means every asset', () => {
    const cfg = aaplExperiment(undefined, [rnn]);
    const draft = draftFromExperiment(cfg);
    expect(draft.instruments.hedgeSet).toBe('');
    expect(draft.market.data.bundled).toEqual(['AAPL', 'SPX']);
    draft.market.data.bundled = ['SPX', 'AAPL'];
    draft.instruments.hedgeSet = '2';
    const config = checkDraft(draft).config!;
    expect(config.market.model === 'historical' && config.market.data).toEqual({ source: 'bundled', symbols: ['SPX', 'AAPL'] });
    expect(config.instruments).toEqual({ options: { grid: 'none' }, hedgeSet: 2 });
  });

  it('offers unticked RNN and SigFormer rows that, ticked, are the form’s starting hedgers (a laptop-sized SigFormer)', () => {
    const draft = draftFromExperiment(defaultConfig());
    const base = defaultConfig().strategies;
    for (const [type, expected] of [
      ['rnn', DEFAULT_RNN],
      ['sigformer', DEFAULT_SIGFORMER],
    ] as const) {
      const i = rowOf(draft, type);
      expect(draft.strategies[i]).toMatchObject({ enabled: false, type });
      draft.strategies[i]!.enabled = true;
      const config = checkDraft(draft).config!;
      expect(config.strategies.slice(0, base.length)).toEqual(base);
      expect(config.strategies.at(-1)).toEqual({ id: type, ...expected });
      draft.strategies[i]!.enabled = false;
    }
    expect(DEFAULT_SIGFORMER.network).toMatchObject({ modelDim: 4, order: 3, heads: 2, blocks: 2 });
  });

  it("words the schemas' bounds beside the field they break", () => {
    const draft = draftFromExperiment(aaplExperiment(1, [rnn, sigformer]));
    const r = rowOf(draft, 'rnn');
    const s = rowOf(draft, 'sigformer');
    Object.assign(draft.strategies[r]!, { layers: '5', lags: '0', clip: '-1', patience: '1.5' });
    Object.assign(draft.strategies[s]!, { dropout: '0.95', heads: 'x' });
    const check = checkDraft(draft);
    expect(check.config).toBeNull();
    expect(check.otherErrors).toEqual([]);
    expect(check.fieldErrors).toEqual({
      [`strategies.${r}.network.layers`]: ['must be at most 4'],
      [`strategies.${r}.network.lags`]: ['must be at least 1'],
      [`strategies.${r}.training.clip`]: ['must be at least 0'],
      [`strategies.${r}.training.patience`]: ['must be a whole number'],
      [`strategies.${s}.network.dropout`]: ['must be at most 0.9'],
      [`strategies.${s}.network.heads`]: ['enter a number'],
    });
    // Checks across fields, once each field is in its bounds: d^m, and a hedge set larger than the market.
    const fixed = draftFromExperiment(aaplExperiment(1, [rnn, sigformer]));
    Object.assign(fixed.strategies[s]!, { modelDim: '16', order: '4' });
    fixed.instruments.hedgeSet = '3';
    expect(checkDraft(fixed).fieldErrors).toEqual({
      [`strategies.${s}.network.order`]: ['modelDim^order must be at most 4096 (the widest signature level lives on the device for every path and date)'],
      'instruments.hedgeSet': ['the market has 2 assets: a hedge set of 3 is larger'],
    });
  });
});
