/**
 * Keeps the address bar's fragment equal to the experiment on the form (share-link.ts: `#x=...`), so the
 * URL *is* the experiment, as in TensorFlow Playground's state.ts. A link that fails to decode leaves the
 * default experiment on the form, and the link itself with its reason in `linkError`, shown as a banner (the
 * address bar moves on to the default experiment, so the banner is where the link can still be copied).
 */
import { decodeExperiment, experimentFragment } from '../engine/experiment/share-link';
import { defaultConfig } from '../engine/experiment/presets';
import type { Experiment } from '../engine/experiment/schema';

/** A link that could not be opened: the whole address as it was opened, and why. */
export interface RefusedLink {
  link: string;
  reason: string;
}

export interface LinkedExperiment {
  config: Experiment;
  /** The link and why it was refused, or null when there was none or it decoded. */
  refused: RefusedLink | null;
}

/** The experiment a location hash of this page asks for; an empty hash means the default experiment. */
export function experimentFromHash(hash: string): LinkedExperiment {
  if (hash.replace(/^#/, '') === '') return { config: defaultConfig(), refused: null };
  const decoded = decodeExperiment(hash);
  if (decoded.ok) return { config: decoded.value, refused: null };
  const { origin, pathname, search } = window.location;
  return { config: defaultConfig(), refused: { link: `${origin}${pathname}${search}${hash}`, reason: decoded.error } };
}

/** Writes `cfg` into the fragment without adding a history entry (and without firing hashchange). */
export function writeExperimentToUrl(cfg: Experiment): void {
  const hash = `#${experimentFragment(cfg)}`;
  if (window.location.hash !== hash) window.history.replaceState(window.history.state, '', hash);
}
