import { Document, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import type { SerializeOptions } from './options';
import { DOCUMENT_COMMENT_KEY, commentKey, type CommentRole } from './source-map';
import { isTagNode } from './tags';
import {
  DOCUMENT_FIELDS,
  ENTRY_FIELDS,
  type BlueprintDocument,
  type BlueprintEntry,
  type BlueprintValue,
  type CommentMap,
  type PathSegment,
} from './types';
import { outputTags } from './yaml-output';

const ENTRY_FIELD_SET: ReadonlySet<string> = new Set(ENTRY_FIELDS);
const DOCUMENT_FIELD_SET: ReadonlySet<string> = new Set(DOCUMENT_FIELDS);

/** Builds `yaml` nodes for one comment scope (the document, or one entry). */
class NodeBuilder {
  private readonly ancestors = new Set<object>();

  constructor(private readonly comments: CommentMap | undefined) {}

  attach(node: Node, role: CommentRole, path: readonly PathSegment[]): void {
    const found = this.comments?.[commentKey(role, path)];
    if (!found) return;
    if (found.before !== undefined) node.commentBefore = found.before;
    if (found.after !== undefined) node.comment = found.after;
    if (found.spaceBefore) node.spaceBefore = true;
  }

  key(text: string, path: readonly PathSegment[]): Scalar {
    const key = new Scalar(text);
    this.attach(key, 'key', path);
    return key;
  }

  value(value: BlueprintValue, path: PathSegment[], inFlow: boolean): Node {
    const node = this.bare(value, path, inFlow);
    this.attach(node, 'value', path);
    return node;
  }

  private bare(value: BlueprintValue, path: PathSegment[], inFlow: boolean): Node {
    if (value === null || typeof value !== 'object') {
      const scalar = new Scalar(value);
      // Multi-line text (Python expressions, templates) reads best as a `|` block.
      if (typeof value === 'string' && value.includes('\n') && !inFlow)
        scalar.type = Scalar.BLOCK_LITERAL;
      return scalar;
    }
    if (this.ancestors.has(value)) throw new TypeError(`Cyclic value at ${JSON.stringify(path)}`);
    this.ancestors.add(value);
    try {
      if (isTagNode(value)) {
        if ('value' in value) {
          const scalar = new Scalar(value.value);
          scalar.tag = `!${value.$tag}`;
          return scalar;
        }
        // Tag arguments are written in flow style, as authentik's own files do.
        const seq = new YAMLSeq();
        seq.tag = `!${value.$tag}`;
        seq.flow = true;
        seq.items = value.args.map((arg, index) => this.bare(arg, [...path, index], true));
        return seq;
      }
      if (Array.isArray(value)) {
        const seq = new YAMLSeq();
        // Empty collections read best inline: `conditions: []`.
        seq.flow = inFlow || value.length === 0;
        seq.items = value.map((item, index) => this.value(item, [...path, index], inFlow));
        return seq;
      }
      const map = new YAMLMap();
      const keys = Object.keys(value);
      map.flow = inFlow || keys.length === 0;
      for (const key of keys) {
        const childPath = [...path, key];
        map.items.push(
          new Pair(
            this.key(key, childPath),
            this.value(value[key] as BlueprintValue, childPath, inFlow),
          ),
        );
      }
      return map;
    } finally {
      this.ancestors.delete(value);
    }
  }
}

/** Written order: the recorded order for keys still present, then the rest in canonical order. */
function orderKeys(keyOrder: readonly string[] | undefined, present: readonly string[]): string[] {
  const presentSet = new Set(present);
  const ordered = (keyOrder ?? []).filter((key) => presentSet.has(key));
  const placed = new Set(ordered);
  return [...ordered, ...present.filter((key) => !placed.has(key))];
}

function entryNode(entry: BlueprintEntry, withComments: boolean): YAMLMap {
  const builder = new NodeBuilder(withComments ? entry.comments : undefined);
  const fields: Record<string, BlueprintValue | undefined> = {
    model: entry.model,
    state: entry.state,
    id: entry.id,
    identifiers: entry.identifiers,
    conditions: entry.conditions,
    attrs: entry.attrs,
    permissions: entry.permissions as BlueprintValue[] | undefined,
  };
  const extra = entry.extra ?? {};
  const present = [
    ...ENTRY_FIELDS.filter((field) => fields[field] !== undefined),
    ...Object.keys(extra).filter((key) => !ENTRY_FIELD_SET.has(key)),
  ];
  const map = new YAMLMap();
  for (const key of orderKeys(entry.keyOrder, present)) {
    const value = (ENTRY_FIELD_SET.has(key) ? fields[key] : extra[key]) as BlueprintValue;
    map.items.push(new Pair(builder.key(key, [key]), builder.value(value, [key], false)));
  }
  builder.attach(map, 'value', []);
  return map;
}

/** Groups entries by section in the document's section order (see README: sections). */
function sectionGroups(
  document: BlueprintDocument,
  sections: readonly string[],
): Map<string, BlueprintEntry[]> {
  const groups = new Map<string, BlueprintEntry[]>(sections.map((name) => [name, []]));
  const fallback = sections[sections.length - 1] ?? 'entries';
  for (const entry of document.entries) {
    const name = entry.section ?? fallback;
    const group = groups.get(name);
    if (group) group.push(entry);
    else groups.set(name, [entry]);
  }
  return groups;
}

function entriesNode(
  document: BlueprintDocument,
  builder: NodeBuilder,
  withComments: boolean,
): Node {
  const entrySeq = (entries: readonly BlueprintEntry[], path: PathSegment[]): YAMLSeq => {
    const seq = new YAMLSeq();
    seq.items = entries.map((entry) => entryNode(entry, withComments));
    builder.attach(seq, 'value', path);
    return seq;
  };
  if (!document.sections) return entrySeq(document.entries, ['entries']);
  const map = new YAMLMap();
  for (const [name, entries] of sectionGroups(document, document.sections)) {
    map.items.push(
      new Pair(builder.key(name, ['entries', name]), entrySeq(entries, ['entries', name])),
    );
  }
  builder.attach(map, 'value', ['entries']);
  return map;
}

/**
 * Writes a blueprint as YAML that authentik's loader reads back to the same document: tags as
 * tags, keys in their recorded order, 2-space indentation, no folding of long lines, `|` blocks
 * for multi-line strings, entries as a list or as sections like the source, and the comments
 * the parser kept. Throws a TypeError only for values outside `BlueprintValue` (e.g. cycles).
 */
export function serializeBlueprintDocument(
  document: BlueprintDocument,
  options: SerializeOptions = {},
): string {
  const withComments = options.comments ?? true;
  const comments = withComments ? document.comments : undefined;
  const builder = new NodeBuilder(comments);
  const extra = document.extra ?? {};
  const fields: Record<string, BlueprintValue | undefined> = {
    version: document.version,
    metadata: document.metadata as BlueprintValue | undefined,
    context: document.context,
  };
  const present = [
    ...DOCUMENT_FIELDS.filter((field) => field === 'entries' || fields[field] !== undefined),
    ...Object.keys(extra).filter((key) => !DOCUMENT_FIELD_SET.has(key)),
  ];

  const root = new YAMLMap();
  for (const key of orderKeys(document.keyOrder, present)) {
    const value =
      key === 'entries'
        ? entriesNode(document, builder, withComments)
        : builder.value(
            (DOCUMENT_FIELD_SET.has(key) ? fields[key] : extra[key]) as BlueprintValue,
            [key],
            false,
          );
    root.items.push(new Pair(builder.key(key, [key]), value));
  }
  builder.attach(root, 'value', []);

  const doc = new Document(null, { schema: 'core', customTags: outputTags });
  doc.contents = root;
  const around = comments?.[DOCUMENT_COMMENT_KEY];
  if (around?.before !== undefined) doc.commentBefore = around.before;
  if (around?.after !== undefined) doc.comment = around.after;
  return doc.toString({
    indent: 2,
    indentSeq: true,
    lineWidth: 0,
    minContentWidth: 0,
    flowCollectionPadding: false,
    blockQuote: 'literal',
    doubleQuotedMinMultiLineLength: Number.MAX_SAFE_INTEGER,
    nullStr: 'null',
    trueStr: 'true',
    falseStr: 'false',
  });
}
