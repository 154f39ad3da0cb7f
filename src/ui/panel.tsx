/**
 * A titled group of form fields (a fieldset), optionally with one line that says what the group means.
 * On a phone-width screen the group folds into a <details> section whose summary opens it (styles.css,
 * "Phone width"); wider screens keep every group open and show the fieldset's legend as the title.
 */
import { useState, type ReactNode } from 'react';
import { usePhoneWidth } from './phone-width';

/** `openOnPhone`: the section starts open on a phone too (the others start folded, so the charts come first). */
export function Panel(props: { title: string; children: ReactNode; note?: string; openOnPhone?: boolean }) {
  const phone = usePhoneWidth();
  const [open, setOpen] = useState(() => !phone || props.openOnPhone === true);
  const shown = open || !phone;
  return (
    <details className="panel-section" open={shown} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="panel-summary">{props.title}</summary>
      <fieldset className="panel">
        <legend>{props.title}</legend>
        {props.note && <p className="panel-note">{props.note}</p>}
        <div className="panel-fields">{props.children}</div>
      </fieldset>
    </details>
  );
}
