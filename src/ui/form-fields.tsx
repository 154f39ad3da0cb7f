/**
 * The form's inputs: a labelled text box for numbers (kept as typed), a select, and a checkbox, each
 * with its validation messages right underneath and linked by aria-describedby; and a bare cell input for
 * tables (options grid, correlation matrix), whose messages the table lists under the row.
 */
import { useId, type ReactNode } from 'react';
import { useLab } from './lab-store';

function FieldErrors({ id, errors }: { id: string; errors: string[] | undefined }) {
  if (!errors?.length) return null;
  return (
    <span className="field-error" id={id} role="alert">
      {errors.join('; ')}
    </span>
  );
}

/** Messages for one field key (see form-draft.ts). */
export function useFieldErrors(name: string): string[] | undefined {
  return useLab((s) => s.check.fieldErrors[name]);
}

/** A text box whose value is kept exactly as typed; numbers are parsed by the form draft. */
function TextBox(props: {
  name: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  hint?: string;
  inputMode?: 'numeric' | 'decimal';
  wide?: boolean;
  placeholder?: string;
}) {
  const id = useId();
  const errors = useFieldErrors(props.name);
  return (
    <label className={`field${props.wide ? ' wide' : ''}${errors ? ' invalid' : ''}`} title={props.hint}>
      <span className="field-label">{props.label}</span>
      <input
        type="text"
        inputMode={props.inputMode}
        spellCheck={props.inputMode ? false : undefined}
        autoComplete={props.inputMode ? 'off' : undefined}
        name={props.name}
        value={props.value}
        placeholder={props.placeholder}
        aria-invalid={errors ? true : undefined}
        aria-describedby={errors ? `${id}-error` : undefined}
        onChange={(e) => props.onChange(e.target.value)}
      />
      <FieldErrors id={`${id}-error`} errors={errors} />
    </label>
  );
}

/** A date typed as yyyy-mm-dd (kept as typed; the schema checks it). */
export function DateField(props: { name: string; label: ReactNode; value: string; onChange: (value: string) => void; hint?: string }) {
  return <TextBox {...props} placeholder="yyyy-mm-dd" />;
}

/** A numeric setting of a model's panel (forecaster, generator): its schema path under the model's settings, label, hint and kind. */
export interface SettingLabel {
  path: string;
  label: string;
  hint: string;
  integer?: boolean;
}

export function NumberField(props: {
  name: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  hint?: string;
  integer?: boolean;
  wide?: boolean;
}) {
  const { integer, ...rest } = props;
  return <TextBox {...rest} inputMode={integer ? 'numeric' : 'decimal'} />;
}

export function TextField(props: { name: string; label: ReactNode; value: string; onChange: (value: string) => void; hint?: string }) {
  return <TextBox {...props} wide />;
}

export function SelectField<T extends string>(props: {
  name: string;
  label: ReactNode;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
  hint?: string;
  wide?: boolean;
}) {
  const id = useId();
  const errors = useFieldErrors(props.name);
  return (
    <label className={`field${props.wide ? ' wide' : ''}${errors ? ' invalid' : ''}`} title={props.hint}>
      <span className="field-label">{props.label}</span>
      <select
        name={props.name}
        value={props.value}
        aria-describedby={errors ? `${id}-error` : undefined}
        onChange={(e) => props.onChange(e.target.value as T)}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldErrors id={`${id}-error`} errors={errors} />
    </label>
  );
}

export function CheckboxField(props: { name: string; label: ReactNode; checked: boolean; onChange: (checked: boolean) => void; hint?: string }) {
  return (
    <label className="checkbox" title={props.hint}>
      <input type="checkbox" name={props.name} checked={props.checked} onChange={(e) => props.onChange(e.target.checked)} />
      <span>{props.label}</span>
    </label>
  );
}

/**
 * A number typed into a table cell: named by its schema path like every field (its messages are keyed so),
 * labelled for assistive technology by `label`, marked invalid when its field has messages.
 */
export function CellInput(props: { name: string; label: string; value: string; onChange: (value: string) => void; integer?: boolean; readOnly?: boolean }) {
  const errors = useFieldErrors(props.name);
  return (
    <input
      type="text"
      className={`cell-input${errors ? ' invalid' : ''}`}
      inputMode={props.integer ? 'numeric' : 'decimal'}
      spellCheck={false}
      autoComplete="off"
      name={props.name}
      aria-label={props.label}
      aria-invalid={errors ? true : undefined}
      title={errors?.join('; ')}
      value={props.value}
      readOnly={props.readOnly}
      onChange={(e) => props.onChange(e.target.value)}
    />
  );
}

/** The messages of several cells' fields, each introduced by what the cell is, for the line under a table row. */
export function CellErrors({ cells }: { cells: { name: string; label: string }[] }) {
  const messages = useLab((s) => cells.flatMap((c) => (s.check.fieldErrors[c.name] ?? []).map((m) => `${c.label}: ${m}`)).join('; '));
  if (!messages) return null;
  return (
    <span className="field-error" role="alert">
      {messages}
    </span>
  );
}
