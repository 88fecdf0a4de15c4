import { type BlueprintValue } from '../yaml';

/**
 * What tag resolution needs from the outside world. The importer implements it over the
 * workspace (inside the import transaction, so `!Find` sees objects created by earlier
 * entries of the same file); tests implement it with plain maps.
 */
export interface ResolveScope {
  /** Blueprint context after merging: built-ins ← file `context` ← caller context. */
  readonly context: Readonly<Record<string, BlueprintValue>>;
  /**
   * Values the user supplied explicitly for `!Env NAME` and `!File PATH`. Flowbench never reads
   * the environment or the file system for a blueprint it imports.
   */
  readonly explicit: {
    readonly env: Readonly<Record<string, string>>;
    readonly files: Readonly<Record<string, string>>;
  };
  /** pk of the object made or matched by the earlier entry with that `id`; undefined if none yet. */
  keyOf(id: string): string | number | undefined;
  /** `!Find`: pk of the first object of `model` matching every `[field, value]` pair, or null. */
  find(model: string, filters: ReadonlyArray<readonly [string, unknown]>): string | number | null;
  /** `!FindObject`: the object's API-style data, or null. */
  findObject(
    model: string,
    filters: ReadonlyArray<readonly [string, unknown]>,
  ): Record<string, unknown> | null;
}

/** The resolved form: plain JSON-like data, no tags left. */
export type ResolvedValue =
  null | boolean | number | string | ResolvedValue[] | { [key: string]: ResolvedValue };

export const RESOLVE_ERROR_CODES = [
  'KEYOF_NOT_FOUND',
  'FIND_UNKNOWN_MODEL',
  'FIND_BAD_ARGS',
  'CONTEXT_BAD_ARGS',
  'FORMAT_ERROR',
  'ENV_NEEDS_VALUE',
  'FILE_NEEDS_VALUE',
  'IF_BAD_ARGS',
  'CONDITION_BAD_ARGS',
  'ENUMERATE_BAD_ARGS',
  'INDEX_OUTSIDE_ENUMERATE',
  'ATINDEX_MISSING',
  'ATINDEX_BAD_ARGS',
  'PARSEJSON_INVALID',
  'TAG_BAD_ARGS',
  /** Nesting (collections plus tag evaluations, e.g. a `!Context` value that refers to itself) past MAX_RESOLVE_DEPTH. */
  'RESOLVE_TOO_DEEP',
] as const;
export type ResolveErrorCode = (typeof RESOLVE_ERROR_CODES)[number];

/** A tag that cannot be resolved. `path` is where in the entry (e.g. ['attrs','stage']). */
export class ResolveError extends Error {
  override name = 'ResolveError';
  constructor(
    readonly code: ResolveErrorCode,
    message: string,
    readonly path: ReadonlyArray<string | number> = [],
  ) {
    super(message);
  }
}
