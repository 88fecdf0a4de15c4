import { type FileReport } from '@shared/contract';
import { issueLocation } from '../../lib/import-report';
import { Badge } from '../common/Badge';
import { EntryTable } from './EntryTable';
import { VersionGuess } from './VersionGuess';

/** One file of an import report: what it is, which authentik it targets, its entries. */
export function FileReportView({ file }: { file: FileReport }) {
  return (
    <section
      className="file-report"
      aria-label={`Report for ${file.name}`}
      data-testid="file-report"
    >
      <header className="file-report-header">
        <div className="file-report-heading">
          <h3 className="file-report-title">{file.metadataName ?? file.name}</h3>
          <p className="mono muted break-anywhere">{file.name}</p>
        </div>
        {file.ok ? (
          <Badge tone="success">no errors</Badge>
        ) : (
          <Badge tone="danger">has errors</Badge>
        )}
      </header>
      <VersionGuess guess={file.versionGuess} />
      {file.warnings.length > 0 && (
        <ul className="file-warnings" aria-label="File warnings" data-testid="file-warnings">
          {file.warnings.map((warning, index) => (
            <li key={index}>
              <span className="mono">
                {issueLocation({ fileName: file.name, line: warning.line, column: warning.column })}
              </span>{' '}
              {warning.message}
            </li>
          ))}
        </ul>
      )}
      <EntryTable entries={file.entries} />
    </section>
  );
}
