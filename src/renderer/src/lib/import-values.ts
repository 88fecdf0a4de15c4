import { type ImportIssue } from '@shared/contract';
import { type JsonValue } from '@shared/model';
import { type BlueprintFile } from './blueprint-files';

/** Where an explicit value goes: `!Context key`, `!Env NAME` or `!File PATH`. */
export type ValueKind = 'context' | 'env' | 'file';

export const valueTags: Record<ValueKind, string> = {
  context: '!Context',
  env: '!Env',
  file: '!File',
};

export interface ValueRow {
  readonly kind: ValueKind;
  readonly name: string;
  readonly value: string;
  /** The last report said the import cannot go on without it. */
  readonly needed: boolean;
  /** Added by the user (name editable) rather than found in the files. */
  readonly custom: boolean;
}

const NEEDS: Partial<Record<string, ValueKind>> = {
  ENV_NEEDS_VALUE: 'env',
  FILE_NEEDS_VALUE: 'file',
};

/** `!Tag name`, `!Tag 'name'` and `!Tag [name, default]` (flow or quoted forms). */
function tagArguments(text: string, tag: string): string[] {
  const pattern = new RegExp(`!${tag}[ \\t]+\\[?[ \\t]*(['"]?)([^\\s'",\\[\\]{}#]+)\\1`, 'g');
  return [...text.matchAll(pattern)].map((match) => match[2] ?? '').filter(Boolean);
}

/** The name an ENV/FILE_NEEDS_VALUE issue is about: its message starts `!Env NAME: …`. */
function nameInMessage(message: string, kind: ValueKind): string | null {
  const tagged = new RegExp(`${valueTags[kind]}\\s+(\\S+?):?(?:\\s|$)`).exec(message);
  if (tagged?.[1]) return tagged[1];
  const quoted = /["'`\u201c]([^"'`\u201d]+)["'`\u201d]/.exec(message);
  return quoted?.[1] ?? null;
}

const keyOf = (kind: ValueKind, name: string) => `${kind}\u0000${name}`;

/**
 * The values rows to offer after a report: every `!Context`, `!Env` and `!File` name the files
 * use, the ones the report says are missing flagged `needed`. What the user typed is kept.
 */
export function suggestValueRows(
  files: readonly BlueprintFile[],
  issues: readonly ImportIssue[],
  current: readonly ValueRow[],
): ValueRow[] {
  const found = new Map<string, { kind: ValueKind; name: string }>();
  const add = (kind: ValueKind, name: string) => found.set(keyOf(kind, name), { kind, name });
  for (const file of files) {
    for (const name of tagArguments(file.text, 'Context')) add('context', name);
    for (const name of tagArguments(file.text, 'Env')) add('env', name);
    for (const name of tagArguments(file.text, 'File')) add('file', name);
  }
  const needed = new Set<string>();
  const neededKinds = new Set<ValueKind>();
  for (const issue of issues) {
    const kind = NEEDS[issue.code];
    if (!kind) continue;
    neededKinds.add(kind);
    const name = nameInMessage(issue.message, kind);
    if (name !== null) {
      add(kind, name);
      needed.add(keyOf(kind, name));
    }
  }
  // A message that quotes no name: every name of that tag may be the one.
  for (const kind of neededKinds) {
    if ([...needed].some((key) => key.startsWith(`${kind}\u0000`))) continue;
    for (const [key, entry] of found) if (entry.kind === kind) needed.add(key);
  }

  const rows: ValueRow[] = [];
  const seen = new Set<string>();
  for (const row of current) {
    const key = keyOf(row.kind, row.name);
    if (!row.custom) seen.add(key);
    rows.push({ ...row, needed: needed.has(key) && row.value === '' });
  }
  for (const [key, { kind, name }] of found) {
    if (seen.has(key) || current.some((row) => row.custom && keyOf(row.kind, row.name) === key))
      continue;
    rows.push({ kind, name, value: '', needed: needed.has(key), custom: false });
  }
  const order: ValueKind[] = ['env', 'file', 'context'];
  return rows.sort((a, b) =>
    a.custom !== b.custom ? (a.custom ? 1 : -1) : order.indexOf(a.kind) - order.indexOf(b.kind),
  );
}

/** A context value as typed: JSON when it parses (true, 42, "text", [1]), else the text. */
function contextValue(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

export interface ImportInput {
  files: BlueprintFile[];
  context: Record<string, JsonValue>;
  env: Record<string, string>;
  fileValues: Record<string, string>;
}

/** The `blueprints.validate` / `blueprints.import` input. Rows left empty are left out. */
export function importInput(
  files: readonly BlueprintFile[],
  rows: readonly ValueRow[],
): ImportInput {
  // Null prototypes: a key named `__proto__` is a key like any other.
  const input: ImportInput = {
    files: [...files],
    context: Object.create(null) as Record<string, JsonValue>,
    env: Object.create(null) as Record<string, string>,
    fileValues: Object.create(null) as Record<string, string>,
  };
  for (const row of rows) {
    const name = row.name.trim();
    if (name === '' || row.value === '') continue;
    if (row.kind === 'context') input.context[name] = contextValue(row.value);
    else if (row.kind === 'env') input.env[name] = row.value;
    else input.fileValues[name] = row.value;
  }
  return input;
}
