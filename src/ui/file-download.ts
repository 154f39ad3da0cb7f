/**
 * Saving a file from the page: a Blob behind an object URL, clicked through an <a download> (a download is
 * a navigation, which the page's Content-Security-Policy leaves alone; connect-src does not govern it), and
 * the file name stem made from a name a person typed; the names of a run's exported charts and table.
 */
import type { LabState } from './lab-store';

/** Saves `content` (text, or bytes) as the file `name`. */
export function download(name: string, type: string, content: string | ArrayBuffer): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** "Deep hedging a European call, cost 1e-4" -> "deep-hedging-a-european-call-cost-1e-4"; `fallback` if nothing is left. */
export function fileStem(name: string, fallback: string): string {
  return (
    name
      .replace(/[^A-Za-z0-9-]+/g, '-')
      .replace(/^-|-$/g, '')
      .toLowerCase() || fallback
  );
}

/** The experiment the page's charts and table show: the last run's, else the form's ('' when the form is invalid). */
export const shownExperiment = (s: LabState): string => (s.run.config ?? s.check.config)?.name ?? '';

/** An exported part of an experiment: ("Tiny experiment", "pnl", "png") -> "hedgelab-tiny-experiment-pnl.png". */
export function exportFileName(experiment: string, part: string, extension: string): string {
  return `hedgelab-${fileStem(experiment, 'run')}-${part}.${extension}`;
}
