import { z } from 'zod';
import type { ComposedValue } from './compose';
import { fail, formatPosition } from './errors';
import { commentKey, pathKey, type SourceRecorder } from './source-map';
import { describeEntry } from './describe';
import { isMapping, isTagNode } from './tags';
import {
  ENTRY_FIELDS,
  ENTRY_STATES,
  type BlueprintDocument,
  type BlueprintEntry,
  type BlueprintMapping,
  type BlueprintMetadata,
  type BlueprintValue,
  type CommentMap,
  type PathSegment,
  type SourcePosition,
  type TagNode,
} from './types';

/*
 * The shape authentik's importer accepts after loading (dacite `from_dict` into the `Blueprint`
 * and `BlueprintEntry` dataclasses): the types there are checked, unknown keys are ignored.
 */
const tagNode = z.custom<TagNode>((value) => isTagNode(value), { error: 'must be a YAML tag' });
const mapping = z.custom<BlueprintMapping>((value) => isMapping(value), {
  error: 'must be a mapping',
});
const anyValue = z.custom<BlueprintValue>(() => true);
const stringOrTag = z.union([z.string(), tagNode], { error: 'must be a string or a YAML tag' });

const metadataSchema = z.object({
  name: z.string({ error: 'must be a string' }),
  labels: mapping
    .pipe(z.record(z.string(), z.string({ error: 'must be a string (quote "true"/"false")' })))
    .optional(),
});

const permissionSchema = mapping.pipe(
  z.object({
    permission: stringOrTag,
    user: z
      .union([z.number().int(), tagNode], { error: 'must be a user id or a YAML tag' })
      .nullable()
      .optional(),
    role: stringOrTag.nullable().optional(),
  }),
);

const entrySchema = z.object({
  model: stringOrTag,
  state: z
    .union([z.enum(ENTRY_STATES), tagNode], {
      error: `must be one of ${ENTRY_STATES.join(', ')} or a YAML tag`,
    })
    .optional(),
  conditions: z.array(anyValue, { error: 'must be a list' }).optional(),
  identifiers: mapping.optional(),
  attrs: mapping.nullable().optional(),
  id: z.string({ error: 'must be a string' }).nullable().optional(),
  permissions: z.array(permissionSchema, { error: 'must be a list' }).optional(),
});

const topSchema = z.object({
  metadata: metadataSchema.nullable().optional(),
  context: mapping.optional(),
});

const ENTRY_FIELD_SET: ReadonlySet<string> = new Set(ENTRY_FIELDS);
const TOP_FIELDS: ReadonlySet<string> = new Set(['version', 'metadata', 'context', 'entries']);

interface Located {
  entryIndex: number;
  /** Length of the path prefix that leads to the entry. */
  prefix: number;
}

class StructureBuilder {
  /** Entries written as a list: raw index (`['entries', i]`) → entry index. */
  private readonly listEntryAt = new Map<number, number>();
  /** Entries written in sections: section → raw index (`['entries', section, i]`) → entry index. */
  private readonly sectionEntryAt = new Map<string, Map<number, number>>();
  /** `pathKey` of each entry's raw path, by entry index. */
  private readonly entryKeys: string[] = [];

  constructor(
    private readonly recorder: SourceRecorder | undefined,
    private readonly rootPosition: SourcePosition,
    private readonly keyOrderOf: (mapping: BlueprintMapping) => string[],
  ) {}

  /** Nearest recorded position at or above `path`. */
  positionFor(path: readonly PathSegment[]): SourcePosition {
    for (let length = path.length; length > 0; length--) {
      const found = this.recorder?.positions.get(pathKey(path.slice(0, length)));
      if (found) return found.position;
    }
    return this.rootPosition;
  }

  invalid(path: PathSegment[], message: string, entryIndex?: number): never {
    const position = this.positionFor(path);
    const extra = entryIndex === undefined ? {} : { entryIndex };
    return fail('invalid-structure', `${message} (at ${formatPosition(position)})`, {
      position,
      path,
      ...extra,
    });
  }

  build(root: BlueprintValue): BlueprintDocument {
    if (root === null) this.invalid([], 'The blueprint is empty');
    if (!isMapping(root))
      this.invalid([], 'A blueprint must be a mapping with `version` and `entries`');
    this.checkVersion(root);
    const top = topSchema.safeParse(root);
    if (!top.success) this.reportIssue(top.error.issues, [], root, 'The blueprint');
    if (!('entries' in root)) this.invalid([], 'The blueprint has no `entries`');

    const document: BlueprintDocument = { version: 1, entries: [] };
    const extra: BlueprintMapping = Object.create(null) as BlueprintMapping;
    for (const key of this.keyOrderOf(root)) {
      if (key === 'metadata') document.metadata = root.metadata as BlueprintMetadata | null;
      else if (key === 'context') document.context = root.context as BlueprintMapping;
      else if (!TOP_FIELDS.has(key)) extra[key] = root[key] as BlueprintValue;
    }
    this.buildEntries(root.entries as BlueprintValue, document);
    if (Object.keys(extra).length > 0) document.extra = extra;
    document.keyOrder = this.keyOrderOf(root);
    this.attachSource(document);
    return document;
  }

  private checkVersion(root: BlueprintMapping): void {
    const version = root.version;
    if (version === 1) return;
    const detail = version === undefined ? 'missing' : `got ${JSON.stringify(version)}`;
    const position = this.positionFor(['version']);
    fail(
      'invalid-version',
      `Invalid blueprint version: must be 1, ${detail} (at ${formatPosition(position)})`,
      {
        position,
        path: ['version'],
      },
    );
  }

  private buildEntries(raw: BlueprintValue, document: BlueprintDocument): void {
    if (Array.isArray(raw)) {
      raw.forEach((item, index) => {
        this.listEntryAt.set(index, document.entries.length);
        this.entryKeys.push(pathKey(['entries', index]));
        document.entries.push(this.buildEntry(item, ['entries', index], document.entries.length));
      });
      return;
    }
    if (!isMapping(raw))
      this.invalid(['entries'], '`entries` must be a list of entries or a map of sections');
    document.sections = [];
    for (const section of this.keyOrderOf(raw)) {
      const items = raw[section];
      if (!Array.isArray(items))
        this.invalid(['entries', section], `Section "${section}" of \`entries\` must be a list`);
      document.sections.push(section);
      const at = new Map<number, number>();
      this.sectionEntryAt.set(section, at);
      items.forEach((item, index) => {
        at.set(index, document.entries.length);
        this.entryKeys.push(pathKey(['entries', section, index]));
        const entry = this.buildEntry(item, ['entries', section, index], document.entries.length);
        entry.section = section;
        document.entries.push(entry);
      });
    }
  }

  private buildEntry(raw: BlueprintValue, path: PathSegment[], index: number): BlueprintEntry {
    const label = `Entry ${index + 1}`;
    if (!isMapping(raw))
      return this.invalid(path, `${label} must be a mapping with at least \`model\``, index);
    const parsed = entrySchema.safeParse(raw);
    if (!parsed.success)
      return this.reportIssue(parsed.error.issues, path, raw, describeEntry(raw, index), index);
    const data = parsed.data;
    const entry: BlueprintEntry = { model: data.model };
    const extra: BlueprintMapping = Object.create(null) as BlueprintMapping;
    for (const key of this.keyOrderOf(raw)) {
      if (!ENTRY_FIELD_SET.has(key)) extra[key] = raw[key] as BlueprintValue;
    }
    if (data.state !== undefined) entry.state = data.state;
    if (data.conditions !== undefined) entry.conditions = data.conditions;
    if (data.identifiers !== undefined) entry.identifiers = data.identifiers;
    if (data.attrs !== undefined) entry.attrs = data.attrs;
    if (data.id !== undefined) entry.id = data.id;
    // Keep the permission mappings themselves: zod's copies would drop keys authentik ignores.
    if (data.permissions !== undefined)
      entry.permissions = raw.permissions as BlueprintEntry['permissions'];
    if (Object.keys(extra).length > 0) entry.extra = extra;
    entry.keyOrder = this.keyOrderOf(raw);
    return entry;
  }

  private reportIssue(
    issues: readonly z.core.$ZodIssue[],
    base: PathSegment[],
    raw: BlueprintMapping,
    subject: string,
    entryIndex?: number,
  ): never {
    const issue = issues[0];
    const relative = (issue?.path ?? []).filter((s): s is PathSegment => typeof s !== 'symbol');
    const path = [...base, ...relative];
    let value: unknown = raw;
    for (const segment of relative) {
      value =
        typeof value === 'object' && value !== null
          ? (value as Record<PathSegment, unknown>)[segment]
          : undefined;
    }
    const field = relative.length > 0 ? `\`${relative.join('.')}\`` : 'it';
    const reason = value === undefined ? 'is required' : (issue?.message ?? 'is invalid');
    return this.invalid(path, `${subject}: ${field} ${reason}`, entryIndex);
  }

  /** Splits recorded positions and comments between the document and its entries. */
  private attachSource(document: BlueprintDocument): void {
    const recorder = this.recorder;
    if (!recorder) return;
    const documentComments: CommentMap = {};
    for (const recorded of recorder.comments) {
      const located = this.locate(recorded.path);
      if (located) {
        const entry = document.entries[located.entryIndex] as BlueprintEntry;
        entry.comments ??= {};
        entry.comments[commentKey(recorded.role, recorded.path.slice(located.prefix))] =
          recorded.comments;
      } else documentComments[commentKey(recorded.role, recorded.path)] = recorded.comments;
    }
    if (Object.keys(documentComments).length > 0)
      document.comments = { ...document.comments, ...documentComments };
    if (recorder.positions.size === 0) return;
    document.source = { position: this.rootPosition, fields: {} };
    for (const [key, { path, position }] of recorder.positions) {
      const located = this.locate(path);
      if (!located) {
        document.source.fields[key] = position;
        continue;
      }
      const entry = document.entries[located.entryIndex] as BlueprintEntry;
      entry.source ??= { position, fields: {} };
      if (path.length === located.prefix) entry.source.position = position;
      else
        entry.source.fields[relativeKey(key, this.entryKeys[located.entryIndex] as string)] =
          position;
    }
  }

  /** The entry a raw path lies in: `['entries', i, …]` (list) or `['entries', section, i, …]`. */
  private locate(path: readonly PathSegment[]): Located | undefined {
    if (path[0] !== 'entries') return undefined;
    const second = path[1];
    if (typeof second === 'number') {
      const entryIndex = this.listEntryAt.get(second);
      return entryIndex === undefined ? undefined : { entryIndex, prefix: 2 };
    }
    const third = path[2];
    if (typeof second === 'string' && typeof third === 'number') {
      const entryIndex = this.sectionEntryAt.get(second)?.get(third);
      return entryIndex === undefined ? undefined : { entryIndex, prefix: 3 };
    }
    return undefined;
  }
}

/**
 * `pathKey` of the part of a path below a prefix, from the keys of both: a path key is its
 * segments' JSON joined by commas in brackets, so `["entries",3,"attrs"]` below `["entries",3]`
 * is `["attrs"]`. The path must be longer than the prefix.
 */
function relativeKey(key: string, prefixKey: string): string {
  return `[${key.slice(prefixKey.length)}`;
}

/** Checks the blueprint shape and builds the typed document from the composed value. */
export function buildDocument(
  composed: ComposedValue,
  recorder: SourceRecorder | undefined,
  rootPosition: SourcePosition,
): BlueprintDocument {
  return new StructureBuilder(recorder, rootPosition, composed.keyOrderOf).build(composed.root);
}
