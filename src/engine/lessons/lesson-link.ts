/**
 * Lesson links: `#lesson=<id>` opens a bundled lesson by its id; `#lesson=<packed>` carries a whole lesson a
 * teacher wrote, packed as experiment links are (share-link.ts: JSON, lz-string, checksum) and validated
 * by the lesson schema on the way in. A packed value starts with an upper-case tag, an id never does.
 */
import { packLinkValue, unpackLinkValue } from '../experiment/share-link';
import { BUNDLED_LESSONS } from './bundled-lessons';
import { parseLesson, type Lesson } from './lesson-schema';

export const LESSON_PARAM = 'lesson';

export type LessonLink = { ok: true; lesson: Lesson; bundled: boolean } | { ok: false; error: string };

/** The fragment (without '#') of `lesson`: its id if it is bundled unchanged, else the whole lesson. */
export function lessonFragment(lesson: Lesson): string {
  const bundled = BUNDLED_LESSONS.find((l) => l.id === lesson.id);
  const same = bundled !== undefined && JSON.stringify(bundled) === JSON.stringify(lesson);
  return `${LESSON_PARAM}=${same ? lesson.id : packLinkValue(lesson)}`;
}

/** The value of `lesson=` in a location hash, or null when it names none. */
export function lessonParam(hash: string): string | null {
  for (const part of hash.replace(/^#/, '').split('&')) {
    if (part.startsWith(`${LESSON_PARAM}=`)) return part.slice(LESSON_PARAM.length + 1);
  }
  return null;
}

export function decodeLessonLink(value: string): LessonLink {
  if (/^[a-z0-9][a-z0-9-]*$/.test(value)) {
    const bundled = BUNDLED_LESSONS.find((l) => l.id === value);
    return bundled ? { ok: true, lesson: bundled, bundled: true } : { ok: false, error: `no bundled lesson is called "${value}"; there are ${BUNDLED_LESSONS.map((l) => l.id).join(', ')}` };
  }
  const unpacked = unpackLinkValue(value, 'lesson');
  if (!unpacked.ok) return unpacked;
  const parsed = parseLesson(unpacked.data);
  if (!parsed.ok) return { ok: false, error: `the link's lesson is invalid: ${parsed.errors.slice(0, 3).join('; ')}` };
  return { ok: true, lesson: parsed.lesson, bundled: false };
}
