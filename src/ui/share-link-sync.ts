/**
 * Keeps the address bar's fragment equal to the experiment on the form (share-link.ts: `#x=...`), so the
 * URL *is* the experiment, as in TensorFlow Playground's state.ts. A link that fails to decode leaves the
 * default experiment on the form and its reason in `linkError`, shown as a banner.
 */
import { decodeExperiment, experimentFragment } from '../engine/experiment/share-link';
import { defaultConfig } from '../engine/experiment/presets';
import type { Experiment } from '../engine/experiment/schema';

export interface LinkedExperiment {
  config: Experiment;
  /** Why the link was refused, or null when there was none or it decoded. */
  error: string | null;
}

/** The experiment a location hash asks for; an empty hash means the default experiment. */
export function experimentFromHash(hash: string): LinkedExperiment {
  if (hash.replace(/^#/, '') === '') return { config: defaultConfig(), error: null };
  const decoded = decodeExperiment(hash);
  return decoded.ok ? { config: decoded.value, error: null } : { config: defaultConfig(), error: decoded.error };
}

/** Writes `cfg` into the fragment without adding a history entry (and without firing hashchange). */
export function writeExperimentToUrl(cfg: Experiment): void {
  const hash = `#${experimentFragment(cfg)}`;
  if (window.location.hash !== hash) window.history.replaceState(window.history.state, '', hash);
}
