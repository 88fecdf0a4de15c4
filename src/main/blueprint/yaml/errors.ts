import type { SourcePosition, ValuePath } from './types';

/**
 * Every way a blueprint text can be refused. Callers switch on `code`; `message` is for people.
 * The public functions return these as values and never throw them.
 */
export const PARSE_ERROR_CODES = [
  /** Input larger than `maxBytes`. */
  'too-large',
  /** More YAML nodes than `maxNodes`. */
  'too-many-nodes',
  /** Bytes that are not UTF-8. */
  'invalid-encoding',
  /** A character PyYAML's reader refuses (NUL, other C0/C1 controls, lone surrogates, U+FFFE/F). */
  'invalid-character',
  /** The YAML itself does not parse. */
  'syntax',
  /** More than one YAML document; authentik loads exactly one. */
  'multiple-documents',
  /** Nesting deeper than `maxDepth`. */
  'too-deep',
  /** Aliases expand to more nodes than `maxAliasNodes` (billion laughs). */
  'alias-limit',
  /** An alias to an unknown anchor, or to the node that contains it. */
  'invalid-alias',
  /** A `<<` merge key whose value is not a mapping or a list of mappings. */
  'invalid-merge',
  /** A tag that is neither an authentik tag nor a plain YAML type. */
  'unknown-tag',
  /** An authentik tag on the wrong kind of node, or with too few arguments. */
  'invalid-tag',
  /** An explicitly typed scalar PyYAML cannot construct (`!!int x`, `2024-13-45`). */
  'invalid-scalar',
  /** A mapping key that is not a string (`1:`, `yes:`, `null:`, a list). */
  'non-string-key',
  /** A mapping that cannot be told apart from a tag node (`{$tag: KeyOf, value: x}`). */
  'reserved-key',
  /** `version` missing or not 1. */
  'invalid-version',
  /** The document does not have a blueprint's shape (see the message and `path`). */
  'invalid-structure',
  /** The same key twice in one mapping (with the default `duplicateKeys: 'error'`). */
  'duplicate-key',
  /** A bug in this layer or in the `yaml` package; reported rather than thrown. */
  'internal',
] as const;
export type ParseErrorCode = (typeof PARSE_ERROR_CODES)[number];

export const PARSE_WARNING_CODES = [
  /** The same key twice in one mapping; like PyYAML, the last value wins. */
  'duplicate-key',
  /** Something the `yaml` package reads but authentik's PyYAML loader refuses. */
  'pyyaml-incompatible',
  /** An integer beyond 2^53, which JavaScript numbers cannot hold exactly. */
  'precision-loss',
  /** Tag arguments authentik reads past and ignores. */
  'ignored-tag-args',
] as const;
export type ParseWarningCode = (typeof PARSE_WARNING_CODES)[number];

export interface BlueprintParseError {
  code: ParseErrorCode;
  message: string;
  position?: SourcePosition;
  /** Path of the offending value from the document root, when known. */
  path?: ValuePath;
  /** 0-based index of the entry concerned, when the error is about one entry. */
  entryIndex?: number;
}

export interface BlueprintParseWarning {
  code: ParseWarningCode;
  message: string;
  position?: SourcePosition;
  path?: ValuePath;
}

/**
 * Internal control flow only: the layers below `parseBlueprintDocument` throw this to stop at
 * the first fatal problem, and `parseBlueprintDocument` turns it into a returned value.
 */
export class CodecFailure extends Error {
  readonly detail: BlueprintParseError;

  constructor(detail: BlueprintParseError) {
    super(detail.message);
    this.name = 'CodecFailure';
    this.detail = detail;
  }
}

export function fail(
  code: ParseErrorCode,
  message: string,
  extra: Omit<BlueprintParseError, 'code' | 'message'> = {},
): never {
  throw new CodecFailure({ code, message, ...extra });
}

export function formatPosition(position: SourcePosition | undefined): string {
  return position ? `${position.line}:${position.column}` : '?';
}
