import { type ValueKind, type ValueRow, valueTags } from '../../lib/import-values';

interface ImportValueRowProps {
  row: ValueRow;
  onChange(row: ValueRow): void;
  onRemove(): void;
}

const kinds: ValueKind[] = ['context', 'env', 'file'];

/** One explicit value: a name found in the files (fixed) or one the user adds (editable). */
export function ImportValueRow({ row, onChange, onRemove }: ImportValueRowProps) {
  const what = `${valueTags[row.kind]} ${row.name || '(no name)'}`;
  return (
    <li className={row.needed ? 'value-row is-needed' : 'value-row'} data-testid="value-row">
      {row.custom ? (
        <>
          <select
            className="input select value-kind"
            aria-label="Tag"
            value={row.kind}
            onChange={(event) => onChange({ ...row, kind: event.target.value as ValueKind })}
          >
            {kinds.map((kind) => (
              <option key={kind} value={kind}>
                {valueTags[kind]}
              </option>
            ))}
          </select>
          <input
            className="input input-mono"
            aria-label="Name"
            placeholder="Name"
            value={row.name}
            spellCheck={false}
            onChange={(event) => onChange({ ...row, name: event.target.value })}
          />
        </>
      ) : (
        <span className="value-name mono" title={what}>
          <span className="value-tag">{valueTags[row.kind]}</span>{' '}
          <span className="break-anywhere">{row.name}</span>
          {row.needed && <span className="value-needed">needed</span>}
        </span>
      )}
      <input
        className="input input-mono"
        aria-label={`Value for ${what}`}
        aria-invalid={row.needed || undefined}
        placeholder={row.kind === 'context' ? 'Blueprint default' : 'Value'}
        value={row.value}
        spellCheck={false}
        data-testid={`value-${row.kind}-${row.name}`}
        onChange={(event) => onChange({ ...row, value: event.target.value })}
      />
      <button
        type="button"
        className="icon-button"
        aria-label={row.custom ? `Remove ${what}` : `Clear ${what}`}
        title={row.custom ? 'Remove' : 'Clear'}
        onClick={onRemove}
      >
        <span aria-hidden="true">×</span>
      </button>
    </li>
  );
}
