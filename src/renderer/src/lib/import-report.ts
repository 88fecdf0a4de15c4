import { type EntryAction, type ImportIssue, type ImportReport } from '@shared/contract';

/** What each entry action means, as a badge says it. */
export const actionLabels: Record<EntryAction, string> = {
  created: 'created',
  updated: 'updated',
  unchanged: 'unchanged',
  deleted: 'deleted',
  skipped: 'skipped',
  'kept-verbatim': 'kept verbatim',
  meta: 'meta',
  error: 'error',
};

/** The longer explanation behind each badge (its tooltip). */
export const actionHints: Record<EntryAction, string> = {
  created: 'A new object in the workspace.',
  updated: 'An existing object whose fields change.',
  unchanged: 'An existing object that already matches.',
  deleted: 'state: absent removes the existing object.',
  skipped: 'Not applied (a condition was false, or an optional requirement is missing).',
  'kept-verbatim': 'A model Flowbench does not edit: kept as written and written back on export.',
  meta: 'A blueprint instruction (e.g. apply another blueprint), not an object.',
  error: 'This entry cannot be imported; see the problems above.',
};

type Totals = ImportReport['totals'];

const totalKeys: readonly [keyof Totals, EntryAction][] = [
  ['created', 'created'],
  ['updated', 'updated'],
  ['unchanged', 'unchanged'],
  ['deleted', 'deleted'],
  ['skipped', 'skipped'],
  ['keptVerbatim', 'kept-verbatim'],
  ['meta', 'meta'],
  ['errors', 'error'],
];

/** The non-zero counts of a report, in a stable order. */
export function totalsByAction(totals: Totals): { action: EntryAction; count: number }[] {
  return totalKeys
    .map(([key, action]) => ({ action, count: totals[key] }))
    .filter(({ count }) => count > 0);
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export function countEntries(count: number): string {
  return `${count} ${count === 1 ? 'entry' : 'entries'}`;
}

/** "12 entries: 9 created, 2 kept verbatim, 1 skipped" */
export function describeTotals(totals: Totals): string {
  const parts = totalsByAction(totals).map(
    ({ action, count }) => `${count} ${actionLabels[action]}`,
  );
  const head = countEntries(totals.entries);
  return parts.length > 0 ? `${head}: ${parts.join(', ')}` : head;
}

/** What the notice says once an import committed. */
export function importedSentence(report: ImportReport): string {
  const names = report.files.map((file) => file.metadataName ?? file.name);
  const what = names.length === 1 ? `“${names[0]}”` : plural(names.length, 'blueprint');
  return `Imported ${what}: ${describeTotals(report.totals)}.`;
}

/** `file.yaml:12:5`, as far as the issue is located. */
export function issueLocation(issue: Pick<ImportIssue, 'fileName' | 'line' | 'column'>): string {
  if (issue.line === null) return issue.fileName;
  return issue.column === null
    ? `${issue.fileName}:${issue.line}`
    : `${issue.fileName}:${issue.line}:${issue.column}`;
}

/** ">=2024.4" → "≥ 2024.4"; "any" → "any version". */
export function versionRange(range: string): string {
  if (range === 'any') return 'any version';
  return range.replace(/>=\s*/g, '≥ ').replace(/<=\s*/g, '≤ ');
}

/** `authentik_flows.flowstagebinding` → `flowstagebinding`. */
export function modelShortName(model: string): string {
  const dot = model.lastIndexOf('.');
  return dot >= 0 ? model.slice(dot + 1) : model;
}
