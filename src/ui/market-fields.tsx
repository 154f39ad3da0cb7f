/**
 * The form's Market panel: a model picker and the chosen model's parameters (schema.ts `marketSchema`).
 * Every model keeps its values in the draft while another is shown, so switching back loses nothing. The
 * correlated-GBM market gets an editable list of volatilities and correlation matrix; the data markets a
 * window in trading days (one step a day) and the chronological split (paper 003 §3.1); the forecaster
 * market (paper 000 §2-3.1) the same window, its split by shares or dates, how its sampled paths are used,
 * and a panel of its own for the network (forecaster-fields.tsx); the signature-diffusion market (paper 003
 * §3.3) a data market's window and split and a panel of its own for its generator (diffusion-fields.tsx).
 */
import type { MarketModel } from '../engine/experiment/schema';
import { CellErrors, CellInput, NumberField, SelectField, useFieldErrors } from './form-fields';
import { constantCorrelation, isDailyModel, isDataModel, MARKET_MODELS, type Draft, type MarketDraft } from './form-draft';
import { ForecasterPanel, ForecasterSplit, ForecasterUse } from './forecaster-fields';
import { DiffusionPanel } from './diffusion-fields';
import { useLab } from './lab-store';
import { Panel } from './panel';

const NOTES: Record<MarketModel, string> = {
  gbm: 'Geometric Brownian motion: dS = μ S dt + σ S dW.',
  heston: 'Heston: dS = μ S dt + √v S dB, dv = κ(θ − v) dt + ξ √v dW, d⟨B, W⟩ = ρ dt (paper 002 §4.1).',
  merton: 'GBM plus log-normal jumps: on average λ jumps a year, each multiplying S by e^J, J ~ N(m, s²).',
  'correlated-gbm': 'Several GBM assets whose Brownian motions are correlated. The claim is on asset 1; every asset is traded.',
  'regime-switching':
    'Regimes fitted on the training dates (a Gaussian mixture, its size chosen by BIC) simulate the training paths; the test is on real windows of the test dates (paper 003 §3.2).',
  historical: 'Overlapping windows of real prices, re-based to S₀: training windows from the training dates, every test-date window for the test (paper 003 §3.1).',
  'signature-diffusion':
    'A score-based diffusion model of each asset’s log-signatures, trained on the training dates, generates the training paths; the test is on real windows of the test dates (paper 003 §3.3).',
  forecaster:
    'A probabilistic Transformer learns the daily returns of the training dates (paper 000 §2); the hedgers train on paths it samples, each from a training date’s own history (eq. 10-11), and are tested on real windows of the test dates or on its paths from them.',
};

const DAYS_PER_YEAR = ['250', '252', '365'].map((v) => ({ value: v, label: v }));

type Edit = (recipe: (d: Draft) => void) => void;

/** Spot, drift and horizon: shared by the simulated models. */
function SimulatedHorizon({ market, edit }: { market: MarketDraft; edit: Edit }) {
  return (
    <>
      <NumberField name="market.maturityDays" label="Maturity (days)" integer value={market.maturityDays} onChange={(v) => edit((d) => void (d.market.maturityDays = v))} />
      <NumberField name="market.steps" label="Rebalancing steps" integer value={market.steps} onChange={(v) => edit((d) => void (d.market.steps = v))} />
      <SelectField name="market.daysPerYear" label="Days per year" value={market.daysPerYear} options={DAYS_PER_YEAR} onChange={(v) => edit((d) => void (d.market.daysPerYear = v))} />
    </>
  );
}

function SpotAndDrift({ market, edit }: { market: MarketDraft; edit: Edit }) {
  return (
    <>
      <NumberField name="market.s0" label="Spot S₀" value={market.s0} onChange={(v) => edit((d) => void (d.market.s0 = v))} />
      <NumberField name="market.drift" label="Drift μ (per year)" value={market.drift} onChange={(v) => edit((d) => void (d.market.drift = v))} />
    </>
  );
}

/** Volatilities, one per asset, and the correlation matrix: the upper triangle is typed, the lower mirrors it. */
function CorrelatedAssets({ market, edit }: { market: MarketDraft; edit: Edit }) {
  const n = market.volatilities.length;
  const matrixErrors = useFieldErrors('market.correlation');
  const listErrors = useFieldErrors('market.volatilities');
  const addAsset = () =>
    edit((d) => {
      const m = d.market;
      const size = m.volatilities.length;
      m.volatilities.push('0.2');
      const next = constantCorrelation(size + 1, '0');
      for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) next[i]![j] = m.correlation[i]?.[j] ?? (i === j ? '1' : '0');
      m.correlation = next;
    });
  const removeAsset = (k: number) =>
    edit((d) => {
      const m = d.market;
      m.volatilities.splice(k, 1);
      m.correlation = m.correlation.filter((_, i) => i !== k).map((row) => row.filter((_, j) => j !== k));
    });
  const setCorrelation = (i: number, j: number, v: string) =>
    edit((d) => {
      d.market.correlation[i]![j] = v;
      d.market.correlation[j]![i] = v;
    });
  const cells = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) cells.push({ name: `market.correlation.${i}.${j}`, label: `ρ(${i + 1}, ${j + 1})` });

  return (
    <div className="field wide correlated-assets" data-testid="correlated-assets">
      <span className="field-label">Volatility σ (per year) of each asset, and their correlations ρ</span>
      <div className="table-scroll">
        <table className="grid-table correlation">
          <thead>
            <tr>
              <th scope="col">asset</th>
              <th scope="col">σ</th>
              {market.volatilities.map((_, j) => (
                <th key={j} scope="col">
                  ρ·{j + 1}
                </th>
              ))}
              <th aria-label="Remove" />
            </tr>
          </thead>
          <tbody>
            {market.volatilities.map((vol, i) => (
              <tr key={i}>
                <th scope="row">{i + 1}</th>
                <td>
                  <CellInput name={`market.volatilities.${i}`} label={`Volatility of asset ${i + 1}`} value={vol} onChange={(v) => edit((d) => void (d.market.volatilities[i] = v))} />
                </td>
                {market.volatilities.map((_, j) => (
                  <td key={j} className={i === j ? 'diagonal' : i > j ? 'mirror' : undefined}>
                    {i === j ? (
                      '1'
                    ) : i < j ? (
                      <CellInput
                        name={`market.correlation.${i}.${j}`}
                        label={`Correlation of assets ${i + 1} and ${j + 1}`}
                        value={market.correlation[i]?.[j] ?? ''}
                        onChange={(v) => setCorrelation(i, j, v)}
                      />
                    ) : (
                      <span title={`Same as ρ(${j + 1}, ${i + 1})`}>{market.correlation[j]?.[i] ?? ''}</span>
                    )}
                  </td>
                ))}
                <td>
                  {n > 2 && (
                    <button type="button" className="link-button" aria-label={`Remove asset ${i + 1}`} title={`Remove asset ${i + 1}`} onClick={() => removeAsset(i)}>
                      ×
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <CellErrors cells={market.volatilities.map((_, i) => ({ name: `market.volatilities.${i}`, label: `σ of asset ${i + 1}` }))} />
      <CellErrors cells={cells} />
      {(matrixErrors || listErrors) && (
        <span className="field-error" role="alert">
          {[...(listErrors ?? []), ...(matrixErrors ?? [])].join('; ')}
        </span>
      )}
      <div className="row-buttons">
        <button type="button" onClick={addAsset} disabled={n >= 8} data-testid="add-asset">
          Add asset
        </button>
      </div>
    </div>
  );
}

/** Window, annualisation, re-basing and the chronological split of a data market. */
function DataMarketFields({ market, edit }: { market: MarketDraft; edit: Edit }) {
  const data = market.data;
  const splitErrors = useFieldErrors('market.split');
  const setData = <K extends keyof MarketDraft['data']>(key: K, value: MarketDraft['data'][K]) => edit((d) => void (d.market.data[key] = value));
  return (
    <>
      <NumberField
        name="market.maturityDays"
        label="Window (trading days)"
        integer
        value={data.maturityDays}
        onChange={(v) => setData('maturityDays', v)}
        hint="The claim's maturity; daily data: one rebalancing step a day"
      />
      <SelectField name="market.daysPerYear" label="Trading days per year" value={data.daysPerYear} options={DAYS_PER_YEAR} onChange={(v) => setData('daysPerYear', v)} />
      <NumberField
        name="market.s0"
        label={market.model === 'forecaster' || market.model === 'signature-diffusion' ? 'Paths start at S₀' : 'Windows start at S₀'}
        value={data.s0}
        onChange={(v) => setData('s0', v)}
        hint={market.model === 'forecaster' || market.model === 'signature-diffusion' ? 'Every sampled path, and every real test window, is re-based to start at S₀' : 'Each window of prices is re-based to start at S₀'}
      />
      {market.model === 'regime-switching' && (
        <NumberField
          name="market.maxRegimes"
          label="At most K regimes"
          integer
          value={data.maxRegimes}
          onChange={(v) => setData('maxRegimes', v)}
          hint="Mixtures of 1 to K regimes are fitted; the one with the lowest BIC is kept"
        />
      )}
      {market.model === 'forecaster' ? (
        <>
          <ForecasterUse market={market} edit={edit} />
          <ForecasterSplit market={market} edit={edit} />
        </>
      ) : (
        <>
          <NumberField name="market.split.train" label="Training share of dates" value={data.train} onChange={(v) => setData('train', v)} hint="The first dates, in order" />
          <NumberField name="market.split.validation" label="Validation share" value={data.validation} onChange={(v) => setData('validation', v)} hint="The next dates; the rest are the test dates" />
          {splitErrors && (
            <span className="field-error" role="alert">
              {splitErrors.join('; ')}
            </span>
          )}
        </>
      )}
      <p className="panel-hint wide">
        Prices:{' '}
        {market.model === 'forecaster' && market.forecaster.factorPanel
          ? `a simulated factor panel of ${market.forecaster.assets} assets`
          : data.source === 'sp500'
          ? 'the bundled S&P 500 series'
          : data.source === 'bundled'
            ? `the bundled ${data.bundled.join(' and ')} series`
            : data.file
              ? `imported from “${data.file}”`
              : 'import a CSV file'}{' '}
        — see the Data panel.
      </p>
    </>
  );
}

export function MarketFields() {
  const market = useLab((s) => s.draft.market);
  const paths = useLab((s) => s.draft.paths);
  const targetLoss = useLab((s) => s.draft.targetLoss);
  const edit = useLab((s) => s.edit);
  const model = market.model;
  const set = (key: Exclude<keyof MarketDraft, 'model' | 'volatilities' | 'correlation' | 'data' | 'forecaster' | 'diffusion'>) => (v: string) => edit((d) => void (d.market[key] = v));

  return (
    <>
      <Panel title="Market" note={NOTES[model]}>
        <SelectField name="market.model" label="Model" wide value={model} options={MARKET_MODELS} onChange={(v) => edit((d) => void (d.market.model = v))} />
        {!isDailyModel(model) && <SpotAndDrift market={market} edit={edit} />}
        {(model === 'gbm' || model === 'merton') && (
          <NumberField name="market.volatility" label="Volatility σ (per year)" value={market.volatility} onChange={set('volatility')} />
        )}
        {model === 'gbm' && (
          <NumberField
            name="market.testVolatility"
            label="Test-path volatility"
            value={market.testVolatility}
            onChange={set('testVolatility')}
            hint="Empty: the same as training. Otherwise the test paths move with this volatility while every hedger still assumes σ (paper 001 §5.3.3)."
          />
        )}
        {model === 'heston' && (
          <>
            <NumberField name="market.v0" label="Initial variance v₀" value={market.v0} onChange={set('v0')} hint="v₀ = 0.0625 is a volatility of 25%" />
            <NumberField name="market.theta" label="Long-run variance θ" value={market.theta} onChange={set('theta')} />
            <NumberField name="market.kappa" label="Mean reversion κ" value={market.kappa} onChange={set('kappa')} />
            <NumberField name="market.xi" label="Vol of variance ξ" value={market.xi} onChange={set('xi')} />
            <NumberField name="market.rho" label="Correlation ρ" value={market.rho} onChange={set('rho')} hint="Between the spot's and the variance's Brownian motions" />
          </>
        )}
        {model === 'merton' && (
          <>
            <NumberField name="market.jumpIntensity" label="Jumps per year λ" value={market.jumpIntensity} onChange={set('jumpIntensity')} />
            <NumberField name="market.jumpMean" label="Mean log jump m" value={market.jumpMean} onChange={set('jumpMean')} />
            <NumberField name="market.jumpStd" label="Log jump spread s" value={market.jumpStd} onChange={set('jumpStd')} />
          </>
        )}
        {model === 'correlated-gbm' && <CorrelatedAssets market={market} edit={edit} />}
        {!isDailyModel(model) && <SimulatedHorizon market={market} edit={edit} />}
        {isDailyModel(model) && <DataMarketFields market={market} edit={edit} />}
        <NumberField name="paths.train" label="Training paths" integer value={paths.train} onChange={(v) => edit((d) => void (d.paths.train = v))} />
        <NumberField
          name="paths.test"
          label="Test paths"
          integer
          value={paths.test}
          onChange={(v) => edit((d) => void (d.paths.test = v))}
          hint={testPathsHint(market)}
        />
        <NumberField
          name="paths.validation"
          label="Validation paths"
          integer
          value={paths.validation}
          onChange={(v) => edit((d) => void (d.paths.validation = v))}
          hint="Only recurrent hedgers use them: scored every few iterations while they train (paper 002 fig. 3). Empty: 1,024."
        />
        <NumberField
          name="targetLoss"
          label="Target validation loss"
          value={targetLoss}
          onChange={(v) => edit((d) => void (d.targetLoss = v))}
          hint="Only recurrent hedgers use it: the race times each one to its first validation loss below it. Empty: Adam's final loss."
        />
      </Panel>
      {model === 'forecaster' && <ForecasterPanel />}
      {model === 'signature-diffusion' && <DiffusionPanel />}
    </>
  );
}

function testPathsHint(market: MarketDraft): string {
  if (isDataModel(market.model) || (market.model === 'forecaster' && market.forecaster.testOn === 'real')) return 'Data markets test on every window of the test dates';
  if (market.model === 'forecaster') return 'Paths the forecaster samples from the test dates, each test date in turn';
  return 'Fresh paths every strategy is scored on';
}
