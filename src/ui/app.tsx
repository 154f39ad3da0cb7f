/**
 * The page: header with the run controls, the experiment form on the left; on the right the price data (for
 * a data-driven market), a preview of the market, live charts and the metrics table, or, in the Compare
 * view, the comparison of the form's strategies over a grid (comparison-view.tsx). It also starts the lab
 * worker, keeps the URL fragment equal to the experiment and the market preview equal to the form.
 */
import { useEffect, type ReactNode } from 'react';
import { LossChart } from './charts/loss-chart';
import { MetricsTable } from './charts/metrics-table';
import { PathsChart } from './charts/paths-chart';
import { PnlChart } from './charts/pnl-chart';
import { SurfaceChart } from './charts/surface-chart';
import { ComparisonView } from './comparison-view';
import { useComparison } from './comparison-store';
import { DataPanel } from './data-panel';
import { ExperimentForm } from './experiment-form';
import { isDataModel } from './form-draft';
import { LabHeader } from './lab-header';
import { useLab } from './lab-store';
import { LinkErrorBanner } from './link-error-banner';
import { MarketPanel } from './market-panel';
import { useMarketPreviewSync } from './market-preview-sync';
import { writeExperimentToUrl } from './share-link-sync';

function ChartCard(props: { title: string; about: string; wide?: boolean; testId?: string; children: ReactNode }) {
  return (
    <section className={`card${props.wide ? ' wide' : ''}`} data-testid={props.testId}>
      <h2>{props.title}</h2>
      <p className="about">{props.about}</p>
      {props.children}
    </section>
  );
}

/** The URL fragment follows every valid experiment on the form; a pasted link replaces the form. */
function useShareLinkSync(): void {
  useEffect(() => {
    const current = useLab.getState().check.config;
    if (current) writeExperimentToUrl(current);
    const unsubscribe = useLab.subscribe((s, prev) => {
      if (s.check.config && s.check.config !== prev.check.config) writeExperimentToUrl(s.check.config);
    });
    const onHashChange = () => useLab.getState().openLink(window.location.hash);
    window.addEventListener('hashchange', onHashChange);
    return () => {
      unsubscribe();
      window.removeEventListener('hashchange', onHashChange);
    };
  }, []);
}

export function App() {
  useShareLinkSync();
  useMarketPreviewSync();
  useEffect(() => void useLab.getState().boot(), []);
  const dataMarket = useLab((s) => isDataModel(s.draft.market.model));
  const comparing = useComparison((s) => s.open);

  return (
    <>
      <LabHeader />
      <LinkErrorBanner />
      <main className="lab">
        <aside className="form-column">
          <ExperimentForm />
        </aside>
        {comparing ? (
          <ComparisonView />
        ) : (
          <div className="charts">
            {dataMarket && (
              <ChartCard wide testId="data-card" title="Data" about="Daily closing prices the market is built from, split by date into training, validation and test (paper 003 §3.1).">
                <DataPanel />
              </ChartCard>
            )}
            <ChartCard wide testId="market-card" title="Market" about="What the market on the form looks like before any training; it follows the form as you type.">
              <MarketPanel />
            </ChartCard>
            <ChartCard title="Training loss" about="The risk measure of the deep hedger’s P&L on each epoch’s training paths. Lower is better.">
              <LossChart />
            </ChartCard>
            <ChartCard title="P&L on the test paths" about="How the final profit and loss of each hedged short option is spread. Narrower is a better hedge.">
              <PnlChart />
            </ChartCard>
            <ChartCard wide title="What the network holds" about="Shares held by the deep hedger for each moneyness and time left, beside the Black-Scholes delta. Same colours, same scale.">
              <SurfaceChart />
            </ChartCard>
            <ChartCard wide title="Sample paths" about="One simulated stock path (left axis) and the position each strategy holds along it (right axis).">
              <PathsChart />
            </ChartCard>
          </div>
        )}
        {!comparing && (
          <ChartCard wide title="Metrics on the test paths" about="One row per strategy. Losses are positive in VaR and ES; hover a column name for its meaning.">
            <MetricsTable />
          </ChartCard>
        )}
      </main>
    </>
  );
}
