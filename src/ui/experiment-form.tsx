/**
 * The left column: one panel per part of the experiment schema (schema.ts) — market, claim, instruments,
 * costs and premium, risk measure, strategies, seed. Every keystroke goes through the draft (form-draft.ts), so the
 * form keeps what was typed and shows each validation message beside its field.
 */
import { PRESETS, preset } from '../engine/experiment/presets';
import type { ClaimType, Experiment, Risk } from '../engine/experiment/schema';
import { CheckboxField, NumberField, SelectField, TextField } from './form-fields';
import { isDailyModel, OCE_LOSSES } from './form-draft';
import { InstrumentsPanel } from './instruments-panel';
import { useLab } from './lab-store';
import { MarketFields } from './market-fields';
import { Panel } from './panel';
import { StrategiesPanel } from './strategies-panel';

const RISK_MEASURES: { value: Risk['measure']; label: string }[] = [
  { value: 'entropic', label: 'Entropic' },
  { value: 'expected-shortfall', label: 'Expected shortfall' },
  { value: 'quadratic', label: 'Quadratic' },
  { value: 'mean-variance', label: 'Mean-variance' },
  { value: 'variance-cost', label: 'Variance + costs (paper 002)' },
  { value: 'oce', label: 'OCE (learned θ)' },
];

const PREMIUMS: { value: Experiment['premium']; label: string }[] = [
  { value: 'model', label: 'Model price' },
  { value: 'zero', label: 'Zero' },
];

const CLAIMS: { value: ClaimType; label: string }[] = [
  { value: 'european', label: 'European option' },
  { value: 'lookback', label: 'Lookback call' },
  { value: 'cliquet', label: 'Cliquet' },
];

const CLAIM_NOTES: Record<ClaimType, string> = {
  european: 'The hedger is short one European option on the (first) asset.',
  lookback: 'The hedger is short a call on the running maximum: max(max S − K, 0) (paper 001 eq. 2).',
  cliquet: 'Short a locally capped, globally floored cliquet: max(Σ min(return of each period, μ), 0) (paper 002 §2.1).',
};

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
  const { claim, costs, risk } = draft;
  /** The spot the strike is read against (the data and forecaster markets re-base their windows to their own S₀). */
  const spotText = isDailyModel(draft.market.model) ? draft.market.data.s0 : draft.market.s0;
  const spot = spotText.trim() && Number.isFinite(Number(spotText)) ? spotText.trim() : null;

  return (
    <form className="experiment-form" onSubmit={(e) => e.preventDefault()} aria-label="Experiment">
      <Panel title="Experiment" openOnPhone>
        <TextField name="name" label="Name" value={draft.name} onChange={(v) => edit((d) => void (d.name = v))} />
        <PresetPicker />
        <NumberField name="seed" label="Random seed" integer value={draft.seed} onChange={(v) => edit((d) => void (d.seed = v))} hint="Same seed, same paths, same numbers" />
      </Panel>

      <MarketFields />

      <Panel title="Claim" note={CLAIM_NOTES[claim.type]}>
        <SelectField name="claim.type" label="Claim" wide value={claim.type} options={CLAIMS} onChange={(v) => edit((d) => void (d.claim.type = v))} />
        {claim.type === 'european' && (
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
        )}
        {claim.type !== 'cliquet' && (
          <NumberField name="claim.strike" label={`Strike K${spot ? ` (S₀ = ${spot})` : ''}`} value={claim.strike} onChange={(v) => edit((d) => void (d.claim.strike = v))} />
        )}
        {claim.type === 'european' && (
          <TextField
            name="claim.strikes"
            label="Several strikes"
            value={claim.strikes}
            hint="Comma-separated; path i hedges strikes[i mod m], the state carries S/K (paper 000 §4.2). Empty: every path has strike K"
            onChange={(v) => edit((d) => void (d.claim.strikes = v))}
          />
        )}
        {claim.type === 'cliquet' && (
          <>
            <NumberField
              name="claim.resetSteps"
              label="Reset every (steps)"
              integer
              value={claim.resetSteps}
              onChange={(v) => edit((d) => void (d.claim.resetSteps = v))}
              hint="Each period's return is measured from one reset date to the next"
            />
            <NumberField name="claim.cap" label="Local cap μ" value={claim.cap} onChange={(v) => edit((d) => void (d.claim.cap = v))} hint="Each period's return counts at most μ" />
          </>
        )}
      </Panel>

      <InstrumentsPanel />

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
        {risk.measure === 'variance-cost' && (
          <NumberField
            name="risk.gamma"
            label="Risk aversion γ"
            value={risk.gamma}
            onChange={(v) => edit((d) => void (d.risk.gamma = v))}
            hint="γ Var(hedging error) + E[costs] (paper 002 eq. 3)"
          />
        )}
        {risk.measure === 'expected-shortfall' && (
          <NumberField name="risk.alpha" label="Confidence level α" value={risk.alpha} onChange={(v) => edit((d) => void (d.risk.alpha = v))} />
        )}
        {risk.measure === 'oce' && (
          <>
            <SelectField name="risk.loss.type" label="Loss l" value={risk.loss} options={OCE_LOSSES} onChange={(v) => edit((d) => void (d.risk.loss = v))} />
            {risk.loss === 'shortfall' ? (
              <NumberField name="risk.loss.alpha" label="Confidence level α" value={risk.alpha} onChange={(v) => edit((d) => void (d.risk.alpha = v))} />
            ) : (
              <NumberField name="risk.loss.lambda" label="Risk aversion λ" value={risk.lambda} onChange={(v) => edit((d) => void (d.risk.lambda = v))} />
            )}
          </>
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
