/**
 * Keeps the address bar's fragment equal to the experiment on the form (share-link.ts: `#x=...`), so the
 * URL *is* the experiment, as in TensorFlow Playground's state.ts. A link that fails to decode leaves the
 * default experiment on the form, and the link itself with its reason in `linkError`, shown as a banner (the
 * address bar moves on to the default experiment, so the banner is where the link can still be copied). A
 * link made before links carried a checksum opens, with a note that it could not be verified.
 */
import { decodeExperiment, experimentFragment } from '../engine/experiment/share-link';
import { lessonParam } from '../engine/lessons/lesson-link';
import { defaultConfig } from '../engine/experiment/presets';
import type { Experiment } from '../engine/experiment/schema';

/**
 * What the page says about the link it was opened with: `refused`, the whole address as it was opened and
 * why (the default experiment is shown instead); `unverified`, opened, but it carries no checksum.
 */
export type LinkNotice = { kind: 'refused'; link: string; reason: string } | { kind: 'unverified'; link: string };

export interface LinkedExperiment {
  config: Experiment;
  /** Null when there was no link, or it decoded and its checksum matched. */
  notice: LinkNotice | null;
}

/** The experiment a location hash of this page asks for; an empty hash means the default experiment. */
export function experimentFromHash(hash: string): LinkedExperiment {
  // A lesson link (`#lesson=...`) carries no experiment: its steps load theirs (lesson-store.ts).
  if (hash.replace(/^#/, '') === '' || isLessonHash(hash)) return { config: defaultConfig(), notice: null };
  const decoded = decodeExperiment(hash);
  const { origin, pathname, search } = window.location;
  const link = `${origin}${pathname}${search}${hash}`;
  if (decoded.ok) return { config: decoded.value, notice: decoded.unverified ? { kind: 'unverified', link } : null };
  return { config: defaultConfig(), notice: { kind: 'refused', link, reason: decoded.error } };
}

/** A lesson's link: `lesson=` and no experiment beside it. */
export function isLessonHash(hash: string): boolean {
  return lessonParam(hash) !== null && !/(^#?|&)x=/.test(hash);
}

/** Writes `cfg` into the fragment without adding a history entry (and without firing hashchange). */
export function writeExperimentToUrl(cfg: Experiment): void {
  const hash = `#${experimentFragment(cfg)}`;
  if (window.location.hash !== hash) window.history.replaceState(window.history.state, '', hash);
}
