/**
 * The forecaster market's settings on the form (schema.ts `forecasterSchema`, paper 000 §2): in the Market
 * panel, how its sampled paths are used (measure, rate, the test paths) and the chronological split, by
 * shares or by dates; in a panel of its own, the low-rank spatio-temporal Transformer (k latent assets of
 * eq. 9, width d, heads, depth, context L, horizon H, dropout), Market Value Dropout (eq. 7) and the
 * training with early stopping on the validation NLL (eq. 6). Each hint gives the schema's bounds.
 */
import { DateField, NumberField, SelectField, useFieldErrors, type SettingLabel } from './form-fields';
import type { Draft, ForecasterDraft, MarketDraft } from './form-draft';
import { useLab } from './lab-store';
import { Panel } from './panel';
import { FirstPhaseButton } from './first-phase-button';

type Edit = (recipe: (d: Draft) => void) => void;

type SettingField = 'latents' | 'width' | 'heads' | 'depth' | 'context' | 'horizon' | 'dropout' | 'dropP' | 'dropTau' | 'epochs' | 'batchSize' | 'learningRate' | 'patience';

const FIELDS: Record<SettingField, SettingLabel> = {
  latents: {
    path: 'latents',
    label: 'Latent assets k',
    hint: 'The low-rank attention (eq. 9) compresses the N assets of each date into k latent assets, 1 to 64 and at most N (paper 000: k = 11, one per GICS sector; one asset: k = 1)',
    integer: true,
  },
  width: { path: 'width', label: 'Width d', hint: 'Each asset’s embedding and the Transformer’s width, 2 to 64', integer: true },
  heads: { path: 'heads', label: 'Attention heads', hint: 'Heads of the Transformer’s self- and cross-attention, 1 to 8', integer: true },
  depth: { path: 'depth', label: 'Depth', hint: 'Blocks in the encoder and in the decoder, 1 to 4', integer: true },
  context: { path: 'context', label: 'Context L (days)', hint: 'The days of returns the encoder reads before it forecasts, 2 to 250', integer: true },
  horizon: { path: 'horizon', label: 'Horizon H (days)', hint: 'The days a training window’s decoder forecasts (teacher-forced, in parallel), 1 to 60', integer: true },
  dropout: { path: 'dropout', label: 'Dropout', hint: 'Share of activations dropped inside the Transformer’s blocks while training, 0 to 0.5' },
  dropP: { path: 'marketValueDropout.p', label: 'Market Value Dropout p', hint: 'Share of the assets dropped from each training batch (eq. 7), 0 to 0.9; 0: none' },
  dropTau: { path: 'marketValueDropout.tau', label: 'Temperature τ', hint: 'Eq. 7’s softmax(market value / τ) picks the assets dropped, τ above 0 and at most 1000' },
  epochs: { path: 'training.epochs', label: 'Epochs', hint: 'Passes over the training windows, 1 to 500; fewer if early stopping ends training first', integer: true },
  batchSize: { path: 'training.batchSize', label: 'Batch size', hint: 'Windows per Adam step, 1 to 1024', integer: true },
  learningRate: { path: 'training.learningRate', label: 'Learning rate', hint: 'Adam’s step size, above 0 and at most 0.1 (paper 000’s preset: 1e-3)' },
  patience: { path: 'training.patience', label: 'Early-stopping patience', hint: 'Epochs without a better validation NLL before training stops (the best epoch’s weights are kept), 1 to 100', integer: true },
};

const NETWORK: SettingField[] = ['latents', 'width', 'heads', 'depth', 'context', 'horizon', 'dropout'];
const DROPOUT: SettingField[] = ['dropP', 'dropTau'];
const TRAINING: SettingField[] = ['epochs', 'batchSize', 'learningRate', 'patience'];

const MEASURES: readonly { value: ForecasterDraft['measure']; label: string }[] = [
  { value: 'risk-neutral', label: 'Risk-neutral' },
  { value: 'physical', label: 'Physical' },
];

const TEST_ON: readonly { value: ForecasterDraft['testOn']; label: string }[] = [
  { value: 'real', label: 'Real windows of the test dates' },
  { value: 'forecaster', label: 'Forecaster paths from the test dates' },
];

const INPUTS: readonly { value: ForecasterDraft['inputs']; label: string }[] = [
  { value: 'ohlc', label: 'Open, high, low and close returns (eq. 2)' },
  { value: 'close', label: 'Close-to-close returns only' },
];

const SPLIT_BY: readonly { value: ForecasterDraft['splitBy']; label: string }[] = [
  { value: 'fractions', label: 'Shares of the dates' },
  { value: 'dates', label: 'Dates' },
];

/** Measure, rate and the test paths: how the hedgers use what the forecaster samples (paper 000 §3.1, eq. 10-11). */
export function ForecasterUse({ market, edit }: { market: MarketDraft; edit: Edit }) {
  const f = market.forecaster;
  const set = <K extends keyof ForecasterDraft>(key: K, value: ForecasterDraft[K]) => edit((d) => void (d.market.forecaster[key] = value));
  return (
    <>
      <SelectField
        name="market.measure"
        label="Paths under"
        value={f.measure}
        options={MEASURES}
        onChange={(v) => set('measure', v)}
        hint="Risk-neutral: each sampled close drifts at r dt − σ²/2 with the forecaster’s own σ, so the discounted price is a martingale (the generalised GBM of paper 000 §3.3); physical: the forecaster’s μ as it is"
      />
      <NumberField name="market.rate" label="Risk-free rate r (per year)" value={f.rate} onChange={(v) => set('rate', v)} hint="Continuously compounded, −0.1 to 0.5; the drift of the risk-neutral paths" />
      <SelectField
        name="market.testOn"
        label="Test the hedgers on"
        wide
        value={f.testOn}
        options={TEST_ON}
        onChange={(v) => set('testOn', v)}
        hint="Real: every window of the test dates, which no fit has seen; forecaster: paths it samples from each test date’s own history"
      />
      <SelectField
        name="market.inputs"
        label="The forecaster reads"
        wide
        value={f.inputs}
        options={INPUTS}
        onChange={(v) => set('inputs', v)}
        hint="Eq. 2: each day’s open, high and low against the previous close, and close to close, where the data have daily bars (the bundled series and Yahoo CSVs do; otherwise the close alone). The bundled S&P 500’s open is the previous close on every day before 2008, so its preset reads the close alone."
      />
    </>
  );
}

/** The chronological split: shares of the dates (as the other data markets), or the last training and validation dates. */
export function ForecasterSplit({ market, edit }: { market: MarketDraft; edit: Edit }) {
  const f = market.forecaster;
  const splitErrors = useFieldErrors('market.split');
  const setData = (key: 'train' | 'validation', v: string) => edit((d) => void (d.market.data[key] = v));
  const set = (key: 'splitBy' | 'trainEnd' | 'validationEnd', v: string) => edit((d) => void Object.assign(d.market.forecaster, { [key]: v }));
  return (
    <>
      <SelectField name="market.splitBy" label="Split the returns by" wide value={f.splitBy} options={SPLIT_BY} onChange={(v) => set('splitBy', v)} />
      {f.splitBy === 'fractions' ? (
        <>
          <NumberField name="market.split.train" label="Training share of dates" value={market.data.train} onChange={(v) => setData('train', v)} hint="The first dates, in order" />
          <NumberField name="market.split.validation" label="Validation share" value={market.data.validation} onChange={(v) => setData('validation', v)} hint="The next dates; the rest are the test dates" />
        </>
      ) : (
        <>
          <DateField name="market.split.trainEnd" label="Training to" value={f.trainEnd} onChange={(v) => set('trainEnd', v)} hint="The returns that end on or before this date train the forecaster" />
          <DateField name="market.split.validationEnd" label="Validation to" value={f.validationEnd} onChange={(v) => set('validationEnd', v)} hint="The returns after the training dates up to this date validate it; the rest are the test dates" />
        </>
      )}
      {splitErrors && (
        <span className="field-error" role="alert">
          {splitErrors.join('; ')}
        </span>
      )}
    </>
  );
}

/** The forecaster's own panel: the network, Market Value Dropout and training. */
export function ForecasterPanel() {
  const f = useLab((s) => s.draft.market.forecaster);
  const edit = useLab((s) => s.edit);
  const field = (k: SettingField) => (
    <NumberField key={k} name={`market.forecaster.${FIELDS[k].path}`} label={FIELDS[k].label} hint={FIELDS[k].hint} integer={FIELDS[k].integer} value={f[k]} onChange={(v) => edit((d) => void (d.market.forecaster[k] = v))} />
  );
  return (
    <Panel
      title="Forecaster"
      note="Paper 000 §2.2: a Gaussian forecast of every asset’s next return (eq. 5). Each date’s N assets are compressed into k latent assets by low-rank attention (eq. 9), a Transformer reads the last L days of them and forecasts H days ahead, and a low-rank decoder maps back to the N assets. Trained on the training returns by eq. 6’s negative log-likelihood, stopped early on the validation NLL."
    >
      {NETWORK.map(field)}
      {DROPOUT.map(field)}
      <p className="panel-hint wide" data-testid="market-value-note">
        {f.factorPanel
          ? 'Market values are equal weights: the simulated panel has no volume, so eq. 7’s softmax(market value / τ) drops every asset with the same chance and τ changes nothing.'
          : 'Market values are each asset’s share of price × volume over the training dates (the bundled S&P 500 and AAPL have volume; a CSV without a Volume column gives equal weights, and then τ changes nothing): eq. 7 drops the heaviest assets most often, the more so the smaller τ.'}
      </p>
      {TRAINING.map(field)}
      <FirstPhaseButton
        testId="train-forecaster"
        label="Train the forecaster"
        after="alone: its NLL curves, fan, attention map and scores against the baselines, without the hedgers (Stop ends it; Run then reuses it)."
      />
    </Panel>
  );
}
