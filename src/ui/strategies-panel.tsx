/**
 * The strategies to compare: one row per strategy with a tick box, and the parameters of the ticked ones
 * (Whalley-Wilmott's risk aversion; each network's size and training; DHLNN's inner loop).
 */
import type { StrategyType } from '../engine/experiment/schema';
import { CheckboxField, NumberField, SelectField, TextField } from './form-fields';
import type { StrategyDraft } from './form-draft';
import { useLab } from './lab-store';
import { Panel } from './panel';

const DESCRIPTIONS: Record<StrategyType, { title: string; about: string }> = {
  'no-hedge': { title: 'No hedge', about: 'Hold nothing; the baseline.' },
  'bs-delta': { title: 'Black-Scholes delta', about: 'Hold the textbook delta at every step.' },
  'whalley-wilmott': { title: 'Whalley-Wilmott band', about: 'Trade back to delta only when outside a no-trade band.' },
  'deep-mlp': { title: 'Deep hedger (MLP)', about: 'A neural network trained to minimise the risk measure.' },
  dhmlp: { title: 'DHMLP', about: 'Paper 001’s deep hedger: the same network and Adam training, under the paper’s name.' },
  dhntb: { title: 'DHNTB', about: 'A network sets a no-trade band around the Black-Scholes delta; trained by Adam.' },
  dhlnn: { title: 'DHLNN', about: 'A band around the delta trained by nested steps on a linearised objective (paper 001).' },
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

  return (
    <div className={`strategy-row${row.enabled ? ' enabled' : ''}`} data-testid={`strategy-${row.id}`}>
      <CheckboxField name={`${key}.enabled`} label={label} checked={row.enabled} onChange={(v) => set('enabled', v)} hint={about} />
      {idError && <span className="field-error">{idError.join('; ')}</span>}
      {typeError && (
        <span className="field-error" role="alert">
          {typeError.join('; ')}
        </span>
      )}
      {row.enabled && row.type === 'whalley-wilmott' && (
        <div className="strategy-params">
          <NumberField name={`${key}.riskAversion`} label="Risk aversion a" value={row.riskAversion} onChange={(v) => set('riskAversion', v)} />
        </div>
      )}
      {row.enabled && TRAINED.includes(row.type) && (
        <div className="strategy-params">
          <NumberField name={`${key}.network.layers`} label="Hidden layers" integer value={row.layers} onChange={(v) => set('layers', v)} />
          <NumberField name={`${key}.network.units`} label="Units per layer" integer value={row.units} onChange={(v) => set('units', v)} />
          <NumberField name={`${key}.training.epochs`} label="Epochs" integer value={row.epochs} onChange={(v) => set('epochs', v)} />
          <NumberField name={`${key}.training.batchSize`} label="Batch size" integer value={row.batchSize} onChange={(v) => set('batchSize', v)} />
          <NumberField name={`${key}.training.learningRate`} label="Learning rate" value={row.learningRate} onChange={(v) => set('learningRate', v)} />
          <CheckboxField
            name={`${key}.training.freshPaths`}
            label="Fresh training paths every epoch"
            checked={row.freshPaths}
            onChange={(v) => set('freshPaths', v)}
          />
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
