import { type FormEvent } from 'react';
import { type ValueRow } from '../../lib/import-values';
import { ImportValueRow } from './ImportValueRow';

interface ImportValuesFormProps {
  rows: readonly ValueRow[];
  onChange(rows: ValueRow[]): void;
  onValidate(): void;
  pending: boolean;
}

/**
 * Values the files ask for: `!Env` and `!File` (never read from this machine) and `!Context`
 * keys the user may set. Enter or "Validate again" runs the dry run with them.
 */
export function ImportValuesForm({ rows, onChange, onValidate, pending }: ImportValuesFormProps) {
  const update = (index: number, row: ValueRow) =>
    onChange(rows.map((current, i) => (i === index ? row : current)));
  const remove = (index: number) =>
    onChange(
      rows[index]?.custom
        ? rows.filter((_, i) => i !== index)
        : rows.map((current, i) => (i === index ? { ...current, value: '' } : current)),
    );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onValidate();
  };
  return (
    <form className="values-form" onSubmit={submit} noValidate data-testid="import-values">
      <fieldset className="fieldset">
        <legend className="values-title">Values for this import</legend>
        <p className="field-hint">
          Flowbench never reads environment variables or files of this machine for a blueprint it
          imports: give the values here. Context values are read as JSON when they parse (true, 42,
          &quot;text&quot;), else as text; empty ones are left out.
        </p>
        {rows.length > 0 && (
          <ul className="value-rows">
            {rows.map((row, index) => (
              <ImportValueRow
                key={row.custom ? `custom-${index}` : `${row.kind}-${row.name}`}
                row={row}
                onChange={(next) => update(index, next)}
                onRemove={() => remove(index)}
              />
            ))}
          </ul>
        )}
      </fieldset>
      <div className="values-actions">
        <button
          type="button"
          className="button button-small"
          onClick={() =>
            onChange([
              ...rows,
              { kind: 'context', name: '', value: '', needed: false, custom: true },
            ])
          }
        >
          Add a value
        </button>
        <button
          type="submit"
          className="button button-small"
          disabled={pending}
          data-testid="validate-again"
        >
          {pending ? 'Validating…' : 'Validate again'}
        </button>
      </div>
    </form>
  );
}
