import { useId } from 'react';
import { FieldMessage } from './FieldMessage';

export interface Option {
  readonly value: string;
  readonly label: string;
}

interface SelectFieldProps {
  label: string;
  value: string;
  options: readonly Option[];
  onChange(value: string): void;
  name: string;
  error?: string | undefined;
  hint?: string;
}

export function SelectField({
  label,
  value,
  options,
  onChange,
  name,
  error,
  hint,
}: SelectFieldProps) {
  const id = useId();
  const messageId = `${id}-message`;
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <select
        id={id}
        name={name}
        className="input select"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error || hint ? messageId : undefined}
        data-testid={`field-${name}`}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <FieldMessage id={messageId} error={error} hint={hint} />
    </div>
  );
}
