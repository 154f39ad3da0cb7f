/**
 * The forecaster market's forecaster (paper 000 §2), as the engine reports it: its training (eq. 6's mean NLL
 * per return on the training and validation windows after each epoch, the epoch early stopping keeps), a fan
 * of the paths it samples from the first test date against the realised one, eq. 9's attention map (how much
 * of each latent asset each asset makes up), and its one-step-ahead scores on the test dates against the
 * random walk, EWMA and GARCH(1,1) baselines. The page only draws what the `forecaster` and `forecast` events
 * carry.
 */
import { useMemo } from 'react';
import type { Data, Layout } from 'plotly.js';
import type { ForecastScoreRow } from '../../engine/experiment/events';
import { useLab } from '../lab-store';
import { countTicks } from './axis-ticks';
import { useEmptyMessage } from './empty-message';
import { quantileBandTraces } from './fan-chart';
import { BASE_LAYOUT, Plot, type Figure } from './plot';
import { rounded, significant } from './significant';

const TRAIN_COLOUR = '#2563eb';
const VALIDATION_COLOUR = '#b45309';
const REALISED_COLOUR = '#111827';

/** A forecaster reused from an earlier run (or a file) trains no epochs: the charts of training say so. */
function useReusedMessage(): string | null {
  const forecast = useLab((s) => s.view.forecast);
  const loadedFrom = useLab((s) => s.forecasterFile.kept?.loadedFrom ?? null);
  if (!forecast?.reused) return null;
  return loadedFrom ? `Reused the forecaster loaded from “${loadedFrom}”: it was not trained again` : 'Reused the forecaster kept in this tab: it was not trained again';
}

/** Eq. 6's NLL per epoch on the training and validation windows, the kept epoch marked. */
export function ForecasterNllChart() {
  const series = useLab((s) => s.view.forecaster);
  const reused = useReusedMessage();
  const waiting = useEmptyMessage({
    before: 'Press Run: the forecaster’s training and validation NLL appear here, one point per epoch',
    during: 'Waiting for the forecaster’s first epoch…',
  });
  const empty = reused ?? waiting;

  const figure = useMemo((): Figure | null => {
    if (!series || series.epochs.length === 0) return null;
    const mode = series.epochs.length > 60 ? 'lines' : 'lines+markers';
    const data: Data[] = (
      [
        ['training', series.trainNll, TRAIN_COLOUR],
        ['validation', series.validationNll, VALIDATION_COLOUR],
      ] as const
    ).map(([name, y, color]) => ({
      type: 'scatter',
      mode,
      name,
      x: series.epochs,
      y,
      line: { color, width: 2 },
      marker: { size: 5 },
      hovertemplate: `${name} NLL<br>epoch %{x}<br>%{y:.4g}<extra></extra>`,
    }));
    const best = series.bestEpoch;
    const last = series.epochs.at(-1)!;
    const layout: Partial<Layout> = {
      ...BASE_LAYOUT,
      showlegend: true,
      xaxis: { title: { text: 'epoch' }, zeroline: false, range: [0.5, Math.max(last, 2) + 0.5], ...countTicks(Math.max(last, 2)) },
      yaxis: { title: { text: 'mean NLL per return' }, zeroline: false, automargin: true },
      ...(best !== null
        ? {
            shapes: [{ type: 'line', xref: 'x', yref: 'paper', x0: best, x1: best, y0: 0, y1: 1, line: { color: '#111827', width: 1.5, dash: 'dot' } }],
            annotations: [
              { x: best, xref: 'x', y: 1, yref: 'paper', yanchor: 'top', xanchor: best > last / 2 && last > 1 ? 'right' : 'left', text: ` kept: epoch ${best} `, showarrow: false, font: { size: 11 } },
            ],
          }
        : {}),
    };
    const at = series.epochs.length - 1;
    return {
      data,
      layout,
      summary:
        `The forecaster's mean negative log-likelihood per return by epoch (${series.epochs.length} of at most ${series.maxEpochs}). At epoch ${last}: training ${significant(series.trainNll[at]!)}, ` +
        `validation ${significant(series.validationNll[at]!)}.${best !== null ? ` Early stopping keeps epoch ${best}, the lowest validation NLL.` : ''}`,
    };
  }, [series]);

  return <Plot figure={figure} empty={empty} testId="chart-forecaster-nll" height={280} />;
}

/** Quantile bands of the forecaster's sampled prices of the claim's asset from a test date (the first, or the one chosen), and the realised path. */
export function ForecastFanChart() {
  const forecast = useLab((s) => s.view.forecast);
  const s0 = useLab((s) => (s.run.config?.market.model === 'forecaster' ? s.run.config.market.s0 : null));
  const empty = useEmptyMessage({
    before: 'Press Run: once the forecaster is trained, the paths it samples from a test date appear here against the real one',
    during: 'Appears once the forecaster is trained…',
  });

  const figure = useMemo((): Figure | null => {
    if (!forecast) return null;
    const { fan, asset } = forecast;
    const data = quantileBandTraces(fan.dates, fan.quantiles, fan.bands, '%{x}');
    data.push({
      type: 'scatter',
      mode: fan.dates.length > 60 ? 'lines' : 'lines+markers',
      name: 'realised',
      x: fan.dates,
      y: Array.from(fan.realised),
      line: { color: REALISED_COLOUR, width: 2 },
      marker: { size: 4 },
      hovertemplate: 'realised<br>%{x}<br>%{y:.4g}<extra></extra>',
    });
    const end = fan.dates.length - 1;
    const realised = fan.realised[end]!;
    /** How many of the quantiles the realised end price is at or above. */
    const below = fan.quantiles.filter((_, k) => fan.bands[k]![end]! <= realised).length;
    const percent = (k: number) => `${Math.round(100 * fan.quantiles[k]!)}%`;
    const where =
      below === 0 ? `below the ${percent(0)} quantile` : below === fan.quantiles.length ? `above the ${percent(below - 1)} quantile` : `between the ${percent(below - 1)} and ${percent(below)} quantiles`;
    return {
      data,
      layout: {
        ...BASE_LAYOUT,
        showlegend: true,
        xaxis: { type: 'date', zeroline: false },
        yaxis: { title: { text: `${asset}, re-based to S₀${s0 !== null ? ` = ${s0}` : ''}` }, zeroline: false, automargin: true },
      },
      summary:
        `Paths of ${asset} the forecaster samples from ${fan.start} to ${fan.dates[end]}: at the end ` +
        fan.quantiles.map((q, k) => `${Math.round(100 * q)}% ${significant(fan.bands[k]![end]!)}`).join(', ') +
        `; the realised price ${significant(realised)}, ${where}.`,
    };
  }, [forecast, s0]);

  return (
    <>
      <FanDatePicker />
      <Plot figure={figure} empty={empty} testId="chart-forecast-fan" height={280} />
    </>
  );
}

/** The test date the fan starts from: any of the test dates, sampled again by the kept forecaster on change. */
function FanDatePicker() {
  const forecast = useLab((s) => s.view.forecast);
  const idle = useLab((s) => s.run.phase === 'idle');
  const message = useLab((s) => s.fanMessage);
  const fanFrom = useLab((s) => s.fanFrom);
  if (!forecast) return null;
  const [first, last] = forecast.fan.from;
  return (
    <div className="fan-date">
      <label>
        Start the fan on{' '}
        <input
          type="date"
          data-testid="fan-date"
          min={first}
          max={last}
          value={forecast.fan.start}
          disabled={!idle}
          onChange={(e) => {
            if (e.target.value) void fanFrom(e.target.value);
          }}
        />
      </label>{' '}
      <span className="hint">a test date from {first} to {last}</span>
      {message && (
        <p className="field-error" role="alert" data-testid="fan-date-error">
          {message}
        </p>
      )}
    </div>
  );
}

/** White (none of the latent) to deep blue (all of it). */
const ATTENTION_COLOURS: [number, string][] = [
  [0, '#f8fafc'],
  [1, '#1d4ed8'],
];

/** The height that keeps one row per asset legible, within what a card can hold. */
const attentionHeight = (assets: number) => Math.min(620, Math.max(180, 14 * assets + 110));

/** Eq. 9's attention map averaged over the test dates: assets on y, latent assets on x, each column summing to 1. */
export function AttentionMap() {
  const forecast = useLab((s) => s.view.forecast);
  const empty = useEmptyMessage({
    before: 'Press Run: how the forecaster compresses the assets into k latent assets (eq. 9) appears here',
    during: 'Appears once the forecaster is trained…',
  });
  const assets = forecast?.assets.length ?? 1;

  const figure = useMemo((): Figure | null => {
    if (!forecast) return null;
    const { assets: symbols, attention } = forecast;
    const n = symbols.length;
    const k = attention.latents;
    const latents = Array.from({ length: k }, (_, j) => `latent ${j + 1}`);
    // weights[j * n + i] is asset i's share of latent j; rows of z are assets, read from the top.
    const z = symbols.map((_, i) => Array.from({ length: k }, (_, j) => attention.weights[j * n + i]!));
    const top = latents.map((_, j) => {
      let best = 0;
      for (let i = 1; i < n; i++) if (attention.weights[j * n + i]! > attention.weights[j * n + best]!) best = i;
      return `latent ${j + 1}: ${symbols[best]} ${significant(attention.weights[j * n + best]!)}`;
    });
    return {
      data: [
        {
          type: 'heatmap',
          x: latents,
          y: symbols,
          z,
          zmin: 0,
          zmax: Math.max(...attention.weights),
          colorscale: ATTENTION_COLOURS,
          xgap: 1,
          ygap: n > 40 ? 0 : 1,
          // Few enough cells to read: each says its weight.
          ...(n * k <= 48 ? { texttemplate: '%{z:.2f}' } : {}),
          colorbar: { title: { text: 'weight', side: 'right' }, thickness: 14 },
          hovertemplate: '%{y} in %{x}<br>weight %{z:.3f}<extra></extra>',
        },
      ],
      layout: {
        ...BASE_LAYOUT,
        showlegend: false,
        margin: { l: 64, r: 16, t: 8, b: 44 },
        xaxis: { type: 'category', side: 'bottom', tickangle: k > 8 ? -45 : 0, automargin: true },
        // Assets top to bottom in the data's order; a label per asset while they fit, plotly thins them beyond.
        yaxis: { type: 'category', autorange: 'reversed', automargin: true, tickfont: { size: n > 24 ? 10 : 12 }, ...(n <= 48 ? { dtick: 1 } : {}) },
      },
      summary: `Attention weights of ${n} asset${n === 1 ? '' : 's'} in ${k} latent asset${k === 1 ? '' : 's'} (eq. 9), averaged over the test dates; each latent's weights sum to 1. Largest weight of each: ${top.join('; ')}.`,
    };
  }, [forecast]);

  return (
    <>
      <Plot figure={figure} empty={empty} testId="chart-attention" height={forecast ? attentionHeight(assets) : 240} />
      {forecast && assets === 1 && (
        <p className="about" data-testid="attention-one-asset">
          With one asset every latent is that asset (weight 1): the map says something once the data hold several assets.
        </p>
      )}
    </>
  );
}

const MODEL_NAMES: Record<ForecastScoreRow['name'], { label: string; about: string }> = {
  forecaster: { label: 'Forecaster', about: 'The spatio-temporal Transformer of paper 000 §2, one day ahead from the last L days' },
  'random-walk': { label: 'Random walk', about: 'Zero mean, the volatility of the last 30 returns' },
  ewma: { label: 'EWMA', about: 'Zero mean, RiskMetrics’ exponentially weighted variance (λ = 0.94)' },
  garch: { label: 'GARCH(1,1)', about: 'Fitted by Gaussian maximum likelihood on the training returns alone' },
};

type ScoreKey = 'nll' | 'crps' | 'coverage50' | 'coverage90' | 'energy';

const percentText = (v: number) => `${(100 * v).toFixed(1)}%`;

/** Each score's column: how it is written, and how far a value is from ideal (`miss`, of the value as written: 0 is perfect, lower is better). */
const SCORE_COLUMNS: { key: ScoreKey; label: string; about: string; format: (v: number) => string; miss: (v: number) => number }[] = [
  { key: 'nll', label: 'NLL', about: 'Mean Gaussian negative log-likelihood of the test returns (eq. 6); lower is better', format: significant, miss: (v) => v },
  { key: 'crps', label: 'CRPS', about: 'Mean continuous ranked probability score of the test returns; lower is better', format: significant, miss: (v) => v },
  { key: 'coverage50', label: 'coverage 50%', about: 'Share of test returns inside the central 50% interval; near 50% is calibrated', format: percentText, miss: (v) => Math.abs(v - 0.5) },
  { key: 'coverage90', label: 'coverage 90%', about: 'Share of test returns inside the central 90% interval; near 90% is calibrated', format: percentText, miss: (v) => Math.abs(v - 0.9) },
  { key: 'energy', label: 'energy', about: 'Energy score of each model’s sampled paths over the claim’s maturity from test dates that far apart; lower is better', format: significant, miss: (v) => v },
];

/** The value as the table writes it (so that two cells that read the same tie). */
const asWritten = (format: (v: number) => string, v: number) => {
  const text = format(v);
  return text.endsWith('%') ? Number(text.slice(0, -1)) / 100 : Number(text);
};

/** Per column, the rows holding its best value as written (every one of a tie), where two or more rows have a value. */
function bestRows(rows: ForecastScoreRow[]): Record<ScoreKey, Set<number>> {
  const out = {} as Record<ScoreKey, Set<number>>;
  for (const c of SCORE_COLUMNS) {
    out[c.key] = new Set();
    const misses = rows.map((r) => r[c.key]).map((v) => (v === null || !Number.isFinite(v) ? null : c.miss(asWritten(c.format, v))));
    const known = misses.filter((m): m is number => m !== null);
    if (known.length < 2) continue;
    const best = Math.min(...known);
    misses.forEach((m, i) => m !== null && Math.abs(m - best) < 1e-12 && out[c.key].add(i));
  }
  return out;
}

/** The test-period scores of the claim's asset, one row per model, the best value of each column emphasised. */
export function ForecastScoresTable() {
  const forecast = useLab((s) => s.view.forecast);
  const loadedFrom = useLab((s) => s.forecasterFile.kept?.loadedFrom ?? null);
  const empty = useEmptyMessage({
    before: 'Press Run: the forecaster and the three baselines are scored here on the test dates.',
    during: 'The table fills in once the forecaster is trained and scored on the test dates…',
  });
  const rows = forecast?.scores ?? [];
  const best = bestRows(rows);
  const days = rows[0]?.days;
  return (
    <>
      {forecast && (
        <div className="forecast-facts" data-testid="forecast-facts">
          <p data-testid="forecast-split">
            Train {forecast.split.train[0]} → {forecast.split.train[1]} · validation {forecast.split.validation[0]} → {forecast.split.validation[1]} · test{' '}
            {forecast.split.test[0]} → {forecast.split.test[1]} · inputs: the {forecast.channels.join(', ')} return{forecast.channels.length > 1 ? 's (eq. 2)' : ' (the data have no daily bars)'}
          </p>
          <p data-testid="forecast-training">
            {forecast.reused
              ? loadedFrom
                ? `Reused the forecaster loaded from “${loadedFrom}”.`
                : 'Reused the forecaster kept in this tab.'
              : `Trained ${forecast.trainedEpochs} epoch${forecast.trainedEpochs === 1 ? '' : 's'}, kept epoch ${forecast.bestEpoch} (the lowest validation NLL).`}
          </p>
        </div>
      )}
      <div className="table-scroll">
        <table className="metrics forecast-scores" data-testid="forecast-scores">
          <thead>
            <tr>
              <th scope="col">model</th>
              {SCORE_COLUMNS.map((c) => (
                <th key={c.key} scope="col" title={c.about}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={row.name}>
                <th scope="row" title={MODEL_NAMES[row.name].about}>
                  {MODEL_NAMES[row.name].label}
                </th>
                {SCORE_COLUMNS.map((c) => {
                  const v = row[c.key];
                  return (
                    <td key={c.key} className={best[c.key].has(i) ? 'best' : undefined}>
                      {v === null ? '–' : c.format(v)}
                    </td>
                  );
                })}
              </tr>
            ))}
            {!forecast && (
              <tr className="empty">
                <td colSpan={SCORE_COLUMNS.length + 1}>{empty}</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {forecast && (
        <p className="about" data-testid="forecast-scores-note">
          One day ahead on {forecast.asset}
          {days !== undefined ? ` over ${rounded(days)} test days` : ''}; the energy score over sampled paths as long as the claim. Lower NLL, CRPS and energy are
          better; coverage should be near 50% and 90%. Bold: the best of each column.
          {forecast.assets.length > 1 ? ` The forecaster’s NLL over all ${forecast.assets.length} assets it forecasts: ${significant(forecast.meanNll)}.` : ''}
        </p>
      )}
    </>
  );
}
