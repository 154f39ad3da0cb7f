/**
 * The instruments besides the underlying: vanilla options on a fixed grid (listed contracts: kind, strike,
 * maturity) or a floating grid (a maturity and a moneyness K / S_t relative to today's spot, re-struck at
 * every date; paper 002 §2.1), with their proportional cost. "Paper 002 grid" fills footnote 9's 19 options.
 * With several assets, the hedge set: the first k of them are traded, the claim's first (paper 003 fig. 3).
 */
import type { Options } from '../engine/experiment/schema';
import { CellErrors, CellInput, NumberField, SelectField, useFieldErrors } from './form-fields';
import { isDailyModel, paper002Grid, type Draft } from './form-draft';
import { useLab } from './lab-store';
import { Panel } from './panel';

const GRIDS: { value: Options['grid']; label: string }[] = [
  { value: 'none', label: 'None: the underlying only' },
  { value: 'floating', label: 'Floating grid (moneyness, maturity)' },
  { value: 'fixed', label: 'Fixed grid (listed strikes)' },
];

const KINDS = [
  { value: 'call', label: 'call' },
  { value: 'put', label: 'put' },
] as const;

const MAX_OPTIONS = 24;
const rowKey = (i: number, field: string) => `instruments.options.options.${i}.${field}`;

/** How many calendar days `steps` rebalancing steps last, from the form's market (blank while that is not a number). */
function useDaysPerStep(): number | null {
  return useLab((s) => {
    const m = s.draft.market;
    const days = Number(m.maturityDays);
    const steps = Number(m.steps);
    return m.maturityDays.trim() && m.steps.trim() && Number.isFinite(days / steps) && steps > 0 ? days / steps : null;
  });
}

function daysText(steps: string, perStep: number | null): string {
  const n = Number(steps);
  if (perStep === null || !steps.trim() || !Number.isFinite(n)) return '–';
  const days = n * perStep;
  return Number.isInteger(days) ? String(days) : days.toFixed(1);
}

function FloatingRows({ rows, edit }: { rows: Draft['instruments']['floating']; edit: (recipe: (d: Draft) => void) => void }) {
  const perStep = useDaysPerStep();
  return (
    <table className="grid-table options" data-testid="options-grid">
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col" title="Maturity of the option in rebalancing steps">maturity (steps)</th>
          <th scope="col" title="Maturity in calendar days">days</th>
          <th scope="col" title="Strike relative to the spot when the option is bought: above 1 a call, at or below 1 a put">K / S</th>
          <th scope="col">kind</th>
          <th aria-label="Remove" />
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => {
          const moneyness = Number(row.moneyness);
          const kind = row.moneyness.trim() && Number.isFinite(moneyness) ? (moneyness > 1 ? 'call' : 'put') : '–';
          return [
            <tr key={i}>
              <th scope="row">{i + 1}</th>
              <td>
                <CellInput name={rowKey(i, 'maturitySteps')} label={`Maturity in steps of option ${i + 1}`} integer value={row.maturitySteps} onChange={(v) => edit((d) => void (d.instruments.floating[i]!.maturitySteps = v))} />
              </td>
              <td className="derived">{daysText(row.maturitySteps, perStep)}</td>
              <td>
                <CellInput name={rowKey(i, 'moneyness')} label={`Moneyness of option ${i + 1}`} value={row.moneyness} onChange={(v) => edit((d) => void (d.instruments.floating[i]!.moneyness = v))} />
              </td>
              <td className="derived">{kind}</td>
              <td>
                <button type="button" className="link-button" aria-label={`Remove option ${i + 1}`} title="Remove" onClick={() => edit((d) => void d.instruments.floating.splice(i, 1))}>
                  ×
                </button>
              </td>
            </tr>,
            <RowErrors
              key={`${i}-errors`}
              cells={[
                { name: rowKey(i, 'maturitySteps'), label: `option ${i + 1} maturity` },
                { name: rowKey(i, 'moneyness'), label: `option ${i + 1} K / S` },
              ]}
              span={6}
            />,
          ];
        })}
      </tbody>
    </table>
  );
}

function FixedRows({ rows, edit }: { rows: Draft['instruments']['fixed']; edit: (recipe: (d: Draft) => void) => void }) {
  const perStep = useDaysPerStep();
  return (
    <table className="grid-table options" data-testid="options-grid">
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">kind</th>
          <th scope="col">strike</th>
          <th scope="col" title="Maturity of the option in rebalancing steps">maturity (steps)</th>
          <th scope="col" title="Maturity in calendar days">days</th>
          <th aria-label="Remove" />
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => [
          <tr key={i}>
            <th scope="row">{i + 1}</th>
            <td>
              <select
                className="cell-input"
                name={rowKey(i, 'kind')}
                aria-label={`Kind of option ${i + 1}`}
                value={row.kind}
                onChange={(e) => edit((d) => void (d.instruments.fixed[i]!.kind = e.target.value as 'call' | 'put'))}
              >
                {KINDS.map((k) => (
                  <option key={k.value} value={k.value}>
                    {k.label}
                  </option>
                ))}
              </select>
            </td>
            <td>
              <CellInput name={rowKey(i, 'strike')} label={`Strike of option ${i + 1}`} value={row.strike} onChange={(v) => edit((d) => void (d.instruments.fixed[i]!.strike = v))} />
            </td>
            <td>
              <CellInput name={rowKey(i, 'maturitySteps')} label={`Maturity in steps of option ${i + 1}`} integer value={row.maturitySteps} onChange={(v) => edit((d) => void (d.instruments.fixed[i]!.maturitySteps = v))} />
            </td>
            <td className="derived">{daysText(row.maturitySteps, perStep)}</td>
            <td>
              <button type="button" className="link-button" aria-label={`Remove option ${i + 1}`} title="Remove" onClick={() => edit((d) => void d.instruments.fixed.splice(i, 1))}>
                ×
              </button>
            </td>
          </tr>,
          <RowErrors
            key={`${i}-errors`}
            cells={[
              { name: rowKey(i, 'kind'), label: `option ${i + 1} kind` },
              { name: rowKey(i, 'strike'), label: `option ${i + 1} strike` },
              { name: rowKey(i, 'maturitySteps'), label: `option ${i + 1} maturity` },
            ]}
            span={6}
          />,
        ])}
      </tbody>
    </table>
  );
}

/** The messages of one row's cells, on a table row of their own right under it (nothing when there are none). */
function RowErrors({ cells, span }: { cells: { name: string; label: string }[]; span: number }) {
  const any = useLab((s) => cells.some((c) => s.check.fieldErrors[c.name]));
  if (!any) return null;
  return (
    <tr className="row-errors">
      <td colSpan={span}>
        <CellErrors cells={cells} />
      </td>
    </tr>
  );
}

/** The market's assets as the form says them (names where known), capped as the schema caps imports; null while unknown. */
function useMarketAssets(): string[] | null {
  const market = useLab((s) => s.draft.market);
  const imported = useLab((s) => s.data.imported?.panel.symbols ?? null);
  if (market.model === 'correlated-gbm') return market.volatilities.map((_, i) => `asset ${i + 1}`);
  if (market.model === 'forecaster' && market.forecaster.factorPanel) {
    const n = Number(market.forecaster.assets);
    return Number.isInteger(n) && n > 0 ? Array.from({ length: Math.min(n, 8) }, (_, i) => `asset ${i + 1}`) : null;
  }
  if (!isDailyModel(market.model)) return ['the underlying'];
  const data = market.data;
  if (data.source === 'sp500') return ['S&P 500'];
  if (data.source === 'bundled') return data.bundled;
  if (data.symbols.length > 0) return data.symbols;
  return imported ? imported.slice(0, 8) : null;
}

/**
 * Paper 003 fig. 3: the first k assets of the market are traded (the claim's asset first). The windows are
 * chosen on every asset, so each size is tested on the same windows. Hidden with one asset, unless a link
 * set one (its message then shows, with "all" to clear it).
 */
function HedgeSetField() {
  const assets = useMarketAssets();
  const hedgeSet = useLab((s) => s.draft.instruments.hedgeSet);
  /** The forecaster market trades the claim's asset alone unless a hedge set is given; the others trade every asset. */
  const aloneByDefault = useLab((s) => s.draft.market.model === 'forecaster');
  const edit = useLab((s) => s.edit);
  const n = assets?.length ?? 0;
  if (n <= 1 && hedgeSet.trim() === '') return null;
  const sizes = Array.from({ length: n }, (_, k) => String(k + 1));
  if (hedgeSet.trim() !== '' && !sizes.includes(hedgeSet)) sizes.push(hedgeSet);
  const options = [
    { value: '', label: aloneByDefault ? `the claim’s asset alone${assets?.[0] ? `: ${assets[0]}` : ''}` : n > 0 ? `all ${n} assets` : 'every asset' },
    ...sizes.map((k) => ({ value: k, label: assets && Number(k) <= n ? `the first ${k}: ${assets.slice(0, Number(k)).join(', ')}` : `the first ${k}` })),
  ];
  return (
    <>
      <SelectField
        name="instruments.hedgeSet"
        label="Hedge set (assets traded)"
        wide
        value={hedgeSet}
        options={options}
        onChange={(v) => edit((d) => void (d.instruments.hedgeSet = v))}
        hint="The first k assets of the market are traded, the claim’s asset first (paper 003 fig. 3)"
      />
      <p className="panel-hint wide" data-testid="hedge-set-note">
        The claim’s asset first; every size is tested on the same windows, chosen on all of the market’s assets.
      </p>
    </>
  );
}

export function InstrumentsPanel() {
  const instruments = useLab((s) => s.draft.instruments);
  const edit = useLab((s) => s.edit);
  const listErrors = useFieldErrors('instruments.options.options');
  const { grid } = instruments;
  const count = grid === 'fixed' ? instruments.fixed.length : instruments.floating.length;

  const addRow = () =>
    edit((d) => {
      const i = d.instruments;
      if (i.grid === 'fixed') i.fixed.push({ ...(i.fixed.at(-1) ?? { kind: 'call', strike: '1', maturitySteps: '10' }) });
      if (i.grid === 'floating') i.floating.push({ ...(i.floating.at(-1) ?? { maturitySteps: '10', moneyness: '1' }) });
    });

  return (
    <Panel title="Instruments" note="The underlying asset(s) are always traded; vanilla options can be added.">
      <HedgeSetField />
      <SelectField name="instruments.options.grid" label="Options traded" wide value={grid} options={GRIDS} onChange={(v) => edit((d) => void (d.instruments.grid = v))} />
      {grid !== 'none' && (
        <>
          <NumberField
            name="instruments.options.cost"
            label="Option cost c"
            value={instruments.cost}
            onChange={(v) => edit((d) => void (d.instruments.cost = v))}
            hint="Each option trade pays c × S × |change in position|"
          />
          <div className="field wide">
            <div className="table-scroll">
              {grid === 'floating' ? <FloatingRows rows={instruments.floating} edit={edit} /> : <FixedRows rows={instruments.fixed} edit={edit} />}
            </div>
            {listErrors && (
              <span className="field-error" role="alert">
                {listErrors.join('; ')}
              </span>
            )}
          </div>
        </>
      )}
      <div className="row-buttons wide">
        {grid !== 'none' && (
          <button type="button" onClick={addRow} disabled={count >= MAX_OPTIONS} data-testid="add-option">
            Add option
          </button>
        )}
        <button
          type="button"
          data-testid="paper-002-grid"
          title="Paper 002, footnote 9: 19 options at 10, 20, 40, 80 and 120 steps on the floating grid"
          onClick={() =>
            edit((d) => {
              d.instruments.grid = 'floating';
              d.instruments.floating = paper002Grid();
            })
          }
        >
          Paper 002 grid
        </button>
      </div>
    </Panel>
  );
}
