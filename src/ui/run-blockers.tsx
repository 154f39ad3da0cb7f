/**
 * Why Run (or Run comparison) waits, in plain sight beside the button: every field error named by its label
 * as the form shows it, in the form's order, each a button that scrolls to its field (opening a folded form
 * section first) and focuses it; then the reasons that name no field: an error of the whole experiment, price
 * data not loaded yet, no backend yet.
 */
import { useLayoutEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { DraftCheck } from './form-draft';
import { useLab, type LabState } from './lab-store';
import { dataNeed } from './price-data';

/** What the data market on the form still needs before it can run, or null. */
export function dataWaitingFor(s: LabState): string | null {
  const need = dataNeed(s.check.config, s.data);
  return need.status === 'waiting' ? need.message : null;
}

/** How many errors the form shows: one per field in error, and each error of the whole experiment. */
export function formErrorCount(check: DraftCheck): number {
  return Object.keys(check.fieldErrors).length + check.otherErrors.length;
}

/** What a valid form still waits for: its price data, a backend. */
function pendingReasons(s: LabState): string[] {
  const reasons: string[] = [];
  const waiting = dataWaitingFor(s);
  if (waiting !== null) reasons.push(waiting);
  if (s.backend.active === null) {
    if (s.backend.error) reasons.push('No backend: the one chosen failed to start (see above).');
    else reasons.push(s.backend.measuring ? 'The lab is timing a few training steps on each backend to pick the faster (once in this browser)…' : 'The lab is starting its backend…');
  }
  return reasons;
}

/** The reasons that name no field, in the order a person deals with them. */
const otherReasons = (s: LabState): string[] => [...s.check.otherErrors, ...pendingReasons(s)];

/** How many things keep a run of the form's experiment from starting (0: it can start). */
export function blockerCount(s: LabState): number {
  return formErrorCount(s.check) + pendingReasons(s).length;
}

/**
 * The control where field `key` is fixed: the one named so; else the first of its group ("strategies" → the
 * first row, "market.correlation" → its first cell); else that of the group above ("strategies.3.type" → the
 * row's tick box, "market.data.file" → the data's source).
 */
function fieldControl(key: string): HTMLElement | null {
  for (let k: string | null = key; k !== null; k = k.includes('.') ? k.slice(0, k.lastIndexOf('.')) : null) {
    const name = CSS.escape(k);
    const control = document.querySelector<HTMLElement>(`[name="${name}"]`) ?? document.querySelector<HTMLElement>(`[name^="${name}."]`);
    if (control) return control;
  }
  return null;
}

/** The field in words: "Strategies › Deep hedger (MLP) › Batch size", or its group's words where it has no control of its own. */
function fieldWords(key: string, control: HTMLElement): string {
  const group = control.closest('fieldset')?.querySelector('legend')?.textContent ?? control.closest('section')?.querySelector('h2')?.textContent ?? '';
  const strategyRow = /^strategies\.\d+(\.|$)/.test(key) ? control.closest('.strategy-row') : null;
  const row = strategyRow?.querySelector('[name$=".enabled"]')?.closest('label')?.textContent ?? '';
  const own =
    control.getAttribute('name') !== key
      ? ''
      : (control.closest('label')?.querySelector('.field-label')?.textContent ?? control.getAttribute('aria-label') ?? control.closest('label')?.textContent ?? '');
  return [group, row, own].filter(Boolean).join(' › ') || key;
}

/** Opens every folded section around the field's control, scrolls it to the middle of the window and focuses it. */
export function goToField(key: string): void {
  const control = fieldControl(key);
  if (!control) return;
  for (let d = control.closest('details'); d; d = d.parentElement?.closest('details') ?? null) d.open = true;
  control.scrollIntoView({ block: 'center' });
  control.focus({ preventScroll: true });
}

interface FieldEntry {
  key: string;
  words: string;
}

/** The erroneous fields in the order the page shows them, with their words (read from the page once it has rendered). */
function useFieldEntries(keys: string[]): FieldEntry[] {
  const [entries, setEntries] = useState<FieldEntry[]>([]);
  useLayoutEffect(() => {
    const found = keys.map((key) => ({ key, control: fieldControl(key) }));
    const placed = (c: HTMLElement | null, other: HTMLElement | null) =>
      !c || !other || c === other ? 0 : c.compareDocumentPosition(other) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
    found.sort((a, b) => placed(a.control, b.control));
    const next = found.map(({ key, control }) => ({ key, words: control ? fieldWords(key, control) : key }));
    setEntries((prev) => (JSON.stringify(prev) === JSON.stringify(next) ? prev : next));
  });
  return entries.filter((e) => keys.includes(e.key));
}

/** `action`: the button's name ("Run"); `reasons`: what else holds it (a run in the other tab). */
export function RunBlockers(props: { action: string; reasons?: string[]; testId: string }) {
  const check = useLab((s) => s.check);
  const others = useLab(useShallow(otherReasons));
  const entries = useFieldEntries(Object.keys(check.fieldErrors));
  const reasons = [...(props.reasons ?? []), ...others];
  if (entries.length === 0 && reasons.length === 0) return null;
  return (
    <div className="run-blockers" data-testid={props.testId} role="status">
      <span className="run-blockers-title">{props.action} is disabled:</span>
      <ul>
        {entries.map(({ key, words }) => (
          <li key={key}>
            <button type="button" className="field-link" data-field={key} onClick={() => goToField(key)}>
              <strong>{words}</strong>: {check.fieldErrors[key]?.join('; ')}
            </button>
          </li>
        ))}
        {reasons.map((r) => (
          <li key={r} className="reason">
            {r}
          </li>
        ))}
      </ul>
    </div>
  );
}
