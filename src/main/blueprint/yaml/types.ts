/**
 * The data model of a parsed blueprint: plain JSON-like values plus authentik's YAML tags as
 * structured nodes. Everything here is plain data (no classes), so documents can be cloned,
 * compared with deep equality, sent over IPC and stored as JSON.
 */

/** authentik's custom YAML tags (`BlueprintLoader` in authentik/blueprints/v1/common.py). */
export const TAG_NAMES = [
  'KeyOf',
  'Find',
  'FindObject',
  'Context',
  'Format',
  'Env',
  'File',
  'If',
  'Condition',
  'Enumerate',
  'Index',
  'Value',
  'AtIndex',
  'ParseJSON',
] as const;
export type TagName = (typeof TAG_NAMES)[number];

/** Tags written on a scalar: `!KeyOf flow`. PyYAML hands these the raw text, never a typed value. */
export type ScalarFormTagName =
  'KeyOf' | 'Context' | 'Env' | 'File' | 'Index' | 'Value' | 'ParseJSON';
/** Tags written on a sequence: `!Find [model, [field, value]]`. */
export type SequenceFormTagName =
  | 'Find'
  | 'FindObject'
  | 'Context'
  | 'Format'
  | 'Env'
  | 'File'
  | 'If'
  | 'Condition'
  | 'Enumerate'
  | 'AtIndex';

/** `!KeyOf flow` → `{ $tag: 'KeyOf', value: 'flow' }`. */
export interface TagScalarNode {
  $tag: ScalarFormTagName;
  value: string;
}

/** `!Find [a.b, [slug, x]]` → `{ $tag: 'Find', args: ['a.b', ['slug', 'x']] }`; args may hold tags. */
export interface TagSequenceNode {
  $tag: SequenceFormTagName;
  args: BlueprintValue[];
}

export type TagNode = TagScalarNode | TagSequenceNode;

/** A YAML mapping. Parsed mappings have a null prototype so keys like `__proto__` stay plain data. */
export interface BlueprintMapping {
  [key: string]: BlueprintValue;
}

export type BlueprintValue =
  null | boolean | number | string | BlueprintValue[] | BlueprintMapping | TagNode;

/** 1-based line and column, 0-based character offset into the decoded text. */
export interface SourcePosition {
  line: number;
  column: number;
  offset: number;
}

/** One step into a value: a mapping key or a sequence index. */
export type PathSegment = string | number;
export type ValuePath = readonly PathSegment[];

/** Comments and blank lines around one YAML node, as the `yaml` Document API reports them. */
export interface NodeComments {
  before?: string;
  after?: string;
  spaceBefore?: true;
}

/**
 * Comments keyed by `commentKey(role, path)` (see source-map.ts): `k:` for the key node of a
 * pair, `v:` for a value node, followed by the JSON-encoded path. Entry comments use paths
 * relative to the entry, so they travel with it when entries are reordered.
 */
export type CommentMap = Record<string, NodeComments>;

/** Where an entry was written; `fields` is keyed by `pathKey(path)` relative to the entry. */
export interface EntrySource {
  position: SourcePosition;
  fields: Record<string, SourcePosition>;
}

export interface DocumentSource {
  position: SourcePosition;
  /** Positions of document-level paths (entries excluded), keyed by `pathKey(path)`. */
  fields: Record<string, SourcePosition>;
}

export const ENTRY_STATES = ['present', 'created', 'must_created', 'absent'] as const;
export type EntryState = (typeof ENTRY_STATES)[number];

/** The fields authentik's `BlueprintEntry` dataclass reads, in authentik's own order. */
export const ENTRY_FIELDS = [
  'model',
  'state',
  'id',
  'identifiers',
  'conditions',
  'attrs',
  'permissions',
] as const;
export type EntryField = (typeof ENTRY_FIELDS)[number];

export interface BlueprintPermission {
  permission: string | TagNode;
  user?: number | TagNode | null;
  role?: string | TagNode | null;
  /** Keys authentik ignores, kept as written. */
  [key: string]: BlueprintValue | undefined;
}

export interface BlueprintEntry {
  model: string | TagNode;
  state?: EntryState | TagNode;
  conditions?: BlueprintValue[];
  identifiers?: BlueprintMapping;
  attrs?: BlueprintMapping | null;
  id?: string | null;
  permissions?: BlueprintPermission[];
  /** Keys authentik ignores on an entry; kept verbatim and written back. */
  extra?: BlueprintMapping;
  /** Keys in the order they were written. Absent: ENTRY_FIELDS order, then `extra`. */
  keyOrder?: string[];
  /** The section this entry sits in when the document's `entries` is a map of sections. */
  section?: string;
  comments?: CommentMap;
  source?: EntrySource;
}

export interface BlueprintMetadata {
  name: string;
  labels?: Record<string, string>;
  /** Keys authentik ignores, kept as written. */
  [key: string]: BlueprintValue | undefined;
}

export const DOCUMENT_FIELDS = ['version', 'metadata', 'context', 'entries'] as const;

export interface BlueprintDocument {
  version: 1;
  metadata?: BlueprintMetadata | null;
  context?: BlueprintMapping;
  /** All entries in file order; for a sectioned file, sections concatenated in order. */
  entries: BlueprintEntry[];
  /**
   * Present when `entries` was written as a map of named sections (newer authentik): the
   * section names in order, including empty ones. Absent means a plain list.
   */
  sections?: string[];
  /** Top-level keys authentik ignores; kept verbatim and written back. */
  extra?: BlueprintMapping;
  /** Top-level keys in the order they were written. */
  keyOrder?: string[];
  /** Document-level comments (`''` holds the comments before/after the whole document). */
  comments?: CommentMap;
  source?: DocumentSource;
}
