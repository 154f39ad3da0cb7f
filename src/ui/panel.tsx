/** A titled group of form fields (a fieldset), optionally with one line that says what the group means. */
import type { ReactNode } from 'react';

export function Panel(props: { title: string; children: ReactNode; note?: string }) {
  return (
    <fieldset className="panel">
      <legend>{props.title}</legend>
      {props.note && <p className="panel-note">{props.note}</p>}
      <div className="panel-fields">{props.children}</div>
    </fieldset>
  );
}
