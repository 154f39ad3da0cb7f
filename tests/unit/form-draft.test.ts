import { describe, expect, it } from 'vitest';
import { defaultConfig, PAPER002_ADAM, preset, PRESETS } from '../../src/engine/experiment/presets';
import { usesPriceData, type Experiment, type ForecasterMarket, type RecurrentStrategy } from '../../src/engine/experiment/schema';
import { checkDraft, DEFAULT_RECURRENT, draftFromExperiment, draftUsesPriceData, OPTIMIZER_FIELDS, PAPER_002_OPTIMIZERS, type Draft } from '../../src/ui/form-draft';

/** A paper 002 race: a recurrent hedger per optimizer, the variance-plus-costs objective, validation paths and a target. */
function recurrentExperiment(): Experiment {
  const cfg = defaultConfig();
  cfg.risk = { measure: 'variance-cost', gamma: 250 };
  cfg.paths = { train: 4096, test: 1024, validation: 512 };
  cfg.targetLoss = 0.0125;
  const adam: RecurrentStrategy = {
    id: 'rnn-adam',
    type: 'recurrent',
    network: { blocks: 2, units: 16 },
    training: { epochs: 3, batchSize: 128, freshPaths: false, validationEvery: 7 },
    optimizer: { type: 'adam', learningRate: 2e-3, decay: 0.995, clipNorm: 0 },
  };
  const kfac: RecurrentStrategy = {
    id: 'rnn-kfac',
    type: 'recurrent',
    network: { blocks: 3, units: 24 },
    training: { epochs: 4, batchSize: 64, freshPaths: true, validationEvery: 2 },
    optimizer: {
      type: 'dh-kfac',
      trustRegion: 2e-3,
      trustRegionDecay: 0.99,
      maxStepSize: 0.5,
      shrinkage: 1e-3,
      momentum: 0.9,
      averaging: 0.9,
      covarianceEvery: 3,
      eigenEvery: 30,
      earlyIterations: 20,
      earlyEigenEvery: 4,
      curvaturePaths: 16,
      costCurvature: 4,
    },
  };
  cfg.strategies = [cfg.strategies[0]!, adam, kfac];
  return cfg;
}

const rowOf = (draft: Draft, id: string) => draft.strategies.findIndex((r) => r.id === id);

describe('form draft', () => {
  it('round-trips every preset', () => {
    for (const name of Object.keys(PRESETS)) {
      const cfg = preset(name);
      expect(checkDraft(draftFromExperiment(cfg)).config, name).toEqual(cfg);
    }
  });

  it('round-trips recurrent hedgers of each optimizer, the variance-plus-costs measure, validation paths and a target loss', () => {
    const cfg = recurrentExperiment();
    const check = checkDraft(draftFromExperiment(cfg));
    expect(check.fieldErrors).toEqual({});
    expect(check.otherErrors).toEqual([]);
    expect(check.config).toEqual(cfg);
  });

  it('leaves validation paths and the target loss out when their fields are empty', () => {
    const draft = draftFromExperiment(recurrentExperiment());
    draft.paths.validation = ' ';
    draft.targetLoss = '';
    const config = checkDraft(draft).config!;
    expect(config.paths).toEqual({ train: 4096, test: 1024 });
    expect('targetLoss' in config).toBe(false);
  });

  it('offers an unticked recurrent row that, ticked, is the default recurrent hedger', () => {
    const draft = draftFromExperiment(defaultConfig());
    const i = rowOf(draft, 'recurrent');
    expect(draft.strategies[i]).toMatchObject({ enabled: false, type: 'recurrent' });
    draft.strategies[i]!.enabled = true;
    // The default experiment's entropic measure is not the recurrent hedger's objective: the message says so on the measure.
    expect(checkDraft(draft).fieldErrors['risk.measure']).toEqual(['recurrent hedgers minimise paper 002 eq. 3: choose the variance + costs measure']);
    draft.risk.measure = 'variance-cost';
    const config = checkDraft(draft).config!;
    expect(config.strategies.find((s) => s.type === 'recurrent')).toEqual({ id: 'recurrent', ...DEFAULT_RECURRENT });
    expect(DEFAULT_RECURRENT).toEqual({
      type: 'recurrent',
      network: { blocks: 4, units: 32 },
      training: { epochs: 2, batchSize: 256, freshPaths: true, validationEvery: 5 },
      optimizer: PAPER002_ADAM,
    });
  });

  it("switches a recurrent hedger's optimizer to paper 002's settings and back without losing what was typed", () => {
    const draft = draftFromExperiment(recurrentExperiment());
    const i = rowOf(draft, 'rnn-adam');
    draft.strategies[i]!.optimizer = 'dh-kfac';
    const kfac = checkDraft(draft).config!.strategies[1] as RecurrentStrategy;
    expect(kfac.optimizer).toEqual(PAPER_002_OPTIMIZERS['dh-kfac']);
    draft.strategies[i]!.optimizer = 'adam';
    expect(checkDraft(draft).config).toEqual(recurrentExperiment());
    // A feed-forward row keeps its own learning rate; a recurrent row on DH-KFAC keeps Adam's for a switch.
    const j = rowOf(draft, 'rnn-kfac');
    draft.strategies[j]!.optimizer = 'adam';
    expect((checkDraft(draft).config!.strategies[2] as RecurrentStrategy).optimizer).toEqual(PAPER_002_OPTIMIZERS.adam);
  });

  it('names the field of every bad value', () => {
    const draft = draftFromExperiment(recurrentExperiment());
    const a = rowOf(draft, 'rnn-adam');
    const k = rowOf(draft, 'rnn-kfac');
    draft.risk.gamma = '';
    draft.paths.validation = '8';
    draft.targetLoss = 'low';
    Object.assign(draft.strategies[a]!, { blocks: '9', units: 'x', validationEvery: '1.5', decay: '2', clipNorm: '' });
    Object.assign(draft.strategies[k]!, { covarianceEvery: '2.5', trustRegionDecay: '0.5', momentum: '1' });
    const check = checkDraft(draft);
    expect(check.config).toBeNull();
    expect(check.otherErrors).toEqual([]);
    expect(check.fieldErrors).toEqual({
      'risk.gamma': ['enter a number'],
      'paths.validation': ['must be at least 16'],
      targetLoss: ['enter a number'],
      [`strategies.${a}.network.blocks`]: ['must be at most 8'],
      [`strategies.${a}.network.units`]: ['enter a number'],
      [`strategies.${a}.training.validationEvery`]: ['must be a whole number'],
      [`strategies.${a}.optimizer.decay`]: ['must be at most 1'],
      [`strategies.${a}.optimizer.clipNorm`]: ['enter a number'],
      [`strategies.${k}.optimizer.covarianceEvery`]: ['must be a whole number'],
      [`strategies.${k}.optimizer.trustRegionDecay`]: ['must be at least 0.9'],
      [`strategies.${k}.optimizer.momentum`]: ['must be at most 0.999'],
    });
    // Checks across fields run once every field is in bounds.
    const big = draftFromExperiment(recurrentExperiment());
    big.strategies[k]!.batchSize = '5000';
    expect(checkDraft(big).fieldErrors).toEqual({ [`strategies.${k}.training.batchSize`]: ['batch size 5000 exceeds the 4096 training paths'] });
  });

  it('checks every setting of each optimizer', () => {
    const draft = draftFromExperiment(recurrentExperiment());
    for (const id of ['rnn-adam', 'rnn-kfac']) {
      const i = rowOf(draft, id);
      const row = draft.strategies[i]!;
      for (const field of OPTIMIZER_FIELDS[row.optimizer]) {
        const typed = row[field];
        row[field] = 'oops';
        expect(checkDraft(draft).fieldErrors, field).toEqual({ [`strategies.${i}.optimizer.${field}`]: ['enter a number'] });
        row[field] = typed;
      }
    }
  });
});

/** Paper 000's forecaster market on the S&P 500 with a split by dates, as its preset has it. */
function forecasterExperiment(): Experiment {
  return preset('paper000-forecast-sp500');
}

const forecasterOf = (cfg: Experiment) => cfg.market as ForecasterMarket;

describe('form draft: the forecaster market', () => {
  it('round-trips every data source, a split by shares and by dates, and every setting of the forecaster', () => {
    const dates = forecasterExperiment();
    expect(forecasterOf(dates).split).toEqual({ trainEnd: '2017-12-31', validationEnd: '2018-12-31' });
    const variants: Experiment[] = [dates];
    const withMarket = (edit: (m: ForecasterMarket) => void): Experiment => {
      const cfg = structuredClone(dates);
      edit(cfg.market as ForecasterMarket);
      return cfg;
    };
    variants.push(
      withMarket((m) => void (m.split = { train: 0.6, validation: 0.2 })),
      withMarket((m) => void (m.data = { source: 'bundled', symbols: ['AAPL', 'SPX'] })),
      withMarket((m) => void (m.data = { source: 'imported', file: 'prices.csv', symbols: ['MSFT', 'IBM'] })),
      withMarket((m) => {
        m.data = { source: 'factor-panel', assets: 12, factors: 2, days: 800, seed: 3 };
        m.split = { train: 0.7, validation: 0.1 };
        m.measure = 'physical';
        m.testOn = 'forecaster';
        m.rate = 0.03;
        m.s0 = 100;
        m.forecaster = {
          context: 10,
          horizon: 5,
          latents: 2,
          width: 4,
          heads: 1,
          depth: 1,
          dropout: 0,
          marketValueDropout: { p: 0.25, tau: 2 },
          training: { epochs: 2, batchSize: 32, learningRate: 0.003, patience: 4 },
        };
      }),
    );
    for (const cfg of variants) {
      const check = checkDraft(draftFromExperiment(cfg));
      expect(check.fieldErrors, JSON.stringify(cfg.market)).toEqual({});
      expect(check.otherErrors).toEqual([]);
      expect(check.config).toEqual(cfg);
    }
  });

  it('keeps a split by dates and one by shares while the form switches between them, and the data while it tries the factor panel', () => {
    const draft = draftFromExperiment(forecasterExperiment());
    expect(draft.market.forecaster.splitBy).toBe('dates');
    draft.market.forecaster.splitBy = 'fractions';
    draft.market.data.train = '0.5';
    expect(forecasterOf(checkDraft(draft).config!).split).toEqual({ train: 0.5, validation: 0.15 });
    draft.market.forecaster.splitBy = 'dates';
    expect(forecasterOf(checkDraft(draft).config!).split).toEqual({ trainEnd: '2017-12-31', validationEnd: '2018-12-31' });

    draft.market.data.source = 'bundled';
    draft.market.data.bundled = ['AAPL'];
    draft.market.forecaster.factorPanel = true;
    expect(forecasterOf(checkDraft(draft).config!).data).toEqual({ source: 'factor-panel', assets: 30, factors: 3, days: 2520, seed: 7 });
    expect(draftUsesPriceData(draft.market)).toBe(false);
    expect(usesPriceData(checkDraft(draft).config!.market)).toBe(false);
    draft.market.forecaster.factorPanel = false;
    expect(forecasterOf(checkDraft(draft).config!).data).toEqual({ source: 'bundled', symbols: ['AAPL'] });
    expect(draftUsesPriceData(draft.market)).toBe(true);
    expect(usesPriceData(checkDraft(draft).config!.market)).toBe(true);
  });

  it('keeps the forecaster’s settings while another market is shown, and the other markets’ settings while it is', () => {
    const cfg = forecasterExperiment();
    const draft = draftFromExperiment(cfg);
    draft.market.model = 'historical';
    const historical = checkDraft(draft).config!.market;
    expect(historical.model).toBe('historical');
    draft.market.model = 'gbm';
    expect(checkDraft(draft).config!.market.model).toBe('gbm');
    draft.market.model = 'forecaster';
    expect(checkDraft(draft).config).toEqual(cfg);

    const gbm = draftFromExperiment(defaultConfig());
    gbm.market.model = 'forecaster';
    const config = checkDraft(gbm).config!;
    expect(config.market).toMatchObject({ model: 'forecaster', data: { source: 'sp500' }, split: { train: 0.7, validation: 0.15 }, forecaster: forecasterOf(cfg).forecaster });
    gbm.market.model = 'gbm';
    expect(checkDraft(gbm).config).toEqual(defaultConfig());
  });

  it('names the field of every bad value of the forecaster, its dates and its factor panel', () => {
    const draft = draftFromExperiment(forecasterExperiment());
    const f = draft.market.forecaster;
    Object.assign(f, { trainEnd: '31/12/2017', context: '1', latents: '2.5', dropP: 'x', learningRate: '0.5', rate: '' });
    draft.market.data.maturityDays = '0';
    const check = checkDraft(draft);
    expect(check.config).toBeNull();
    expect(check.otherErrors).toEqual([]);
    expect(check.fieldErrors).toEqual({
      'market.split.trainEnd': ['enter a date as yyyy-mm-dd'],
      'market.forecaster.context': ['must be at least 2'],
      'market.forecaster.latents': ['must be a whole number'],
      'market.forecaster.marketValueDropout.p': ['enter a number'],
      'market.forecaster.training.learningRate': ['must be at most 0.1'],
      'market.rate': ['enter a number'],
      'market.maturityDays': ['must be at least 1'],
    });
    const reversed = draftFromExperiment(forecasterExperiment());
    reversed.market.forecaster.trainEnd = '2019-06-28';
    expect(checkDraft(reversed).fieldErrors).toEqual({ 'market.split': ['the last training date must come before the last validation date'] });

    const panel = draftFromExperiment(preset('paper000-forecast-factors'));
    Object.assign(panel.market.forecaster, { assets: '4', factors: '5', latents: '6', days: '100' });
    expect(checkDraft(panel).fieldErrors).toEqual({
      'market.data.days': ['must be at least 300'],
      'market.data.factors': ['a panel of 4 assets has at most 4 factors'],
      'market.forecaster.latents': ["k = 6 latent assets is more than the panel's 4 assets"],
    });
  });
});
