import { type ImportIssue } from '@shared/contract';
import { issueLocation } from '../../lib/import-report';

function entryLabel(issue: ImportIssue): string | null {
  if (issue.entryIndex === null) return null;
  const what = [issue.model, issue.identifiers].filter(Boolean).join(' ');
  return what ? `entry ${issue.entryIndex} · ${what}` : `entry ${issue.entryIndex}`;
}

/** Every error of a report, located (file:line:column, entry, field) with what to do. */
export function ImportIssueList({ issues }: { issues: readonly ImportIssue[] }) {
  return (
    <section className="issue-list" aria-label="Problems" data-testid="import-issues">
      <h3 className="issue-list-title">Problems</h3>
      <ol className="issue-items">
        {issues.map((issue, index) => {
          const entry = entryLabel(issue);
          return (
            <li key={index} className="issue" data-testid="import-issue">
              <p className="issue-where">
                <span className="mono issue-location" data-testid="issue-location">
                  {issueLocation(issue)}
                </span>
                {entry && <span className="issue-entry break-anywhere">{entry}</span>}
                {issue.path && <span className="mono issue-path">{issue.path}</span>}
                <span className="mono issue-code">{issue.code}</span>
              </p>
              <p className="issue-message break-anywhere">{issue.message}</p>
              {issue.hint && <p className="issue-hint break-anywhere">{issue.hint}</p>}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
