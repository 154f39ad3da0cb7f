/**
 * The left column: one panel per part of the experiment schema (schema.ts) — market, claim, costs and
 * premium, risk measure, strategies, seed. Every keystroke goes through the draft (form-draft.ts), so the
 * form keeps what was typed and shows each validation message beside its field.
 */
import { PRESETS, preset } from '../engine/experiment/presets';
import type { Experiment, Risk } from '../engine/experiment/schema';
import { CheckboxField, NumberField, SelectField, TextField } from './form-fields';
import { useLab } from './lab-store';
import { Panel } from './panel';
import { StrategiesPanel } from './strategies-panel';

const RISK_MEASURES: { value: Risk['measure']; label: string }[] = [
  { value: 'entropic', label: 'Entropic' },
  { value: 'expected-shortfall', label: 'Expected shortfall' },
  { value: 'quadratic', label: 'Quadratic' },
  { value: 'mean-variance', label: 'Mean-variance' },
];

const PREMIUMS: { value: Experiment['premium']; label: string }[] = [
  { value: 'black-scholes', label: 'Black-Scholes' },
  { value: 'zero', label: 'Zero' },
];

function PresetPicker() {
  const load = useLab((s) => s.load);
  return (
    <label className="field wide">
      <span className="field-label">Start from a preset</span>
      <select name="preset" value="" onChange={(e) => e.target.value && load(preset(e.target.value))}>
        <option value="">Choose…</option>
        {Object.entries(PRESETS).map(([name, p]) => (
          <option key={name} value={name}>
            {p.description}
          </option>
        ))}
      </select>
    </label>
  );
}

export function ExperimentForm() {
  const draft = useLab((s) => s.draft);
  const edit = useLab((s) => s.edit);
  const otherErrors = useLab((s) => s.check.otherErrors);
  const { market, claim, costs, risk, paths } = draft;

  return (
    <form className="experiment-form" onSubmit={(e) => e.preventDefault()} aria-label="Experiment">
      <Panel title="Experiment">
        <TextField name="name" label="Name" value={draft.name} onChange={(v) => edit((d) => void (d.name = v))} />
        <PresetPicker />
        <NumberField name="seed" label="Random seed" integer value={draft.seed} onChange={(v) => edit((d) => void (d.seed = v))} hint="Same seed, same paths, same numbers" />
      </Panel>

      <Panel title="Market" note="Geometric Brownian motion: dS = μ S dt + σ S dW.">
        <NumberField name="market.s0" label="Spot S₀" value={market.s0} onChange={(v) => edit((d) => void (d.market.s0 = v))} />
        <NumberField name="market.drift" label="Drift μ (per year)" value={market.drift} onChange={(v) => edit((d) => void (d.market.drift = v))} />
        <NumberField name="market.volatility" label="Volatility σ (per year)" value={market.volatility} onChange={(v) => edit((d) => void (d.market.volatility = v))} />
        <NumberField name="market.maturityDays" label="Maturity (days)" integer value={market.maturityDays} onChange={(v) => edit((d) => void (d.market.maturityDays = v))} />
        <NumberField name="market.steps" label="Rebalancing steps" integer value={market.steps} onChange={(v) => edit((d) => void (d.market.steps = v))} />
        <SelectField
          name="market.daysPerYear"
          label="Days per year"
          value={market.daysPerYear}
          options={['250', '252', '365'].map((v) => ({ value: v, label: v }))}
          onChange={(v) => edit((d) => void (d.market.daysPerYear = v))}
        />
        <NumberField name="paths.train" label="Training paths" integer value={paths.train} onChange={(v) => edit((d) => void (d.paths.train = v))} />
        <NumberField name="paths.test" label="Test paths" integer value={paths.test} onChange={(v) => edit((d) => void (d.paths.test = v))} hint="Fresh paths every strategy is scored on" />
      </Panel>

      <Panel title="Claim" note="The hedger is short one European option.">
        <SelectField
          name="claim.kind"
          label="Option"
          value={claim.kind}
          options={[
            { value: 'call', label: 'Call' },
            { value: 'put', label: 'Put' },
          ]}
          onChange={(v) => edit((d) => void (d.claim.kind = v))}
        />
        <NumberField name="claim.strike" label="Strike K" value={claim.strike} onChange={(v) => edit((d) => void (d.claim.strike = v))} />
      </Panel>

      <Panel title="Costs and premium">
        <NumberField
          name="costs.proportional"
          label="Proportional cost c"
          value={costs.proportional}
          onChange={(v) => edit((d) => void (d.costs.proportional = v))}
          hint="Each trade pays c × S × |change in position|"
        />
        <SelectField name="premium" label="Premium received" value={draft.premium} options={PREMIUMS} onChange={(v) => edit((d) => void (d.premium = v))} />
        <CheckboxField
          name="costs.closeAtMaturity"
          label="Pay costs to close the position at maturity"
          checked={costs.closeAtMaturity}
          onChange={(v) => edit((d) => void (d.costs.closeAtMaturity = v))}
        />
      </Panel>

      <Panel title="Risk measure" note="What the deep hedger minimises, and how every strategy is priced.">
        <SelectField name="risk.measure" label="Measure" value={risk.measure} options={RISK_MEASURES} onChange={(v) => edit((d) => void (d.risk.measure = v))} />
        {(risk.measure === 'entropic' || risk.measure === 'mean-variance') && (
          <NumberField name="risk.lambda" label="Risk aversion λ" value={risk.lambda} onChange={(v) => edit((d) => void (d.risk.lambda = v))} />
        )}
        {risk.measure === 'expected-shortfall' && (
          <NumberField name="risk.alpha" label="Confidence level α" value={risk.alpha} onChange={(v) => edit((d) => void (d.risk.alpha = v))} />
        )}
      </Panel>

      <StrategiesPanel />

      {otherErrors.length > 0 && (
        <p className="form-errors" role="alert">
          {otherErrors.join('; ')}
        </p>
      )}
    </form>
  );
}
