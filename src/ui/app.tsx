/**
 * The page: header with the run controls, the experiment form on the left; on the right the price data (for
 * a data-driven market), a preview of the market, live charts and the metrics table, or, in the Compare
 * view, the comparison of the form's strategies over a grid (comparison-view.tsx); the Learn view's lessons
 * (lesson-view.tsx) and the History view's kept runs (history-view.tsx). It also starts the lab
 * worker, keeps the URL fragment equal to the experiment and the market preview equal to the form.
 */
import { useEffect, type ReactNode } from 'react';
import { RL_ALGORITHMS, type StrategyType } from '../engine/experiment/schema';
import { AgentChart } from './charts/agent-chart';
import { ChartTitle } from './charts/chart-title';
import { DynamicsChart } from './charts/dynamics-chart';
import { AttentionMap, ForecastFanChart, ForecasterNllChart, ForecastScoresTable } from './charts/forecaster-charts';
import { LossChart } from './charts/loss-chart';
import { MetricsTable } from './charts/metrics-table';
import { PathsChart } from './charts/paths-chart';
import { PnlChart } from './charts/pnl-chart';
import { PvMapChart } from './charts/pv-map-chart';
import { CurvatureChart, HedgeBandsChart, isRecurrent, PnlVariantsChart, ValidationRaceChart } from './charts/race-charts';
import { SurfaceChart } from './charts/surface-chart';
import { ComparisonView } from './comparison-view';
import { DataPanel } from './data-panel';
import { ExperimentForm } from './experiment-form';
import { ForecasterFiles } from './forecaster-files';
import { GeneratorFiles } from './generator-files';
import { DiffusionLossChart, GeneratedFanChart, ReturnDistributionsChart, StylisedFactsTable } from './charts/diffusion-charts';
import { isDailyModel } from './form-draft';
import { HistoryView } from './history-view';
import { LabHeader } from './lab-header';
import { useLab } from './lab-store';
import { LinkErrorBanner } from './link-error-banner';
import { LessonView } from './lesson-view';
import { MarketPanel } from './market-panel';
import { useMarketPreviewSync } from './market-preview-sync';
import { usePageView } from './page-view';
import { useRunEstimateSync } from './run-estimate-sync';
import { useRunHistorySync } from './run-history-sync';
import { isLessonHash, writeExperimentToUrl } from './share-link-sync';
import { lessonParam } from '../engine/lessons/lesson-link';
import { LessonGuide } from './lesson-guide';
import { useLessons, watchLessonRuns } from './lesson-store';

function ChartCard(props: { title: string; about: string; wide?: boolean; testId?: string; children: ReactNode }) {
  return (
    <section className={`card${props.wide ? ' wide' : ''}`} data-testid={props.testId}>
      <h2>{props.title}</h2>
      <p className="about">{props.about}</p>
      <ChartTitle value={props.title}>{props.children}</ChartTitle>
    </section>
  );
}

/**
 * The URL fragment follows every valid experiment on the form; a pasted link replaces the form, and a lesson
 * link (`#lesson=...`) opens its lesson, whose first step then loads its experiment.
 */
function useShareLinkSync(): void {
  useEffect(() => {
    const onHashChange = () => {
      const { hash } = window.location;
      if (isLessonHash(hash)) useLessons.getState().openLink(lessonParam(hash)!);
      else useLab.getState().openLink(hash);
    };
    if (isLessonHash(window.location.hash)) onHashChange();
    const current = useLab.getState().check.config;
    if (current) writeExperimentToUrl(current);
    const unsubscribe = useLab.subscribe((s, prev) => {
      if (s.check.config && s.check.config !== prev.check.config) writeExperimentToUrl(s.check.config);
    });
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
  useRunEstimateSync();
  useRunHistorySync();
  useEffect(() => void useLab.getState().boot(), []);
  useEffect(watchLessonRuns, []);
  // The data and forecaster markets choose their prices in the Data card (a forecaster, or a simulated factor panel).
  const dataMarket = useLab((s) => isDailyModel(s.draft.market.model));
  // Paper 000 §2's forecaster: its cards follow the form's market, and stay while they show a run's forecaster.
  const forecasterForm = useLab((s) => s.draft.market.model === 'forecaster');
  const forecaster = useLab((s) => forecasterForm || s.view.forecaster !== null || s.view.forecast !== null);
  // Paper 003 §3.3's generators: their cards follow the form's market, and stay while they show a run's generators.
  const diffusionForm = useLab((s) => s.draft.market.model === 'signature-diffusion');
  const diffusion = useLab((s) => diffusionForm || s.view.diffusion !== null || s.view.generated !== null);
  const page = usePageView((s) => s.view);
  const recurrent = useLab((s) => s.view.strategies.some(isRecurrent));
  // Paper 000's RL agents report their own curves and a PV_T map each (so does whatever else the engine maps).
  const agents = useLab((s) => s.view.strategies.some((x) => (RL_ALGORITHMS as readonly StrategyType[]).includes(x.type)));
  const pvMaps = useLab((s) => agents || Object.keys(s.view.pvMaps).length > 0);
  // Paper 003's sequence hedgers report their holdings and validation loss each epoch.
  const sequence = useLab((s) => s.view.strategies.some((x) => x.type === 'rnn' || x.type === 'sigformer'));
  // Recurrent hedgers report validation curves, not epoch losses or a holding surface: those cards wait for a feed-forward hedger.
  const feedForward = useLab((s) => !s.view.strategies.some(isRecurrent) || s.view.strategies.some((x) => x.trainable && !isRecurrent(x)));

  return (
    <>
      <LabHeader />
      <LinkErrorBanner />
      <main className="lab">
        <aside className="form-column">
          <LessonGuide />
          <ExperimentForm />
        </aside>
        {page === 'compare' && <ComparisonView />}
        {page === 'learn' && <LessonView />}
        {page === 'history' && <HistoryView />}
        {page === 'lab' && (
          <div className="charts" role="tabpanel" id="lab-view" aria-labelledby="tab-lab">
            {dataMarket && (
              <ChartCard wide testId="data-card" title="Data" about="Daily closing prices the market is built from, split by date into training, validation and test (paper 003 §3.1).">
                <DataPanel />
              </ChartCard>
            )}
            <ChartCard
              wide
              testId="market-card"
              title="Market"
              about={
                forecasterForm || diffusionForm
                  ? `What a run of the ${forecasterForm ? 'forecaster' : 'signature-diffusion'} market on the form does, and how its last run split the dates.`
                  : 'What the market on the form looks like before any training; it follows the form as you type.'
              }
            >
              <MarketPanel />
            </ChartCard>
            {forecaster && (
              <>
                <ChartCard
                  testId="forecaster-nll-card"
                  title="Forecaster training"
                  about="Mean negative log-likelihood per return of the Gaussian forecasts (paper 000 eq. 6) on the training windows and on the validation windows after each epoch; lower is better. Early stopping keeps the epoch with the lowest validation NLL (dotted)."
                >
                  <ForecasterNllChart />
                </ChartCard>
                <ChartCard
                  testId="forecast-fan-card"
                  title="Forecast from a test date"
                  about="Quantiles of the prices the trained forecaster samples (eq. 10-11, physical measure) day by day from a test date (the first, or the one you choose), from that date’s own history, against what the price did."
                >
                  <ForecastFanChart />
                </ChartCard>
                <ChartCard
                  wide
                  testId="forecast-scores-card"
                  title="Forecast scores on the test dates"
                  about="The forecaster against three classic volatility forecasts, each a Gaussian for the claim’s asset’s next return, scored on every test day; hover a column name for its meaning."
                >
                  <ForecastScoresTable />
                </ChartCard>
                <ChartCard
                  testId="attention-card"
                  title="Attention map (eq. 9)"
                  about="How much each asset makes up of each latent asset of the low-rank encoder, averaged over the test dates: each column sums to 1. Assets that move together should share a latent."
                >
                  <AttentionMap />
                </ChartCard>
                <ChartCard
                  testId="forecaster-files-card"
                  title="Trained forecaster"
                  about="The forecaster this tab keeps for the next run of the same data, split, settings and seed; saved as two files (tfjs’s model JSON with its manifest, and the weights) it can be loaded in another tab with the same experiment."
                >
                  <ForecasterFiles />
                </ChartCard>
              </>
            )}
            {diffusion && (
              <>
                <ChartCard
                  testId="diffusion-loss-card"
                  title="Generator training"
                  about="Each traded asset’s generator: the mean denoising score-matching loss of its score Transformer by epoch (paper 003 §3.3), ||σ_t s(x_t, t) + z||² per coordinate over noise levels t drawn in [0.001, 1]; lower is better."
                >
                  <DiffusionLossChart />
                </ChartCard>
                <ChartCard
                  testId="generated-fan-card"
                  title="Generated paths"
                  about="Quantiles of the generated paths of the claim’s asset day by day, each stitched from independent segments, against the same quantiles over the real windows of the test dates (dashed)."
                >
                  <GeneratedFanChart />
                </ChartCard>
                <ChartCard
                  wide
                  testId="stylised-facts-card"
                  title="Stylised facts: generated against real"
                  about="Each data source of paper 003 (market windows of the training dates, the regime-switching GBM fitted to them, the signature-diffusion paths) beside the real returns of the test dates: distribution (KS against the test returns), tails, autocorrelation of returns and of absolute returns (volatility clustering), the leverage effect, and the signature-kernel MMD² between its paths and the real test windows. Hover a column for its meaning."
                >
                  <StylisedFactsTable />
                </ChartCard>
                <ChartCard
                  wide
                  testId="return-distributions-card"
                  title="Return distributions (paper 003 fig. 1)"
                  about="The claim’s asset’s daily returns: each data source’s training returns (solid) beside the real validation (dotted) and test (dashed) returns."
                >
                  <ReturnDistributionsChart />
                </ChartCard>
                <ChartCard
                  testId="generator-files-card"
                  title="Trained generators"
                  about="The generators this tab keeps for the next run of the same data, split, settings and seed, one per traded asset; saved as one JSON file that can be loaded in another tab with the same experiment."
                >
                  <GeneratorFiles />
                </ChartCard>
              </>
            )}
            {recurrent && (
              <>
                <ChartCard
                  wide
                  testId="race-card"
                  title="Optimiser race"
                  about="The same recurrent hedger trained by Adam and by DH-KFAC, scored on validation paths as it learns, against iterations (left) and seconds (right): each score as a thin line, the smoothed curve (running minimum of 3-point averages) as a solid one. The dashed line is the target: the one you set, at which each hedger stops training as in the paper, or else the loss Adam reaches at the end of its budget (dotted and provisional while Adam still trains). A hedger reaches it when its smoothed curve does; in paper 002 fig. 3 DH-KFAC takes about a quarter of Adam’s steps."
                >
                  <ValidationRaceChart />
                </ChartCard>
                <ChartCard
                  testId="curvature-card"
                  title="Curvature"
                  about="Top: how much the gradients of single paths disagree. Middle: the largest eigenvalue of DH-KFAC’s curvature estimate (Adam keeps none); rising values mean training reaches sharper parts of the loss (paper 002 fig. 4). Bottom: κ, the curvature along each DH-KFAC step measured on 64 fresh paths over the curvature DH-KFAC assumed, per block: near 1 it knew the curvature; far above 1 its steps were too long for the trust region it meant."
                >
                  <CurvatureChart />
                </ChartCard>
                <ChartCard
                  testId="pnl-variants-card"
                  title="Hedging error (log scale)"
                  about="Gains of the hedge minus the cliquet’s payoff, before costs, for the learned hedge, the same hedge with its option trades removed, and the unhedged cliquet. The log scale shows the tails the options protect against (paper 002 fig. 5)."
                >
                  <PnlVariantsChart />
                </ChartCard>
                <ChartCard
                  wide
                  testId="hedge-bands-card"
                  title="Hedges over time"
                  about="What the hedger holds of one instrument (top) and buys of one option (bottom) at each date, across the test paths: shaded bands hold the middle 90% and 50% of paths, the line is the median, dotted lines mark the cliquet’s resets (paper 002 fig. 6)."
                >
                  <HedgeBandsChart />
                </ChartCard>
              </>
            )}
            {agents && (
              <ChartCard
                testId="agents-card"
                title="RL agents learning"
                about="Each RL agent’s avg_r, the mean reward −PV_T² of its policy on held-out paths (paper 000 eq. 40; closer to 0 is better), each time it is scored; or a diagnostic picked above, after every update."
              >
                <AgentChart />
              </ChartCard>
            )}
            {sequence && (
              <ChartCard
                wide
                testId="dynamics-card"
                title="Training dynamics"
                about="After each epoch, what the sequence hedger holds of each asset on average over the validation paths and dates (left axis) and its validation loss (right, dashed). Under the entropic risk the first epochs fight the short claim’s tail and go long everywhere, later ones trade for the mean (paper 003 appendix 8.4); the dotted line marks the epoch early stopping keeps."
              >
                <DynamicsChart />
              </ChartCard>
            )}
            {feedForward && (
              <ChartCard title="Training loss" about="The risk measure of the deep hedger’s P&L on each epoch’s training paths; for an RL agent, −avg_r at each scored update. Lower is better.">
                <LossChart />
              </ChartCard>
            )}
            <ChartCard wide={!feedForward} title="P&L on the test paths" about="How the final profit and loss of each hedged short option is spread. Narrower is a better hedge.">
              <PnlChart />
            </ChartCard>
            {feedForward && (
              <ChartCard
                wide
                title="What the network holds"
                about="Shares held by the deep hedger for each moneyness and time left, beside the Black-Scholes delta, or every hedger side by side; same colours, same scale. A sequence hedger (paper 003) holds what its path’s history says: its cells are the mean holding of the test path-dates in them (hover for how many), blank where none fell (fig. 4)."
              >
                <SurfaceChart />
              </ChartCard>
            )}
            {pvMaps && (
              <ChartCard
                wide
                testId="pv-map-card"
                title="Where PV_T is won or lost"
                about="Mean terminal portfolio value PV_T of the test paths that passed through each moneyness S_t/K and time to maturity, as in paper 000 figs. 7-10. Red cells end in a loss, blue in a gain; hover a cell for how many path-dates it averages."
              >
                <PvMapChart />
              </ChartCard>
            )}
            <ChartCard wide title="Sample paths" about="One simulated stock path (left axis) and the position each strategy holds along it (right axis).">
              <PathsChart />
            </ChartCard>
          </div>
        )}
        {page === 'lab' && (
          <ChartCard wide title="Metrics on the test paths" about="One row per strategy. Losses are positive in VaR and ES; hover a column name for its meaning.">
            <MetricsTable />
          </ChartCard>
        )}
      </main>
    </>
  );
}
