function show(value: unknown): string {
  if (typeof value === 'string') return value === '' ? '""' : value;
  return JSON.stringify(value);
}

/** A policy's config as key/value rows (read-only; the kind's defaults are already applied). */
export function PolicyConfigTable({ config }: { config: Record<string, unknown> }) {
  const entries = Object.entries(config);
  if (entries.length === 0) return <p className="muted">This kind has no settings.</p>;
  return (
    <div className="table-scroll">
      <table className="table" data-testid="policy-config-table">
        <thead>
          <tr>
            <th scope="col">Setting</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {entries.map(([key, value]) => (
            <tr key={key}>
              <td className="mono nowrap">{key}</td>
              <td className="mono config-value">{show(value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
