/**
 * The market panel: what the market on the form looks like before anything is trained (engine's
 * marketPreview, refreshed ~300 ms after the form last changed): a fan chart of the claim's underlying;
 * under Heston the implied-volatility smile; for a data market its chronological split and, for the
 * regime-switching market, the regimes the fit chose (BIC per number of regimes, each regime's
 * volatility and share of the training days). While the form is invalid the last preview stays, greyed out
 * under the reason it is out of date.
 */
import type { MarketSummary } from '../engine/experiment/market';
import { FanChart } from './charts/fan-chart';
import { SmileChart } from './charts/smile-chart';
import { useLab } from './lab-store';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** "5, 25, 50, 75 and 95%". */
function quantileList(quantiles: number[]): string {
  const whole = quantiles.map((q) => String(Math.round(100 * q)));
  return whole.length > 1 ? `${whole.slice(0, -1).join(', ')} and ${whole.at(-1)}%` : `${whole[0] ?? ''}%`;
}

export function SplitSummary({ split }: { split: NonNullable<MarketSummary['split']> }) {
  const rows: [string, [string, string] | null, string][] = [
    ['Train', split.train, `${split.trainWindows.toLocaleString()} windows`],
    ['Validation', split.validation, 'held out'],
    ['Test', split.test, `${split.testWindows.toLocaleString()} windows`],
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

export function MarketPanel() {
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
