import { type ReactNode, useEffect, useRef } from 'react';
import { type PolicyTestResult } from '@shared/contract';
import { Badge } from '../common/Badge';

const OUTCOMES: Record<PolicyTestResult['outcome'], string | null> = {
  returned: null,
  policy_exception: 'raised: failure result used',
  crash: 'could not run',
  timeout: 'timed out',
};

const LEVEL_TONES = { debug: 'neutral', info: 'accent', warning: 'warning', error: 'danger' } as const;

/** The trace of one policy test: verdict, messages, log lines, print output, error, notes. */
export function PolicyTestResultView({ result }: { result: PolicyTestResult }) {
  const who = result.user.is_anonymous ? 'AnonymousUser' : result.user.username;
  const outcome = OUTCOMES[result.outcome];
  const root = useRef<HTMLDivElement>(null);
  // Every new result comes into view: the form above it may fill the pane.
  useEffect(() => {
    root.current?.scrollIntoView({ block: 'nearest' });
  }, [result]);
  return (
    <div className="policy-result" data-testid="policy-test-result" aria-live="polite" ref={root}>
      <div className="policy-result-head">
        <span
          className={result.passing ? 'verdict verdict-pass' : 'verdict verdict-fail'}
          data-testid="policy-test-verdict"
        >
          {result.passing ? 'PASS' : 'FAIL'}
        </span>
        <span className="policy-result-facts">
          <span>
            raw result <code className="mono">{JSON.stringify(result.raw_result)}</code>
          </span>
          {outcome && <Badge tone="warning">{outcome}</Badge>}
          <span>{result.duration_ms.toFixed(1)} ms</span>
          <span>
            as {who}, IP {result.request.ip}
          </span>
        </span>
      </div>
      {result.expressions_unavailable && (
        <p className="callout callout-warning" data-testid="policy-test-unavailable">
          The Python expression runtime is not available in this build: expression policies
          always fail here, so this result says nothing about the expression itself.
        </p>
      )}
      {result.error !== null && !result.expressions_unavailable && (
        <p className="callout callout-danger" data-testid="policy-test-error">
          <strong>{result.error_line !== null ? `Error on line ${result.error_line}` : 'Error'}:</strong>{' '}
          <span className="mono">{result.error}</span>
        </p>
      )}
      <TraceBlock title="Messages" empty="No messages.">
        {result.messages.length > 0 && (
          <ul className="trace-list" data-testid="policy-test-messages">
            {result.messages.map((message, index) => (
              <li key={index}>{message}</li>
            ))}
          </ul>
        )}
      </TraceBlock>
      <TraceBlock title="Log" empty="No log lines.">
        {result.logs.length > 0 && (
          <ul className="trace-list trace-logs" data-testid="policy-test-logs">
            {result.logs.map((log, index) => (
              <li key={index}>
                <Badge tone={LEVEL_TONES[log.level]}>{log.level}</Badge>
                <span className="mono">{log.message}</span>
              </li>
            ))}
          </ul>
        )}
      </TraceBlock>
      <TraceBlock title="Output (print)" empty="Nothing printed.">
        {result.output !== '' && (
          <pre className="trace-output" data-testid="policy-test-output">
            {result.output}
          </pre>
        )}
      </TraceBlock>
      {result.notes.length > 0 && (
        <TraceBlock title="Notes" empty="">
          <ul className="trace-list">
            {result.notes.map((note, index) => (
              <li key={index}>{note}</li>
            ))}
          </ul>
        </TraceBlock>
      )}
    </div>
  );
}

function TraceBlock({
  title,
  empty,
  children,
}: {
  title: string;
  empty: string;
  children: ReactNode;
}) {
  return (
    <div className="trace-block">
      <h3 className="trace-title">{title}</h3>
      {children || <p className="muted trace-empty">{empty}</p>}
    </div>
  );
}
