/** Python source, read-only, with line numbers; `highlightLine` (1-based) is marked as the error line. */
export function ExpressionSource({
  source,
  highlightLine,
}: {
  source: string;
  highlightLine: number | null;
}) {
  const lines = source.replace(/\n$/, '').split('\n');
  const width = String(lines.length).length;
  return (
    <div className="code-block" data-testid="expression-source">
      <pre className="code-lines" aria-label="Expression source">
        {lines.map((line, index) => {
          const number = index + 1;
          const marked = number === highlightLine;
          return (
            <span
              key={number}
              className={marked ? 'code-line is-error' : 'code-line'}
              data-line={number}
              data-testid={marked ? 'expression-error-line' : undefined}
              title={marked ? 'The error of the last test points here' : undefined}
            >
              <span className="code-line-number" aria-hidden="true">
                {String(number).padStart(width)}
              </span>
              <code className="code-line-text">{line === '' ? ' ' : line}</code>
            </span>
          );
        })}
      </pre>
    </div>
  );
}
