import { type EntryReport } from '@shared/contract';
import { modelShortName } from '../../lib/import-report';
import { EntryActionBadge } from './EntryActionBadge';

/** One row per blueprint entry: what importing it does (or, in a dry run, would do). */
export function EntryTable({ entries }: { entries: readonly EntryReport[] }) {
  if (entries.length === 0) return <p className="muted">This file has no entries.</p>;
  return (
    <div className="table-scroll">
      <table className="table entry-table" data-testid="entry-table">
        <thead>
          <tr>
            <th scope="col" className="numeric">
              #
            </th>
            <th scope="col">Model</th>
            <th scope="col">Identifiers</th>
            <th scope="col">Action</th>
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr
              key={entry.index}
              className={entry.action === 'error' ? 'is-error' : undefined}
              data-testid="entry-row"
            >
              <td className="numeric mono">{entry.index}</td>
              <td className="nowrap" title={entry.model}>
                {modelShortName(entry.model)}
              </td>
              <td className="mono break-anywhere entry-identifiers">
                {entry.identifiers || <span className="muted">—</span>}
              </td>
              <td>
                <EntryActionBadge action={entry.action} />
              </td>
              <td className="entry-note">
                {entry.note && <span className="break-anywhere">{entry.note}</span>}
                {entry.warnings.length > 0 && (
                  <ul className="entry-warnings">
                    {entry.warnings.map((warning) => (
                      <li key={warning}>
                        <span className="warning-mark" aria-hidden="true">
                          !
                        </span>
                        <span className="visually-hidden">Warning: </span>
                        {warning}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
