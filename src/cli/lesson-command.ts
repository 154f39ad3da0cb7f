/**
 * `lesson --preset ID | --config FILE.json [--backend cpu|wasm]`: plays a lesson through as a diligent
 * student would (lessons/): each step's experiment loaded onto the one before, the fields its action asks
 * for set, its run or comparison run to the end, and its question answered from those results
 * (lesson-answers.ts). Prints one JSON document with, per step, the experiment's name, the seconds its runs
 * took and the answer the page would accept with the numbers behind it; a teacher checks a lesson file with
 * it, and `seconds` says whether each run fits a lesson's minute.
 */
import type { RunResult } from '../engine/experiment/events';
import { defaultConfig } from '../engine/experiment/presets';
import type { Experiment } from '../engine/experiment/schema';
import { parseSweep } from '../engine/experiment/sweep';
import { answerOf, type LessonEvidence, type StepComparison, type StepRun } from '../engine/lessons/lesson-answers';
import type { Lesson } from '../engine/lessons/lesson-schema';
import { stepExperiment, withRequirements } from '../engine/lessons/lesson-setup';
import { stderrLine } from './terminal-text';
import { UsageError } from './usage-error';

export const stepRun = (result: RunResult): StepRun => ({ strategies: result.strategies.map((s) => ({ id: s.id, label: s.label, metrics: s.metrics })) });

export async function lessonCommand(lesson: Lesson, run: (cfg: Experiment) => Promise<RunResult>): Promise<Record<string, unknown>> {
  const evidence: LessonEvidence = { runs: {}, comparisons: {} };
  let current = defaultConfig();
  const steps: Record<string, unknown>[] = [];
  const started = performance.now();
  for (const [index, step] of lesson.steps.entries()) {
    const setup = stepExperiment(step, index, current);
    if (!setup.ok) throw new UsageError(setup.error);
    const asked = step.action.kind === 'run' ? withRequirements(setup.experiment, step.action.require) : setup;
    if (!asked.ok) throw new UsageError(`step ${index + 1}: ${asked.error}`);
    current = asked.experiment;
    const at = performance.now();
    const runs: number[] = [];
    if (step.action.kind === 'run') {
      stderrLine(`step ${index + 1} of ${lesson.steps.length}: ${current.name}`);
      evidence.runs[index] = stepRun(await run(current));
      runs.push((performance.now() - at) / 1000);
    } else if (step.action.kind === 'compare') {
      const sweep = parseSweep({ name: current.name, base: current, grid: setup.grid ?? {} });
      if (!sweep.ok) throw new UsageError(`step ${index + 1}: ${sweep.errors.join('; ')}`);
      const cells: StepComparison['cells'] = [];
      for (const cell of sweep.cells) {
        stderrLine(`step ${index + 1} of ${lesson.steps.length}: ${current.name}, cell ${cell.index + 1} of ${sweep.cells.length}`);
        const t = performance.now();
        const result = await run(cell.config);
        runs.push((performance.now() - t) / 1000);
        cells.push({ params: cell.params, strategies: result.strategies.map((s) => ({ id: s.id, metrics: s.metrics })) });
      }
      evidence.comparisons[index] = { cells };
    }
    steps.push({
      step: index + 1,
      title: step.title,
      action: step.action.kind,
      experiment: current.name,
      runSeconds: runs,
      ...(step.question ? { question: step.question.prompt, answer: answerOf(step.question, index, evidence) } : {}),
    });
  }
  return { lesson: lesson.id, title: lesson.title, steps, seconds: (performance.now() - started) / 1000 };
}
