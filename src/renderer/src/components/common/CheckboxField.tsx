import { useId } from 'react';
import { FieldMessage } from './FieldMessage';

interface CheckboxFieldProps {
  label: string;
  checked: boolean;
  onChange(checked: boolean): void;
  name: string;
  error?: string | undefined;
  hint?: string;
}

export function CheckboxField({ label, checked, onChange, name, error, hint }: CheckboxFieldProps) {
  const id = useId();
  const messageId = `${id}-message`;
  return (
    <div className="field field-checkbox">
      <input
        id={id}
        name={name}
        type="checkbox"
        className="checkbox"
        checked={checked}
        onChange={(event) => onChange(event.target.checked)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error || hint ? messageId : undefined}
        data-testid={`field-${name}`}
      />
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <FieldMessage id={messageId} error={error} hint={hint} />
    </div>
  );
}
