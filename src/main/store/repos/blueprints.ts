import { z } from 'zod';
import { type Db } from '../db';
import { StoreError } from '../errors';
import { parseJsonColumn, stmt } from '../sql';

/*
 * The `blueprints` and `blueprint_entries` tables (migration 0002). The document is stored as the
 * codec's BlueprintDocument JSON; it is checked for the blueprint shape on read but not typed
 * here (the store does not depend on the blueprint codec).
 */

export interface BlueprintRow {
  pk: string;
  name: string;
  source_name: string;
  document: string;
  context: string;
  version_guess: string;
  content_sha256: string;
  imported_at: string;
}

/** A stored blueprint without its (large) document. */
export interface BlueprintHead {
  pk: string;
  name: string;
  sourceName: string;
  versionGuess: string;
  contentSha256: string;
  importedAt: string;
  entryCount: number;
}

export interface StoredBlueprint extends Omit<BlueprintHead, 'entryCount'> {
  /** The parsed BlueprintDocument (JSON, without source positions). */
  document: { version: 1; entries: unknown[] } & Record<string, unknown>;
  context: Record<string, unknown>;
}

export interface BlueprintEntryRecord {
  idx: number;
  model: string;
  objectPk: string | null;
  snapshot: Record<string, unknown> | null;
  unknownAttrs: Record<string, unknown> | null;
}

const documentShape = z.looseObject({ version: z.literal(1), entries: z.array(z.unknown()) });
const objectShape = z.record(z.string(), z.unknown());

function parseDocument(pk: string, text: string): StoredBlueprint['document'] {
  const parsed = documentShape.safeParse(parseJsonColumn('blueprints', pk, 'document', text));
  if (!parsed.success) throw new StoreError('blueprints', pk, 'document', 'is not a blueprint document');
  return parsed.data as StoredBlueprint['document'];
}

function parseObject(table: string, pk: string, column: string, text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  const parsed = objectShape.safeParse(parseJsonColumn(table, pk, column, text));
  if (!parsed.success) throw new StoreError(table, pk, column, 'is not a JSON object');
  return parsed.data;
}

function headOf(row: Omit<BlueprintRow, 'document' | 'context'> & { entry_count: number }): BlueprintHead {
  return {
    pk: row.pk,
    name: row.name,
    sourceName: row.source_name,
    versionGuess: row.version_guess,
    contentSha256: row.content_sha256,
    importedAt: row.imported_at,
    entryCount: row.entry_count,
  };
}

const HEAD_SQL = `SELECT b.pk, b.name, b.source_name, b.version_guess, b.content_sha256, b.imported_at,
  (SELECT count(*) FROM blueprint_entries e WHERE e.blueprint = b.pk) AS entry_count FROM blueprints b`;

const LIST_SQL = `${HEAD_SQL} ORDER BY b.name`;

/** Every stored blueprint, by name. */
export function listBlueprints(db: Db): BlueprintHead[] {
  return stmt<Omit<BlueprintRow, 'document' | 'context'> & { entry_count: number }>(db, LIST_SQL)
    .all()
    .map(headOf);
}

function fromRow(row: BlueprintRow): StoredBlueprint {
  return {
    pk: row.pk,
    name: row.name,
    sourceName: row.source_name,
    versionGuess: row.version_guess,
    contentSha256: row.content_sha256,
    importedAt: row.imported_at,
    document: parseDocument(row.pk, row.document),
    context: parseObject('blueprints', row.pk, 'context', row.context) ?? {},
  };
}

export function getBlueprint(db: Db, pk: string): StoredBlueprint | undefined {
  const row = stmt<BlueprintRow>(db, 'SELECT * FROM blueprints WHERE pk = ?').get(pk);
  return row ? fromRow(row) : undefined;
}

export function getBlueprintByName(db: Db, name: string): StoredBlueprint | undefined {
  const row = stmt<BlueprintRow>(db, 'SELECT * FROM blueprints WHERE name = ?').get(name);
  return row ? fromRow(row) : undefined;
}

export function getBlueprintPkByName(db: Db, name: string): string | undefined {
  return stmt<{ pk: string }>(db, 'SELECT pk FROM blueprints WHERE name = ?').get(name)?.pk;
}

export interface BlueprintWrite {
  pk: string;
  name: string;
  sourceName: string;
  /** JSON text of the document (already without positions). */
  document: string;
  context: Record<string, unknown>;
  versionGuess: string;
  contentSha256: string;
  importedAt: string;
  entries: readonly BlueprintEntryRecord[];
}

/**
 * Insert the blueprint, or replace the stored one with the same pk (document, entries and all).
 * Call inside a transaction.
 */
export function putBlueprint(db: Db, blueprint: BlueprintWrite): void {
  stmt(
    db,
    `INSERT INTO blueprints (pk, name, source_name, document, context, version_guess, content_sha256, imported_at)
     VALUES (@pk, @name, @source_name, @document, @context, @version_guess, @content_sha256, @imported_at)
     ON CONFLICT (pk) DO UPDATE SET name = excluded.name, source_name = excluded.source_name, document = excluded.document,
       context = excluded.context, version_guess = excluded.version_guess, content_sha256 = excluded.content_sha256,
       imported_at = excluded.imported_at`,
  ).run({
    pk: blueprint.pk,
    name: blueprint.name,
    source_name: blueprint.sourceName,
    document: blueprint.document,
    context: JSON.stringify(blueprint.context),
    version_guess: blueprint.versionGuess,
    content_sha256: blueprint.contentSha256,
    imported_at: blueprint.importedAt,
  });
  stmt(db, 'DELETE FROM blueprint_entries WHERE blueprint = ?').run(blueprint.pk);
  const insert = stmt(
    db,
    'INSERT INTO blueprint_entries (blueprint, idx, model, object_pk, snapshot, unknown_attrs) VALUES (?, ?, ?, ?, ?, ?)',
  );
  for (const entry of blueprint.entries) {
    insert.run(
      blueprint.pk,
      entry.idx,
      entry.model,
      entry.objectPk,
      entry.snapshot === null ? null : JSON.stringify(entry.snapshot),
      entry.unknownAttrs === null ? null : JSON.stringify(entry.unknownAttrs),
    );
  }
}

interface EntryRow {
  idx: number;
  model: string;
  object_pk: string | null;
  snapshot: string | null;
  unknown_attrs: string | null;
}

/** The entries of a stored blueprint, in file order. */
export function listBlueprintEntries(db: Db, blueprint: string): BlueprintEntryRecord[] {
  return stmt<EntryRow>(
    db,
    'SELECT idx, model, object_pk, snapshot, unknown_attrs FROM blueprint_entries WHERE blueprint = ? ORDER BY idx',
  )
    .all(blueprint)
    .map((row) => ({
      idx: row.idx,
      model: row.model,
      objectPk: row.object_pk,
      snapshot: parseObject('blueprint_entries', `${blueprint}#${row.idx}`, 'snapshot', row.snapshot),
      unknownAttrs: parseObject('blueprint_entries', `${blueprint}#${row.idx}`, 'unknown_attrs', row.unknown_attrs),
    }));
}

/** Entries (of any blueprint) that made or matched the object with this pk. */
export function findEntriesOfObject(db: Db, objectPk: string): { blueprint: string; idx: number; model: string }[] {
  return stmt<{ blueprint: string; idx: number; model: string }>(
    db,
    'SELECT blueprint, idx, model FROM blueprint_entries WHERE object_pk = ? ORDER BY blueprint, idx',
  ).all(objectPk);
}

/** Deletes a stored blueprint and its entries (the objects it imported stay). */
export function deleteBlueprint(db: Db, pk: string): boolean {
  return stmt(db, 'DELETE FROM blueprints WHERE pk = ?').run(pk).changes === 1;
}

// ---------------------------------------------------------------------------------------------
// Lookups the importer needs that the object repositories do not offer: pk by a unique column.

const UNIQUE_COLUMNS = {
  stages: 'name',
  policies: 'name',
  prompts: 'name',
  groups: 'name',
  users: 'username',
} as const;

export type UniqueLookupTable = keyof typeof UNIQUE_COLUMNS;

// Built once per table: the statement cache (sql.ts) is keyed by the text.
const PK_BY_UNIQUE_NAME_SQL = Object.fromEntries(
  Object.entries(UNIQUE_COLUMNS).map(([table, column]) => [table, `SELECT pk FROM "${table}" WHERE "${column}" = ?`]),
) as Record<UniqueLookupTable, string>;
const ALL_PKS_SQL = {
  flow_stage_bindings: 'SELECT pk FROM flow_stage_bindings ORDER BY pk',
  policy_bindings: 'SELECT pk FROM policy_bindings ORDER BY pk',
} as const;

/** pk of the row whose unique name (username for users) is `value`. */
export function pkByUniqueName(db: Db, table: UniqueLookupTable, value: string): string | number | undefined {
  return stmt<{ pk: string | number }>(db, PK_BY_UNIQUE_NAME_SQL[table]).get(value)?.pk;
}

/** Every pk of a table the importer walks when nothing narrows a lookup. */
export function allPks(db: Db, table: 'flow_stage_bindings' | 'policy_bindings'): string[] {
  return stmt<{ pk: string }>(db, ALL_PKS_SQL[table])
    .all()
    .map((row) => row.pk);
}
