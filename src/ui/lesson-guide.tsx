/**
 * The lesson in progress, above the form in every view: the step's text, what to do (with each field the
 * step asks for ticked once the form has it, and the run or comparison ticked once it counted), the question
 * with its options once the student's results can answer it, then right or wrong, the hint, and the
 * explanation with the numbers behind the answer; Back and Next. The teacher view shows the answer at once.
 */
import type { QuestionAnswer } from '../engine/lessons/lesson-answers';
import type { LessonQuestion, LessonStep } from '../engine/lessons/lesson-schema';
import { valueAt } from '../engine/lessons/lesson-setup';
import { metricLabel } from './charts/metrics-columns';
import { significant } from './charts/significant';
import { useLab } from './lab-store';
import { currentAnswer, lessonById, useLessons, type GivenAnswer } from './lesson-store';
import { LessonText } from './lesson-text';
import { usePageView } from './page-view';

/** The answer's rule in words, for the teacher before any result exists. */
function rule(q: LessonQuestion): string {
  const metric = metricLabel(q.metric);
  if (q.kind === 'best') return `the strategy of the run with the ${q.order} ${metric}`;
  if (q.kind === 'change') return `whether ${q.strategy}’s ${metric} fell or rose since step ${q.since} (within ${Math.round(q.tolerance * 100)}%: about the same)`;
  return `the slope of log ${metric} against log ${q.axis} for ${q.strategy}: ${q.choices.map((c) => `${c.label} [${c.min}, ${c.max}]`).join('; ')}`;
}

function Evidence({ answer, question }: { answer: Extract<QuestionAnswer, { ok: true }>; question: LessonQuestion }) {
  return (
    <p className="lesson-evidence" data-testid="lesson-evidence">
      {metricLabel(question.metric)}: {answer.values.map((v) => `${v.label} ${significant(v.value)}`).join(', ')}
      {answer.slope !== undefined && `; slope of the log-log fit ${answer.slope.toFixed(2)}`}.
    </p>
  );
}

function Action({ step, counted }: { step: LessonStep; counted: boolean }) {
  const config = useLab((s) => s.check.config);
  const show = usePageView((s) => s.show);
  const action = step.action;
  if (action.kind === 'read') return null;
  return (
    <div className="lesson-action" data-testid="lesson-action" data-done={counted}>
      <p>
        <span aria-hidden="true">{counted ? '✓' : '▸'}</span> {action.say} {counted && <strong>Done.</strong>}
      </p>
      {action.kind === 'run' && action.require.length > 0 && (
        <ul className="lesson-require">
          {action.require.map((r) => {
            const met = config !== null && valueAt(config, r.field) === r.value;
            return (
              <li key={r.field} data-met={met}>
                <span aria-hidden="true">{met ? '✓' : '○'}</span> {r.say}
              </li>
            );
          })}
        </ul>
      )}
      {action.kind === 'compare' && !counted && (
        <button type="button" className="link-button" onClick={() => show('compare')}>
          Open Compare
        </button>
      )}
    </div>
  );
}

function Question({ step, answer, given, teacher }: { step: LessonStep; answer: QuestionAnswer; given: GivenAnswer | undefined; teacher: boolean }) {
  const choose = useLessons((s) => s.answer);
  const q = step.question!;
  // The explanation shows once answered right, or after two wrong tries (with the right answer).
  const revealed = given !== undefined && (given.correct || given.tries >= 2);
  return (
    <div className="lesson-question" data-testid="lesson-question">
      <p className="lesson-prompt">
        <strong>Question.</strong> {q.prompt}
      </p>
      {!answer.ok ? (
        <p className="lesson-waiting" data-testid="lesson-waiting">
          {answer.waiting[0]!.toUpperCase() + answer.waiting.slice(1)}.
        </p>
      ) : (
        <div className="lesson-options" role="group" aria-label={q.prompt}>
          {answer.options.map((o) => {
            const chosen = given?.chosen === o.id;
            const state = chosen ? (given!.correct ? 'right' : 'wrong') : revealed && o.id === answer.correct ? 'right' : undefined;
            return (
              <button key={o.id} type="button" data-option={o.id} data-state={state} aria-pressed={chosen} disabled={given?.correct === true} onClick={() => choose(o.id)}>
                {o.label}
              </button>
            );
          })}
        </div>
      )}
      {given && answer.ok && (
        <p className={`lesson-feedback ${given.correct ? 'right' : 'wrong'}`} role="status" data-testid="lesson-feedback">
          {given.correct ? 'Right.' : revealed ? `Not quite: the answer is “${answer.options.find((o) => o.id === answer.correct)?.label}”.` : 'Not quite. Try again.'}
        </p>
      )}
      {given && !given.correct && !revealed && step.hint && (
        <p className="lesson-hint" data-testid="lesson-hint">
          <strong>Hint.</strong> {step.hint}
        </p>
      )}
      {teacher && (
        <p className="lesson-teacher" data-testid="lesson-teacher-answer">
          <strong>Answer (teacher view):</strong> {answer.ok ? `“${answer.options.find((o) => o.id === answer.correct)?.label}”` : `from the run: ${rule(q)}`}
        </p>
      )}
      {(revealed || teacher) && answer.ok && <Evidence answer={answer} question={q} />}
      {(revealed || teacher) && step.explanation && (
        <div className="lesson-explanation" data-testid="lesson-explanation">
          <LessonText source={step.explanation} />
        </div>
      )}
    </div>
  );
}

export function LessonGuide() {
  const state = useLessons();
  const idle = useLab((s) => s.run.phase === 'idle');
  const lesson = lessonById(state, state.active);
  if (!lesson) return null;
  const progress = state.progress[lesson.id];
  const index = progress?.step ?? 0;
  const step = lesson.steps[index]!;
  const counted = step.action.kind === 'run' ? progress?.evidence.runs[index] !== undefined : step.action.kind === 'compare' && progress?.evidence.comparisons[index] !== undefined;
  const answer = currentAnswer(state);
  const last = index === lesson.steps.length - 1;
  return (
    <section className="lesson-guide" aria-label={`Lesson: ${lesson.title}`} data-testid="lesson-guide" data-step={index + 1}>
      <header>
        <p className="lesson-where">
          {lesson.title} · step {index + 1} of {lesson.steps.length}
        </p>
        <button type="button" className="link-button" onClick={state.leave} title="Leave the lesson (its progress is kept)">
          Leave
        </button>
      </header>
      <h2>{step.title}</h2>
      <LessonText source={step.text} />
      {state.stepNotice && (
        <p className="banner warning" role="alert" data-testid="lesson-step-notice">
          {state.stepNotice}
        </p>
      )}
      <Action step={step} counted={counted} />
      {step.question && answer && <Question step={step} answer={answer} given={progress?.answers[index]} teacher={state.teacher} />}
      <nav className="lesson-nav">
        <button type="button" disabled={index === 0 || !idle} onClick={() => state.goTo(index - 1)}>
          Back
        </button>
        <button
          type="button"
          data-testid="lesson-next"
          disabled={!idle}
          onClick={() => {
            if (!last) return state.goTo(index + 1);
            state.leave();
            usePageView.getState().show('learn');
          }}
        >
          {last ? 'Finish' : 'Next step'}
        </button>
      </nav>
    </section>
  );
}
