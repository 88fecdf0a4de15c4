import { useId } from 'react';
import { FieldMessage } from './FieldMessage';

interface TextAreaFieldProps {
  label: string;
  value: string;
  onChange(value: string): void;
  name: string;
  error?: string | undefined;
  hint?: string;
  rows?: number;
  monospace?: boolean;
  placeholder?: string;
}

/** A multi-line text field (JSON, source); same label, error and hint layout as TextField. */
export function TextAreaField({
  label,
  value,
  onChange,
  name,
  error,
  hint,
  rows = 4,
  monospace,
  placeholder,
}: TextAreaFieldProps) {
  const id = useId();
  const messageId = `${id}-message`;
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <textarea
        id={id}
        name={name}
        rows={rows}
        className={monospace ? 'input textarea input-mono' : 'input textarea'}
        value={value}
        placeholder={placeholder}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error || hint ? messageId : undefined}
        data-testid={`field-${name}`}
        spellCheck={false}
      />
      <FieldMessage id={messageId} error={error} hint={hint} />
    </div>
  );
}
