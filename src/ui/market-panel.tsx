/**
 * The market panel: what the market on the form looks like before anything is trained (engine's
 * marketPreview, refreshed ~300 ms after the form last changed): a fan chart of the claim's underlying;
 * under Heston the implied-volatility smile; for a data market its chronological split and, for the
 * regime-switching market, the regimes the fit chose (BIC per number of regimes, each regime's
 * volatility and share of the training days). While the form is invalid the last preview stays, greyed out
 * under the reason it is out of date. The forecaster market has no paths before its forecaster is trained:
 * the panel says what a run will do and, once one has run on the form's market, how it split the dates.
 */
import type { MarketSummary } from '../engine/experiment/market';
import { FanChart } from './charts/fan-chart';
import { SmileChart } from './charts/smile-chart';
import { useLab, type LabState } from './lab-store';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** "5, 25, 50, 75 and 95%". */
function quantileList(quantiles: number[]): string {
  const whole = quantiles.map((q) => String(Math.round(100 * q)));
  return whole.length > 1 ? `${whole.slice(0, -1).join(', ')} and ${whole.at(-1)}%` : `${whole[0] ?? ''}%`;
}

/** `units`: what the training and test counts are (the forecaster market trains on paths it samples, and may test on them). */
export function SplitSummary({ split, units = { train: 'windows', test: 'windows' } }: { split: NonNullable<MarketSummary['split']>; units?: { train: string; test: string } }) {
  const rows: [string, [string, string] | null, string][] = [
    ['Train', split.train, `${split.trainWindows.toLocaleString()} ${units.train}`],
    ['Validation', split.validation, 'held out'],
    ['Test', split.test, `${split.testWindows.toLocaleString()} ${units.test}`],
  ];
  return (
    <table className="summary-table" data-testid="split-summary">
      <caption>Chronological split</caption>
      <tbody>
        {rows.map(([name, range, what]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td>{range ? `${range[0]} → ${range[1]}` : 'none'}</td>
            <td>{range ? what : ''}</td>
          </tr>
        ))}
      </tbody>
      {split.skippedWindows > 0 && (
        <tfoot>
          <tr>
            <td colSpan={3}>{split.skippedWindows.toLocaleString()} windows skipped (a price missing inside them)</td>
          </tr>
        </tfoot>
      )}
    </table>
  );
}

function RegimeSummary({ regimes }: { regimes: NonNullable<MarketSummary['regimes']> }) {
  const best = Math.min(...regimes.bic);
  return (
    <div className="regimes" data-testid="regime-summary">
      <p className="regimes-chosen">
        Regimes: <strong>K = {regimes.chosen}</strong>, the number with the lowest BIC
      </p>
      <table className="summary-table">
        <caption>BIC by K</caption>
        <thead>
          <tr>
            <th scope="col">K</th>
            <th scope="col">BIC</th>
          </tr>
        </thead>
        <tbody>
          {regimes.bic.map((bic, k) => (
            <tr key={k} className={k + 1 === regimes.chosen ? 'chosen' : undefined}>
              <th scope="row">{k + 1}</th>
              <td>
                {Number.isFinite(bic) ? bic.toFixed(1) : '–'}
                {bic === best ? ' ◂' : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="summary-table">
        <caption>Each regime</caption>
        <thead>
          <tr>
            <th scope="col">regime</th>
            <th scope="col" title="Annualised volatility of the claim's underlying in this regime">volatility</th>
            <th scope="col" title="Share of the training days in this regime">share of days</th>
          </tr>
        </thead>
        <tbody>
          {regimes.volatility.map((v, k) => (
            <tr key={k}>
              <th scope="row">{k + 1}</th>
              <td>{pct(v)}</td>
              <td>{pct(regimes.frequency[k] ?? NaN)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {regimes.features.length > 0 && <p className="about">Fitted on: {regimes.features.join(', ')}.</p>}
    </div>
  );
}

/** The prepared market the last run reported, when it ran the market (and paths) the form has now. */
function ranMarket(s: LabState): LabState['view']['market'] {
  const ran = s.run.config;
  const now = s.check.config;
  if (!s.view.market || !ran || !now) return null;
  return JSON.stringify([ran.market, ran.paths, ran.seed]) === JSON.stringify([now.market, now.paths, now.seed]) ? s.view.market : null;
}

/** Paper 000 §3.1: what a run of the forecaster market does, and the split of its last run. */
function ForecasterMarketPanel() {
  const market = useLab((s) => s.draft.market);
  const ran = useLab(ranMarket);
  const f = market.forecaster;
  const data = market.data;
  const source = f.factorPanel
    ? `the simulated factor panel of ${f.assets} assets`
    : data.source === 'sp500'
      ? 'the S&P 500 series'
      : data.source === 'bundled'
        ? `the ${data.bundled.join(' and ')} series`
        : data.file
          ? `“${data.file}”`
          : 'the imported file';
  return (
    <div className={`market-panel${ran?.split ? ' two' : ''}`} data-status="forecaster" data-testid="market-panel">
      <div className="market-summary">
        <p className="market-note" data-testid="forecaster-market-note">
          This market’s paths come from its forecaster, so there is nothing to preview yet: press Run to train it on the returns of {source} up to the end of the
          training dates (its cards below follow it). Its paths, {f.measure === 'risk-neutral' ? 'under the risk-neutral measure' : 'under the physical measure'}, each
          from a training date’s own history, then train the hedgers, which are tested on {f.testOn === 'real' ? 'the real windows of the test dates' : 'its paths from the test dates'}.
        </p>
        {!f.factorPanel && <p className="about">The prices it learns from are in the Data card above.</p>}
        {ran && ran.assets.length > 0 && <p className="about">Traded: {ran.assets.join(', ')} (the claim is on {ran.assets[0]}).</p>}
        {ran?.impliedVolatility?.source && <p className="about">Black–Scholes hedges use {ran.impliedVolatility.source}.</p>}
      </div>
      {ran?.split && (
        <div className="market-summary">
          <SplitSummary split={ran.split} units={{ train: 'sampled paths', test: f.testOn === 'real' ? 'real windows' : 'sampled paths' }} />
        </div>
      )}
    </div>
  );
}

/** Paper 003 §3.3: what a run of the signature-diffusion market does, and the split of its last run. */
function DiffusionMarketPanel() {
  const market = useLab((s) => s.draft.market);
  const ran = useLab(ranMarket);
  const data = market.data;
  const source = data.source === 'sp500' ? 'the S&P 500 series' : data.source === 'bundled' ? `the ${data.bundled.join(' and ')} series` : data.file ? `“${data.file}”` : 'the imported file';
  return (
    <div className={`market-panel${ran?.split ? ' two' : ''}`} data-status="signature-diffusion" data-testid="market-panel">
      <div className="market-summary">
        <p className="market-note" data-testid="diffusion-market-note">
          This market’s paths come from its generators, so there is nothing to preview yet: press Generate (in the Signature diffusion panel) or Run to train one for
          each traded asset of {source} (the hedge set) on its training dates and sample {Number(market.diffusion.paths).toLocaleString('en-US')} paths from each; the hedgers train on those and are tested on the real
          windows of the test dates.
        </p>
        <p className="about">The prices it learns from are in the Data card above.</p>
        {ran && ran.assets.length > 0 && <p className="about">Traded: {ran.assets.join(', ')} (the claim is on {ran.assets[0]}).</p>}
        {ran?.impliedVolatility?.source && <p className="about">Black–Scholes hedges use {ran.impliedVolatility.source}.</p>}
      </div>
      {ran?.split && (
        <div className="market-summary">
          <SplitSummary split={ran.split} units={{ train: 'generated paths', test: 'real windows' }} />
        </div>
      )}
    </div>
  );
}

export function MarketPanel() {
  const model = useLab((s) => s.draft.market.model);
  if (model === 'forecaster') return <ForecasterMarketPanel />;
  return model === 'signature-diffusion' ? <DiffusionMarketPanel /> : <PreviewPanel />;
}

function PreviewPanel() {
  const preview = useLab((s) => s.preview.preview);
  const status = useLab((s) => s.preview.status);
  const message = useLab((s) => s.preview.message);
  const model = useLab((s) => s.draft.market.model);
  const summary = preview?.summary;
  const side = model === 'heston' ? 'smile' : summary?.split || summary?.regimes ? 'summary' : null;
  const stale = status === 'stale' && preview !== null;

  return (
    <div className={`market-panel${side ? ' two' : ''}${stale ? ' stale' : ''}`} data-status={status} data-testid="market-panel" aria-describedby={stale ? 'preview-stale' : undefined}>
      {stale && (
        <p className="preview-stale" id="preview-stale" role="status" data-testid="preview-stale">
          {message}
        </p>
      )}
      <div>
        <h3>
          Paths of {summary && summary.assets.length > 1 ? summary.assets[0] : 'the underlying'}
          {preview ? `: ${quantileList(preview.quantiles)} quantiles` : ''}
          {status === 'loading' && <span className="updating"> updating…</span>}
        </h3>
        <FanChart />
      </div>
      {side === 'smile' && (
        <div>
          <h3>Implied-volatility smile by maturity</h3>
          <SmileChart />
        </div>
      )}
      {side === 'summary' && summary && (
        <div className="market-summary">
          {summary.assets.length > 0 && <p className="about">Assets: {summary.assets.join(', ')} (the claim is on {summary.assets[0]}).</p>}
          {summary.split && <SplitSummary split={summary.split} />}
          {summary.regimes && <RegimeSummary regimes={summary.regimes} />}
        </div>
      )}
    </div>
  );
}
