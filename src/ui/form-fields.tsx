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

export function NumberField(props: {
  name: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  hint?: string;
  integer?: boolean;
}) {
  const id = useId();
  const errors = useFieldErrors(props.name);
  return (
    <label className={`field${errors ? ' invalid' : ''}`} title={props.hint}>
      <span className="field-label">{props.label}</span>
      <input
        type="text"
        inputMode={props.integer ? 'numeric' : 'decimal'}
        spellCheck={false}
        autoComplete="off"
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

export function TextField(props: { name: string; label: ReactNode; value: string; onChange: (value: string) => void }) {
  const id = useId();
  const errors = useFieldErrors(props.name);
  return (
    <label className={`field wide${errors ? ' invalid' : ''}`}>
      <span className="field-label">{props.label}</span>
      <input
        type="text"
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
