import { type ProcedureOutput } from '@shared/contract';
import { type QueryState } from '../../api/query-cache';

/** The exported YAML (read-only, scrollable, keyboard-reachable) and its warnings. */
export function ExportPreview({
  query,
}: {
  query: QueryState<ProcedureOutput<'blueprints.export'>>;
}) {
  if (query.status === 'error') {
    return (
      <div className="problem" role="alert" data-testid="problem">
        <p className="problem-message">Could not export: {query.error?.message}</p>
      </div>
    );
  }
  if (query.status === 'loading' || query.data === undefined) {
    return <p className="muted export-loading">Writing the blueprint…</p>;
  }
  const { text, warnings } = query.data;
  return (
    <>
      {warnings.length > 0 && (
        <ul className="export-warnings" aria-label="Export warnings" data-testid="export-warnings">
          {warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      )}
      <pre
        className="code-preview"
        tabIndex={0}
        aria-label="Blueprint YAML preview"
        aria-busy={query.refreshing || undefined}
        data-testid="export-preview"
      >
        {text}
      </pre>
    </>
  );
}
