import { useId } from 'react';
import { FieldMessage } from './FieldMessage';

interface TextFieldProps {
  label: string;
  value: string;
  onChange(value: string): void;
  name: string;
  error?: string | undefined;
  hint?: string;
  type?: 'text' | 'email' | 'password' | 'url';
  /** Focused when its dialog opens (see Dialog). */
  autoFocus?: boolean;
  autoComplete?: string;
  placeholder?: string;
  monospace?: boolean;
  required?: boolean;
}

export function TextField({
  label,
  value,
  onChange,
  name,
  error,
  hint,
  type = 'text',
  monospace,
  required,
  autoFocus,
  ...rest
}: TextFieldProps) {
  const id = useId();
  const messageId = `${id}-message`;
  return (
    <div className="field">
      <span className="field-label-row">
        <label className="field-label" htmlFor={id}>
          {label}
        </label>
        {required && (
          <span className="field-required" aria-hidden="true" title="Required">
            *
          </span>
        )}
      </span>
      <input
        id={id}
        name={name}
        type={type}
        className={monospace ? 'input input-mono' : 'input'}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error || hint ? messageId : undefined}
        aria-required={required || undefined}
        data-testid={`field-${name}`}
        spellCheck={false}
        data-autofocus={autoFocus || undefined}
        {...rest}
      />
      <FieldMessage id={messageId} error={error} hint={hint} />
    </div>
  );
}
