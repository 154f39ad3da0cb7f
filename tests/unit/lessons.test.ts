/**
 * Lessons (issue 18): the schema and its refusals, JSON Merge Patch against RFC 7386's examples, the Markdown
 * subset, the answers computed from results (best, change, the log-log slope), lesson links both ways, the
 * requirements, and every bundled lesson's steps loading valid experiments in order.
 */
import { describe, expect, it } from 'vitest';
import type { Metrics } from '../../src/engine/experiment/events';
import { defaultConfig } from '../../src/engine/experiment/presets';
import { BUNDLED_LESSONS } from '../../src/engine/lessons/bundled-lessons';
import { answerOf, slope, type LessonEvidence } from '../../src/engine/lessons/lesson-answers';
import { decodeLessonLink, lessonFragment, lessonParam } from '../../src/engine/lessons/lesson-link';
import { parseInlines, parseLessonMarkdown } from '../../src/engine/lessons/lesson-markdown';
import { parseLesson, type Lesson, type LessonInput } from '../../src/engine/lessons/lesson-schema';
import { stepExperiment, unmetRequirements, withRequirements } from '../../src/engine/lessons/lesson-setup';
import { mergePatch } from '../../src/engine/lessons/merge-patch';

const metrics = (m: Partial<Metrics>): Metrics => ({
  mean: 0, std: 0, var90: 0, var95: 0, var99: 0, es90: 0, es95: 0, es99: 0, entropic: 0, avg_r: 0, skew: 0, kurtosis: 0, turnover: 0, cost: 0, price: 0, risk: 0, ...m,
});

const teacherLesson = (): LessonInput => ({
  format: 'hedgelab-lesson',
  version: 1,
  id: 'my-class',
  title: 'Costs in my class',
  summary: 'A short lesson of my own.',
  minutes: 5,
  steps: [
    { title: 'Run it', text: 'Press **Run**.', setup: { preset: 'default', patch: { costs: { proportional: 0.002 } } }, action: { kind: 'run', say: 'Press Run.' } },
    {
      title: 'Again, costlier',
      text: 'Set the cost to 0.01.',
      action: { kind: 'run', say: 'Run again.', require: [{ field: 'costs.proportional', value: 0.01, say: 'Set the cost to 0.01.' }] },
      question: { kind: 'change', prompt: 'The delta hedge’s cost is…', metric: 'cost', strategy: 'bs-delta', since: 1 },
      explanation: 'Costs scale with the rate.',
    },
  ],
});

describe('lesson schema', () => {
  it('accepts a teacher’s lesson and fills in its defaults', () => {
    const r = parseLesson(teacherLesson());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.lesson.steps[0]!.action).toEqual({ kind: 'run', say: 'Press Run.', require: [] });
    expect(r.lesson.steps[1]!.question).toMatchObject({ kind: 'change', tolerance: 0.05 });
  });

  it('refuses bad lessons with the field named', () => {
    const cases: [(l: LessonInput) => void, RegExp][] = [
      [(l) => void ((l as { version: number }).version = 2), /^version: must be one of 1, not 2$/],
      [(l) => void (l.steps[0]!.setup = { preset: 'nope' }), /^steps\.0\.setup\.preset: must be one of "default", .* not "nope"$/],
      [(l) => void delete l.steps[1]!.explanation, /^steps\.1\.explanation: a step with a question needs the explanation/],
      [(l) => void ((l.steps[1]!.question as { since: number }).since = 2), /^steps\.1\.question\.since: step 2 is not before this one \(step 2\)$/],
      [(l) => void (l.steps[1]!.action = { kind: 'read' }), /^steps\.1\.action\.kind: a "change" question is answered from this step's run/],
      [(l) => void ((l.steps[1]!.question as { metric: string }).metric = 'sharpe'), /^steps\.1\.question\.metric: must be one of "mean", "std"/],
      [(l) => void ((l.steps[0] as { script?: string }).script = 'alert(1)'), /^steps\.0: unrecognized field "script"$/],
      [(l) => void (l.id = 'My Class'), /^id: lower-case letters, digits and dashes$/],
    ];
    for (const [edit, message] of cases) {
      const l = teacherLesson();
      edit(l);
      const r = parseLesson(l);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors.some((e) => message.test(e)), `${r.errors.join(' | ')} should match ${message}`).toBe(true);
    }
  });
});

describe('JSON Merge Patch (RFC 7386 appendix A)', () => {
  const vectors: [unknown, unknown, unknown][] = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  it('gives every example’s result and leaves the target unchanged', () => {
    for (const [target, patch, result] of vectors) {
      const before = JSON.stringify(target);
      expect(mergePatch(target, patch)).toEqual(result);
      expect(JSON.stringify(target)).toBe(before);
    }
  });
  it('refuses a field that would reach a prototype', () => {
    expect(() => mergePatch({}, JSON.parse('{"__proto__": {"polluted": 1}}'))).toThrow(/__proto__: not a field/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('lesson Markdown subset', () => {
  it('parses paragraphs, lists and inline marks into data', () => {
    expect(parseLessonMarkdown('One **bold** and *it* with `N(d1)`.\nSame paragraph.\n\n- a\n- b [pfhedge](https://github.com/pfnet-research/pfhedge)\n\n1. first\n2. second')).toEqual([
      {
        kind: 'paragraph',
        inlines: [
          { kind: 'text', text: 'One ' },
          { kind: 'strong', text: 'bold' },
          { kind: 'text', text: ' and ' },
          { kind: 'em', text: 'it' },
          { kind: 'text', text: ' with ' },
          { kind: 'code', text: 'N(d1)' },
          { kind: 'text', text: '. Same paragraph.' },
        ],
      },
      { kind: 'list', ordered: false, items: [[{ kind: 'text', text: 'a' }], [{ kind: 'text', text: 'b ' }, { kind: 'link', text: 'pfhedge', href: 'https://github.com/pfnet-research/pfhedge' }]] },
      { kind: 'list', ordered: true, items: [[{ kind: 'text', text: 'first' }], [{ kind: 'text', text: 'second' }]] },
    ]);
  });
  it('keeps markup it does not know, and links that are not https, as text', () => {
    expect(parseInlines('<img src=x onerror=alert(1)> [x](javascript:alert(1))')).toEqual([{ kind: 'text', text: '<img src=x onerror=alert(1)> [x](javascript:alert(1))' }]);
  });
});

describe('answers from the student’s results', () => {
  const run = (rows: [string, Partial<Metrics>][]) => ({ strategies: rows.map(([id, m]) => ({ id, label: id.toUpperCase(), metrics: metrics(m) })) });

  it('best: the strategy with the lowest (highest) metric, among those named', () => {
    const evidence: LessonEvidence = { runs: { 0: run([['no-hedge', { std: 0.03, avg_r: -2 }], ['bs-delta', { std: 0.004, avg_r: -0.1 }], ['deep-mlp', { std: 0.002, avg_r: -0.5 }]]) }, comparisons: {} };
    const a = answerOf({ kind: 'best', prompt: 'p', metric: 'std', order: 'lowest', among: ['no-hedge', 'bs-delta'] }, 0, evidence);
    expect(a).toEqual({ ok: true, options: [{ id: 'no-hedge', label: 'NO-HEDGE' }, { id: 'bs-delta', label: 'BS-DELTA' }], correct: 'bs-delta', values: [{ label: 'NO-HEDGE', value: 0.03 }, { label: 'BS-DELTA', value: 0.004 }] });
    expect(answerOf({ kind: 'best', prompt: 'p', metric: 'std', order: 'lowest' }, 0, evidence)).toMatchObject({ correct: 'deep-mlp' });
    expect(answerOf({ kind: 'best', prompt: 'p', metric: 'avg_r', order: 'highest' }, 0, evidence)).toMatchObject({ correct: 'bs-delta' });
    expect(answerOf({ kind: 'best', prompt: 'p', metric: 'std', order: 'lowest', among: ['bs-delta', 'sac'] }, 0, evidence)).toEqual({ ok: false, waiting: expect.stringMatching(/no strategy "sac"/) });
    expect(answerOf({ kind: 'best', prompt: 'p', metric: 'std', order: 'lowest' }, 1, evidence)).toEqual({ ok: false, waiting: expect.stringMatching(/^run this step/) });
  });

  it('change: lower, about the same within the tolerance, or higher than step `since`', () => {
    const q = (tolerance: number) => ({ kind: 'change' as const, prompt: 'p', metric: 'cost' as const, strategy: 'bs-delta', since: 1, tolerance });
    const evidence = (after: number): LessonEvidence => ({ runs: { 0: run([['bs-delta', { cost: 0.01 }]]), 2: run([['bs-delta', { cost: after }]]) }, comparisons: {} });
    expect(answerOf(q(0.05), 2, evidence(0.008))).toMatchObject({ correct: 'lower', values: [{ label: 'step 1', value: 0.01 }, { label: 'this step', value: 0.008 }] });
    expect(answerOf(q(0.05), 2, evidence(0.0104))).toMatchObject({ correct: 'same' });
    expect(answerOf(q(0.01), 2, evidence(0.0104))).toMatchObject({ correct: 'higher' });
    expect(answerOf(q(0.05), 1, { runs: { 1: run([['bs-delta', {}]]) }, comparisons: {} })).toEqual({ ok: false, waiting: 'run step 1 first: this question compares with its run' });
  });

  it('scaling: the log-log slope picks the choice that holds it, or the nearest', () => {
    expect(slope([0, 1, 2], [1, 3, 5])).toBeCloseTo(2, 12);
    const cells = [5, 20, 80].map((n) => ({ params: { 'market.steps': n }, strategies: [{ id: 'bs-delta', metrics: metrics({ std: 0.02 / Math.sqrt(n) }) }] }));
    const choices = [
      { label: 'same', min: -0.2, max: 0.2 },
      { label: 'sqrt', min: -0.75, max: -0.2 },
      { label: 'linear', min: -1.5, max: -0.75 },
    ];
    const q = { kind: 'scaling' as const, prompt: 'p', metric: 'std' as const, strategy: 'bs-delta', axis: 'market.steps', choices };
    const a = answerOf(q, 0, { runs: {}, comparisons: { 0: { cells } } });
    expect(a.ok && a.correct).toBe('sqrt');
    expect(a.ok && a.slope).toBeCloseTo(-0.5, 10);
    const steep = cells.map((c, i) => ({ ...c, strategies: [{ id: 'bs-delta', metrics: metrics({ std: 0.02 / (5 * 4 ** i) ** 3 }) }] }));
    expect(answerOf(q, 0, { runs: {}, comparisons: { 0: { cells: steep } } })).toMatchObject({ correct: 'linear' });
    expect(answerOf(q, 0, { runs: {}, comparisons: { 0: { cells: cells.slice(0, 1) } } })).toMatchObject({ ok: false });
  });
});

describe('lesson links', () => {
  const custom = (): Lesson => {
    const r = parseLesson(teacherLesson());
    if (!r.ok) throw new Error(r.errors.join('; '));
    return r.lesson;
  };

  it('names a bundled lesson by its id and carries a teacher’s whole', () => {
    const bundled = BUNDLED_LESSONS[0]!;
    expect(lessonFragment(bundled)).toBe(`lesson=${bundled.id}`);
    expect(decodeLessonLink(lessonParam(`#${lessonFragment(bundled)}`)!)).toEqual({ ok: true, lesson: bundled, bundled: true });
    const fragment = lessonFragment(custom());
    expect(fragment).toMatch(/^lesson=C/);
    expect(decodeLessonLink(lessonParam(`#${fragment}`)!)).toEqual({ ok: true, lesson: custom(), bundled: false });
  });

  it('refuses unknown ids, edited links and links to invalid lessons with why', () => {
    expect(decodeLessonLink('no-such-lesson')).toEqual({ ok: false, error: expect.stringMatching(/^no bundled lesson is called "no-such-lesson"; there are delta-hedging, /) });
    const value = lessonFragment(custom()).slice('lesson='.length);
    const edited = value.slice(0, -3) + (value.at(-3) === 'A' ? 'B' : 'A') + value.slice(-2);
    expect(decodeLessonLink(edited)).toEqual({ ok: false, error: expect.stringMatching(/checksum does not match/) });
    const bad = { ...custom(), minutes: 0 };
    const packed = lessonFragment(bad as Lesson).slice('lesson='.length);
    expect(decodeLessonLink(packed)).toEqual({ ok: false, error: expect.stringMatching(/^the link's lesson is invalid: minutes: /) });
    expect(lessonParam('#x=abc')).toBeNull();
  });
});

describe('lesson steps', () => {
  it('load a valid experiment at every step of every bundled lesson, in order', () => {
    expect(new Set(BUNDLED_LESSONS.map((l) => l.id)).size).toBe(BUNDLED_LESSONS.length);
    expect(BUNDLED_LESSONS.length).toBeGreaterThanOrEqual(8);
    for (const lesson of BUNDLED_LESSONS) {
      let current = defaultConfig();
      lesson.steps.forEach((step, i) => {
        const setup = stepExperiment(step, i, current);
        expect(setup.ok, `${lesson.id} step ${i + 1}: ${setup.ok ? '' : setup.error}`).toBe(true);
        if (!setup.ok) return;
        const asked = step.action.kind === 'run' ? withRequirements(setup.experiment, step.action.require) : setup;
        expect(asked.ok).toBe(true);
        if (asked.ok) current = asked.experiment;
        if (step.question?.kind === 'scaling') expect(setup.grid?.[step.question.axis]?.length).toBeGreaterThan(1);
      });
    }
  });

  it('set and check the fields a step asks for, and name a patch that breaks the experiment', () => {
    const cfg = defaultConfig();
    const require = [{ field: 'risk.lambda', value: 3, say: 'Set λ to 3.' }];
    expect(unmetRequirements(cfg, require)).toEqual(['Set λ to 3.']);
    const set = withRequirements(cfg, require);
    expect(set.ok && unmetRequirements(set.experiment, require)).toEqual([]);
    const step = { title: 'Broken', text: 't', setup: { patch: { market: { volatility: -1 } } }, action: { kind: 'read' as const } };
    expect(stepExperiment(step, 2, cfg)).toEqual({ ok: false, error: expect.stringMatching(/^step 3 \("Broken"\): setup\.patch makes an invalid experiment: market\.volatility: /) });
  });
});
