/**
 * The signature-diffusion market's generators (paper 003 §3.3), as the engine reports them: each asset's
 * denoising score-matching loss by epoch, a fan of the generated paths of the claim's asset against the real
 * test windows' quantiles, the stylised facts of every data source beside the real test dates (KS statistic,
 * kurtosis, autocorrelations, leverage, signature-kernel MMD^2), and the lab's paper 003 fig. 1: each data
 * source's training returns beside the real validation and test returns. The page only draws what the
 * `diffusion` and `generated` events carry.
 */
import { useMemo } from 'react';
import type { Data, Layout } from 'plotly.js';
import type { FactsRow } from '../../engine/experiment/diffusion-report';
import { useLab } from '../lab-store';
import { countTicks } from './axis-ticks';
import { useEmptyMessage } from './empty-message';
import { quantileBandTraces } from './fan-chart';
import { BASE_LAYOUT, Plot, type Figure } from './plot';
import { rounded, significant } from './significant';

const ASSET_COLOURS = ['#2563eb', '#b45309', '#059669', '#7c3aed', '#dc2626', '#0891b2', '#4d7c0f', '#be185d'];
const SOURCE_NAMES: Record<FactsRow['source'], string> = {
  'real test': 'real (test dates)',
  market: 'market windows',
  regime: 'regime model',
  diffusion: 'signature diffusion',
};

/** Each generator's mean score-matching loss by epoch. */
export function DiffusionLossChart() {
  const series = useLab((s) => s.view.diffusion);
  const reused = useLab((s) => (s.view.generated && s.view.diffusion === null ? s.view.generated.assets.every((a) => a.reused) : false));
  const waiting = useEmptyMessage({
    before: 'Press Generate or Run: each generator’s score-matching loss appears here, one point per epoch',
    during: 'Waiting for the generator’s first epoch…',
  });
  const empty = reused ? 'Reused the generators kept in this tab: they were not trained again' : waiting;
  const figure = useMemo((): Figure | null => {
    if (!series) return null;
    const assets = Object.keys(series.loss);
    const data: Data[] = assets.map((asset, k) => ({
      type: 'scatter',
      mode: series.loss[asset]!.epochs.length > 60 ? 'lines' : 'lines+markers',
      name: asset,
      x: series.loss[asset]!.epochs,
      y: series.loss[asset]!.loss,
      line: { color: ASSET_COLOURS[k % ASSET_COLOURS.length], width: 2 },
      marker: { size: 4 },
      hovertemplate: `${asset}<br>epoch %{x}<br>loss %{y:.4g}<extra></extra>`,
    }));
    const last = Math.max(2, ...assets.map((a) => series.loss[a]!.epochs.at(-1) ?? 0));
    const layout: Partial<Layout> = {
      ...BASE_LAYOUT,
      showlegend: assets.length > 1,
      xaxis: { title: { text: 'epoch' }, zeroline: false, range: [0.5, last + 0.5], ...countTicks(last) },
      yaxis: { title: { text: 'score-matching loss' }, type: 'log', zeroline: false, automargin: true },
    };
    return {
      data,
      layout,
      summary: assets
        .map((a) => {
          const l = series.loss[a]!;
          return `${a}: ${significant(l.loss[0]!)} at epoch 1, ${significant(l.loss.at(-1)!)} at epoch ${l.epochs.at(-1)} of ${series.maxEpochs}`;
        })
        .join('; ')
        .concat('. Lower is better; a perfect score model still leaves a floor above 0.'),
    };
  }, [series]);
  return <Plot figure={figure} empty={empty} testId="chart-diffusion-loss" height={260} />;
}

/** Quantile bands of the generated paths of the claim's asset, the real test windows' quantiles dashed. */
export function GeneratedFanChart() {
  const generated = useLab((s) => s.view.generated);
  const empty = useEmptyMessage({ before: 'Press Generate or Run: a fan of the generated paths appears here', during: 'The fan appears once the paths are sampled…' });
  const figure = useMemo((): Figure | null => {
    const first = generated?.assets[0];
    if (!generated || !first) return null;
    const { quantiles, generated: bands, real } = first.fan;
    const days = Array.from(bands[0]!, (_, d) => d);
    const data: Data[] = [
      ...quantileBandTraces(days, quantiles, bands, 'day %{x}'),
      ...real.map(
        (band, k): Data => ({
          type: 'scatter',
          mode: 'lines',
          name: 'real test windows',
          legendgroup: 'real',
          showlegend: k === 0,
          x: days,
          y: Array.from(band),
          line: { color: '#111827', width: quantiles[k] === 0.5 ? 1.5 : 1, dash: 'dash' },
          hovertemplate: `real ${Math.round(100 * quantiles[k]!)}% quantile<br>day %{x}<br>%{y:.4g}<extra></extra>`,
        }),
      ),
    ];
    const end = (b: ArrayLike<number>) => significant(b[b.length - 1]!);
    return {
      data,
      layout: { ...BASE_LAYOUT, showlegend: true, xaxis: { title: { text: 'days' }, zeroline: false }, yaxis: { title: { text: `${first.asset}, from S₀` }, zeroline: false } },
      summary:
        `${generated.paths.toLocaleString('en-US')} generated paths of ${first.asset}, each ${generated.segmentsPerPath} segments of ${generated.segmentDays} days: at day ${days.at(-1)} the 5-95% band is ` +
        `${end(bands[0]!)} to ${end(bands.at(-1)!)}, against ${end(real[0]!)} to ${end(real.at(-1)!)} over the real test windows (dashed).`,
    };
  }, [generated]);
  return <Plot figure={figure} empty={empty} testId="chart-generated-fan" height={280} />;
}

const mean = (x: readonly number[]) => x.reduce((a, b) => a + b, 0) / x.length;

interface FactColumn {
  label: string;
  about: string;
  value: (row: FactsRow) => number | null;
  format: (x: number) => string;
}

const FACT_COLUMNS: FactColumn[] = [
  { label: 'daily std', about: 'Standard deviation of the daily log-returns', value: (r) => r.dailyStd, format: (x) => `${(100 * x).toFixed(2)}%` },
  { label: 'KS', about: 'Two-sample Kolmogorov-Smirnov statistic of the daily returns against the real test returns (0: the same distribution)', value: (r) => r.ks, format: (x) => x.toFixed(3) },
  { label: 'excess kurtosis', about: 'Heavy tails: 0 for a normal distribution', value: (r) => r.excessKurtosis, format: (x) => x.toFixed(2) },
  { label: 'ACF r, lag 1', about: 'Autocorrelation of the returns one day apart (about 0 in real markets)', value: (r) => r.autocorrelation[0] ?? null, format: (x) => x.toFixed(3) },
  { label: 'ACF |r|, lag 1', about: 'Autocorrelation of absolute returns one day apart: volatility clustering', value: (r) => r.absoluteAutocorrelation[0] ?? null, format: (x) => x.toFixed(3) },
  { label: 'ACF |r|, lags 1-10', about: 'Mean autocorrelation of absolute returns over lags 1 to 10: slow decay is clustering that lasts', value: (r) => mean(r.absoluteAutocorrelation), format: (x) => x.toFixed(3) },
  { label: 'leverage, lags 1-10', about: 'Mean of corr(r_t, r_(t+k)^2) over k = 1 to 10: negative when falls raise later volatility', value: (r) => mean(r.leverage), format: (x) => x.toFixed(3) },
  {
    label: 'MMD² (sig. kernel)',
    about: 'Signature-kernel MMD² between the source’s paths and the real test windows, each as (t / T, log-price over the training daily std × √T); 0 or below: not told apart',
    value: (r) => r.mmd,
    // Paths far wilder than the real ones make the kernel, and so the MMD, grow exponentially.
    format: (x) => (Math.abs(x) < 1000 ? x.toFixed(4) : significant(x)),
  },
];

/** The stylised facts of each data source beside the real test dates, per asset. */
export function StylisedFactsTable() {
  const generated = useLab((s) => s.view.generated);
  const empty = useEmptyMessage({ before: 'Press Generate or Run: the generated paths are compared with the real ones here.', during: 'The table fills in once the paths are sampled…' });
  return (
    <>
      {generated && (
        <div className="forecast-facts" data-testid="generated-facts">
          <p>
            Train {generated.split.train[0]} → {generated.split.train[1]} · test {generated.split.test[0]} → {generated.split.test[1]} · {generated.resolution} · trained in{' '}
            {rounded(generated.trainingSeconds)} s, sampled in {rounded(generated.samplingSeconds)} s
          </p>
        </div>
      )}
      {(generated?.assets ?? [null]).map((a, k) => (
        <div className="table-scroll" key={a?.asset ?? k}>
          <table className="metrics stylised-facts" data-testid="stylised-facts">
            <caption>{a ? `${a.asset}: ${a.segments} training segments, ${a.reused ? 'generator reused' : `${a.trainedEpochs} epochs, loss ${significant(a.loss)}`}` : 'Stylised facts'}</caption>
            <thead>
              <tr>
                <th scope="col">source</th>
                {FACT_COLUMNS.map((c) => (
                  <th key={c.label} scope="col" title={c.about}>
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {a?.facts.map((row) => (
                <tr key={row.source}>
                  <th scope="row">{SOURCE_NAMES[row.source]}</th>
                  {FACT_COLUMNS.map((c) => {
                    const v = c.value(row);
                    return <td key={c.label}>{v === null || !Number.isFinite(v) ? '–' : c.format(v)}</td>;
                  })}
                </tr>
              ))}
              {!a && (
                <tr className="empty">
                  <td colSpan={FACT_COLUMNS.length + 1}>{empty}</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      ))}
    </>
  );
}

/** Paper 003 fig. 1: each data source's training returns of the claim's asset beside the real validation and test returns. */
export function ReturnDistributionsChart() {
  const generated = useLab((s) => s.view.generated);
  const empty = useEmptyMessage({ before: 'Press Generate or Run: the return distributions of the three data sources appear here', during: 'The distributions appear once the paths are sampled…' });
  const figure = useMemo((): Figure | null => {
    const first = generated?.assets[0];
    if (!first) return null;
    const { edges, train, validation, test } = first.distribution;
    const x = edges.slice(0, -1).map((e, k) => (100 * (e + edges[k + 1]!)) / 2);
    const sources = ['market', 'regime', 'diffusion'] as const;
    const data: Data[] = sources.flatMap((source, k): Data[] => {
      const axis = k === 0 ? '' : String(k + 1);
      const line = (name: string, y: number[], color: string, dash: 'solid' | 'dot' | 'dash', legend: boolean): Data => ({
        type: 'scatter',
        mode: 'lines',
        name,
        legendgroup: name,
        showlegend: legend,
        x,
        y,
        xaxis: `x${axis}`,
        yaxis: `y${axis}`,
        line: { color, width: dash === 'solid' ? 2 : 1.5, dash, shape: 'hvh' },
        hovertemplate: `${name}<br>%{x:.2f}%: density %{y:.3g}<extra></extra>`,
      });
      return [line(`training: ${SOURCE_NAMES[source]}`, train[source], ASSET_COLOURS[k]!, 'solid', true), line('validation (real)', validation, '#6b7280', 'dot', k === 0), line('test (real)', test, '#111827', 'dash', k === 0)];
    });
    const gap = 0.04;
    const width = (1 - 2 * gap) / 3;
    const layout: Partial<Layout> = {
      ...BASE_LAYOUT,
      showlegend: true,
      legend: { orientation: 'h', y: -0.25 },
      ...Object.fromEntries(
        sources.flatMap((source, k) => [
          [`xaxis${k === 0 ? '' : k + 1}`, { domain: [k * (width + gap), k * (width + gap) + width], title: { text: `${SOURCE_NAMES[source]}: daily return (%)` }, zeroline: false, anchor: `y${k === 0 ? '' : k + 1}` }],
          [`yaxis${k === 0 ? '' : k + 1}`, { anchor: `x${k === 0 ? '' : k + 1}`, zeroline: false, ...(k === 0 ? { title: { text: 'density' } } : { showticklabels: false }), matches: 'y' }],
        ]),
      ),
    };
    const ks = (s: FactsRow['source']) => first.facts.find((f) => f.source === s)?.ks;
    return {
      data,
      layout,
      summary: `Daily returns of ${first.asset}: each data source's training returns against the real validation and test returns. KS against the test returns: market ${ks('market')?.toFixed(3)}, regime ${ks('regime')?.toFixed(3)}, diffusion ${ks('diffusion')?.toFixed(3)}.`,
    };
  }, [generated]);
  return <Plot figure={figure} empty={empty} testId="chart-return-distributions" height={300} />;
}
