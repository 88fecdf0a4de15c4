import { RpcFailure } from '@shared/contract';
import { type ImportIssue } from '@shared/contract/blueprint-report';
import { MapperError } from '../models';
import { ResolveError } from '../resolve/types';
import {
  type BlueprintEntry,
  type BlueprintParseError,
  type SourcePosition,
  type ValuePath,
  entryFieldPosition,
  formatPath,
} from '../yaml';

/** An entry-level failure the importer raises itself; `path` is relative to the entry. */
export class EntryError extends Error {
  override name = 'EntryError';
  constructor(
    readonly code: string,
    message: string,
    readonly path: ValuePath = [],
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** Where an issue belongs: the file, and the entry when there is one. */
export interface IssueLocation {
  fileName: string;
  entryIndex: number | null;
  model: string | null;
  identifiers: string | null;
  entry?: BlueprintEntry;
}

const HINTS: Record<string, string> = {
  // YAML codec
  'too-large': 'The file is larger than the import size limit; split it into several blueprints or raise the limit.',
  'too-many-nodes': 'The file has more YAML nodes than the import limit; split it or raise the limit.',
  'too-deep': 'The YAML nests deeper than any blueprint needs; check the file is really a blueprint.',
  'alias-limit': 'YAML aliases expand to too much data (an "alias bomb"); remove the repeated aliases.',
  'invalid-alias': 'Fix the alias: it must refer to an anchor (&name) defined earlier and outside itself.',
  'invalid-encoding': 'Save the file as UTF-8.',
  'invalid-character': 'Remove the control character at that position; authentik refuses such files too.',
  syntax: 'Fix the YAML syntax at that line and column.',
  'multiple-documents': 'Keep one YAML document per file (remove the second `---`).',
  'invalid-merge': 'A `<<` merge key takes a mapping or a list of mappings.',
  'unknown-tag': "Use one of authentik's tags (!KeyOf, !Find, !Context, !Format, !If, …) or plain YAML.",
  'invalid-tag': 'Give the tag the arguments authentik expects (see the message).',
  'invalid-scalar': 'Write the value as plain YAML or quote it.',
  'non-string-key': 'Quote the key: authentik blueprints only have string keys.',
  'reserved-key': 'Rename the keys: a mapping of exactly `$tag` and `value`/`args` is reserved.',
  'invalid-version': 'Set `version: 1` at the top of the file.',
  'invalid-structure': 'Give the file the blueprint shape: `version: 1`, optional `metadata`/`context`, and `entries`.',
  // importer
  'forbidden-key': 'Rename or remove the key; `__proto__` is never a field of an authentik model.',
  'invalid-model': 'Write `model` as `app_label.model_name`, e.g. `authentik_flows.flow`.',
  'unknown-model': 'Check the spelling of `model` against authentik\'s model list (e.g. `authentik_flows.flow`).',
  'invalid-state': 'Use one of present, created, must_created, absent.',
  'invalid-conditions': 'Write `conditions` as a list of values or tags.',
  'no-identifiers': 'Add `identifiers` that find the object, e.g. `slug` for a flow or `name` for a stage.',
  'invalid-identifier-field': 'Use fields the model has (or `pk`) as identifiers.',
  'invalid-attrs': 'Write `attrs` as a mapping of field names to values.',
  'invalid-value': 'Fix the value in the file; the message says what the field accepts.',
  'not-found': 'Create the referenced object in an earlier entry (or import the blueprint that has it first).',
  conflict: 'Another object already has that name, slug or pk: change the identifiers to match it, or rename one of them.',
  'in-use': 'Remove the reference first (another entry or object still uses it), or keep the object.',
  'must-created-exists': 'Use `state: present` to update the existing object, or remove the existing object first.',
  'meta-blueprint-missing': 'Import the required blueprint first (or earlier in the same import), or set `required: false`.',
  'invalid-meta': 'Give `attrs.identifiers` (`name:` or `path:` of the blueprint) and optionally `required: true|false`.',
  'password-unresolvable':
    'Write the password as plain text, or with !Context/!Env/!File/!Format tags whose values are given to the import; !KeyOf and !Find cannot be used for passwords.',
  unsupported: 'Change the entry so Flowbench can represent it (see the message).',
  'store-error': 'The workspace file could not be written; check that no other program holds it, then retry.',
  internal: 'This is a Flowbench bug; please report it with the file that caused it.',
  // resolver
  KEYOF_NOT_FOUND: 'Give the referenced entry that `id` and put it before this entry in the file.',
  FIND_UNKNOWN_MODEL: "Check the model name in !Find against authentik's model list.",
  FIND_BAD_ARGS: 'Write !Find as [model, [field, value], …] with plain fields of the model.',
  CONTEXT_BAD_ARGS: 'Write !Context as `!Context key` or `!Context [key, default]`.',
  FORMAT_ERROR: 'Make the !Format arguments match the %-placeholders of the format string.',
  ENV_NEEDS_VALUE:
    'Flowbench never reads this machine\'s environment for an imported blueprint: give the variable a value explicitly (--context env:NAME=value, or the import dialog).',
  FILE_NEEDS_VALUE:
    'Flowbench never reads this machine\'s files for an imported blueprint: give the file\'s contents explicitly (--context file:PATH=value, or the import dialog).',
  RESOLVE_TOO_DEEP: 'Simplify the nesting of tags and values; authentik would fail on it too.',
  IF_BAD_ARGS: 'Write !If as [condition] or [condition, when_true, when_false].',
  CONDITION_BAD_ARGS: 'Write !Condition as [AND|NAND|OR|NOR|XOR|XNOR, value, …].',
  ENUMERATE_BAD_ARGS: 'Write !Enumerate as [iterable, SEQ|MAP, body].',
  INDEX_OUTSIDE_ENUMERATE: 'Use !Index and !Value only inside an !Enumerate body.',
  ATINDEX_MISSING: 'Give !AtIndex a default as third argument, or use an index/key that exists.',
  ATINDEX_BAD_ARGS: 'Write !AtIndex as [object, index_or_key] or [object, index_or_key, default].',
  PARSEJSON_INVALID: 'Give !ParseJSON valid JSON text.',
  TAG_BAD_ARGS: 'Give the tag the arguments authentik expects (see the message).',
};

export function hintFor(code: string): string {
  return HINTS[code] ?? 'Fix the entry as the message says.';
}

/** The nearest recorded position at or above `path` inside the entry. */
function positionIn(entry: BlueprintEntry | undefined, path: ValuePath): SourcePosition | undefined {
  if (!entry) return undefined;
  for (let length = path.length; length >= 0; length--) {
    const found = entryFieldPosition(entry, path.slice(0, length));
    if (found) return found;
  }
  return undefined;
}

export function makeIssue(location: IssueLocation, code: string, message: string, path: ValuePath | null, hint?: string): ImportIssue {
  const position = path ? positionIn(location.entry, path) : positionIn(location.entry, []);
  return {
    fileName: location.fileName,
    entryIndex: location.entryIndex,
    model: location.model,
    identifiers: location.identifiers,
    path: path && path.length > 0 ? formatPath(path) : null,
    line: position?.line ?? null,
    column: position?.column ?? null,
    code,
    message,
    hint: hint ?? hintFor(code),
  };
}

/** A YAML codec failure as an import issue (no entry, or the entry the codec named). */
export function parseIssue(fileName: string, error: BlueprintParseError): ImportIssue {
  return {
    fileName,
    entryIndex: error.entryIndex ?? null,
    model: null,
    identifiers: null,
    path: error.path && error.path.length > 0 ? formatPath(error.path) : null,
    line: error.position?.line ?? null,
    column: error.position?.column ?? null,
    code: error.code,
    message: error.message,
    hint: hintFor(error.code),
  };
}

const RPC_CODES: Record<string, string> = {
  INVALID_INPUT: 'invalid-value',
  NOT_FOUND: 'not-found',
  CONFLICT: 'conflict',
  IN_USE: 'in-use',
  STORE_ERROR: 'store-error',
};

/**
 * Turn whatever an entry threw into an issue. `fieldSource` says whether a model field came from
 * the entry's `identifiers` or its `attrs`, so a service's `config.backends` becomes
 * `attrs.backends`.
 */
export function issueFromError(
  location: IssueLocation,
  error: unknown,
  fieldSource: (field: string) => 'identifiers' | 'attrs',
): ImportIssue {
  if (error instanceof EntryError) return makeIssue(location, error.code, error.message, error.path, error.hint);
  if (error instanceof ResolveError) return makeIssue(location, error.code, error.message, error.path);
  if (error instanceof MapperError) {
    const path = error.field ? [fieldSource(error.field), error.field] : [];
    return makeIssue(location, error.code, error.message, path);
  }
  if (error instanceof RpcFailure) {
    const code = RPC_CODES[error.code] ?? 'internal';
    const raw = (error.issues?.[0]?.path ?? []).filter((s) => s !== 'patch');
    const relative = raw[0] === 'config' ? raw.slice(1) : raw;
    const field = relative[0];
    const path = typeof field === 'string' ? [fieldSource(field), ...relative] : [];
    return makeIssue(location, code, error.message, path);
  }
  const message = error instanceof Error ? error.message : String(error);
  return makeIssue(location, 'internal', `Unexpected failure: ${message}`, null);
}

/** "file.yaml:12:5: entry 3 (authentik_flows.flow slug=x), attrs.designation: … (hint)". */
export function formatIssue(issue: ImportIssue): string {
  const where = [issue.fileName, issue.line, issue.column].filter((part) => part !== null).join(':');
  const parts: string[] = [];
  if (issue.entryIndex !== null) {
    const subject = [issue.model, issue.identifiers].filter(Boolean).join(' ');
    parts.push(subject ? `entry ${issue.entryIndex + 1} (${subject})` : `entry ${issue.entryIndex + 1}`);
  }
  if (issue.path) parts.push(issue.path);
  const prefix = parts.length > 0 ? `${parts.join(', ')}: ` : '';
  return `${where}: ${prefix}${issue.message} — ${issue.hint}`;
}
