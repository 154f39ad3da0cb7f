/**
 * The strategies to compare: one row per strategy with a tick box, and the parameters of the ticked ones
 * (Whalley-Wilmott's risk aversion; each network's size and training; DHLNN's inner loop; the recurrent
 * hedger's blocks, validation and optimizer, Adam or DH-KFAC with paper 002 Algorithm 1's symbols; paper
 * 000's RL agents, agent-fields.tsx; where implied delta's volatility comes from, eq. 26; paper 003's RNN and
 * SigFormer, sequence-fields.tsx).
 */
import type { StrategyType } from '../engine/experiment/schema';
import { AgentFields } from './agent-fields';
import { CheckboxField, NumberField, SelectField, TextField } from './form-fields';
import { isRlType, OPTIMIZER_FIELDS, OPTIMIZERS, type OptimizerField, type StrategyDraft } from './form-draft';
import { useLab } from './lab-store';
import { Panel } from './panel';
import { SequenceFields } from './sequence-fields';

const DESCRIPTIONS: Record<StrategyType, { title: string; about: string }> = {
  'no-hedge': { title: 'No hedge', about: 'Hold nothing; the baseline.' },
  'bs-delta': { title: 'Black-Scholes delta', about: 'Hold the textbook delta at every step.' },
  'whalley-wilmott': { title: 'Whalley-Wilmott band', about: 'Trade back to delta only when outside a no-trade band.' },
  'deep-mlp': { title: 'Deep hedger (MLP)', about: 'A neural network trained to minimise the risk measure.' },
  dhmlp: { title: 'DHMLP', about: 'Paper 001’s deep hedger: the same network and Adam training, under the paper’s name.' },
  dhntb: { title: 'DHNTB', about: 'A network sets a no-trade band around the Black-Scholes delta; trained by Adam.' },
  dhlnn: { title: 'DHLNN', about: 'A band around the delta trained by nested steps on a linearised objective (paper 001).' },
  recurrent: {
    title: 'Recurrent (paper 002)',
    about: 'Residual blocks of RMSNorm + LSTM that trade every instrument (paper 002 eq. 5); trained by Adam or DH-KFAC.',
  },
  'implied-delta': { title: 'Implied delta', about: 'The Black-Scholes delta at the market’s implied volatility (paper 000 eq. 26): the RL agents’ expert.' },
  'bc-rppo': { title: 'BC-RPPO (paper 000)', about: 'Clones the implied-delta expert, then fine-tunes by recurrent PPO on the sparse reward −PV_T² (Algorithms 1-2).' },
  a2c: { title: 'A2C', about: 'Advantage actor-critic on the sparse reward (paper 000 eq. 41).' },
  ppo: { title: 'PPO', about: 'Proximal policy optimisation with a feed-forward policy (paper 000 eq. 42).' },
  ddpg: { title: 'DDPG', about: 'Deterministic policy and a Q-critic learned from a replay buffer (paper 000 eq. 43-44).' },
  td3: { title: 'TD3', about: 'DDPG with twin critics, delayed policy updates and target smoothing.' },
  sac: { title: 'SAC', about: 'Soft actor-critic: a squashed Gaussian policy maximising reward and entropy (paper 000 eq. 45).' },
  rnn: {
    title: 'RNN (paper 003)',
    about: 'Two LSTM layers read the last L days of log-returns of every traded asset (and the regime label) and hold each asset (paper 003 §4.1).',
  },
  sigformer: {
    title: 'SigFormer (paper 003)',
    about: 'Causal self-attention over streaming path signatures of the returns, then a linear readout to each asset’s holding (paper 003 §4.2). The row starts at d 4 for a laptop; the paper’s d 8, m 3, 2 heads, 2 blocks (4.9 million weights) is in the paper 003 presets.',
  },
};

/** Each optimizer setting's label (plain words, then paper 002's symbol) and hint; a row starts at the paper's values. */
const OPTIMIZER_LABELS: Record<OptimizerField, { label: string; hint: string; integer?: boolean }> = {
  learningRate: { label: 'Learning rate', hint: 'Reached after a linear warm-up over the first epoch (paper 002 §4.1)' },
  decay: { label: 'Decay per iteration', hint: 'The learning rate is multiplied by this every iteration after the warm-up' },
  clipNorm: { label: 'Gradient clip norm', hint: 'Gradients longer than this are scaled down to it; 0: no clipping' },
  trustRegion: { label: 'Trust region ρ₀ᵀᴿ', hint: 'Initial size of the trust region bounding each step (Algorithm 1, line 20)' },
  trustRegionDecay: { label: 'Trust-region decay βᵀᴿ', hint: 'The trust region shrinks by this factor every iteration (line 21)' },
  maxStepSize: { label: 'Max step size ηᵐᵃˣ', hint: 'Largest step size the trust region allows (line 20)' },
  shrinkage: { label: 'Shrinkage ρ', hint: 'Shrinkage intensity of the damping (line 18, eq. 11)' },
  momentum: { label: 'Momentum βᵐᵒᵐ', hint: 'Weight of the previous step in the next (line 22); the paper’s 0.92 blew up at trust region 1e-3 in our runs, 0 trains (README)' },
  averaging: { label: 'Curvature averaging βᶠ', hint: 'Moving-average factor of the curvature factors A, G and D (lines 5, 11, 12)' },
  covarianceEvery: { label: 'Curvature every Nᶜᵒᵛ', hint: 'Iterations between updates of A, G and D (line 3)', integer: true },
  eigenEvery: { label: 'Eigenbases every Nᵉᵛᵈ', hint: 'Iterations between eigendecompositions (line 13)', integer: true },
  earlyIterations: { label: 'Early iterations', hint: 'Over these first iterations the curvature is updated every iteration, while it grows fastest (0: the paper’s schedule throughout)', integer: true },
  earlyEigenEvery: { label: 'Early eigenbases every', hint: 'Iterations between eigendecompositions during the early iterations', integer: true },
  curvaturePaths: { label: 'Curvature paths', hint: 'Paths whose pseudo-gradients estimate G and D at each update (the paper samples 1, line 6)', integer: true },
  costCurvature: { label: 'Cost curvature c̃ / c', hint: 'Curvature of the costs in the inner Hessian, relative to the cost rate (eq. 12)' },
};

const TRAINED: readonly StrategyType[] = ['deep-mlp', 'dhmlp', 'dhntb', 'dhlnn'];

function StrategyRow({ row, index }: { row: StrategyDraft; index: number }) {
  const edit = useLab((s) => s.edit);
  const key = `strategies.${index}`;
  const set = <K extends keyof StrategyDraft>(field: K, value: StrategyDraft[K]) => edit((d) => void (d.strategies[index][field] = value));
  const idError = useLab((s) => s.check.fieldErrors[`${key}.id`]);
  /** A strategy the claim does not allow (Black-Scholes delta of a cliquet, a Whalley-Wilmott band off a European). */
  const typeError = useLab((s) => s.check.fieldErrors[`${key}.type`]);
  const { title, about } = DESCRIPTIONS[row.type];
  const label = row.id === row.type ? title : `${title} (${row.id})`;
  // The training fields every network shares, feed-forward or recurrent.
  const epochs = (
    <>
      <NumberField name={`${key}.training.epochs`} label="Epochs" integer value={row.epochs} onChange={(v) => set('epochs', v)} />
      <NumberField name={`${key}.training.batchSize`} label="Batch size" integer value={row.batchSize} onChange={(v) => set('batchSize', v)} />
    </>
  );
  const freshPaths = (
    <CheckboxField name={`${key}.training.freshPaths`} label="Fresh training paths every epoch" checked={row.freshPaths} onChange={(v) => set('freshPaths', v)} />
  );

  return (
    <div className={`strategy-row${row.enabled ? ' enabled' : ''}`} data-testid={`strategy-${row.id}`}>
      <CheckboxField name={`${key}.enabled`} label={label} checked={row.enabled} onChange={(v) => set('enabled', v)} hint={about} />
      {idError && <span className="field-error">{idError.join('; ')}</span>}
      {typeError && (
        <span className="field-error" role="alert">
          {typeError.join('; ')}
        </span>
      )}
      {row.enabled && row.type === 'implied-delta' && (
        <p className="panel-note" style={{ margin: '4px 0 2px 24px' }} data-testid="implied-volatility-note">
          Hedges at the implied volatility: from option quotes where given, else a stated proxy of the market (named above the metrics).
        </p>
      )}
      {row.enabled && isRlType(row.type) && <AgentFields row={row} index={index} />}
      {row.enabled && (row.type === 'rnn' || row.type === 'sigformer') && <SequenceFields row={row} index={index} />}
      {row.enabled && row.type === 'whalley-wilmott' && (
        <div className="strategy-params">
          <NumberField name={`${key}.riskAversion`} label="Risk aversion a" value={row.riskAversion} onChange={(v) => set('riskAversion', v)} />
        </div>
      )}
      {row.enabled && TRAINED.includes(row.type) && (
        <div className="strategy-params">
          <NumberField name={`${key}.network.layers`} label="Hidden layers" integer value={row.layers} onChange={(v) => set('layers', v)} />
          <NumberField name={`${key}.network.units`} label="Units per layer" integer value={row.units} onChange={(v) => set('units', v)} />
          {epochs}
          <NumberField name={`${key}.training.learningRate`} label="Learning rate" value={row.learningRate} onChange={(v) => set('learningRate', v)} />
          {freshPaths}
          {row.type === 'dhlnn' && (
            <>
              <NumberField name={`${key}.inner.steps`} label="Inner iterations N" integer value={row.innerSteps} onChange={(v) => set('innerSteps', v)} />
              <NumberField name={`${key}.inner.tolerance`} label="Inner tolerance ε" value={row.tolerance} onChange={(v) => set('tolerance', v)} />
              <SelectField
                name={`${key}.inner.precondition`}
                label="Inner steps scaled by"
                value={row.precondition}
                options={[
                  { value: 'adam', label: 'Adam’s v̂' },
                  { value: 'none', label: 'none (eq. 15)' },
                ]}
                onChange={(v) => set('precondition', v as StrategyDraft['precondition'])}
              />
            </>
          )}
        </div>
      )}
      {row.enabled && row.type === 'recurrent' && (
        <div className="strategy-params">
          <NumberField
            name={`${key}.network.blocks`}
            label="Residual blocks"
            integer
            value={row.blocks}
            onChange={(v) => set('blocks', v)}
            hint="Each block: RMSNorm, then an LSTM cell, added to its input"
          />
          <NumberField name={`${key}.network.units`} label="Units per block" integer value={row.units} onChange={(v) => set('units', v)} hint="Width of each LSTM cell's state" />
          {epochs}
          <NumberField
            name={`${key}.training.validationEvery`}
            label="Validate every (iterations)"
            integer
            value={row.validationEvery}
            onChange={(v) => set('validationEvery', v)}
            hint="Score on the validation paths every this many iterations (paper 002 fig. 3)"
          />
          {freshPaths}
          <SelectField name={`${key}.optimizer.type`} label="Optimizer" value={row.optimizer} options={OPTIMIZERS} onChange={(v) => set('optimizer', v)} />
          {OPTIMIZER_FIELDS[row.optimizer].map((field) => (
            <NumberField key={field} name={`${key}.optimizer.${field}`} {...OPTIMIZER_LABELS[field]} value={row[field]} onChange={(v) => set(field, v)} />
          ))}
        </div>
      )}
    </div>
  );
}

export function StrategiesPanel() {
  const rows = useLab((s) => s.draft.strategies);
  const listError = useLab((s) => s.check.fieldErrors['strategies']);
  const checkpoints = useLab((s) => s.draft.checkpoints);
  const edit = useLab((s) => s.edit);
  return (
    <Panel title="Strategies" note="Every ticked strategy hedges the same test paths.">
      <TextField
        name="checkpoints"
        label="Score trained strategies at epochs"
        value={checkpoints}
        onChange={(v) => edit((d) => void (d.checkpoints = v))}
        hint="e.g. 10, 20, 30, 40: each trained strategy's test metrics after these epochs (the Compare view and the CLI's checkpoints)"
      />
      {rows.map((row, index) => (
        <StrategyRow key={`${row.id}:${index}`} row={row} index={index} />
      ))}
      {listError && (
        <span className="field-error" role="alert">
          {listError.join('; ')}
        </span>
      )}
    </Panel>
  );
}
