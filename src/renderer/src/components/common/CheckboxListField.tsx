import { useId } from 'react';
import { type Option } from './SelectField';
import { FieldMessage } from './FieldMessage';

interface CheckboxListFieldProps {
  label: string;
  name: string;
  options: readonly Option[];
  value: readonly string[];
  onChange(value: string[]): void;
  error?: string | undefined;
  empty: string;
}

/** Pick several of a list (a user's groups), as a labelled fieldset of checkboxes. */
export function CheckboxListField({
  label,
  name,
  options,
  value,
  onChange,
  error,
  empty,
}: CheckboxListFieldProps) {
  const id = useId();
  const messageId = `${id}-message`;
  const toggle = (option: string, on: boolean) =>
    onChange(on ? [...value, option] : value.filter((v) => v !== option));
  return (
    <fieldset
      className="field fieldset"
      aria-describedby={error ? messageId : undefined}
      data-testid={`field-${name}`}
    >
      <legend className="field-label">{label}</legend>
      {options.length === 0 ? (
        <p className="field-hint">{empty}</p>
      ) : (
        <div className="checkbox-list">
          {options.map((option) => (
            <label key={option.value} className="checkbox-list-item" title={option.label}>
              <input
                type="checkbox"
                className="checkbox"
                checked={value.includes(option.value)}
                onChange={(event) => toggle(option.value, event.target.checked)}
              />
              <span className="truncate">{option.label}</span>
            </label>
          ))}
        </div>
      )}
      <FieldMessage id={messageId} error={error} />
    </fieldset>
  );
}
