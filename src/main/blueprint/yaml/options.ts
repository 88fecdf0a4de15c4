/** Limits and switches for parsing. Every limit exists so a hostile file fails fast and small. */
export interface ParseOptions {
  /** Largest accepted input, in UTF-8 bytes. Default 10 MiB. */
  maxBytes?: number;
  /**
   * Most YAML nodes (scalars, collections, aliases) accepted. Default 100 000: about 1 MB of
   * typical blueprint YAML (some 5 000 entries) and at most a second or two of parsing, where
   * authentik's own largest blueprints have a few hundred nodes. Raise it for whole-instance
   * exports; the `yaml` package costs about 10 µs and a kilobyte of heap per node.
   */
  maxNodes?: number;
  /**
   * Deepest accepted nesting of collections and tags. Default 256. PyYAML itself gives up
   * (RecursionError) around 450 levels, so no file authentik accepts is refused here.
   */
  maxDepth?: number;
  /** Most nodes that aliases and merge keys may expand to, in total. Default 100 000. */
  maxAliasNodes?: number;
  /** Record source positions of entries and fields. Default true. */
  positions?: boolean;
  /** Keep comments and blank lines so serialization can write them back. Default true. */
  comments?: boolean;
  /**
   * A key written twice in one mapping. PyYAML silently keeps the last value, which hides typos
   * that change a flow's behaviour, so Flowbench refuses it by default ('error'); 'warn' accepts
   * the file as authentik would, with a warning.
   */
  duplicateKeys?: 'error' | 'warn';
}

export type ResolvedParseOptions = Required<ParseOptions>;

export const DEFAULT_PARSE_OPTIONS: ResolvedParseOptions = {
  maxBytes: 10 * 1024 * 1024,
  maxNodes: 100_000,
  maxDepth: 256,
  maxAliasNodes: 100_000,
  positions: true,
  duplicateKeys: 'error',
  comments: true,
};

export function resolveParseOptions(options: ParseOptions | undefined): ResolvedParseOptions {
  const resolved = { ...DEFAULT_PARSE_OPTIONS };
  if (!options) return resolved;
  for (const key of ['maxBytes', 'maxNodes', 'maxDepth', 'maxAliasNodes'] as const) {
    const value = options[key];
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) resolved[key] = value;
  }
  if (typeof options.positions === 'boolean') resolved.positions = options.positions;
  if (typeof options.comments === 'boolean') resolved.comments = options.comments;
  if (options.duplicateKeys === 'warn' || options.duplicateKeys === 'error') resolved.duplicateKeys = options.duplicateKeys;
  return resolved;
}

export interface SerializeOptions {
  /** Write the comments kept by the parser. Default true. */
  comments?: boolean;
}
