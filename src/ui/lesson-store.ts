/**
 * The Learn tab's state (zustand): the bundled lessons and those a teacher loaded (from a file or a
 * `#lesson=` link), the lesson in progress and its step, what the student's runs and comparisons in each
 * step gave (the evidence its questions are answered from, engine's lessons/lesson-answers.ts), their answers,
 * and the teacher view. Progress is kept per browser (localStorage) so a closed tab resumes where it was.
 * Going to a step loads its experiment onto the form (lessons/lesson-setup.ts), Compare's grid and the view
 * it names; a step that cannot be loaded says why and leaves the form as it was.
 */
import { create } from 'zustand';
import { defaultConfig } from '../engine/experiment/presets';
import type { Experiment } from '../engine/experiment/schema';
import { answerOf, type LessonEvidence, type QuestionAnswer, type StepRun } from '../engine/lessons/lesson-answers';
import { BUNDLED_LESSONS } from '../engine/lessons/bundled-lessons';
import { decodeLessonLink } from '../engine/lessons/lesson-link';
import { parseLesson, type Lesson } from '../engine/lessons/lesson-schema';
import { stepExperiment, unmetRequirements } from '../engine/lessons/lesson-setup';
import { localStore } from './browser-storage';
import { axesOfGrid } from './comparison-axes';
import { useComparison } from './comparison-store';
import { useLab } from './lab-store';
import { usePageView } from './page-view';

/** A question's answer as given: the option chosen last, whether it was right, and how many tries it took. */
export interface GivenAnswer {
  chosen: string;
  correct: boolean;
  tries: number;
}

export interface LessonProgress {
  step: number;
  evidence: LessonEvidence;
  answers: Record<number, GivenAnswer>;
}

export interface LessonState {
  /** Lessons loaded from files or links (the bundled ones are BUNDLED_LESSONS). */
  loaded: Lesson[];
  progress: Record<string, LessonProgress>;
  /** The lesson in progress, by id. */
  active: string | null;
  teacher: boolean;
  /** Why a lesson file or link was refused, or what loading it did. */
  notice: { refused: boolean; text: string } | null;
  /** Why the current step could not load its experiment, or why the last run does not count for it yet. */
  stepNotice: string | null;
  start(id: string): void;
  goTo(step: number): void;
  leave(): void;
  answer(option: string): void;
  setTeacher(on: boolean): void;
  loadFile(file: File): Promise<void>;
  /** Opens the value of a `#lesson=` link. */
  openLink(value: string): void;
  /** Forgets a loaded lesson and its progress. */
  remove(id: string): void;
  dismissNotice(): void;
}

const STORE_KEY = 'hedgelab-lessons';
/** A lesson file is a few kilobytes; larger files are refused before they are read. */
const MAX_LESSON_BYTES = 256 * 1024;

const EMPTY_PROGRESS = (): LessonProgress => ({ step: 0, evidence: { runs: {}, comparisons: {} }, answers: {} });

type Kept = Pick<LessonState, 'loaded' | 'progress' | 'active' | 'teacher'>;

/** What this browser kept; stored lessons that no longer pass the schema are dropped with their progress. */
function kept(): Kept {
  const none: Kept = { loaded: [], progress: {}, active: null, teacher: false };
  try {
    const raw = JSON.parse(localStore()?.getItem(STORE_KEY) ?? 'null') as Partial<Kept> | null;
    if (!raw || typeof raw !== 'object') return none;
    const loaded = (Array.isArray(raw.loaded) ? raw.loaded : []).flatMap((l) => {
      const r = parseLesson(l);
      return r.ok ? [r.lesson] : [];
    });
    const known = new Set([...BUNDLED_LESSONS, ...loaded].map((l) => l.id));
    const progress = Object.fromEntries(Object.entries(raw.progress ?? {}).filter(([id, p]) => known.has(id) && typeof p?.step === 'number'));
    const active = typeof raw.active === 'string' && known.has(raw.active) ? raw.active : null;
    return { loaded, progress, active, teacher: raw.teacher === true };
  } catch {
    return none;
  }
}

function keep(s: Kept): void {
  try {
    localStore()?.setItem(STORE_KEY, JSON.stringify({ loaded: s.loaded, progress: s.progress, active: s.active, teacher: s.teacher }));
  } catch {
    // A full storage keeps the lesson going in this tab; it is only not remembered.
  }
}

/** Every lesson the page knows: the bundled ones, then those loaded. */
export function allLessons(s: Pick<LessonState, 'loaded'>): Lesson[] {
  return [...BUNDLED_LESSONS, ...s.loaded.filter((l) => !BUNDLED_LESSONS.some((b) => b.id === l.id))];
}

export function lessonById(s: Pick<LessonState, 'loaded'>, id: string | null): Lesson | null {
  return allLessons(s).find((l) => l.id === id) ?? null;
}

/** The answer the current step's question has from the evidence so far. */
export function currentAnswer(s: LessonState): QuestionAnswer | null {
  const lesson = lessonById(s, s.active);
  const progress = lesson && s.progress[lesson.id];
  const question = progress && lesson.steps[progress.step]?.question;
  return question ? answerOf(question, progress.step, progress.evidence) : null;
}

export const useLessons = create<LessonState>()((set, get) => {
  const update = (patch: Partial<LessonState>) => {
    set(patch);
    keep(get());
  };
  const progressOf = (id: string) => get().progress[id] ?? EMPTY_PROGRESS();
  const withProgress = (id: string, recipe: (p: LessonProgress) => LessonProgress) => update({ progress: { ...get().progress, [id]: recipe(progressOf(id)) } });

  /** Loads step `index` of `lesson` onto the form, Compare and the view; false (and why) when it cannot. */
  const enter = (lesson: Lesson, index: number): boolean => {
    const step = lesson.steps[index]!;
    const lab = useLab.getState();
    const current: Experiment = lab.check.config ?? lab.run.config ?? defaultConfig();
    const setup = stepExperiment(step, index, current);
    if (!setup.ok) {
      set({ stepNotice: `This step cannot load its experiment: ${setup.error}` });
      return false;
    }
    if (step.setup?.preset || step.setup?.patch) lab.load(setup.experiment);
    if (setup.grid && useComparison.getState().phase === 'idle') useComparison.setState({ ...axesOfGrid(setup.grid), errors: {} });
    if (step.setup?.view) usePageView.getState().show(step.setup.view);
    set({ stepNotice: null });
    return true;
  };

  return {
    ...kept(),
    notice: null,
    stepNotice: null,

    start(id) {
      const lesson = lessonById(get(), id);
      if (!lesson || useLab.getState().run.phase !== 'idle') return;
      const progress = progressOf(id);
      const step = Math.min(progress.step, lesson.steps.length - 1);
      update({ active: id, progress: { ...get().progress, [id]: { ...progress, step } } });
      enter(lesson, step);
    },

    goTo(step) {
      const lesson = lessonById(get(), get().active);
      if (!lesson || step < 0 || step >= lesson.steps.length || useLab.getState().run.phase !== 'idle') return;
      withProgress(lesson.id, (p) => ({ ...p, step }));
      enter(lesson, step);
    },

    leave() {
      update({ active: null, stepNotice: null });
    },

    answer(option) {
      const s = get();
      const lesson = lessonById(s, s.active);
      const answer = currentAnswer(s);
      if (!lesson || !answer?.ok) return;
      const { step } = progressOf(lesson.id);
      const before = progressOf(lesson.id).answers[step];
      if (before?.correct) return;
      withProgress(lesson.id, (p) => ({ ...p, answers: { ...p.answers, [step]: { chosen: option, correct: option === answer.correct, tries: (before?.tries ?? 0) + 1 } } }));
    },

    setTeacher(on) {
      update({ teacher: on });
    },

    async loadFile(file) {
      if (file.size > MAX_LESSON_BYTES) return set({ notice: { refused: true, text: `${file.name} is ${(file.size / 1024).toFixed(0)} KB; a lesson file is at most ${MAX_LESSON_BYTES / 1024} KB.` } });
      let data: unknown;
      try {
        data = JSON.parse(await file.text());
      } catch (e) {
        return set({ notice: { refused: true, text: `${file.name} is not JSON: ${e instanceof Error ? e.message : String(e)}` } });
      }
      const r = parseLesson(data);
      if (!r.ok) return set({ notice: { refused: true, text: `${file.name} is not a lesson HedgeLab can use: ${r.errors.slice(0, 4).join('; ')}` } });
      addLesson(r.lesson, `Loaded “${r.lesson.title}” from ${file.name}.`);
    },

    openLink(value) {
      const r = decodeLessonLink(value);
      if (!r.ok) {
        set({ notice: { refused: true, text: `The lesson link could not be opened: ${r.error}.` } });
        usePageView.getState().show('learn');
        return;
      }
      if (!r.bundled) addLesson(r.lesson, `Opened “${r.lesson.title}” from a link.`);
      get().start(r.lesson.id);
      if (!r.lesson.steps[get().progress[r.lesson.id]?.step ?? 0]?.setup?.view) usePageView.getState().show('learn');
    },

    remove(id) {
      const { [id]: _, ...progress } = get().progress;
      update({ loaded: get().loaded.filter((l) => l.id !== id), progress, active: get().active === id ? null : get().active });
    },

    dismissNotice() {
      set({ notice: null });
    },
  };

  /** Keeps `lesson` beside the bundled ones, replacing a loaded one of the same id (a bundled id is refused). */
  function addLesson(lesson: Lesson, text: string): void {
    if (BUNDLED_LESSONS.some((b) => b.id === lesson.id)) {
      set({ notice: { refused: true, text: `“${lesson.title}” has the id "${lesson.id}" of a bundled lesson; give it another id.` } });
      return;
    }
    update({ loaded: [...get().loaded.filter((l) => l.id !== lesson.id), lesson], notice: { refused: false, text } });
  }
});

/** The step's run, as the answers read it: the metrics table's rows with the strategies' labels. */
function stepRunOfView(): StepRun | null {
  const { view } = useLab.getState();
  if (!view.metrics) return null;
  const label = (id: string) => view.strategies.find((s) => s.id === id)?.label ?? id;
  return { strategies: view.metrics.map((r) => ({ id: r.strategyId, label: label(r.strategyId), metrics: r.metrics })) };
}

/**
 * Records what the student's runs give for the step they were started in: a Lab run that ends done, once
 * the fields its step asks for are set (else the step says what is missing), and a comparison whose every
 * cell was scored. Call once (app.tsx).
 */
export function watchLessonRuns(): () => void {
  let startedIn: { lesson: string; step: number } | null = null;
  const here = () => {
    const s = useLessons.getState();
    return s.active ? { lesson: s.active, step: s.progress[s.active]?.step ?? 0 } : null;
  };
  const sameStep = (a: typeof startedIn, b: typeof startedIn) => a !== null && b !== null && a.lesson === b.lesson && a.step === b.step;
  const record = (recipe: (evidence: LessonEvidence, step: number) => LessonEvidence) => {
    const s = useLessons.getState();
    const at = here();
    if (!at || !sameStep(startedIn, at)) return;
    const p = s.progress[at.lesson] ?? EMPTY_PROGRESS();
    // A new result for the step asks its question afresh.
    const { [at.step]: _, ...answers } = p.answers;
    useLessons.setState({ progress: { ...s.progress, [at.lesson]: { ...p, evidence: recipe(p.evidence, at.step), answers } } });
    keep(useLessons.getState());
  };
  const offLab = useLab.subscribe((s, prev) => {
    if (prev.run.phase === 'idle' && s.run.phase === 'running') startedIn = here();
    if (prev.run.phase === 'idle' || s.run.phase !== 'idle' || s.run.outcome !== 'done') return;
    const lessons = useLessons.getState();
    const lesson = lessonById(lessons, lessons.active);
    const at = here();
    const action = lesson && at ? lesson.steps[at.step]?.action : undefined;
    if (action?.kind !== 'run' || !s.run.config || !sameStep(startedIn, at)) return;
    const unmet = unmetRequirements(s.run.config, action.require);
    if (unmet.length) {
      useLessons.setState({ stepNotice: `This run does not count for the step yet: ${unmet.join(' ')} Then press Run again.` });
      return;
    }
    const run = stepRunOfView();
    if (!run) return;
    useLessons.setState({ stepNotice: null });
    record((e, step) => ({ ...e, runs: { ...e.runs, [step]: run } }));
  });
  const offCompare = useComparison.subscribe((s, prev) => {
    if (prev.phase === 'idle' && s.phase === 'running') startedIn = here();
    if (prev.phase === 'idle' || s.phase !== 'idle' || !s.record) return;
    const lessons = useLessons.getState();
    const lesson = lessonById(lessons, lessons.active);
    const at = here();
    if (!lesson || !at || lesson.steps[at.step]?.action.kind !== 'compare') return;
    const cells = s.record.cells.map((c) => ({
      params: c.params,
      strategies: c.strategies.map((x) => ({ id: x.id, metrics: x.metrics })),
    }));
    if (!cells.every((c) => c.strategies.every((x) => x.metrics !== null))) return;
    record((e, step) => ({ ...e, comparisons: { ...e.comparisons, [step]: { cells } } }));
  });
  return () => {
    offLab();
    offCompare();
  };
}
