import { describe, expect, it } from 'vitest';
import { defaultConfig, PAPER002_ADAM, preset, PRESETS } from '../../src/engine/experiment/presets';
import type { Experiment, RecurrentStrategy } from '../../src/engine/experiment/schema';
import { checkDraft, DEFAULT_RECURRENT, draftFromExperiment, OPTIMIZER_FIELDS, PAPER_002_OPTIMIZERS, type Draft } from '../../src/ui/form-draft';

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
