/**
 * The answers to a lesson's questions, computed from the student's own results, never written in the lesson:
 *   best:    the strategy of the step's run with the lowest (highest) metric;
 *   change:  the metric of one strategy in this step's run against step `since`'s run: lower, about the
 *            same (within the relative tolerance) or higher;
 *   scaling: the least-squares slope b of log |metric| = a + b log(axis value) over the step's comparison
 *            (e.g. Derman-Kamal's hedging error ~ N^(-1/2) in the number of rebalancing dates N), matched to
 *            the choice whose [min, max] holds it, or failing that the nearest one.
 * `evidence` holds what the page recorded of each step's run and comparison.
 */
import type { Metrics } from '../experiment/events';
import type { SweepValue } from '../experiment/sweep';
import type { LessonQuestion } from './lesson-schema';

/** A run's metrics per strategy, as a step recorded them. */
export interface StepRun {
  strategies: { id: string; label: string; metrics: Metrics }[];
}

/** A comparison's cells, as a step recorded them. */
export interface StepComparison {
  cells: { params: Record<string, SweepValue>; strategies: { id: string; metrics: Metrics | null }[] }[];
}

/** By step index (0-based). */
export interface LessonEvidence {
  runs: Record<number, StepRun>;
  comparisons: Record<number, StepComparison>;
}

export interface AnswerOption {
  id: string;
  label: string;
}

/**
 * The options to choose from, the correct one's id, and the numbers it rests on (`values`: per option or per
 * point, `slope` for scaling); or, while the results it needs are missing, why (`waiting`).
 */
export type QuestionAnswer =
  | { ok: true; options: AnswerOption[]; correct: string; values: { label: string; value: number }[]; slope?: number }
  | { ok: false; waiting: string };

const CHANGES: AnswerOption[] = [
  { id: 'lower', label: 'Lower' },
  { id: 'same', label: 'About the same' },
  { id: 'higher', label: 'Higher' },
];

/** Least-squares slope of y on x. */
export function slope(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
  }
  return sxy / sxx;
}

function best(q: Extract<LessonQuestion, { kind: 'best' }>, run: StepRun): QuestionAnswer {
  const pool = q.among ? q.among.map((id) => run.strategies.find((s) => s.id === id)) : run.strategies;
  const missing = q.among?.find((_, i) => !pool[i]);
  if (missing) return { ok: false, waiting: `this run has no strategy "${missing}": load the step's experiment again and run it` };
  const rows = pool as StepRun['strategies'];
  const sign = q.order === 'lowest' ? 1 : -1;
  const winner = rows.reduce((a, b) => (sign * b.metrics[q.metric] < sign * a.metrics[q.metric] ? b : a));
  return {
    ok: true,
    options: rows.map((s) => ({ id: s.id, label: s.label })),
    correct: winner.id,
    values: rows.map((s) => ({ label: s.label, value: s.metrics[q.metric] })),
  };
}

function change(q: Extract<LessonQuestion, { kind: 'change' }>, run: StepRun, before: StepRun): QuestionAnswer {
  const [now, then] = [run, before].map((r) => r.strategies.find((s) => s.id === q.strategy));
  if (!now || !then) return { ok: false, waiting: `both runs need the strategy "${q.strategy}": load the steps' experiments again and run them` };
  const [a, b] = [then.metrics[q.metric], now.metrics[q.metric]];
  const relative = (b - a) / Math.max(Math.abs(a), 1e-12);
  const correct = Math.abs(relative) <= q.tolerance ? 'same' : relative < 0 ? 'lower' : 'higher';
  return { ok: true, options: CHANGES, correct, values: [{ label: `step ${q.since}`, value: a }, { label: 'this step', value: b }] };
}

function scaling(q: Extract<LessonQuestion, { kind: 'scaling' }>, comparison: StepComparison): QuestionAnswer {
  const points = comparison.cells.flatMap((c) => {
    const m = c.strategies.find((s) => s.id === q.strategy)?.metrics;
    const x = c.params[q.axis];
    return m && typeof x === 'number' && x > 0 && m[q.metric] !== 0 ? [{ x, y: Math.abs(m[q.metric]) }] : [];
  });
  if (new Set(points.map((p) => p.x)).size < 2) return { ok: false, waiting: `the comparison needs "${q.strategy}" scored at two or more values of ${q.axis}: run it to the end` };
  const b = slope(points.map((p) => Math.log(p.x)), points.map((p) => Math.log(p.y)));
  const distance = (c: { min: number; max: number }) => (b < c.min ? c.min - b : b > c.max ? b - c.max : 0);
  const nearest = q.choices.reduce((a, c) => (distance(c) < distance(a) ? c : a));
  return {
    ok: true,
    options: q.choices.map((c) => ({ id: c.label, label: c.label })),
    correct: nearest.label,
    values: points.map((p) => ({ label: `${q.axis} = ${p.x}`, value: p.y })),
    slope: b,
  };
}

/** The answer to the question of step `index` (0-based) from the evidence recorded so far. */
export function answerOf(question: LessonQuestion, index: number, evidence: LessonEvidence): QuestionAnswer {
  if (question.kind === 'scaling') {
    const comparison = evidence.comparisons[index];
    return comparison ? scaling(question, comparison) : { ok: false, waiting: 'run the comparison of this step: the answer comes from its results' };
  }
  const run = evidence.runs[index];
  if (!run) return { ok: false, waiting: 'run this step’s experiment: the answer comes from your run' };
  if (question.kind === 'best') return best(question, run);
  const before = evidence.runs[question.since - 1];
  return before ? change(question, run, before) : { ok: false, waiting: `run step ${question.since} first: this question compares with its run` };
}
