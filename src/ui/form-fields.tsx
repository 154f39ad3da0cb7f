/**
 * The form's inputs: a labelled text box for numbers (kept as typed), a select, and a checkbox, each
 * with its validation messages right underneath and linked by aria-describedby.
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
function useFieldErrors(name: string): string[] | undefined {
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
        aria-invalid={errors ? true : undefined}
        aria-describedby={errors ? `${id}-error` : undefined}
        onChange={(e) => props.onChange(e.target.value)}
      />
      <FieldErrors id={`${id}-error`} errors={errors} />
    </label>
  );
}

export function NumberField(props: {
  name: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  hint?: string;
  integer?: boolean;
}) {
  const { integer, ...rest } = props;
  return <TextBox {...rest} inputMode={integer ? 'numeric' : 'decimal'} />;
}

export function TextField(props: { name: string; label: ReactNode; value: string; onChange: (value: string) => void }) {
  return <TextBox {...props} wide />;
}

export function SelectField<T extends string>(props: {
  name: string;
  label: ReactNode;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
  hint?: string;
}) {
  const id = useId();
  const errors = useFieldErrors(props.name);
  return (
    <label className={`field${errors ? ' invalid' : ''}`} title={props.hint}>
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
