/**
 * The comparison view: the form's strategies trained on the same paths side by side, one job per strategy
 * and grid cell in parallel workers, over a grid of costs, test-path volatilities, strikes and seeds (paper
 * 001's figures) and hedge-set sizes and training markets (paper 003 fig. 3); densities per checkpoint,
 * entropic loss and ES 0.9 per checkpoint and per cell, training curves, the metrics against the hedge-set
 * size, and CSV / JSON export.
 */
import type { ReactNode } from 'react';
import { axisLabel, cellLabel } from '../engine/experiment/comparison';
import { valueLabel } from '../engine/experiment/sweep';
import { SWEEP_PRESETS } from '../engine/experiment/presets';
import { ChartTitle } from './charts/chart-title';
import { CheckpointBars, CheckpointDensities, GridBars, HedgeSetChart, TrainingCurves } from './charts/comparison-charts';
import { HEDGE_SET_AXIS } from './charts/hedge-set-series';
import type { AxesDraft } from './comparison-axes';
import { exportComparison, useComparison } from './comparison-store';
import { useLab, type RunPhase } from './lab-store';
import { blockerCount } from './run-blockers';

function Card(props: { title: string; about: string; testId?: string; children: ReactNode }) {
  return (
    <section className="card wide" data-testid={props.testId}>
      <h2>{props.title}</h2>
      <p className="about">{props.about}</p>
      <ChartTitle value={props.title}>{props.children}</ChartTitle>
    </section>
  );
}

const AXES: { key: keyof AxesDraft; label: string; hint: string }[] = [
  { key: 'costs', label: 'Costs c', hint: 'e.g. 0.002, 0.004, 0.006, 0.008' },
  { key: 'testVolatilities', label: 'Test-path volatilities (GBM)', hint: 'e.g. 0.1, 0.2, 0.3, 0.4' },
  { key: 'strikes', label: 'Strikes K', hint: 'e.g. 1, 1.2' },
  { key: 'hedgeSets', label: 'Hedge-set sizes', hint: 'e.g. 1, 2: the first k assets traded (paper 003 fig. 3)' },
  { key: 'seeds', label: 'Seeds', hint: 'e.g. 1, 2, 3 for a spread' },
];

function formatSeconds(s: number): string {
  return s >= 90 ? `${Math.round(s / 60)} min` : `${Math.max(1, Math.round(s))} s`;
}

function ComparisonProgress() {
  const { phase, progress, workers, error, notice } = useComparison();
  if (progress.total === 0) return null;
  const fraction = progress.done / progress.total;
  const elapsed = (progress.now - progress.startedAt) / 1000;
  const eta = phase !== 'idle' && progress.done > 0 ? ` · about ${formatSeconds((elapsed * (1 - fraction)) / fraction)} left` : '';
  const onWorkers = `${workers} worker${workers > 1 ? 's' : ''}`;
  const status =
    phase === 'idle'
      ? `${progress.done} of ${progress.total} jobs done`
      : progress.workersReady
        ? `${progress.done} of ${progress.total} jobs done on ${onWorkers}${eta}`
        : `Starting ${onWorkers} for ${progress.total} job${progress.total > 1 ? 's' : ''}…`;
  return (
    <div
      className="run-progress"
      data-testid="compare-progress"
      data-phase={phase}
      data-done={progress.done}
      data-total={progress.total}
      data-workers={workers}
      data-workers-ready={progress.workersReady}
    >
      <div className="bar" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(100 * fraction)}>
        <div className="fill" style={{ width: `${100 * fraction}%` }} />
      </div>
      <span className="status">{status}</span>
      {notice && (
        <p className="banner" role="status" data-testid="compare-notice">
          {notice}
        </p>
      )}
      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function tickedSentence(ticked: number): string {
  if (ticked === 0) return 'No strategy is ticked in the form: tick those to compare.';
  if (ticked === 1) return 'The one strategy ticked in the form trains in its own worker.';
  return `The ${ticked} strategies ticked in the form train on the same paths, each in its own worker.`;
}

/** Why "Run comparison" is disabled while no comparison runs, or null when it is not. */
function blockedBecause(labPhase: RunPhase, blockers: number): string | null {
  if (labPhase !== 'idle') return 'Run comparison waits for the run in the Lab tab to end.';
  if (blockers > 0) return `Run comparison waits for the form: ${blockers === 1 ? 'one thing' : `${blockers} things`} to fix first, listed under Run above.`;
  return null;
}

/** The loaded preset's axes that no field holds (paper 003 fig. 3's markets), with a way to drop them. */
function PresetAxes() {
  const presetAxes = useComparison((s) => s.presetAxes);
  const clear = useComparison((s) => s.clearPresetAxes);
  const idle = useComparison((s) => s.phase === 'idle');
  const entries = Object.entries(presetAxes);
  if (entries.length === 0) return null;
  return (
    <p className="about" data-testid="compare-preset-axes">
      Also swept, from the preset: {entries.map(([path, values]) => `${axisLabel(path)} over ${values.map(valueLabel).join(', ')}`).join('; ')}.{' '}
      <button type="button" disabled={!idle} onClick={clear}>
        Keep the form’s instead
      </button>
    </p>
  );
}

function GridSetup() {
  const { axes, errors, phase, record, setAxis, loadPreset, start, stop } = useComparison();
  const labPhase = useLab((s) => s.run.phase);
  const blockers = useLab(blockerCount);
  // The rows ticked, valid or not: the form's errors are counted apart.
  const ticked = useLab((s) => s.draft.strategies.filter((row) => row.enabled).length);
  const idle = phase === 'idle';
  const blocked = blockedBecause(labPhase, blockers);
  return (
    <div className="compare-setup">
      <label className="field wide">
        <span className="field-label">Start from a paper figure</span>
        <select data-testid="compare-preset" value="" disabled={!idle} onChange={(e) => loadPreset(e.target.value)}>
          <option value="">Choose…</option>
          {Object.entries(SWEEP_PRESETS).map(([name, p]) => (
            <option key={name} value={name} title={p.description}>
              {p.description}
            </option>
          ))}
        </select>
      </label>
      <div className="compare-axes">
        {AXES.map(({ key, label, hint }) => (
          <label key={key} className={`field${errors[key] ? ' invalid' : ''}`}>
            <span className="field-label">{label}</span>
            <input name={`compare.${key}`} value={axes[key]} placeholder={hint} disabled={!idle} onChange={(e) => setAxis(key, e.target.value)} />
            {errors[key] && <span className="field-error">{errors[key]}</span>}
          </label>
        ))}
      </div>
      <PresetAxes />
      {errors.grid && (
        <p className="form-errors" role="alert">
          {errors.grid}
        </p>
      )}
      <div className="controls">
        <button type="button" className="primary" data-testid="compare-run" disabled={!idle || blocked !== null} onClick={() => void start()}>
          Run comparison
        </button>
        <button type="button" data-testid="compare-stop" disabled={phase !== 'running'} onClick={stop}>
          Stop
        </button>
        <button type="button" data-testid="compare-csv" disabled={!record} onClick={() => exportComparison('csv')}>
          Export CSV
        </button>
        <button type="button" data-testid="compare-json" disabled={!record} onClick={() => exportComparison('json')}>
          Export JSON
        </button>
      </div>
      {idle && blocked && (
        <p className="form-errors" data-testid="compare-blocked">
          {blocked}
        </p>
      )}
      <p className="about" data-testid="compare-ticked">
        {tickedSentence(ticked)} Leave an axis empty to keep the form’s value.
      </p>
      <ComparisonProgress />
    </div>
  );
}

function CellPicker() {
  const record = useComparison((s) => s.record);
  const selected = useComparison((s) => s.selectedCell);
  const select = useComparison((s) => s.selectCell);
  if (!record || record.cells.length < 2) return null;
  return (
    <label className="field wide">
      <span className="field-label">Cell shown</span>
      <select data-testid="compare-cell" value={selected} onChange={(e) => select(Number(e.target.value))}>
        {record.cells.map((c, i) => (
          <option key={c.index} value={i}>
            {cellLabel(c.params)}
          </option>
        ))}
      </select>
    </label>
  );
}

export function ComparisonView() {
  const record = useComparison((s) => s.record);
  const selected = useComparison((s) => s.selectedCell);
  const cell = record?.cells[selected] ?? null;
  const hedgeSets = record?.axes.some((a) => a.path === HEDGE_SET_AXIS) ?? false;
  return (
    <div className="charts" role="tabpanel" id="compare-view" aria-labelledby="tab-compare">
      <Card testId="compare-card" title="Compare strategies" about="Several strategies trained on the same paths side by side, over a grid of costs, test volatilities, strikes, hedge sets and seeds (paper 001 §5.3-5.4, paper 003 fig. 3).">
        <GridSetup />
      </Card>
      {hedgeSets && (
        <Card
          testId="compare-hedge-sets-card"
          title="Across hedge sets"
          about="Paper 003 fig. 3: each strategy's mean P&L on the test windows (or its std, or ES 95%) as more assets are traded, the claim's first; one panel per training market (the market windows themselves, or the regime model fitted to them), every hedge set tested on the same windows."
        >
          <HedgeSetChart record={record} />
        </Card>
      )}
      <Card title="P&L at each checkpoint" about="Each strategy's terminal P&L density on the test paths after 10, 20, 30... epochs (paper 001 figures 2 and 9). A classic hedge is scored once.">
        <CellPicker />
        <CheckpointDensities cell={cell} />
      </Card>
      <Card title="Entropic loss and expected shortfall by checkpoint" about="Paper 001 eq. 29 (risk aversion of the experiment, 1 under another measure) and eq. 28 at 0.9, on the test paths. Lower is better.">
        <CheckpointBars cell={cell} />
      </Card>
      <Card title="Across the grid" about="The same two measures after the last epoch, one group per cell; the whiskers span the seeds.">
        <GridBars record={record} />
      </Card>
      <Card title="Training curves" about="Each strategy's training loss against epochs and against wall-clock time: which one converges faster, and at what cost.">
        <TrainingCurves cell={cell} />
      </Card>
    </div>
  );
}
