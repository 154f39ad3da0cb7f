/**
 * How paper 000's RL agents learn, from their `agent` events: one metric at a time for every agent, picked
 * from what they report: avg_r (eq. 40) of the greedy policy on held-out paths per update, the main curve;
 * the policy's std; the critic's value loss (eq. 37); approximate KL and clip fraction (PPO family,
 * eq. 36/42); mean Q (DDPG, TD3, SAC, eq. 43-45); SAC's temperature α; the behaviour-cloning loss (eq. 29)
 * per epoch of Algorithm 1.
 */
import { useMemo, useState } from 'react';
import type { Data } from 'plotly.js';
import { useLab } from '../lab-store';
import type { AgentMetric, AgentPhase } from '../run-view';
import { countTicks } from './axis-ticks';
import { useEmptyMessage } from './empty-message';
import { strategyColor } from './palette';
import { BASE_LAYOUT, Plot, type Figure } from './plot';
import { significant } from './significant';

/** Each metric's short name in the menu (the chart's corner is narrow), its axis title and its description, in the menu's order. */
const METRICS: Record<AgentMetric, { menu: string; axis: string; about: string }> = {
  avg_r: { menu: 'avg_r', axis: 'avg_r = mean −PV_T²', about: 'avg_r of the policy on validation paths (eq. 40)' },
  policy_std: { menu: 'policy std', axis: 'policy std σ', about: 'Std of the Gaussian policy' },
  value_loss: { menu: 'value loss', axis: 'value loss', about: 'Critic’s value loss (eq. 37)' },
  approx_kl: { menu: 'approx. KL', axis: 'approx. KL(π_old ‖ π)', about: 'Approximate KL between the rollout’s and the updated policy (PPO family)' },
  clip_fraction: { menu: 'clip fraction', axis: 'share of clipped ratios', about: 'Share of clipped probability ratios (PPO family, eq. 42)' },
  q: { menu: 'mean Q', axis: 'mean Q of the batch', about: 'Mean Q of the sampled batch (off-policy, eq. 43-45)' },
  temperature: { menu: 'temperature α', axis: 'temperature α', about: 'SAC’s entropy temperature α' },
  bc_loss: { menu: 'BC loss', axis: 'BC loss (eq. 29)', about: 'Behaviour-cloning loss (eq. 29)' },
};

const PHASES: Record<AgentPhase, { menu: string; about: string; axis: string }> = {
  rl: { menu: '', about: '', axis: 'update' },
  bc: { menu: ' (BC)', about: ' during behaviour cloning', axis: 'behaviour-cloning epoch' },
};

type Choice = `${AgentPhase}:${AgentMetric}`;

/** The menu's name of a metric in a phase ("policy std (BC)"); the BC loss only exists while cloning. */
const menuName = (phase: AgentPhase, metric: AgentMetric) => METRICS[metric].menu + (metric === 'bc_loss' ? '' : PHASES[phase].menu);

export function AgentChart() {
  const agents = useLab((s) => s.view.agents);
  const strategies = useLab((s) => s.view.strategies);
  const empty = useEmptyMessage({
    before: 'Press Run: each RL agent’s avg_r (each time it is scored) and diagnostics (every update) appear here',
    during: 'Waiting for the first update…',
  });
  // What the agents have reported, in the menu's order: RL updates first, then behaviour cloning.
  const choices = useMemo(() => {
    const present = new Set(Object.values(agents).flatMap((c) => (['rl', 'bc'] as const).flatMap((p) => Object.keys(c[p]).map((m) => `${p}:${m}`))));
    return (['rl', 'bc'] as const).flatMap((p) => (Object.keys(METRICS) as AgentMetric[]).map((m): Choice => `${p}:${m}`)).filter((c) => present.has(c));
  }, [agents]);
  const [picked, setPicked] = useState<Choice>('rl:avg_r');
  const choice = choices.includes(picked) ? picked : (choices[0] ?? null);

  const figure = useMemo((): Figure | null => {
    if (!choice) return null;
    const [phase, metric] = choice.split(':') as [AgentPhase, AgentMetric];
    const shown = strategies.filter((s) => agents[s.id]?.[phase][metric]);
    const data: Data[] = shown.map((s) => {
      const series = agents[s.id]![phase][metric]!;
      return {
        type: 'scatter',
        mode: series.epochs.length > 60 ? 'lines' : 'lines+markers',
        name: s.label,
        x: series.epochs,
        y: series.loss,
        line: { color: strategyColor(strategies, s.id), width: 2 },
        marker: { size: 4 },
      };
    });
    if (data.length === 0) return null;
    const last = Math.max(...shown.map((s) => agents[s.id]![phase][metric]!.epochs.at(-1)!));
    const latest = shown.map((s) => {
      const series = agents[s.id]![phase][metric]!;
      return `${s.label} ${significant(series.loss.at(-1)!)} at ${PHASES[phase].axis} ${series.epochs.at(-1)}`;
    });
    return {
      data,
      layout: {
        ...BASE_LAYOUT,
        showlegend: true,
        xaxis: { title: { text: PHASES[phase].axis }, zeroline: false, ...countTicks(last) },
        yaxis: { title: { text: METRICS[metric].axis }, zeroline: false, automargin: true },
      },
      summary: `${METRICS[metric].about}${PHASES[phase].about} by ${PHASES[phase].axis}. Latest: ${latest.join('; ')}.`,
    };
  }, [agents, strategies, choice]);

  return (
    <>
      {choices.length > 1 && (
        <label className="chart-picker">
          Show{' '}
          <select value={choice ?? ''} onChange={(e) => setPicked(e.target.value as Choice)} data-testid="agent-metric">
            {choices.map((c) => {
              const [phase, metric] = c.split(':') as [AgentPhase, AgentMetric];
              return (
                <option key={c} value={c} title={`${METRICS[metric].about}${PHASES[phase].about}`}>
                  {menuName(phase, metric)}
                </option>
              );
            })}
          </select>
        </label>
      )}
      <Plot figure={figure} empty={empty} testId="chart-agents" height={300} />
    </>
  );
}
