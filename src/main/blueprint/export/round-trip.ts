import { type Flow, type JsonValue } from '@shared/model';
import {
  commentKey,
  isMapping,
  isTagNode,
  serializeBlueprintDocument,
  type BlueprintDocument,
  type BlueprintEntry,
  type BlueprintMapping,
  type BlueprintValue,
} from '../yaml';
import { deepEqual } from './defaults';
import { describeRef, portableEntry, portableReference, type PortableContext, userWarnings } from './entries';
import { declareSecrets } from './secrets';
import { assignIds, baseId, slugPart } from './ids';
import { flowGroup, hoistDependencies, planExport } from './plan';
import { currentAttrs } from './attrs';
import { recordFor, referencedRefs, referenceSpecs, secretFields } from './records';
import { type ObjectIndex, type ObjectRef, refKey } from './snapshot';
import { type StoredBlueprint } from './stored';
import { type ExportedFile, type ExportResult } from './types';
import { cloneValue, toBlueprintValue } from './values';
import { inImportOrder, rowRef } from './verbatim';

/** Comment written above objects added to a round-trip document. */
export const ADDED_COMMENT = ' Added in Flowbench after the import';

interface Built {
  file: ExportedFile;
  /** Workspace objects this document now holds (its entries' and the appended ones). */
  holds: Set<string>;
}

/**
 * Round-trip style: each stored blueprint written back as imported, with the workspace's
 * changes since folded in entry by entry (see README.md). Flows no stored blueprint holds go into
 * one extra portable file.
 */
export function roundTripExport(
  index: ObjectIndex,
  blueprints: readonly StoredBlueprint[],
  flows: readonly Flow[],
  whole: boolean,
): ExportResult {
  const warnings: string[] = [];
  const ordered = inImportOrder(blueprints);
  const selected = new Set(flows.map((flow) => flow.pk));

  // Every object some stored entry stands for: those are not "new".
  const known = new Set<string>();
  // The blueprint that first imported each flow receives the flow's new objects.
  const owner = new Map<string, string>();
  for (const blueprint of ordered) {
    for (const row of blueprint.entries) {
      const ref = rowRef(row);
      if (!ref) continue;
      known.add(refKey(ref));
      if (ref.type === 'flow' && !owner.has(String(ref.pk))) owner.set(String(ref.pk), blueprint.pk);
    }
  }
  const chosen = whole
    ? ordered
    : ordered.filter((blueprint) =>
        blueprint.entries.some((row) => {
          const ref = rowRef(row);
          return ref?.type === 'flow' && selected.has(String(ref.pk));
        }),
      );

  const files: ExportedFile[] = [];
  const placed = new Set<string>();
  const names = new Set<string>();
  for (const blueprint of chosen) {
    const ownFlows = [...owner].filter(([, pk]) => pk === blueprint.pk).map(([flow]) => flow);
    const built = roundTripDocument(index, blueprint, ownFlows, known, placed, warnings);
    built.file.name = uniqueName(built.file.name, names);
    files.push(built.file);
    for (const key of built.holds) placed.add(key);
  }

  const orphanFlows = flows.filter((flow) => !owner.has(flow.pk));
  const extra = orphanFile(index, orphanFlows, whole, known, placed, warnings);
  if (extra) {
    extra.name = uniqueName(extra.name, names);
    files.push(extra);
  }
  if (files.length === 0) {
    const document: BlueprintDocument = { version: 1, metadata: { name: 'Flowbench export - nothing imported' }, entries: [] };
    warnings.push('No stored blueprint holds the exported flows; nothing to write back');
    const text = serializeBlueprintDocument(document);
    files.push({ name: 'empty.yaml', text, document });
  }
  if (files.length > 1) {
    warnings.push(
      `${files.length} blueprints exported (${files.map((file) => file.name).join(', ')}): the text holds them as one YAML stream; save each file separately to import them`,
    );
  }
  const text = files.map((file, i) => (i === 0 ? file.text : `---\n${file.text}`)).join('');
  const first = files[0] as ExportedFile;
  return { text, document: first.document, warnings, files };
}

function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name;
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  for (let n = 2; taken.has(candidate); n += 1) candidate = `${stem}-${n}${ext}`;
  taken.add(candidate);
  return candidate;
}

function entryLabel(blueprint: StoredBlueprint, idx: number, index: ObjectIndex, ref: ObjectRef): string {
  return `${blueprint.sourceName} entry ${idx} (${describeRef(index, ref)})`;
}

/** The document's own ids for workspace objects: the first entry with an `id` per object. */
function documentIds(blueprint: StoredBlueprint, document: BlueprintDocument): Map<string, { id: string; idx: number }> {
  const ids = new Map<string, { id: string; idx: number }>();
  for (const row of [...blueprint.entries].sort((a, b) => a.idx - b.idx)) {
    const ref = rowRef(row);
    const id = document.entries[row.idx]?.id;
    if (ref && typeof id === 'string' && !ids.has(refKey(ref))) ids.set(refKey(ref), { id, idx: row.idx });
  }
  return ids;
}

function allIds(document: BlueprintDocument): Set<string> {
  return new Set(document.entries.map((entry) => entry.id).filter((id): id is string => typeof id === 'string'));
}

function roundTripDocument(
  index: ObjectIndex,
  blueprint: StoredBlueprint,
  ownFlows: readonly string[],
  known: ReadonlySet<string>,
  placed: ReadonlySet<string>,
  warnings: string[],
): Built {
  const document = cloneValue(blueprint.document as unknown as BlueprintMapping) as unknown as BlueprintDocument;
  const holds = new Set<string>();
  const ids = documentIds(blueprint, document);

  for (const row of [...blueprint.entries].sort((a, b) => a.idx - b.idx)) {
    const entry = document.entries[row.idx];
    if (entry && row.model === 'authentik_core.user') dropPasswordHash(entry, `${blueprint.sourceName} entry ${row.idx}`, warnings);
    const ref = rowRef(row);
    if (!ref || !entry) continue;
    holds.add(refKey(ref));
    // No snapshot: the entry did not leave an object behind (state absent deleted it).
    if (!row.snapshot) continue;
    const label = entryLabel(blueprint, row.idx, index, ref);
    if (!index.has(ref)) {
      warnings.push(`${blueprint.sourceName} entry ${row.idx} (${row.model} ${String(ref.pk)}): the object was deleted since the import; entry written back unchanged`);
      continue;
    }
    const now = currentAttrs(index, ref, entry);
    if (!now) continue;
    applyChanges(index, entry, row.idx, ref, row.snapshot, now, ids, label, warnings);
  }

  // Objects of this document's flows that no stored entry stands for: appended, portable.
  const fresh: ObjectRef[] = [];
  const freshKeys = new Set<string>();
  for (const flowPk of ownFlows) {
    const flow = index.flow(flowPk);
    if (!flow) continue;
    for (const ref of flowGroup(index, flow)) {
      const key = refKey(ref);
      if (known.has(key) || placed.has(key) || freshKeys.has(key)) continue;
      freshKeys.add(key);
      fresh.push(ref);
    }
  }
  if (fresh.length > 0) appendObjects(index, blueprint, document, hoistDependencies(index, fresh, freshKeys), ids, holds, warnings);

  const text = serializeBlueprintDocument(document);
  return { file: { name: blueprint.sourceName, text, document }, holds };
}

/**
 * A user entry's `password_hash` (newer authentik: a pre-hashed password) is the one thing a
 * round trip does not write back: Flowbench never exports a password hash. A tag that computes
 * it stays (the file holds no hash then).
 */
function dropPasswordHash(entry: BlueprintEntry, label: string, warnings: string[]): void {
  if (!isMapping(entry.attrs) || !Object.hasOwn(entry.attrs, 'password_hash') || isTagNode(entry.attrs.password_hash)) return;
  delete entry.attrs.password_hash;
  warnings.push(`${label}: the user's password_hash is left out (Flowbench never exports password hashes); set the password after import`);
}

/**
 * Folds one object's changes since the import into its entry: a field that differs from the
 * import snapshot gets the new value where the entry wrote it (identifiers or attrs), else is
 * added to attrs; every other field, tags included, stays as written.
 */
export function applyChanges(
  index: ObjectIndex,
  entry: BlueprintEntry,
  idx: number,
  ref: ObjectRef,
  snapshot: Readonly<Record<string, JsonValue>>,
  now: Readonly<Record<string, JsonValue>>,
  ids: ReadonlyMap<string, { id: string; idx: number }>,
  label: string,
  warnings: string[],
): boolean {
  const fields = [...new Set([...Object.keys(snapshot), ...Object.keys(now)])].filter(
    (field) => field !== 'pk' && now[field] !== undefined && !deepEqual(snapshot[field], now[field]),
  );
  if (fields.length === 0) return false;
  if ((entry.identifiers !== undefined && !isMapping(entry.identifiers)) || (entry.attrs != null && !isMapping(entry.attrs))) {
    warnings.push(`${label}: changed since the import (${fields.join(', ')}), but the entry builds its fields with a tag; written back unchanged`);
    return false;
  }
  const record = recordFor(index, ref);
  const secrets = record ? secretFields(record) : [];
  const specs = record ? referenceSpecs(record) : [];
  for (const field of fields) {
    const spec = specs.find((candidate) => candidate.field === field);
    const value = now[field];
    const refer = (pk: unknown): BlueprintValue => {
      if (pk === null || !spec) return toBlueprintValue(pk);
      return portableReference(lookupContext(index, ids, idx, warnings), spec, pk, `${label} ${field}`);
    };
    // A group written with newer authentik's `parents` list keeps that form.
    const listForm = ref.type === 'group' && field === 'parent' ? writtenUnder(entry, 'parents') : undefined;
    if (listForm && !writtenUnder(entry, 'parent')) {
      listForm.parents = value === null ? [] : [refer(value)];
      continue;
    }
    const holder: BlueprintMapping = writtenUnder(entry, field) ?? (entry.attrs ??= {});
    const before = holder[field];
    if (secrets.includes(field) && isTagNode(before)) {
      warnings.push(`${label}: secret "${field}" changed since the import; the file's ${describeTag(before)} is kept, the value is not written`);
      continue;
    }
    holder[field] = spec?.many && Array.isArray(value) ? value.map(refer) : refer(value);
  }
  if (entry.attrs !== undefined && entry.attrs !== null && !entry.keyOrder?.includes('attrs') && entry.keyOrder) {
    entry.keyOrder = [...entry.keyOrder, 'attrs'];
  }
  return true;
}

/** The entry's identifiers or attrs mapping that holds `field`, identifiers first. */
function writtenUnder(entry: BlueprintEntry, field: string): BlueprintMapping | undefined {
  if (isMapping(entry.identifiers) && Object.hasOwn(entry.identifiers, field)) return entry.identifiers;
  if (isMapping(entry.attrs) && Object.hasOwn(entry.attrs, field)) return entry.attrs;
  return undefined;
}

function describeTag(value: BlueprintValue): string {
  if (!isTagNode(value)) return 'value';
  return 'value' in value ? `!${value.$tag} ${value.value}` : `!${value.$tag} […]`;
}

/** A PortableContext that may `!KeyOf` only the document's own entries before `idx`. */
function lookupContext(
  index: ObjectIndex,
  ids: ReadonlyMap<string, { id: string; idx: number }>,
  idx: number,
  warnings: string[],
): PortableContext {
  const earlier = [...ids].filter(([, at]) => at.idx < idx);
  return {
    index,
    ids: new Map(earlier.map(([key, at]) => [key, at.id])),
    written: new Set(earlier.map(([key]) => key)),
    secrets: new Map(),
    out: { warnings },
  };
}

function appendObjects(
  index: ObjectIndex,
  blueprint: StoredBlueprint,
  document: BlueprintDocument,
  fresh: readonly ObjectRef[],
  ids: Map<string, { id: string; idx: number }>,
  holds: Set<string>,
  warnings: string[],
): void {
  const reserved = allIds(document);
  // A new object pointing at an entry without an id and without a natural key (a stage binding,
  // for a new policy binding) needs that entry to get an id.
  const freshKeys = new Set(fresh.map(refKey));
  for (const ref of fresh) {
    const record = recordFor(index, ref);
    if (!record) continue;
    for (const target of referencedRefs(index, record)) {
      const key = refKey(target);
      if (target.type !== 'binding' || freshKeys.has(key) || ids.has(key)) continue;
      const row = blueprint.entries.find((candidate) => {
        const candidateRef = rowRef(candidate);
        return candidateRef !== undefined && refKey(candidateRef) === key;
      });
      const entry = row ? document.entries[row.idx] : undefined;
      if (!row || !entry || (entry.id !== undefined && entry.id !== null)) continue;
      let id = baseId(index, target);
      for (let n = 2; reserved.has(id); n += 1) id = `${baseId(index, target)}-${n}`;
      reserved.add(id);
      entry.id = id;
      ids.set(key, { id, idx: row.idx });
    }
  }

  const newIds = assignIds(index, fresh, reserved);
  const ctxIds = new Map<string, string>([...[...ids].map(([key, at]): [string, string] => [key, at.id]), ...newIds]);
  const written = new Set<string>(ids.keys());
  const ctx: PortableContext = { index, ids: ctxIds, written, secrets: new Map(), out: { warnings } };
  const added: string[] = [];
  fresh.forEach((ref, i) => {
    const record = recordFor(index, ref);
    if (!record) return;
    const entry = portableEntry(ctx, record, undefined);
    if (i === 0) entry.comments = { [commentKey('value', [])]: { before: ADDED_COMMENT } };
    document.entries.push(entry);
    written.add(refKey(ref));
    holds.add(refKey(ref));
    added.push(describeRef(index, ref));
  });
  declareSecrets(document, ctx.secrets);
  warnings.push(`${blueprint.sourceName}: ${added.length} object${added.length === 1 ? '' : 's'} created since the import appended: ${added.join(', ')}`);
}

/** Flows (and, for the whole workspace, other objects) that no stored blueprint holds. */
function orphanFile(
  index: ObjectIndex,
  orphanFlows: readonly Flow[],
  whole: boolean,
  known: ReadonlySet<string>,
  placed: ReadonlySet<string>,
  warnings: string[],
): ExportedFile | undefined {
  const refs = planExport(index, orphanFlows, whole).filter((ref) => !known.has(refKey(ref)) && !placed.has(refKey(ref)));
  if (refs.length === 0) return undefined;
  const ids = assignIds(index, refs);
  const written = new Set<string>();
  const ctx: PortableContext = { index, ids, written, secrets: new Map(), out: { warnings } };
  const entries: BlueprintEntry[] = [];
  for (const ref of refs) {
    const record = recordFor(index, ref);
    if (!record) continue;
    entries.push(portableEntry(ctx, record, undefined));
    written.add(refKey(ref));
  }
  userWarnings(index, refs, warnings);
  const slugs = orphanFlows.map((flow) => flow.slug);
  const document: BlueprintDocument = {
    version: 1,
    metadata: { name: slugs.length > 0 ? `Flowbench export - ${slugs.join(', ')}` : 'Flowbench export - not imported' },
    entries,
  };
  declareSecrets(document, ctx.secrets);
  warnings.push(
    `${entries.length} object${entries.length === 1 ? '' : 's'} no imported blueprint holds${slugs.length > 0 ? ` (flows ${slugs.join(', ')})` : ''} written to an extra portable file`,
  );
  const name = slugs.length === 1 ? `${slugPart(slugs[0] ?? 'flows')}.yaml` : 'flowbench-additions.yaml';
  return { name, text: serializeBlueprintDocument(document), document };
}

