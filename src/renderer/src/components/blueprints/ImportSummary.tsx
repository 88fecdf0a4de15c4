import { type ImportReport } from '@shared/contract';
import { countEntries, plural, totalsByAction } from '../../lib/import-report';
import { EntryActionBadge } from './EntryActionBadge';

/** Where an import stands. */
export type ImportStage =
  | 'checking'
  /** The dry run itself could not run (main unreachable, handler missing). */
  | 'call-failed'
  | 'problems'
  | 'import-failed'
  | 'ready';

interface ImportSummaryProps {
  stage: ImportStage;
  fileCount: number;
  report: ImportReport | null;
}

function Sentence({ stage, fileCount, report }: ImportSummaryProps) {
  switch (stage) {
    case 'checking':
      return <p>Checking {plural(fileCount, 'file')}… nothing is written while checking.</p>;
    case 'call-failed':
      return (
        <p className="summary-bad">
          <strong>The files could not be checked. Nothing was imported.</strong>
        </p>
      );
    case 'import-failed':
      return (
        <p className="summary-bad">
          <strong>The import failed. Nothing was imported.</strong> See below what went wrong, then
          validate again.
        </p>
      );
    case 'problems':
      return (
        <p className="summary-bad">
          <strong>{plural(report?.issues.length ?? 0, 'problem')}. Nothing was imported.</strong>{' '}
          Import stays disabled until the dry run has no errors.
        </p>
      );
    case 'ready':
      return (
        <p>
          <strong>Dry run: nothing has been written yet.</strong> Import applies these{' '}
          {countEntries(report?.totals.entries ?? 0)} in one step; if one fails, nothing is
          imported.
        </p>
      );
  }
}

/** The line on top of the import dialog: where things stand, announced as it changes. */
export function ImportSummary(props: ImportSummaryProps) {
  const { stage, report } = props;
  // Errors are listed one by one under the summary; the chips count what the entries do.
  const totals =
    report && stage !== 'checking'
      ? totalsByAction(report.totals).filter(({ action }) => action !== 'error')
      : [];
  return (
    <div
      className={`import-summary import-summary-${stage}`}
      role="status"
      data-testid="import-summary"
      data-stage={stage}
    >
      <Sentence {...props} />
      {totals.length > 0 && (
        <ul className="totals" aria-label="Entries by action">
          {totals.map(({ action, count }) => (
            <li key={action} className="total">
              <strong className="total-count">{count}</strong>
              <EntryActionBadge action={action} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
