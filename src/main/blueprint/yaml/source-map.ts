import type {
  BlueprintDocument,
  BlueprintEntry,
  NodeComments,
  PathSegment,
  SourcePosition,
  ValuePath,
} from './types';

/** Stable key for a path inside a record (paths may hold any characters, so JSON it is). */
export function pathKey(path: ValuePath): string {
  return JSON.stringify(path);
}

/**
 * `pathKey([...parentPath, segment])` from `pathKey(parentPath)`: a path key is its segments'
 * JSON joined by commas in brackets, so a child's key extends its parent's.
 */
export function childPathKey(parentKey: string, segment: PathSegment): string {
  const encoded = JSON.stringify(segment);
  return parentKey === '[]' ? `[${encoded}]` : `${parentKey.slice(0, -1)},${encoded}]`;
}

export type CommentRole = 'key' | 'value';

/** Key of a node's comments in a CommentMap; `''` is the document itself. */
export function commentKey(role: CommentRole, path: ValuePath): string {
  return `${role === 'key' ? 'k' : 'v'}:${pathKey(path)}`;
}

export const DOCUMENT_COMMENT_KEY = '';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `['attrs', 'designation']` → `attrs.designation`; odd keys are quoted, indexes bracketed. */
export function formatPath(path: ValuePath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** Position of a field inside an entry, e.g. `['attrs', 'designation']`, when it was recorded. */
export function entryFieldPosition(
  entry: BlueprintEntry,
  path: ValuePath,
): SourcePosition | undefined {
  if (!entry.source) return undefined;
  if (path.length === 0) return entry.source.position;
  return entry.source.fields[pathKey(path)];
}

/** Copy of a document without source positions, e.g. to compare two parses of different text. */
export function stripSource(document: BlueprintDocument): BlueprintDocument {
  const { source: _source, ...rest } = document;
  return {
    ...rest,
    entries: document.entries.map((entry) => {
      const { source: _entrySource, ...entryRest } = entry;
      return entryRest;
    }),
  };
}

// Positions are recorded down to this depth and up to this count: enough for error messages
// about entries and their fields without a map entry per node of a huge file.
const MAX_POSITION_DEPTH = 8;
const MAX_POSITIONS = 200_000;

export interface RecordedComment {
  role: CommentRole;
  path: PathSegment[];
  comments: NodeComments;
}

interface CommentCarrier {
  commentBefore?: string | null;
  comment?: string | null;
  spaceBefore?: boolean;
}

export function readComments(node: CommentCarrier): NodeComments | undefined {
  // Most nodes carry none: answer without allocating.
  if (!node.commentBefore && !node.comment && !node.spaceBefore) return undefined;
  const comments: NodeComments = {};
  if (node.commentBefore) comments.before = node.commentBefore;
  if (node.comment) comments.after = node.comment;
  if (node.spaceBefore) comments.spaceBefore = true;
  return Object.keys(comments).length > 0 ? comments : undefined;
}

/** Collects positions and comments while the composer walks the document. */
export class SourceRecorder {
  readonly positions = new Map<string, { path: PathSegment[]; position: SourcePosition }>();
  readonly comments: RecordedComment[] = [];

  constructor(
    private readonly withPositions: boolean,
    private readonly withComments: boolean,
  ) {}

  /** Whether a position for `path`, whose `pathKey` is `key`, would be kept (the first one is). */
  wantsPosition(path: readonly PathSegment[], key: string): boolean {
    return (
      this.withPositions &&
      path.length <= MAX_POSITION_DEPTH &&
      this.positions.size < MAX_POSITIONS &&
      !this.positions.has(key)
    );
  }

  /** `key` is `pathKey(path)`, when the caller has it already. */
  position(path: PathSegment[], position: SourcePosition, key = pathKey(path)): void {
    if (this.wantsPosition(path, key)) this.positions.set(key, { path, position });
  }

  comment(role: CommentRole, path: PathSegment[], node: CommentCarrier): void {
    if (!this.withComments) return;
    const comments = readComments(node);
    if (comments) this.comments.push({ role, path, comments });
  }
}
