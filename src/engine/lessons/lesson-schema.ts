/**
 * A lesson (issue 18): a short sequence of steps, each with a text (lesson-markdown.ts's subset), an
 * experiment to load (a preset, a JSON merge patch of it or of the form's experiment, and for Compare a grid),
 * an action for the student (read, press Run with the fields it asks set, run the comparison), and a question
 * the page answers from the student's own run (lesson-answers.ts), with a hint and the explanation shown
 * after answering. Lessons are data: this zod schema, versioned, is what a teacher's JSON file, a `#lesson=`
 * link and the bundled lessons all pass; a refusal names the field.
 */
import { z } from 'zod';
import { METRIC_COLUMNS } from '../experiment/comparison';
import type { Metrics } from '../experiment/events';
import { issueLines } from '../experiment/issue-text';
import { PRESETS } from '../experiment/presets';

export const LESSON_FORMAT = 'hedgelab-lesson';
export const LESSON_VERSION = 1;

const text = (max: number) => z.string().trim().min(1).max(max);
const metric = z.enum(METRIC_COLUMNS as [keyof Metrics, ...(keyof Metrics)[]]);
const strategyId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a strategy id: lower-case letters, digits and dashes').max(24);
const fieldPath = z.string().regex(/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$/, 'a dotted path of experiment fields, e.g. costs.proportional');
const scalar = z.union([z.number().finite(), z.string().max(80), z.boolean()]);
const gridValue = z.union([z.number().finite(), z.string().max(40), z.boolean()]);

/** What the step loads: a preset, or the form's experiment, changed by `patch`; and Compare's axes. */
const setupSchema = z.strictObject({
  preset: z.enum(Object.keys(PRESETS) as [string, ...string[]]).optional(),
  patch: z.record(z.string(), z.unknown()).optional(),
  /** Compare's grid: field path -> values, as a sweep's (experiment/sweep.ts). */
  grid: z.record(fieldPath, z.array(gridValue).min(2).max(8)).optional(),
  /** The view the step opens. */
  view: z.enum(['lab', 'compare']).optional(),
});

/** A field the student must set before the run counts ("set the cost to 0.01"). */
const requirementSchema = z.strictObject({ field: fieldPath, value: scalar, say: text(200) });

const actionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('read') }),
  z.strictObject({ kind: z.literal('run'), say: text(300), require: z.array(requirementSchema).max(6).default([]) }),
  z.strictObject({ kind: z.literal('compare'), say: text(300) }),
]);

/** Which strategy of the step's run has the lowest (highest) `metric`, among `among` or all of them. */
const bestSchema = z.strictObject({
  kind: z.literal('best'),
  prompt: text(300),
  metric,
  order: z.enum(['lowest', 'highest']),
  among: z.array(strategyId).min(2).max(8).optional(),
});

/** Whether `strategy`'s `metric` in this step's run is lower than, about, or higher than in step `since`'s (1-based). */
const changeSchema = z.strictObject({
  kind: z.literal('change'),
  prompt: text(300),
  metric,
  strategy: strategyId,
  since: z.number().int().min(1).max(20),
  /** Relative change within which it is "about the same". */
  tolerance: z.number().min(0).max(0.5).default(0.05),
});

/** The slope of log |metric| against log(axis) over this step's comparison, matched to the choices' ranges. */
const scalingSchema = z.strictObject({
  kind: z.literal('scaling'),
  prompt: text(300),
  metric,
  strategy: strategyId,
  axis: fieldPath,
  choices: z.array(z.strictObject({ label: text(80), min: z.number().finite(), max: z.number().finite() })).min(2).max(5),
});

export const questionSchema = z.discriminatedUnion('kind', [bestSchema, changeSchema, scalingSchema]);

const stepSchema = z.strictObject({
  title: text(120),
  text: text(4000),
  setup: setupSchema.optional(),
  action: actionSchema.default({ kind: 'read' }),
  question: questionSchema.optional(),
  hint: text(600).optional(),
  explanation: text(2000).optional(),
});

export const lessonSchema = z
  .strictObject({
    format: z.literal(LESSON_FORMAT),
    version: z.literal(LESSON_VERSION),
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes').max(48),
    title: text(120),
    summary: text(600),
    /** About how long the lesson takes in class. */
    minutes: z.number().int().min(1).max(120),
    steps: z.array(stepSchema).min(1).max(20),
  })
  .superRefine((lesson, ctx) => {
    lesson.steps.forEach((step, i) => {
      const at = (...path: (string | number)[]) => ['steps', i, ...path];
      const q = step.question;
      if (!q) return;
      if (!step.explanation) ctx.addIssue({ code: 'custom', path: at('explanation'), message: 'a step with a question needs the explanation shown after it is answered' });
      const needs = q.kind === 'scaling' ? 'compare' : 'run';
      if (step.action.kind !== needs) ctx.addIssue({ code: 'custom', path: at('action', 'kind'), message: `a "${q.kind}" question is answered from this step's ${needs === 'run' ? 'run: the action must be "run"' : 'comparison: the action must be "compare"'}` });
      if (q.kind === 'change') {
        const since = lesson.steps[q.since - 1];
        if (q.since > i) ctx.addIssue({ code: 'custom', path: at('question', 'since'), message: `step ${q.since} is not before this one (step ${i + 1})` });
        else if (since?.action.kind !== 'run') ctx.addIssue({ code: 'custom', path: at('question', 'since'), message: `step ${q.since} has no run to compare with` });
      }
      if (q.kind === 'scaling' && !step.setup?.grid?.[q.axis]) ctx.addIssue({ code: 'custom', path: at('question', 'axis'), message: `the step's grid does not sweep ${q.axis}` });
    });
  });

export type Lesson = z.infer<typeof lessonSchema>;
export type LessonStep = Lesson['steps'][number];
export type LessonQuestion = z.infer<typeof questionSchema>;
export type LessonInput = z.input<typeof lessonSchema>;

export type LessonParse = { ok: true; lesson: Lesson } | { ok: false; errors: string[] };

export function parseLesson(raw: unknown): LessonParse {
  const r = lessonSchema.safeParse(raw, { reportInput: true });
  return r.success ? { ok: true, lesson: r.data } : { ok: false, errors: issueLines(r.error, 'lesson') };
}
