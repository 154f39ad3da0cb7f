/**
 * The Learn view: the lessons this page knows (bundled, then loaded from a teacher's file or link), each with
 * this browser's progress through it, to start or resume (the lesson then runs in the guide above the form,
 * lesson-guide.tsx), restart, share as a link, or save as JSON to adapt; a file input for a teacher's lesson,
 * and the teacher view, which shows every answer.
 */
import { useRef } from 'react';
import type { Lesson } from '../engine/lessons/lesson-schema';
import { lessonFragment } from '../engine/lessons/lesson-link';
import { BUNDLED_LESSONS } from '../engine/lessons/bundled-lessons';
import { CopyLinkButton } from './copy-link-button';
import { download } from './file-download';
import { useLab } from './lab-store';
import { allLessons, useLessons, type LessonProgress } from './lesson-store';

/** "Step 2 of 3 · 1 of 2 questions right", or "Not started". */
function progressText(lesson: Lesson, p: LessonProgress | undefined): string {
  const questions = lesson.steps.filter((s) => s.question).length;
  if (!p) return `${lesson.steps.length} steps · ${questions} question${questions === 1 ? '' : 's'} · about ${lesson.minutes} min`;
  const right = Object.values(p.answers).filter((a) => a.correct).length;
  return `Step ${p.step + 1} of ${lesson.steps.length} · ${right} of ${questions} question${questions === 1 ? '' : 's'} answered right`;
}

function LessonCard({ lesson, index }: { lesson: Lesson; index: number }) {
  const progress = useLessons((s) => s.progress[lesson.id]);
  const active = useLessons((s) => s.active === lesson.id);
  const idle = useLab((s) => s.run.phase === 'idle');
  const { start, remove } = useLessons.getState();
  const bundled = BUNDLED_LESSONS.some((l) => l.id === lesson.id);
  const restart = () => {
    useLessons.setState((s) => ({ progress: { ...s.progress, [lesson.id]: { step: 0, evidence: { runs: {}, comparisons: {} }, answers: {} } } }));
    start(lesson.id);
  };
  const link = () => `${window.location.origin}${window.location.pathname}#${lessonFragment(lesson)}`;
  return (
    <li className={`lesson-card${active ? ' active' : ''}`} data-testid={`lesson-${lesson.id}`}>
      <h3>
        {bundled ? `${index + 1}. ` : ''}
        {lesson.title}
      </h3>
      <p>{lesson.summary}</p>
      <p className="lesson-progress" data-testid="lesson-progress">
        {progressText(lesson, progress)}
      </p>
      <div className="lesson-card-actions">
        <button type="button" className="primary" data-testid="lesson-start" disabled={!idle} onClick={() => start(lesson.id)}>
          {active ? 'Resume' : progress ? 'Continue' : 'Start'}
        </button>
        {progress && (
          <button type="button" disabled={!idle} onClick={restart}>
            Start over
          </button>
        )}
        <CopyLinkButton link={link} testId="lesson-copy-link" title="Copy a link that opens this lesson" />
        <button type="button" onClick={() => download(`hedgelab-lesson-${lesson.id}.json`, 'application/json', JSON.stringify(lesson, null, 2))} title="Save the lesson as JSON, to adapt and load back">
          Save JSON
        </button>
        {!bundled && (
          <button type="button" onClick={() => remove(lesson.id)}>
            Remove
          </button>
        )}
      </div>
    </li>
  );
}

export function LessonView() {
  const state = useLessons();
  const input = useRef<HTMLInputElement>(null);
  const lessons = allLessons(state);
  return (
    <div className="charts" role="tabpanel" id="learn-view" aria-labelledby="tab-learn">
      <section className="card wide" data-testid="learn-card">
        <h2>Lessons</h2>
        <p className="about">
          Guided lessons through the lab’s ideas. Each step loads an experiment onto the form, asks you to run it, and asks a question the page checks against your own results. Every run
          takes under a minute on a laptop. Progress is kept in this browser.
        </p>
        <div className="learn-tools">
          <label className="toggle">
            <input type="checkbox" data-testid="teacher-view" checked={state.teacher} onChange={(e) => state.setTeacher(e.target.checked)} /> Teacher view: show the answers
          </label>
          <button type="button" onClick={() => input.current?.click()} title="A lesson written as JSON (see README, Writing a lesson)">
            Load a lesson file…
          </button>
          <input
            ref={input}
            type="file"
            accept=".json,application/json"
            hidden
            data-testid="lesson-file"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void state.loadFile(file);
            }}
          />
        </div>
        {state.notice && (
          <p className={`banner ${state.notice.refused ? 'error' : 'info'}`} role={state.notice.refused ? 'alert' : 'status'} data-testid="lesson-notice">
            {state.notice.text}{' '}
            <button type="button" className="link-button" onClick={state.dismissNotice} aria-label="Dismiss">
              ×
            </button>
          </p>
        )}
        <ol className="lesson-list">
          {lessons.map((l, i) => (
            <LessonCard key={l.id} lesson={l} index={i} />
          ))}
        </ol>
      </section>
    </div>
  );
}
