/**
 * The data panel of a data-driven market: where its daily prices come from (the bundled series: the S&P 500,
 * AAPL, or both on their common dates with the claim on the first (paper 003 §5); or imported CSV files: a
 * file picker and a drop zone, several files for several assets), what is loaded
 * (a chart of the closes with the split shaded, the symbols, the parser's warnings) and, for a refused
 * import, every error with its file, line and column, while the data loaded before stay in use. Option
 * quotes (date, expiry, strike, call price) are imported beside them, for paper 000's implied delta.
 * The forecaster market (paper 000 §2) reads the same sources, or a panel of assets driven by a few latent
 * factors that the engine simulates (data/factor-panel.ts), set up here; its split is shaded once a run
 * has reported it.
 */
import { useState, type DragEvent } from 'react';
import { PriceChart, type PriceSplit } from './charts/price-chart';
import { NumberField, SelectField, useFieldErrors } from './form-fields';
import { useLab, type LabState } from './lab-store';
import { BUNDLED_DATA_DESCRIPTION, BUNDLED_SERIES } from '../engine/data/bundled-series';
import { BUNDLED_SYMBOLS, isDataMarket, type BundledSymbol } from '../engine/experiment/schema';
import type { MarketDraft } from './form-draft';
import { dataNeed } from './price-data';

const NAMES: Record<BundledSymbol, string> = { AAPL: 'AAPL', SPX: 'S&P 500' };

/** The bundled choices (the claim on the first series), then the imported files; a source is `sp500`, `imported` or `bundled:<symbols>`. */
const BUNDLED_CHOICES: readonly (readonly BundledSymbol[])[] = [['AAPL'], ['AAPL', 'SPX'], ['SPX', 'AAPL']];

const bundledValue = (symbols: readonly BundledSymbol[]) => `bundled:${symbols.join(',')}`;

function bundledLabel(symbols: readonly BundledSymbol[]): string {
  if (symbols.length === 1) return `Bundled ${NAMES[symbols[0]!]} (${symbols[0] === 'AAPL' ? '2013–2018' : '2000–2020'})`;
  return `Bundled ${symbols.map((s) => NAMES[s]).join(' + ')} (claim on ${NAMES[symbols[0]!]})`;
}

/** The value of the forecaster's simulated factor panel in the menu. */
const FACTOR_PANEL = 'factor-panel';

/**
 * The menu's options, with the draft's own bundled choice when a link set one the menu does not list; the
 * forecaster market can also read a simulated factor panel.
 */
function sourceOptions(market: MarketDraft): { value: string; label: string }[] {
  const data = market.data;
  const choices = [...BUNDLED_CHOICES];
  if (data.source === 'bundled' && !choices.some((c) => bundledValue(c) === bundledValue(data.bundled))) choices.push(data.bundled);
  return [
    { value: 'sp500', label: 'Bundled S&P 500 (2000–2020)' },
    ...choices.map((c) => ({ value: bundledValue(c), label: bundledLabel(c) })),
    { value: 'imported', label: 'Imported CSV files' },
    ...(market.model === 'forecaster' ? [{ value: FACTOR_PANEL, label: 'Simulated factor panel (many assets)' }] : []),
  ];
}

function sourceValue(market: MarketDraft): string {
  if (market.model === 'forecaster' && market.forecaster.factorPanel) return FACTOR_PANEL;
  return market.data.source === 'bundled' ? bundledValue(market.data.bundled) : market.data.source;
}

function setSource(market: MarketDraft, value: string): void {
  market.forecaster.factorPanel = value === FACTOR_PANEL;
  if (value === FACTOR_PANEL) return;
  const data = market.data;
  if (value === 'sp500' || value === 'imported') {
    data.source = value;
    return;
  }
  data.source = 'bundled';
  data.bundled = value
    .slice('bundled:'.length)
    .split(',')
    .filter((s): s is BundledSymbol => (BUNDLED_SYMBOLS as readonly string[]).includes(s));
}

function DropZone() {
  const importFiles = useLab((s) => s.importFiles);
  const importing = useLab((s) => s.data.importing);
  const [over, setOver] = useState(false);
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const files = [...e.dataTransfer.files];
    if (files.length) void importFiles(files);
  };
  return (
    <div
      className={`drop-zone${over ? ' over' : ''}`}
      data-testid="drop-zone"
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <div className="drop-row">
        <strong>Drop CSV files of daily prices here</strong>
        <span className="about">or</span>
        <label className="file-button">
          Choose files…
          <input
            type="file"
            accept=".csv,text/csv"
            multiple
            data-testid="csv-input"
            onChange={(e) => {
              const files = [...(e.target.files ?? [])];
              e.target.value = '';
              if (files.length) void importFiles(files);
            }}
          />
        </label>
      </div>
      <p className="about">One file per asset (aligned on their dates), or one file with a Symbol column.</p>
      <p className="about">Columns as Yahoo Finance writes them: Date (yyyy-mm-dd) and Close or Adj Close. The files stay in this tab; a share link carries only their names.</p>
      {importing && <p className="about">Reading…</p>}
    </div>
  );
}

/** A refused file's errors, each naming its file, line and column, above what is still loaded. */
function RefusedFile(props: { title: string; errors: string[]; onDismiss: () => void; testId: string }) {
  return (
    <div className="banner error import-errors" role="alert" data-testid={props.testId}>
      <div>
        <strong>{props.title}</strong>
        <ul>
          {props.errors.map((e, i) => (
            <li key={i}>{e}</li>
          ))}
        </ul>
      </div>
      <button type="button" className="link-button" onClick={props.onDismiss} aria-label="Dismiss">
        ×
      </button>
    </div>
  );
}

function ImportErrors() {
  const errors = useLab((s) => s.data.importErrors);
  const loaded = useLab((s) => s.data.imported?.name ?? null);
  const dismiss = useLab((s) => s.dismissImportErrors);
  if (errors.length === 0) return null;
  return <RefusedFile title={`The import was refused${loaded ? `; “${loaded}” is still loaded` : ''}.`} errors={errors} onDismiss={dismiss} testId="import-errors" />;
}

/**
 * Option quotes on the claim's underlying: the implied delta (paper 000 eq. 24-26) then takes its volatility
 * from them on the dates they cover, and the stated proxy elsewhere. Kept in the tab as imported prices are.
 */
function QuotesImport() {
  const wanted = useLab((s) => s.draft.market.data.quotes);
  const loaded = useLab((s) => s.data.quotes);
  const errors = useLab((s) => s.data.quoteErrors);
  const importQuotes = useLab((s) => s.importQuotes);
  const dismiss = useLab((s) => s.dismissQuoteErrors);
  const edit = useLab((s) => s.edit);
  const use = (name: string) => edit((d) => void (d.market.data.quotes = name));
  const dates = loaded ? [...new Set(loaded.quotes.quotes.map((q) => q.date))].sort() : [];
  return (
    <div className="quotes-import" data-testid="quotes-import">
      <div className="drop-row">
        <strong>Option quotes</strong>
        <span className="about">(optional)</span>
        <label className="file-button">
          Import option quotes…
          <input
            type="file"
            accept=".csv,text/csv"
            data-testid="quotes-input"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void importQuotes(file);
            }}
          />
        </label>
      </div>
      <p className="about">
        Calls on the claim&apos;s underlying, columns Date, Expiry, Strike, Call Price (dates yyyy-mm-dd). The implied delta takes its volatility from them on the dates they cover;
        elsewhere, and without quotes, from the stated proxy (trailing 30-day realised vol, or the regime&apos;s vol).
      </p>
      {loaded && (
        <p data-testid="quotes-loaded">
          Loaded <strong>{loaded.name}</strong>: {loaded.quotes.quotes.length.toLocaleString()} quotes on {dates.length.toLocaleString()} dates, {dates[0]} → {dates.at(-1)}
          {wanted === loaded.name ? (
            <>
              {' '}
              (in use){' '}
              <button type="button" onClick={() => use('')}>
                Stop using them
              </button>
            </>
          ) : (
            <>
              {' '}
              <button type="button" onClick={() => use(loaded.name)}>
                Use them
              </button>
            </>
          )}
        </p>
      )}
      {wanted && loaded?.name !== wanted && (
        <p className="banner notice" role="status" data-testid="expected-quotes">
          This experiment uses the option quotes <strong>“{wanted}”</strong>. Import them here to run it, or{' '}
          <button type="button" onClick={() => use('')}>
            run without quotes
          </button>
          .
        </p>
      )}
      {errors.length > 0 && (
        <RefusedFile title={`The quotes were refused${loaded ? `; “${loaded.name}” is still loaded` : ''}.`} errors={errors} onDismiss={dismiss} testId="quote-errors" />
      )}
    </div>
  );
}

/** A link (or preset) that names a file other than the one loaded: say which file to import. */
function ExpectedFile() {
  const file = useLab((s) => s.draft.market.data.file);
  const imported = useLab((s) => s.data.imported);
  const useImported = useLab((s) => s.useImportedData);
  if (!file || imported?.name === file) return null;
  return (
    <p className="banner notice" data-testid="expected-file" role="status">
      <span>
        This experiment runs on the file <strong>“{file}”</strong>. Import it here to run it.
      </span>
      {imported && (
        <button type="button" onClick={useImported}>
          Use “{imported.name}” instead
        </button>
      )}
    </p>
  );
}

/** Which assets and dates are bundled, then which of them are in use (the claim's first) and on which dates. */
function BundledDescription({ symbols, dates }: { symbols: BundledSymbol[]; dates: readonly string[] | null }) {
  const used = symbols.map((s, i) => `${s}${i === 0 && symbols.length > 1 ? ' (the claim’s asset)' : ''}`).join(' and ');
  return (
    <div className="about" data-testid="bundled-description">
      <p>{BUNDLED_DATA_DESCRIPTION}</p>
      <p data-testid="data-loaded" title={symbols.map((s) => BUNDLED_SERIES[s].description).join('; ')}>
        In use: {used}
        {dates && dates.length > 0 ? `, ${dates.length.toLocaleString()} ${symbols.length > 1 ? 'common ' : ''}trading days, ${dates[0]} → ${dates.at(-1)}` : ''}.
      </p>
    </div>
  );
}

/**
 * The forecaster's simulated factor panel (data/factor-panel.ts): N assets, each loading on one of F latent
 * factors whose volatilities switch between a calm and a turbulent regime, over D trading days; its own seed
 * makes it data, the same for every run seed.
 */
function FactorPanelFields() {
  const f = useLab((s) => s.draft.market.forecaster);
  const edit = useLab((s) => s.edit);
  const set = (key: 'assets' | 'factors' | 'days' | 'panelSeed') => (v: string) => edit((d) => void (d.market.forecaster[key] = v));
  return (
    <div className="factor-panel-fields" data-testid="factor-panel-fields">
      <NumberField name="market.data.assets" label="Assets N" integer value={f.assets} onChange={set('assets')} hint="2 to 64; the claim is on asset 1" />
      <NumberField name="market.data.factors" label="Latent factors F" integer value={f.factors} onChange={set('factors')} hint="1 to 16, at most N: each asset moves with one of them" />
      <NumberField name="market.data.days" label="Trading days" integer value={f.days} onChange={set('days')} hint="300 to 10,000 weekdays of prices" />
      <NumberField name="market.data.seed" label="Panel seed" integer value={f.panelSeed} onChange={set('panelSeed')} hint="The panel’s own seed: the same panel whatever the experiment’s seed" />
      <p className="about wide">
        Each asset loads on one of F factors whose volatilities switch between a calm and a turbulent regime, plus noise of its own. With k = F latent assets the
        forecaster can gather each factor’s assets into one latent (paper 000 §2.2.2): its attention map, after a run, shows whether it did.
      </p>
    </div>
  );
}

/** The train, validation and test dates of the last run's forecast, when it ran on the data and split the form has now. */
function forecastSplit(s: LabState): PriceSplit | null {
  const forecast = s.view.forecast;
  const ran = s.run.config?.market;
  const now = s.check.config?.market;
  if (!forecast || ran?.model !== 'forecaster' || now?.model !== 'forecaster') return null;
  return JSON.stringify([ran.data, ran.split]) === JSON.stringify([now.data, now.split]) ? forecast.split : null;
}

export function DataPanel() {
  const market = useLab((s) => s.draft.market);
  const data = market.data;
  const factorPanel = market.model === 'forecaster' && market.forecaster.factorPanel;
  const source = data.source;
  const chosen = data.symbols;
  const edit = useLab((s) => s.edit);
  const sp500 = useLab((s) => s.data.sp500);
  const imported = useLab((s) => s.data.imported);
  // A bundled source's panel, once its series are loaded (price-data.ts loads each on first use).
  const bundled = useLab((s) => {
    if (s.draft.market.data.source !== 'bundled') return null;
    const need = dataNeed(s.check.config, s.data);
    return need.status === 'ready' ? need.panel : need.status === 'waiting' ? need.message : null;
  });
  const previewSplit = useLab((s) => (s.preview.status !== 'failed' && s.preview.status !== 'stale' && s.preview.config && isDataMarket(s.preview.config.market) ? (s.preview.preview?.summary.split ?? null) : null));
  const ranSplit = useLab(forecastSplit);
  const split = market.model === 'forecaster' ? ranSplit : previewSplit;
  const fileErrors = useFieldErrors('market.data.file');
  const symbolErrors = useFieldErrors('market.data.symbols');

  const bundledPanel = typeof bundled === 'string' ? null : bundled;
  const panel = source === 'sp500' ? sp500.panel : source === 'bundled' ? bundledPanel : (imported?.panel ?? null);
  const empty =
    source === 'sp500'
      ? sp500.status === 'failed'
        ? `The S&P 500 data could not be loaded: ${sp500.error}`
        : 'Loading the S&P 500 series…'
      : source === 'bundled'
        ? typeof bundled === 'string'
          ? bundled
          : 'The bundled series appear here once the form is valid'
        : 'Import a CSV file: its prices appear here';

  return (
    <div className="data-panel" data-testid="data-panel">
      <div className="data-controls">
        <SelectField name="market.data.source" label="Prices from" wide value={sourceValue(market)} options={sourceOptions(market)} onChange={(v) => edit((d) => setSource(d.market, v))} />
        {factorPanel && <FactorPanelFields />}
        {!factorPanel && source === 'bundled' && <BundledDescription symbols={data.bundled} dates={bundledPanel?.dates ?? null} />}
        {!factorPanel && source === 'sp500' && sp500.panel && (
          <p className="about" data-testid="data-loaded">
            The S&amp;P 500 index (vega-datasets): {sp500.panel.dates.length.toLocaleString()} trading days, {sp500.panel.dates[0]} → {sp500.panel.dates.at(-1)}.
          </p>
        )}
        {!factorPanel && source === 'imported' && (
          <>
            <DropZone />
            <ExpectedFile />
            <ImportErrors />
            {fileErrors && (
              <span className="field-error" role="alert">
                {fileErrors.join('; ')}
              </span>
            )}
            {imported && (
              <div className="loaded" data-testid="data-loaded">
                <p>
                  Loaded <strong>{imported.name}</strong>: {imported.panel.dates.length.toLocaleString()} dates, {imported.panel.dates[0]} → {imported.panel.dates.at(-1)}.
                </p>
                <p className="symbols-line">
                  Symbols{' '}
                  <span className="about">(the claim is on the first{chosen.length ? '; those in use are ticked' : ''})</span>:
                </p>
                <ul className="symbols" data-testid="data-symbols">
                  {imported.panel.symbols.map((sym) => (
                    <li key={sym} className={chosen.length === 0 || chosen.includes(sym) ? 'used' : undefined}>
                      {chosen.includes(sym) ? '✓ ' : ''}
                      {sym}
                    </li>
                  ))}
                </ul>
                {symbolErrors && (
                  <span className="field-error" role="alert">
                    {symbolErrors.join('; ')}
                  </span>
                )}
                {imported.warnings.length > 0 && (
                  <details className="warnings" data-testid="import-warnings" open={imported.warnings.length <= 3}>
                    <summary>
                      {imported.warnings.length} warning{imported.warnings.length === 1 ? '' : 's'}
                    </summary>
                    <ul>
                      {imported.warnings.map((w, i) => (
                        <li key={i}>{w}</li>
                      ))}
                    </ul>
                  </details>
                )}
              </div>
            )}
          </>
        )}
        {(market.model === 'historical' || market.model === 'regime-switching') && <QuotesImport />}
      </div>
      <div className="data-chart">
        {factorPanel ? (
          <p className="data-note" data-testid="factor-panel-note">
            The engine simulates this panel when you press Run: {market.forecaster.assets} assets over {market.forecaster.days} trading days. The lab shows prices it has
            loaded, not ones it has yet to simulate.
          </p>
        ) : (
          <PriceChart panel={panel} split={split} empty={empty} />
        )}
      </div>
    </div>
  );
}
